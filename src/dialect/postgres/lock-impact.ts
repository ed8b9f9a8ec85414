import type { Change, ColumnAspect } from '../../change/change';
import type { Column, ColumnDefault, ColumnType, Table } from '../../model/schema';
import { assertNever } from '../../util/assert-never';
import { atLeast, worseRewrite, type LockContext, type LockImpact, type TableRewrite } from '../lock-impact';

/** PostgreSQL's table lock levels, weakest first (the order of the conflict table in the manual). */
export const POSTGRES_LOCK_LEVELS = [
  'none',
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;

/** One PostgreSQL lock level. */
export type PostgresLockLevel = (typeof POSTGRES_LOCK_LEVELS)[number];

const rank = (level: PostgresLockLevel): number => POSTGRES_LOCK_LEVELS.indexOf(level);

/** A step of a change: the lock it takes and what it reads or writes while holding it. */
interface Step {
  readonly level: PostgresLockLevel;
  readonly rewrite: TableRewrite;
  readonly note?: string;
}

const step = (level: PostgresLockLevel, rewrite: TableRewrite = 'none', note?: string): Step => (note === undefined ? { level, rewrite } : { level, rewrite, note });

/**
 * The lock and rewrite facts of one change on PostgreSQL (checked on PostgreSQL 15 by lock-impact.postgres.test.ts:
 * the locks a statement holds in pg_locks, a rewrite by the table's relfilenode, a scan by pg_stat_xact_user_tables).
 */
export function postgresLockImpact(change: Change, context: LockContext): LockImpact {
  return combine(stepsOf(change, context));
}

/** The strongest lock of the steps, and whether any scan or rewrite runs under a lock that stops writers. */
function combine(steps: readonly Step[]): LockImpact {
  const strongest = steps.reduce<PostgresLockLevel>((level, s) => (rank(s.level) > rank(level) ? s.level : level), 'none');
  const rewrite = steps.reduce<TableRewrite>((worst, s) => worseRewrite(worst, s.rewrite), 'none');
  const notes = steps.flatMap((s) => (s.note === undefined ? [] : [s.note]));
  return {
    lock: strongest,
    blocksWrites: blocksWrites(strongest),
    blocksReads: strongest === 'ACCESS EXCLUSIVE',
    rewrite,
    blocking: steps.some((s) => s.rewrite !== 'none' && blocksWrites(s.level)),
    ...(notes.length === 0 ? {} : { note: [...new Set(notes)].join('; ') }),
  };
}

/** SHARE and stronger conflict with ROW EXCLUSIVE, the lock INSERT, UPDATE and DELETE take. */
function blocksWrites(level: PostgresLockLevel): boolean {
  return rank(level) >= rank('SHARE');
}

function stepsOf(change: Change, context: LockContext): Step[] {
  // The online forms are written for tables that exist before the migration (see postgresOnlineForm).
  const online = context.online && context.table !== undefined && context.newTable !== true;
  switch (change.kind) {
    case 'create_table':
      return [step('none', 'none', 'new table')];
    case 'create_enum':
    case 'drop_enum':
      return [step('none')];
    case 'alter_enum':
      return [step('none', 'none', 'values are added in place; a removed or moved value recreates the type and rewrites every table that uses it')];
    case 'drop_table':
    case 'rename_table':
    case 'drop_column':
    case 'rename_column':
    case 'rename_unique':
    case 'rename_foreign_key':
    case 'drop_unique':
    case 'drop_check':
    case 'drop_exclusion':
      return [step('ACCESS EXCLUSIVE')];
    case 'drop_foreign_key':
      return [step('ACCESS EXCLUSIVE', 'none', 'the referenced table is locked ACCESS EXCLUSIVE too')];
    case 'add_column':
      return [addColumnStep(change.column, context)];
    case 'alter_column':
      return alterColumnSteps(change.from, change.to, change.changed, context);
    case 'alter_primary_key':
      return change.to === null ? [step('ACCESS EXCLUSIVE')] : [step('ACCESS EXCLUSIVE', 'scan', 'builds the key index')];
    case 'create_index':
      return online ? [step('SHARE UPDATE EXCLUSIVE', 'scan', 'CONCURRENTLY: two scans, writes go on')] : [step('SHARE', 'scan')];
    case 'drop_index':
      return [online ? step('SHARE UPDATE EXCLUSIVE', 'none', 'CONCURRENTLY') : step('ACCESS EXCLUSIVE')];
    case 'rename_index':
      // PostgreSQL 12 lowered ALTER INDEX … RENAME to SHARE UPDATE EXCLUSIVE on the index.
      return [atLeast(context.version, 12) ? step('SHARE UPDATE EXCLUSIVE') : step('ACCESS EXCLUSIVE')];
    case 'add_unique':
      return online
        ? [step('SHARE UPDATE EXCLUSIVE', 'scan', 'CREATE UNIQUE INDEX CONCURRENTLY: two scans, writes go on'), step('ACCESS EXCLUSIVE', 'none', 'then UNIQUE USING INDEX: a catalog change, no scan')]
        : [step('ACCESS EXCLUSIVE', 'scan', 'builds the constraint index')];
    case 'add_exclusion':
      return [step('ACCESS EXCLUSIVE', 'scan', 'builds the constraint index')];
    case 'add_foreign_key':
      return online
        ? [step('SHARE ROW EXCLUSIVE', 'none', 'NOT VALID, then VALIDATE under SHARE UPDATE EXCLUSIVE'), step('SHARE UPDATE EXCLUSIVE', 'scan')]
        : [step('SHARE ROW EXCLUSIVE', 'scan', 'the referenced table is locked SHARE ROW EXCLUSIVE too')];
    case 'add_check':
      return online
        ? [step('ACCESS EXCLUSIVE', 'none', 'NOT VALID, then VALIDATE under SHARE UPDATE EXCLUSIVE'), step('SHARE UPDATE EXCLUSIVE', 'scan')]
        : [step('ACCESS EXCLUSIVE', 'scan')];
    case 'alter_table_comment':
      return [step('SHARE UPDATE EXCLUSIVE')];
    case 'create_view':
      return [step('none', 'none', change.view.materialized ? 'new materialized view: reads the tables it selects from' : 'new view')];
    case 'drop_view':
    case 'replace_view':
      return [step('ACCESS EXCLUSIVE', 'none', 'on the view, not on the tables it reads')];
    case 'add_orm_record':
    case 'remove_orm_record':
      return [step('ROW EXCLUSIVE', 'none', "a row of the ORM's metadata table")];
    case 'copy_column':
      return [step('ROW EXCLUSIVE', 'scan', 'UPDATE in batches along the primary key: row locks on one batch at a time')];
    case 'create_sync_trigger':
    case 'drop_sync_trigger':
      return [step('SHARE ROW EXCLUSIVE', 'none', 'brief: the trigger only')];
    default:
      return assertNever(change);
  }
}

/**
 * ADD COLUMN rewrites the table when every existing row needs its own value: a volatile default (PostgreSQL 11 and
 * later store a non-volatile one once, in the catalog; before 11 any default rewrote), a serial or identity column, or
 * a stored generated column.
 */
function addColumnStep(column: Column, context: LockContext): Step {
  if (column.computed !== undefined) return step('ACCESS EXCLUSIVE', 'rewrite', 'a stored generated column is computed for every row');
  if (column.generation !== null) return step('ACCESS EXCLUSIVE', 'rewrite', 'a serial or identity column takes a value per row');
  if (column.default === null) return step('ACCESS EXCLUSIVE');
  if (!atLeast(context.version, 11)) return step('ACCESS EXCLUSIVE', 'rewrite', 'before PostgreSQL 11 any default rewrites the table');
  return isVolatileDefault(column.default)
    ? step('ACCESS EXCLUSIVE', 'rewrite', `the default ${column.default.kind === 'expression' ? column.default.sql : ''} is volatile: a value per row`)
    : step('ACCESS EXCLUSIVE');
}

/**
 * Default expressions PostgreSQL evaluates once per statement or transaction (stable) or that are constants: the
 * catalog keeps them and no row is touched. Anything else is taken as volatile, so an unknown function is never
 * claimed to be free.
 */
const NON_VOLATILE_EXPRESSIONS =
  /^(?:now\(\)|current_timestamp(?:\(\d\))?|current_date|current_time(?:\(\d\))?|localtimestamp(?:\(\d\))?|localtime(?:\(\d\))?|transaction_timestamp\(\)|statement_timestamp\(\)|-?\d+(?:\.\d+)?|true|false|null|'(?:[^']|'')*')(?:::[a-z0-9_ ]+(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?)*$/i;

/** True when ADD COLUMN with this default needs a value per row. */
export function isVolatileDefault(value: ColumnDefault): boolean {
  return value.kind === 'expression' && !NON_VOLATILE_EXPRESSIONS.test(value.sql.trim());
}

function alterColumnSteps(from: Column, to: Column, changed: readonly ColumnAspect[], context: LockContext): Step[] {
  if (changed.includes('computed')) return [step('ACCESS EXCLUSIVE', 'rewrite', 'the generated column is dropped and added again')];
  return changed.flatMap((aspect): Step | Step[] => {
    switch (aspect) {
      case 'type':
        return typeChangeStep(from, to, context);
      case 'collation':
        return isIndexed(context.table, to.name)
          ? step('ACCESS EXCLUSIVE', 'scan', 'indexes on the column are rebuilt')
          : step('ACCESS EXCLUSIVE');
      case 'nullable':
        return to.nullable ? step('ACCESS EXCLUSIVE') : setNotNullSteps(to.name, context);
      case 'default':
      case 'generation':
        return step('ACCESS EXCLUSIVE');
      case 'comment':
        return step('SHARE UPDATE EXCLUSIVE');
      case 'charset':
      case 'onUpdate':
      case 'computed':
        return step('none');
      default:
        return assertNever(aspect);
    }
  });
}

/** A type change rewrites the table unless the old values are valid as they are (binary coercible). */
function typeChangeStep(from: Column, to: Column, context: LockContext): Step {
  if (keepsStoredValues(from.type, to.type)) return step('ACCESS EXCLUSIVE', 'none', 'the stored values fit the new type as they are');
  return step('ACCESS EXCLUSIVE', 'rewrite', isIndexed(context.table, to.name) ? 'the table and its indexes on the column are rebuilt' : undefined);
}

/**
 * SET NOT NULL reads every row, unless (PostgreSQL 12 and later) a validated CHECK (column IS NOT NULL) already
 * proves it. The online form adds that check NOT VALID and validates it (a scan under SHARE UPDATE EXCLUSIVE) first.
 */
function setNotNullSteps(column: string, context: LockContext): Step[] {
  if (atLeast(context.version, 12) && hasNotNullCheck(context.table, column)) {
    return [step('ACCESS EXCLUSIVE', 'none', 'a validated CHECK (… IS NOT NULL) spares the scan')];
  }
  if (atLeast(context.version, 12) && context.online && context.table !== undefined && context.newTable !== true) {
    return [step('ACCESS EXCLUSIVE', 'none', 'through CHECK (… IS NOT NULL) NOT VALID, VALIDATE under SHARE UPDATE EXCLUSIVE, then SET NOT NULL without a scan'), step('SHARE UPDATE EXCLUSIVE', 'scan')];
  }
  return [step('ACCESS EXCLUSIVE', 'scan', 'every row is checked for NULL')];
}

function hasNotNullCheck(table: Table | undefined, column: string): boolean {
  const pattern = new RegExp(`^\\(*"?${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s+is\\s+not\\s+null\\)*$`, 'i');
  return table?.checks.some((check) => pattern.test(check.expression.trim())) ?? false;
}

/**
 * Type pairs PostgreSQL changes in the catalog only: a longer or unbounded varchar, varchar to text, a numeric with
 * more precision and the same scale, a timestamp or time with more fractional digits. timestamp to timestamptz is
 * not here: it keeps the values only when the session's TimeZone is UTC.
 */
export function keepsStoredValues(from: ColumnType, to: ColumnType): boolean {
  if (from.kind === 'string' && !from.fixed && !from.binary) {
    if (to.kind === 'text' && !to.binary) return true;
    return to.kind === 'string' && !to.fixed && !to.binary && (to.length === null || (from.length !== null && to.length >= from.length));
  }
  if (from.kind === 'text' && !from.binary) return to.kind === 'string' && !to.fixed && !to.binary && to.length === null;
  if (from.kind === 'decimal' && to.kind === 'decimal') {
    if (to.precision === null) return true;
    return from.precision !== null && from.scale === to.scale && to.precision >= from.precision;
  }
  if (from.kind === 'temporal' && to.kind === 'temporal' && from.name === to.name && ['timestamp', 'timestamptz', 'time', 'timetz'].includes(from.name)) {
    return to.precision === null || (from.precision !== null && to.precision >= from.precision);
  }
  return false;
}

/** True when an index, unique constraint or the primary key of `table` covers the column. */
function isIndexed(table: Table | undefined, column: string): boolean {
  if (table === undefined) return false;
  return (
    table.indexes.some((index) => index.columns.includes(column) || (index.include ?? []).includes(column)) ||
    table.uniques.some((unique) => unique.columns.includes(column)) ||
    (table.primaryKey?.columns.includes(column) ?? false)
  );
}
