import type { Change, ColumnFill, TableRef } from './change';
import type { Column, ColumnType } from '../model/schema';
import { tableKey } from '../model/schema';
import { SchemaSyncError } from '../util/errors';
import { assertNever } from '../util/assert-never';

/** A `--fill table.column=value` the user gave: the value existing rows get when that column is added NOT NULL. */
export interface FillHint {
  /** `table` or `schema.table`. */
  readonly table: string;
  readonly column: string;
  readonly value: string;
}

/** Parses `--fill table.column=value` (the value may itself hold `=`; the table may be schema-qualified). */
export function parseFillHint(text: string): FillHint {
  const equals = text.indexOf('=');
  const target = equals < 0 ? '' : text.slice(0, equals).trim();
  const dot = target.lastIndexOf('.');
  if (equals < 0 || dot <= 0 || dot === target.length - 1) {
    throw new SchemaSyncError('BAD_ARGUMENT', `--fill ${text}: expected table.column=value`);
  }
  return { table: target.slice(0, dot), column: target.slice(dot + 1), value: text.slice(equals + 1) };
}

/**
 * Whether adding the column fails on a table that has rows: NOT NULL, and nothing the server can put in the existing
 * rows (no default, no generation, not computed).
 */
export function needsFill(column: Column): boolean {
  return !column.nullable && column.default === null && column.generation === null && column.computed === undefined;
}

/**
 * A value every column of the type accepts and that means "nothing" as far as one exists (0, '', false, the epoch,
 * an enum's first label); null for types that have none the tool can name (vectors of unknown size, raw types).
 */
export function neutralValue(type: ColumnType): string | null {
  switch (type.kind) {
    case 'integer':
    case 'decimal':
    case 'float':
      return '0';
    case 'boolean':
      return 'false';
    case 'string':
    case 'text':
      return '';
    case 'temporal':
      return NEUTRAL_TIME[type.name];
    case 'json':
      return '{}';
    case 'uuid':
      return '00000000-0000-0000-0000-000000000000';
    case 'enum':
      return type.values[0] ?? null;
    case 'set':
      return '';
    case 'array':
      return '{}';
    case 'vector':
      return type.dimensions === null ? null : `[${new Array<string>(type.dimensions).fill('0').join(',')}]`;
    case 'raw':
      return null;
    default:
      return assertNever(type, 'column type');
  }
}

/**
 * Not the epoch: a MySQL TIMESTAMP starts one second after it in UTC, and earlier still in the session's time zone
 * east of Greenwich. 2000-01-01 fits every temporal type of both families in any zone.
 */
const NEUTRAL_TIME = {
  timestamp: '2000-01-01 00:00:00',
  timestamptz: '2000-01-01 00:00:00+00',
  datetime: '2000-01-01 00:00:00',
  date: '2000-01-01',
  time: '00:00:00',
  timetz: '00:00:00+00',
  interval: '0',
  year: '2000',
} as const;

/**
 * Gives each add_column that needs a fill (on a table that exists before it, not one created in the same list) the
 * user's value for it, or, when `neutral` (a rollback re-adding a dropped column), the type's neutral value.
 * `used` collects the hints that matched, so a hint that matches nothing can be reported.
 */
export function attachFills(changes: readonly Change[], hints: readonly FillHint[], neutral: boolean, used: Set<FillHint>): Change[] {
  const created = new Set(changes.flatMap((change) => (change.kind === 'create_table' ? [tableKey(change.table)] : [])));
  return changes.map((change) => {
    if (change.kind !== 'add_column' || change.fill !== undefined || !needsFill(change.column) || created.has(tableKey(change.table))) return change;
    const fill = fillFor(change.table, change.column, hints, neutral, used);
    return fill === null ? change : { ...change, fill };
  });
}

function fillFor(table: TableRef, column: Column, hints: readonly FillHint[], neutral: boolean, used: Set<FillHint>): ColumnFill | null {
  const hint = hints.find((h) => h.table === tableKey(table) && h.column === column.name);
  if (hint !== undefined) {
    used.add(hint);
    return { value: hint.value, chosenBy: 'user' };
  }
  const value = neutral ? neutralValue(column.type) : null;
  return value === null ? null : { value, chosenBy: 'schema-sync' };
}

/**
 * The changes that add a filled column: the column with its fill as default, so the server writes it into every
 * existing row in the same statement, then the default dropped again. One statement adds the column complete (no
 * window with NULLs, nothing half-done if the process dies between), and on PostgreSQL 11+ and MariaDB 10.3+ a
 * constant default is stored once instead of rewriting the table as an UPDATE would.
 */
export function filledColumnSteps(change: Extract<Change, { kind: 'add_column' }>): Change[] {
  const { fill, ...plain } = change;
  if (fill === undefined || !needsFill(change.column)) return [plain];
  const withDefault: Column = { ...change.column, default: { kind: 'literal', value: fill.value } };
  return [
    { kind: 'add_column', table: change.table, column: withDefault },
    { kind: 'alter_column', table: change.table, from: withDefault, to: change.column, changed: ['default'] },
  ];
}
