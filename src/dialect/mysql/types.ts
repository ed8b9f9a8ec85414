import type { ColumnDefault, ColumnType, Dialect, IntegerDisplay, IntegerSize } from '../../model/schema';
import type { DialectTypeSystem } from '../dialect';

/**
 * The MySQL/MariaDB type system: one parser for `COLUMN_TYPE`, `COLUMN_DEFAULT` and CHECK text as the server prints
 * it, and for the spellings TypeORM and users write. Both sides of the diff pass through it, so `int(11)` = `int`,
 * `bool` = `tinyint(1)` and MariaDB's quoted `'abc'` = MySQL 8's bare `abc` before anything is compared.
 */

const INTEGER_SIZES: Readonly<Record<string, IntegerSize>> = {
  tinyint: 'tiny',
  int1: 'tiny',
  smallint: 'small',
  int2: 'small',
  mediumint: 'medium',
  middleint: 'medium',
  int3: 'medium',
  int: 'int',
  integer: 'int',
  int4: 'int',
  bigint: 'big',
  int8: 'big',
};

const DECIMAL_NAMES: ReadonlySet<string> = new Set(['decimal', 'dec', 'numeric', 'fixed']);

const STRING_TYPES: Readonly<Record<string, { readonly fixed: boolean; readonly binary: boolean }>> = {
  varchar: { fixed: false, binary: false },
  'character varying': { fixed: false, binary: false },
  nvarchar: { fixed: false, binary: false },
  'national varchar': { fixed: false, binary: false },
  'national character varying': { fixed: false, binary: false },
  'nchar varchar': { fixed: false, binary: false },
  char: { fixed: true, binary: false },
  character: { fixed: true, binary: false },
  nchar: { fixed: true, binary: false },
  'national char': { fixed: true, binary: false },
  'national character': { fixed: true, binary: false },
  varbinary: { fixed: false, binary: true },
  binary: { fixed: true, binary: true },
};

type TextSize = 'tiny' | 'regular' | 'medium' | 'long';

const TEXT_TYPES: Readonly<Record<string, { readonly size: TextSize; readonly binary: boolean }>> = {
  tinytext: { size: 'tiny', binary: false },
  text: { size: 'regular', binary: false },
  mediumtext: { size: 'medium', binary: false },
  longtext: { size: 'long', binary: false },
  long: { size: 'medium', binary: false },
  'long varchar': { size: 'medium', binary: false },
  tinyblob: { size: 'tiny', binary: true },
  blob: { size: 'regular', binary: true },
  mediumblob: { size: 'medium', binary: true },
  longblob: { size: 'long', binary: true },
  'long varbinary': { size: 'medium', binary: true },
};

/** Byte limits of TINY/regular/MEDIUM text and blob; `text(n)` / `blob(n)` pick the smallest that fits, as the server does. */
const TEXT_LIMITS: readonly [TextSize, number][] = [
  ['tiny', 255],
  ['regular', 65_535],
  ['medium', 16_777_215],
];

/** Bytes per character assumed for `text(n)`: utf8mb4, the default of every database this tool creates. */
const TEXT_BYTES_PER_CHAR = 4;

/** `type(args) modifiers` once lower-cased, whitespace-collapsed and stripped of character-set clauses. */
const TYPE_SHAPE = /^([a-z][a-z0-9]*(?: [a-z][a-z0-9]*)*?)(?:\((\d+)(?:,(\d+))?\))?((?: (?:unsigned|signed|zerofill))*)$/;

/** The display widths MariaDB (and MySQL before 8.0.19) gives an integer type when none is stated, signed and unsigned. */
const DEFAULT_DISPLAY_WIDTHS: Readonly<Record<IntegerSize, readonly [number, number]>> = {
  tiny: [4, 3],
  small: [6, 5],
  medium: [9, 8],
  int: [11, 10],
  big: [20, 20],
};

/**
 * The display attributes of an integer column type as the catalog prints it (`int(9) unsigned zerofill`): a width
 * other than the type's default, and ZEROFILL; undefined when neither (see Column.display).
 */
export function mysqlIntegerDisplay(sql: string): IntegerDisplay | undefined {
  const type = parseMysqlType(sql);
  if (type.kind !== 'integer') return undefined;
  const match = TYPE_SHAPE.exec(canonicalTypeText(sql.trim()));
  const width = match?.[2] === undefined ? null : Number(match[2]);
  const zerofill = / zerofill\b/.test(match?.[4] ?? '');
  return integerDisplay(type.size, type.unsigned, width, zerofill);
}

/** The display attributes of an integer column, the default width counted as none; undefined when neither is left. */
export function integerDisplay(size: IntegerSize, unsigned: boolean, width: number | null, zerofill: boolean): IntegerDisplay | undefined {
  const stated = width === null || width === DEFAULT_DISPLAY_WIDTHS[size][unsigned ? 1 : 0] ? null : width;
  return stated === null && !zerofill ? undefined : { width: stated, zerofill };
}

/** Parses a MySQL/MariaDB column type. Exported for the introspector, which needs it before choosing a default rule. */
export function parseMysqlType(sql: string): ColumnType {
  const text = sql.trim();
  const list = /^(enum|set)\s*\(/i.exec(text);
  if (list) {
    const values = parseQuotedList(text, list[0].length);
    if (values === null) return { kind: 'raw', sql: canonicalTypeText(text) };
    return list[1]!.toLowerCase() === 'enum' ? { kind: 'enum', values, typeName: null } : { kind: 'set', values };
  }
  const canonical = canonicalTypeText(text);
  const match = TYPE_SHAPE.exec(canonical);
  if (!match) return { kind: 'raw', sql: canonical };
  const name = match[1]!;
  const first = match[2] === undefined ? null : Number(match[2]);
  const second = match[3] === undefined ? null : Number(match[3]);
  const modifiers = match[4] ?? '';
  // ZEROFILL is display-only (deprecated in MySQL 8) and always printed with UNSIGNED, which it implies: ignore it.
  const unsigned = / (unsigned|zerofill)\b/.test(modifiers);

  const size = INTEGER_SIZES[name];
  if (size !== undefined) {
    if (second !== null) return { kind: 'raw', sql: canonical };
    // MySQL's BOOL is a signed TINYINT(1); the display width is the only trace it leaves in the catalog.
    if (size === 'tiny' && first === 1 && !unsigned) return { kind: 'boolean' };
    return { kind: 'integer', size, unsigned };
  }
  if ((name === 'bool' || name === 'boolean') && first === null) return { kind: 'boolean' };
  if (DECIMAL_NAMES.has(name)) {
    // A bare DECIMAL is DECIMAL(10,0) and DECIMAL(p) is DECIMAL(p,0): spell all three the same.
    return { kind: 'decimal', precision: first ?? 10, scale: second ?? 0, unsigned };
  }
  if (name === 'float' || name === 'double' || name === 'double precision' || name === 'real') {
    // FLOAT(M,D) / DOUBLE(M,D) are deprecated fixed-scale forms the model cannot express: keep them raw.
    if (second !== null) return { kind: 'raw', sql: canonical.replace(/^(double precision|real)\b/, 'double') };
    // FLOAT(p) is single precision up to p = 24 and double above, which is how the server stores it.
    const single = name === 'float' && (first === null || first <= 24);
    return { kind: 'float', size: single ? 'single' : 'double', unsigned };
  }
  const stringType = STRING_TYPES[name];
  if (stringType !== undefined && second === null && modifiers === '') {
    // CHAR and BINARY without a length are one character long; VARCHAR without one is invalid, so unbounded.
    const length = first ?? (stringType.fixed ? 1 : null);
    return { kind: 'string', fixed: stringType.fixed, binary: stringType.binary, length };
  }
  const textType = TEXT_TYPES[name];
  if (textType !== undefined && second === null && modifiers === '') {
    if (first === null || (name !== 'text' && name !== 'blob')) return { kind: 'text', size: textType.size, binary: textType.binary };
    const bytes = textType.binary ? first : first * TEXT_BYTES_PER_CHAR;
    const fitting = TEXT_LIMITS.find(([, limit]) => bytes <= limit);
    return { kind: 'text', size: fitting ? fitting[0] : 'long', binary: textType.binary };
  }
  if ((name === 'datetime' || name === 'timestamp' || name === 'time') && second === null && modifiers === '') {
    // Precision 0 is the default: report it as null so `datetime` and `datetime(0)` compare equal.
    return { kind: 'temporal', name, precision: first === null || first === 0 ? null : first };
  }
  if (name === 'date' && first === null && modifiers === '') return { kind: 'temporal', name: 'date', precision: null };
  // YEAR(4) is the only YEAR left (YEAR(2) is converted on creation), and MariaDB prints the width anyway.
  if (name === 'year' && modifiers === '') return { kind: 'temporal', name: 'year', precision: null };
  if (name === 'json' && first === null && modifiers === '') return { kind: 'json', binary: false };
  if (name === 'uuid' && first === null && modifiers === '') return { kind: 'uuid' };
  if (name === 'vector' && second === null && modifiers === '') return { kind: 'vector', dimensions: first };
  // A bare BIT is BIT(1), which is how the catalog prints it.
  if (name === 'bit' && first === null) return { kind: 'raw', sql: `bit(1)${modifiers}` };
  return { kind: 'raw', sql: canonical };
}

/** Lower-cases a non-enum type, collapses whitespace and drops CHARACTER SET / COLLATE clauses (reported separately). */
function canonicalTypeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/ (?:character set|charset|collate) [a-z0-9_]+/g, '')
    .replace(/\s*([(),])\s*/g, '$1')
    .replace(/\)(?=[a-z])/g, ') ')
    .trim();
}

/** Parses `'a','b','it''s')` starting at `start`; null when the text is not a well-formed list of quoted strings. */
function parseQuotedList(text: string, start: number): string[] | null {
  const values: string[] = [];
  let i = skipSpaces(text, start);
  if (text[i] === ')') return values;
  for (;;) {
    if (text[i] !== "'") return null;
    const end = scanQuoted(text, i);
    if (end < 0) return null;
    values.push(unescapeMysqlString(text.slice(i + 1, end - 1)));
    i = skipSpaces(text, end);
    if (text[i] === ')') return values;
    if (text[i] !== ',') return null;
    i = skipSpaces(text, i + 1);
  }
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** Index just past the quoted string opening at `start` (either quote char), honouring doubled quotes and backslashes; -1 if unterminated. */
function scanQuoted(text: string, start: number): number {
  const quote = text[start]!;
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && quote !== '`') {
      i += 2;
    } else if (ch === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return -1;
}

const BACKSLASH_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
};

/** The value of a single-quoted SQL string body: `''` and the backslash escapes MariaDB prints (`\\`, `\n`, `\0`…). */
export function unescapeMysqlString(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "'" && body[i + 1] === "'") {
      out += "'";
      i++;
    } else if (ch === '\\' && i + 1 < body.length) {
      const next = body[++i]!;
      // `\%` and `\_` keep their backslash: MySQL defines them that way so LIKE patterns survive.
      if (next === '%' || next === '_') out += `\\${next}`;
      else out += BACKSLASH_ESCAPES[next] ?? next;
    } else {
      out += ch;
    }
  }
  return out;
}

/** A value as a canonical single-quoted literal: `'` doubled and control characters escaped as MariaDB prints them. */
export function quoteMysqlString(value: string): string {
  const body = value.replace(/[\\'\n\r\t\0]/g, (ch) => {
    switch (ch) {
      case "'":
        return "''";
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\0':
        return '\\0';
      default:
        return '\\\\';
    }
  });
  return `'${body}'`;
}

/** An identifier quoted the way MySQL prints it in expressions: backticks, with inner backticks doubled. */
export function quoteMysqlIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** True for text the server would read as a plain number (`0`, `-1.50`, `.5`, `1e3`, zero-filled `0005`). */
export function isMysqlNumber(text: string): boolean {
  const match = NUMBER.exec(text.trim());
  return match !== null && (match[2] !== '' || (match[3] ?? '') !== '');
}

/**
 * Canonical text for a number: no `+`, no leading zeros (ZEROFILL prints `0000000005`), exponents expanded. The
 * fractional digits are kept as written because the server prints DECIMAL defaults with the column's scale (`1.50`)
 * and TypeORM prints them with `toFixed(scale)`, so both sides already agree on them.
 */
export function canonicalMysqlNumber(text: string): string {
  const match = NUMBER.exec(text.trim());
  if (!match) return text.trim();
  let integer = match[2] ?? '';
  let fraction = match[3] ?? '';
  const exponent = match[4] === undefined ? 0 : Number(match[4]);
  if (exponent !== 0) {
    const digits = integer + fraction;
    const point = integer.length + exponent;
    if (point <= 0) {
      integer = '';
      fraction = '0'.repeat(-point) + digits;
    } else if (point >= digits.length) {
      integer = digits + '0'.repeat(point - digits.length);
      fraction = '';
    } else {
      integer = digits.slice(0, point);
      fraction = digits.slice(point);
    }
    // An exponent carries no scale, so trailing zeros are noise (the server prints 1.5e-7 as 0.00000015).
    fraction = fraction.replace(/0+$/, '');
  }
  integer = integer.replace(/^0+/, '') || '0';
  const body = fraction === '' ? integer : `${integer}.${fraction}`;
  return match[1] === '-' && /[1-9]/.test(body) ? `-${body}` : body;
}

/** Time functions the server treats as one: all of them print as `current_timestamp()` / `current_timestamp(6)`. */
const NOW_FUNCTIONS = /\b(?:current_timestamp|localtimestamp|localtime)\b(?:\s*\(\s*(\d*)\s*\))?|\bnow\s*\(\s*(\d*)\s*\)/g;
const DATE_FUNCTIONS = /\bcurrent_date\b(?:\s*\(\s*\))?|\bcurdate\s*\(\s*\)/g;
const TIME_FUNCTIONS = /\bcurrent_time\b(?:\s*\(\s*(\d*)\s*\))?|\bcurtime\s*\(\s*(\d*)\s*\)/g;

function withPrecision(name: string, digits: string | undefined): string {
  return digits === undefined || digits === '' || Number(digits) === 0 ? `${name}()` : `${name}(${Number(digits)})`;
}

/** Canonicalises the unquoted parts of an expression: lower case, one space, no space inside parentheses or around commas. */
function canonicalCode(code: string): string {
  return code
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\(\s/g, '(')
    .replace(/\s\)/g, ')')
    .replace(/\s?,\s?/g, ',')
    .replace(NOW_FUNCTIONS, (_all, a: string | undefined, b: string | undefined) => withPrecision('current_timestamp', a ?? b))
    .replace(DATE_FUNCTIONS, 'curdate()')
    .replace(TIME_FUNCTIONS, (_all, a: string | undefined, b: string | undefined) => withPrecision('curtime', a ?? b));
}

/**
 * Canonical SQL for an expression (defaults, CHECK clauses): lower case outside quotes, whitespace collapsed, string
 * literals re-quoted one way (`'it\'s'` and `'it''s'` agree), charset introducers (`_utf8mb4'x'`) dropped, redundant
 * outer parentheses removed and every spelling of "now" turned into `current_timestamp()`. Identifiers keep their case.
 */
export function canonicalMysqlExpression(sql: string): string {
  const text = sql.trim();
  let out = '';
  let code = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = scanQuoted(text, i);
      if (end < 0) {
        code += text.slice(i);
        break;
      }
      const quoted = text.slice(i, end);
      if (ch === '`') {
        out += canonicalCode(code) + quoted;
      } else {
        // A charset introducer only says how to read the bytes of the literal that follows; it is not part of the value.
        out += canonicalCode(code.replace(/(^|[^\w$])_[a-z0-9]+\s*$/i, '$1')) + quoteMysqlString(unescapeMysqlString(quoted.slice(1, -1).replace(/""/g, '"')));
      }
      code = '';
      i = end;
    } else {
      code += ch;
      i++;
    }
  }
  out = (out + canonicalCode(code)).trim();
  return stripOuterParentheses(out);
}

/** Removes parentheses that wrap the whole expression (MySQL 8 prints `(expr)`, MariaDB prints `expr`). */
function stripOuterParentheses(text: string): string {
  let current = text;
  while (current.startsWith('(') && closingParenthesis(current, 0) === current.length - 1) current = current.slice(1, -1).trim();
  return current;
}

/** Index of the parenthesis closing the one at `open`, skipping quoted text; -1 when unbalanced. */
function closingParenthesis(text: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = scanQuoted(text, i);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')' && --depth === 0) return i;
    i++;
  }
  return -1;
}

/** The value of `text` when it is exactly one single-quoted string literal, else null. */
function singleQuotedValue(text: string): string | null {
  if (!text.startsWith("'")) return null;
  const end = scanQuoted(text, 0);
  return end === text.length ? unescapeMysqlString(text.slice(1, -1)) : null;
}

/**
 * Parses a default as MariaDB (`'abc'`, `0`, `NULL`, `current_timestamp()`) or TypeORM (`'abc'`, `CURRENT_TIMESTAMP(6)`,
 * `now()`) prints it. MySQL 8's unquoted literals are told apart from expressions by the introspector, not here.
 */
export function parseMysqlDefault(sql: string | null | undefined): ColumnDefault | null {
  if (sql === null || sql === undefined) return null;
  const text = sql.trim();
  // MariaDB prints the bare word NULL for "no default"; a quoted 'NULL' is the four-letter string and stays a literal.
  if (text === '' || /^null$/i.test(text)) return null;
  const literal = singleQuotedValue(text);
  if (literal !== null) return { kind: 'literal', value: literal };
  if (isMysqlNumber(text)) return { kind: 'literal', value: canonicalMysqlNumber(text) };
  const expression = canonicalMysqlExpression(text);
  // `('abc')`, `(1)` and `_utf8mb4'abc'` are literals once their wrapping is gone; TRUE/FALSE are the numbers 1/0.
  const unwrapped = singleQuotedValue(expression);
  if (unwrapped !== null) return { kind: 'literal', value: unwrapped };
  if (isMysqlNumber(expression)) return { kind: 'literal', value: canonicalMysqlNumber(expression) };
  if (expression === 'true' || expression === 'false') return { kind: 'literal', value: expression === 'true' ? '1' : '0' };
  if (expression === 'null') return null;
  return { kind: 'expression', sql: expression };
}

/** Builds the type system for one of the two MySQL dialects; they share every rule and differ only in the name. */
export function createMysqlTypes(dialect: Extract<Dialect, 'mysql' | 'mariadb'>): DialectTypeSystem {
  return { dialect, parseType: parseMysqlType, parseDefault: parseMysqlDefault, parseStatedString: (value) => parseMysqlDefault(quoteMysqlString(value)) };
}

/** The MySQL 8 type system. */
export const mysqlTypes: DialectTypeSystem = createMysqlTypes('mysql');

/** The MariaDB type system (same parser as MySQL; the catalog differences are absorbed by the introspector). */
export const mariadbTypes: DialectTypeSystem = createMysqlTypes('mariadb');
