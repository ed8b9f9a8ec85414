import type { ColumnDefault, ColumnType } from '../../model/schema';
import { assertNever } from '../../util/assert-never';
import { SchemaSyncError } from '../../util/errors';
import { quoteMysqlLiteral } from './quote';

/*
 * Types and defaults as MySQL/MariaDB DDL, spelled so that src/dialect/mysql/types.ts parses them back to the same
 * structured type (the unit tests check the round trip) and so that both servers accept them.
 */

const INTEGER_NAMES = { tiny: 'tinyint', small: 'smallint', medium: 'mediumint', int: 'int', big: 'bigint' } as const;
const TEXT_PREFIXES = { tiny: 'tiny', regular: '', medium: 'medium', long: 'long' } as const;

/** The SQL spelling of a type; `culprit` (table.column) goes into the error for a type MySQL lacks. */
export function renderMysqlType(type: ColumnType, culprit = 'a column'): string {
  const unsupported = (what: string): never => {
    throw new SchemaSyncError('UNSUPPORTED', `MySQL and MariaDB have no ${what} type (${culprit})`);
  };
  const sign = 'unsigned' in type && type.unsigned ? ' unsigned' : '';
  switch (type.kind) {
    case 'integer':
      return `${INTEGER_NAMES[type.size]}${sign}`;
    case 'boolean':
      // BOOLEAN is a synonym the catalog prints as tinyint(1); the width is what marks it as a boolean.
      return 'tinyint(1)';
    case 'decimal':
      if (type.precision === null) return type.scale === null ? `decimal${sign}` : unsupported('decimal with a scale but no precision');
      return `decimal(${type.precision},${type.scale ?? 0})${sign}`;
    case 'float':
      return `${type.size === 'single' ? 'float' : 'double'}${sign}`;
    case 'string': {
      const name = type.binary ? (type.fixed ? 'binary' : 'varbinary') : type.fixed ? 'char' : 'varchar';
      if (type.length === null) return type.fixed ? name : unsupported(`${name} without a length`);
      return `${name}(${type.length})`;
    }
    case 'text':
      return `${TEXT_PREFIXES[type.size]}${type.binary ? 'blob' : 'text'}`;
    case 'temporal':
      return renderTemporal(type.name, type.precision, unsupported);
    case 'json':
      // MariaDB turns json into longtext with a json_valid() check, which the introspector reads back as json.
      return type.binary ? unsupported('binary json (jsonb)') : 'json';
    case 'uuid':
      // A native type from MariaDB 10.7; MySQL 8 has none and rejects it.
      return 'uuid';
    case 'enum':
      return `enum(${type.values.map(quoteMysqlLiteral).join(',')})`;
    case 'set':
      return `set(${type.values.map(quoteMysqlLiteral).join(',')})`;
    case 'vector':
      return type.dimensions === null ? 'vector' : `vector(${type.dimensions})`;
    case 'array':
      return unsupported('array');
    case 'raw':
      return type.sql;
    default:
      return assertNever(type, 'column type');
  }
}

function renderTemporal(name: Extract<ColumnType, { kind: 'temporal' }>['name'], precision: number | null, unsupported: (what: string) => never): string {
  const p = precision === null ? '' : `(${precision})`;
  switch (name) {
    case 'datetime':
    case 'timestamp':
    case 'time':
      return `${name}${p}`;
    case 'date':
    case 'year':
      return precision === null ? name : unsupported(`${name} with a precision`);
    case 'timestamptz':
    case 'timetz':
    case 'interval':
      return unsupported(name);
    default:
      return assertNever(name, 'temporal type');
  }
}

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const TRUE_WORDS: ReadonlySet<string> = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', 'f', 'no', 'n', 'off', '0']);
/** The time functions MySQL 8 accepts as a default without parentheses. */
const BARE_TIME_DEFAULT = /^(?:current_timestamp|now|localtime|localtimestamp)(?:\(\d*\))?$/i;

/**
 * A default as SQL. Numbers on numeric columns are bare and booleans are 1/0 (a tinyint(1) underneath); other
 * literals are quoted, and on text, blob and json columns wrapped in parentheses: MySQL 8 only accepts an expression
 * default there, while MariaDB folds `('x')` back into the literal 'x'. Expressions other than the current-time
 * functions are parenthesised for the same reason (MySQL 8 requires it, MariaDB stores the bare expression).
 */
export function renderMysqlDefault(value: ColumnDefault, type: ColumnType): string {
  if (value.kind === 'expression') {
    const sql = value.sql.trim();
    return BARE_TIME_DEFAULT.test(sql) ? sql : `(${sql})`;
  }
  const literal = value.value.trim();
  const numeric = type.kind === 'integer' || type.kind === 'decimal' || type.kind === 'float';
  if (numeric && PLAIN_NUMBER.test(literal)) return literal;
  if (type.kind === 'boolean' || (type.kind === 'integer' && (literal === 'true' || literal === 'false'))) {
    const word = literal.toLowerCase();
    if (TRUE_WORDS.has(word)) return '1';
    if (FALSE_WORDS.has(word)) return '0';
  }
  const quoted = quoteMysqlLiteral(value.value);
  return type.kind === 'text' || type.kind === 'json' ? `(${quoted})` : quoted;
}
