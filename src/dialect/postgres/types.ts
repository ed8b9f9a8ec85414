import type { ColumnDefault, ColumnType } from '../../model/schema';
import type { DialectTypeSystem } from '../dialect';
import { quotePostgresLiteral } from './quote';

/*
 * PostgreSQL's type and default spellings, normalised. The same functions read what the catalog prints
 * (format_type(), pg_get_expr()) and what TypeORM or a user writes (`varchar(255)`, `int4`, `timestamptz`, `'abc'`),
 * so both sides of a diff meet in one structured shape.
 */

/** A lexical token of a type name: a word (lower-cased unless it was a quoted identifier) or one punctuation mark. */
type TypeToken = { readonly word: string } | { readonly mark: string };

/** Splits a type into tokens, lower-casing everything but quoted identifiers (`"MyType"` keeps its case). */
function tokenizeType(sql: string): TypeToken[] | null {
  const tokens: TypeToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === '"' && sql[j + 1] !== '"')) j += sql[j] === '"' ? 2 : 1;
      if (j >= sql.length) return null;
      tokens.push({ word: sql.slice(i, j + 1) });
      i = j + 1;
    } else if (/[a-z0-9_$]/i.test(ch)) {
      let j = i;
      while (j < sql.length && /[a-z0-9_$]/i.test(sql[j] ?? '')) j++;
      tokens.push({ word: sql.slice(i, j).toLowerCase() });
      i = j;
    } else {
      tokens.push({ mark: ch });
      i++;
    }
  }
  return tokens;
}

/** Rebuilds tokens with single spaces between words only: `Numeric ( 10 , 2 )` -> `numeric(10,2)`, `timestamp(3) with time zone`. */
function joinTypeTokens(tokens: readonly TypeToken[]): string {
  let out = '';
  let previous: TypeToken | null = null;
  for (const token of tokens) {
    const spaced =
      previous !== null && 'word' in token && ('word' in previous || previous.mark === ')' || previous.mark === ']');
    out += (spaced ? ' ' : '') + ('word' in token ? token.word : token.mark);
    previous = token;
  }
  return out;
}

/** Canonical text of a type: lower case outside quoted identifiers, no insignificant spaces. */
function canonicalTypeSql(sql: string): string {
  const tokens = tokenizeType(sql);
  return tokens === null ? sql.trim().replace(/\s+/g, ' ').toLowerCase() : joinTypeTokens(tokens);
}

/** PostgreSQL's default precision for time types; format_type omits it, so `timestamp(6)` and `timestamp` are equal. */
const DEFAULT_TIME_PRECISION = 6;

const INTEGERS: Readonly<Record<string, 'small' | 'int' | 'big'>> = {
  smallint: 'small',
  int2: 'small',
  smallserial: 'small',
  serial2: 'small',
  integer: 'int',
  int: 'int',
  int4: 'int',
  serial: 'int',
  serial4: 'int',
  bigint: 'big',
  int8: 'big',
  bigserial: 'big',
  serial8: 'big',
};

const TEMPORALS: Readonly<Record<string, 'timestamp' | 'timestamptz' | 'time' | 'timetz' | 'interval'>> = {
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  time: 'time',
  timetz: 'timetz',
  interval: 'interval',
};

/** `name`, optional `(a[,b])` modifiers, optional time-zone clause; the name may carry spaces (`double precision`). */
const BASE_TYPE = /^(?:([a-z_][a-z0-9_$]*)\.)?([a-z_][a-z0-9_$]*(?: [a-z_][a-z0-9_$]*)*?)(?:\((-?\d+)(?:,(-?\d+))?\))?(?: (with time zone|without time zone))?$/;

/** Parses one non-array type from its canonical text. */
function parseBaseType(canonical: string): ColumnType {
  const raw: ColumnType = { kind: 'raw', sql: canonical };
  const match = BASE_TYPE.exec(canonical);
  if (match === null) return raw;
  const [, qualifier, name = '', first, second, zone] = match;
  // Only pg_catalog-qualified builtins are the builtins; pgvector may live in any schema (`extensions.vector(3)`).
  if (qualifier !== undefined && qualifier !== 'pg_catalog' && name !== 'vector') return raw;
  const a = first === undefined ? null : Number(first);
  const b = second === undefined ? null : Number(second);
  if (zone !== undefined) {
    if ((name !== 'timestamp' && name !== 'time') || b !== null) return raw;
    const temporal = name === 'timestamp' ? (zone === 'with time zone' ? 'timestamptz' : 'timestamp') : zone === 'with time zone' ? 'timetz' : 'time';
    return { kind: 'temporal', name: temporal, precision: timePrecision(a) };
  }
  const size = INTEGERS[name];
  if (size !== undefined) return a === null ? { kind: 'integer', size, unsigned: false } : raw;
  const temporal = TEMPORALS[name];
  if (temporal !== undefined) return b === null ? { kind: 'temporal', name: temporal, precision: timePrecision(a) } : raw;
  switch (name) {
    case 'boolean':
    case 'bool':
      return a === null ? { kind: 'boolean' } : raw;
    case 'numeric':
    case 'decimal':
    case 'dec':
      // numeric(10) is numeric(10,0): the catalog prints the scale, users often leave it out.
      return { kind: 'decimal', precision: a, scale: a === null ? null : (b ?? 0), unsigned: false };
    case 'real':
    case 'float4':
      return a === null ? { kind: 'float', size: 'single', unsigned: false } : raw;
    case 'double precision':
    case 'float8':
      return a === null ? { kind: 'float', size: 'double', unsigned: false } : raw;
    case 'float':
      // float(p) is real up to 24 bits of mantissa and double precision above, as PostgreSQL decides.
      if (b !== null) return raw;
      return { kind: 'float', size: a !== null && a <= 24 ? 'single' : 'double', unsigned: false };
    case 'character varying':
    case 'varchar':
    case 'char varying':
      return b === null ? { kind: 'string', fixed: false, binary: false, length: a } : raw;
    case 'character':
    case 'char':
      // A bare `char` is char(1) in PostgreSQL (format_type prints `character(1)`).
      return b === null ? { kind: 'string', fixed: true, binary: false, length: a ?? 1 } : raw;
    case 'bpchar':
      // The internal name without a length is unbounded blank-padded text, not char(1).
      return b === null ? { kind: 'string', fixed: true, binary: false, length: a } : raw;
    case 'text':
      return a === null ? { kind: 'text', size: 'regular', binary: false } : raw;
    case 'bytea':
      return a === null ? { kind: 'text', size: 'regular', binary: true } : raw;
    case 'date':
      return a === null ? { kind: 'temporal', name: 'date', precision: null } : raw;
    case 'json':
      return a === null ? { kind: 'json', binary: false } : raw;
    case 'jsonb':
      return a === null ? { kind: 'json', binary: true } : raw;
    case 'uuid':
      return a === null ? { kind: 'uuid' } : raw;
    case 'vector':
      return b === null ? { kind: 'vector', dimensions: a } : raw;
    case 'bit':
      // A bare `bit` is bit(1), as format_type prints it; `bit varying` without a length is unbounded and stays so.
      return a === null ? { kind: 'raw', sql: 'bit(1)' } : raw;
    default:
      return raw;
  }
}

function timePrecision(precision: number | null): number | null {
  return precision === DEFAULT_TIME_PRECISION ? null : precision;
}

/** `integer[]`, `integer[3][]` and SQL's `integer array[3]`: PostgreSQL does not distinguish dimensions or bounds. */
const ARRAY_SUFFIX = /^(.*?)(?: array)?(?:\[\d*\])*$/;

/** Parses a full PostgreSQL type (see DialectTypeSystem.parseType). */
function parseType(sql: string): ColumnType {
  const canonical = canonicalTypeSql(sql);
  const match = ARRAY_SUFFIX.exec(canonical);
  const base = match?.[1] ?? canonical;
  if (base !== canonical && base !== '') return { kind: 'array', element: parseBaseType(base) };
  return parseBaseType(canonical);
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* Defaults                                                                                                         */
/* ---------------------------------------------------------------------------------------------------------------- */

/** Where a quoted string starting at `start` ends (index after the closing quote), honouring `''` and E'' escapes. */
function endOfString(sql: string, start: number, escapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (escapes && ch === '\\') i += 2;
    else if (ch === "'" && sql[i + 1] === "'") i += 2;
    else if (ch === "'") return i + 1;
    else i++;
  }
  return -1;
}

/** Where a double-quoted identifier starting at `start` ends (index after the closing quote). */
function endOfIdentifier(sql: string, start: number): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
    else if (sql[i] === '"') return i + 1;
    else i++;
  }
  return -1;
}

/** True when the quote at `index` opens an E'' string: preceded by a lone E that is not the end of a longer word. */
function isEscapeString(sql: string, index: number): boolean {
  const e = sql[index - 1];
  return (e === 'E' || e === 'e') && !/[a-z0-9_$]/i.test(sql[index - 2] ?? '');
}

/**
 * Canonical SQL for an expression: lower case outside string literals and quoted identifiers, runs of white space
 * collapsed to one space (none just inside parentheses), and redundant outer parentheses removed. The result is still
 * valid SQL, because the introspected schema is rendered back (rollbacks re-create what they drop).
 */
export function canonicalPostgresExpression(sql: string): string {
  let out = '';
  let i = 0;
  let pendingSpace = false;
  const emit = (text: string): void => {
    if (pendingSpace && out !== '' && !out.endsWith('(') && text !== ')') out += ' ';
    pendingSpace = false;
    out += text;
  };
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    if (/\s/.test(ch)) {
      pendingSpace = true;
      i++;
    } else if (ch === "'") {
      const end = endOfString(sql, i, isEscapeString(sql, i));
      if (end < 0) return collapseOuterParentheses(out + sql.slice(i));
      emit(sql.slice(i, end));
      i = end;
    } else if (ch === '"') {
      const end = endOfIdentifier(sql, i);
      if (end < 0) return collapseOuterParentheses(out + sql.slice(i));
      emit(sql.slice(i, end));
      i = end;
    } else {
      emit(ch.toLowerCase());
      i++;
    }
  }
  return collapseOuterParentheses(out.trim());
}

/** The index of the parenthesis closing the one at `open`, skipping strings and quoted identifiers; -1 if none. */
function matchingParenthesis(sql: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'") {
      i = endOfString(sql, i, isEscapeString(sql, i));
      if (i < 0) return -1;
      continue;
    }
    if (ch === '"') {
      i = endOfIdentifier(sql, i);
      if (i < 0) return -1;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
    i++;
  }
  return -1;
}

/** `((now()))` -> `now()`, but `(a) + (b)` stays: only parentheses that wrap the whole text are redundant. */
function collapseOuterParentheses(sql: string): string {
  let text = sql.trim();
  while (text.startsWith('(') && matchingParenthesis(text, 0) === text.length - 1) text = text.slice(1, -1).trim();
  return text;
}

/** Positions of `::` casts at the top level (outside strings, identifiers and parentheses). */
function topLevelCasts(sql: string): number[] {
  const casts: number[] = [];
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'") {
      i = endOfString(sql, i, isEscapeString(sql, i));
      if (i < 0) return [];
      continue;
    }
    if (ch === '"') {
      i = endOfIdentifier(sql, i);
      if (i < 0) return [];
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ':' && sql[i + 1] === ':' && depth === 0) {
      casts.push(i);
      i += 2;
      continue;
    }
    i++;
  }
  return casts;
}

/** A cast target such as `character varying(5)[]`, `timestamp(3) with time zone`, `public."My Enum"`: no operators. */
const CAST_TYPE =
  /^(?:"(?:[^"]|"")*"|[a-z_][a-z0-9_$]*)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[a-z_][a-z0-9_$]*))?(?:\s+[a-z_][a-z0-9_$]*)*(?:\s*\(\s*-?\d+(?:\s*,\s*-?\d+)?\s*\))?(?:\s+[a-z_][a-z0-9_$]*)*(?:\s*\[\s*\d*\s*\])*$/i;

/** A literal stripped of its casts: the bare token and every type it was cast to, innermost first. */
interface CastLiteral {
  readonly token: string;
  readonly casts: readonly string[];
}

/** Peels `::type` casts and wrapping parentheses off a literal: `('now'::text)::date` -> `'now'`, [text, date]. */
function peelCasts(sql: string): CastLiteral | null {
  const text = collapseOuterParentheses(sql);
  const positions = topLevelCasts(text);
  const first = positions[0];
  if (first === undefined) return { token: text, casts: [] };
  const types: string[] = [];
  const bounds = [...positions, text.length];
  for (let k = 0; k < positions.length; k++) {
    const type = text.slice((bounds[k] ?? 0) + 2, bounds[k + 1]).trim();
    if (!CAST_TYPE.test(type)) return null;
    types.push(canonicalTypeSql(type));
  }
  const inner = peelCasts(text.slice(0, first));
  return inner === null ? null : { token: inner.token, casts: [...inner.casts, ...types] };
}

/** The value of a quoted string token (`'it''s'`, `E'a\nb'`), or null when the token is not one whole string. */
function stringValue(token: string): string | null {
  const escapes = /^[eE]'/.test(token);
  const start = escapes ? 1 : 0;
  if (token[start] !== "'" || endOfString(token, start, escapes) !== token.length) return null;
  const body = token.slice(start + 1, -1).replace(/''/g, "'");
  return escapes ? unescapeBackslashes(body) : body;
}

/** PostgreSQL's E'' escapes: \b \f \n \r \t, octal, \x hex, \u and \U code points; any other \c is c. */
function unescapeBackslashes(body: string): string {
  const simple: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  return body.replace(/\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([\s\S]))/g, (_all, octal?: string, hex?: string, u4?: string, u8?: string, other?: string) => {
    if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8));
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    const code = u4 ?? u8;
    if (code !== undefined) return String.fromCodePoint(parseInt(code, 16));
    return simple[other ?? ''] ?? other ?? '';
  });
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** Canonical decimal text (`+01.50` -> `1.5`, `-0` -> `0`, `1e3` -> `1000`), or null when `text` is not a number. */
export function canonicalNumber(text: string): string | null {
  const match = NUMBER.exec(text.trim());
  if (match === null) return null;
  const [, sign = '', whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return null;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  // Exponents beyond this are kept as written rather than expanded into thousands of zeros.
  if (Math.abs(exponent) > 100) return text.trim().toLowerCase();
  let digits = whole + fraction;
  let point = whole.length + exponent;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const integer = digits.slice(0, point).replace(/^0+/, '') || '0';
  const decimals = digits.slice(point).replace(/0+$/, '');
  const body = decimals === '' ? integer : `${integer}.${decimals}`;
  return sign === '-' && body !== '0' ? `-${body}` : body;
}

const NUMERIC_CASTS = new Set(['smallint', 'integer', 'bigint', 'int', 'int2', 'int4', 'int8', 'numeric', 'decimal', 'real', 'double precision', 'float4', 'float8']);
const BOOLEAN_CASTS = new Set(['boolean', 'bool']);
const TRUE_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['f', 'false', 'n', 'no', 'off', '0']);
/** Strings that a date/time input function reads as "the current moment": cast at run time, they are expressions. */
const MOMENT_WORDS = new Set(['now', 'today', 'tomorrow', 'yesterday']);

/** The name of a cast type without its modifiers: `numeric(10,2)` -> `numeric`. */
function castName(type: string): string {
  return type.replace(/\(.*$/, '');
}

/** A literal default, or undefined when the text is not one (null means the default is NULL). */
function literalDefault(sql: string): ColumnDefault | null | undefined {
  const peeled = peelCasts(sql);
  if (peeled === null) return undefined;
  const { token, casts } = peeled;
  const outer = casts[casts.length - 1];
  const lowered = token.toLowerCase();
  if (lowered === 'null') return null;
  if (lowered === 'true' || lowered === 'false') return { kind: 'literal', value: lowered };
  const number = /^[+-]?[\d.]/.test(token) ? canonicalNumber(token) : null;
  if (number !== null) return { kind: 'literal', value: number };
  const value = stringValue(token);
  if (value === null) return undefined;
  // ('now'::text)::date is evaluated on every insert; 'now'::date alone would have been frozen at CREATE time.
  if (casts.length > 1 && MOMENT_WORDS.has(value.trim().toLowerCase())) return undefined;
  if (outer !== undefined && BOOLEAN_CASTS.has(castName(outer))) {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return { kind: 'literal', value: 'true' };
    if (FALSE_WORDS.has(word)) return { kind: 'literal', value: 'false' };
  }
  if (outer !== undefined && NUMERIC_CASTS.has(castName(outer))) {
    const numeric = canonicalNumber(value);
    if (numeric !== null) return { kind: 'literal', value: numeric };
  }
  return { kind: 'literal', value };
}

/** Parses a PostgreSQL default (see DialectTypeSystem.parseDefault). */
function parseDefault(sql: string | null | undefined): ColumnDefault | null {
  if (sql === null || sql === undefined) return null;
  const text = sql.trim();
  if (text === '') return null;
  const literal = literalDefault(text);
  if (literal !== undefined) return literal;
  return { kind: 'expression', sql: canonicalPostgresExpression(text) };
}

/** PostgreSQL's (and PGlite's) type system: one normaliser for catalog text and TypeORM/user spellings. */
export const postgresTypes: DialectTypeSystem = {
  dialect: 'postgres',
  parseType,
  parseDefault,
  parseStatedString: (value) => parseDefault(quotePostgresLiteral(value)),
};
