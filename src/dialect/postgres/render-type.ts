import type { ColumnDefault, ColumnType } from '../../model/schema';
import { assertNever } from '../../util/assert-never';
import { SchemaSyncError } from '../../util/errors';
import { quotePostgresLiteral, quotePostgresTypeKey } from './quote';

/*
 * Types and defaults as PostgreSQL DDL. Every spelling is one that src/dialect/postgres/types.ts parses back to the
 * same structured type (the unit tests check the round trip), so a rendered schema introspects as itself.
 */

const INTEGER_NAMES = { small: 'smallint', int: 'integer', big: 'bigint' } as const;

/** The SQL spelling of a type; `culprit` (table.column) goes into the error for a type PostgreSQL lacks. */
export function renderPostgresType(type: ColumnType, culprit = 'a column'): string {
  const unsupported = (what: string): never => {
    throw new SchemaSyncError('UNSUPPORTED', `PostgreSQL has no ${what} type (${culprit})`);
  };
  switch (type.kind) {
    case 'integer': {
      if (type.unsigned) return unsupported('unsigned integer');
      if (type.size === 'tiny' || type.size === 'medium') return unsupported(`${type.size}int`);
      return INTEGER_NAMES[type.size];
    }
    case 'boolean':
      return 'boolean';
    case 'decimal':
      if (type.unsigned) return unsupported('unsigned decimal');
      if (type.precision === null) return type.scale === null ? 'numeric' : unsupported('numeric with a scale but no precision');
      return `numeric(${type.precision},${type.scale ?? 0})`;
    case 'float':
      if (type.unsigned) return unsupported('unsigned float');
      return type.size === 'single' ? 'real' : 'double precision';
    case 'string':
      if (type.binary) return unsupported('length-limited binary string');
      if (type.fixed) return type.length === null ? 'bpchar' : `char(${type.length})`;
      return type.length === null ? 'varchar' : `varchar(${type.length})`;
    case 'text':
      // tinytext/mediumtext/longtext are MySQL's; PostgreSQL's text and bytea are unbounded.
      if (type.size !== 'regular') return unsupported(`${type.size}${type.binary ? 'blob' : 'text'}`);
      return type.binary ? 'bytea' : 'text';
    case 'temporal':
      return renderTemporal(type.name, type.precision, unsupported);
    case 'json':
      return type.binary ? 'jsonb' : 'json';
    case 'uuid':
      return 'uuid';
    case 'enum':
      // PostgreSQL enums are named types; an inline MySQL-style enum has to become a create_enum first.
      return type.typeName === null ? unsupported('inline enum') : quotePostgresTypeKey(type.typeName);
    case 'set':
      return unsupported('set');
    case 'vector':
      return type.dimensions === null ? 'vector' : `vector(${type.dimensions})`;
    case 'array':
      // PostgreSQL does not distinguish int[] from int[][]: a nested array type cannot be expressed, only its base.
      if (type.element.kind === 'array') return unsupported('nested array');
      return `${renderPostgresType(type.element, culprit)}[]`;
    case 'raw':
      return type.sql;
    default:
      return assertNever(type, 'column type');
  }
}

function renderTemporal(name: Extract<ColumnType, { kind: 'temporal' }>['name'], precision: number | null, unsupported: (what: string) => never): string {
  const p = precision === null ? '' : `(${precision})`;
  switch (name) {
    case 'timestamp':
      return `timestamp${p}`;
    case 'timestamptz':
      // format_type's spelling, the one the catalog prints back.
      return `timestamp${p} with time zone`;
    case 'time':
      return `time${p}`;
    case 'timetz':
      return `time${p} with time zone`;
    case 'interval':
      return `interval${p}`;
    case 'date':
      return precision === null ? 'date' : unsupported('date with a precision');
    case 'datetime':
    case 'year':
      return unsupported(name);
    default:
      return assertNever(name, 'temporal type');
  }
}

const WHOLE_NUMBER = /^[+-]?\d+$/;
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const TRUE_WORDS: ReadonlySet<string> = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', 'f', 'no', 'n', 'off', '0']);

/**
 * A default as SQL: expressions as they are; literals quoted, except numbers on numeric columns and booleans, which
 * PostgreSQL stores bare (a quoted number would come back as `'5'::integer`, which parses the same but reads worse).
 */
export function renderPostgresDefault(value: ColumnDefault, type: ColumnType): string {
  if (value.kind === 'expression') return value.sql;
  const literal = value.value;
  const numeric = type.kind === 'integer' || type.kind === 'decimal' || type.kind === 'float';
  // On real and double precision a bare 3.5 stays bare in the catalog while TypeORM writes and expects '3.5'::double
  // precision (it re-quotes only whole numbers it reads back), so a fraction is quoted there; the server stores both alike.
  const bare = type.kind === 'float' ? WHOLE_NUMBER : PLAIN_NUMBER;
  if (numeric && bare.test(literal.trim())) return literal.trim();
  if (type.kind === 'boolean') {
    const word = literal.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return 'true';
    if (FALSE_WORDS.has(word)) return 'false';
  }
  return quotePostgresLiteral(literal);
}
