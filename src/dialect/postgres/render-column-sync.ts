import type { Change } from '../../change/change';
import type { BatchedCopySql } from '../sql-dialect';
import { quotePostgresIdentifier as q, quotePostgresQualified, quotePostgresTable } from './quote';

type Copy = Extract<Change, { kind: 'copy_column' }>;
type SyncTrigger = Extract<Change, { kind: 'create_sync_trigger' | 'drop_sync_trigger' }>;

/** Rows a batch of a phased rename's copy takes: small enough that each UPDATE holds its row locks briefly. */
export const COPY_BATCH_ROWS = 1000;

/** The copy as one statement (what verification runs in the shadow; the migration file runs it in batches). */
export function copyPostgresColumn(change: Copy): string[] {
  return [`UPDATE ${quotePostgresTable(change.table)} SET ${q(change.to)} = ${q(change.from)} WHERE ${q(change.to)} IS NULL AND ${q(change.from)} IS NOT NULL`];
}

/** The copy's three statements for keyset batches: the first keys, the keys after $1, and the update of [$1, $2]. */
export function batchedPostgresCopy(change: Copy): BatchedCopySql {
  const [table, from, to, key] = [quotePostgresTable(change.table), q(change.from), q(change.to), q(change.key)];
  const pending = `${to} IS NULL AND ${from} IS NOT NULL`;
  return {
    first: `SELECT ${key} AS k FROM ${table} WHERE ${pending} ORDER BY ${key} LIMIT ${COPY_BATCH_ROWS}`,
    next: `SELECT ${key} AS k FROM ${table} WHERE ${pending} AND ${key} > $1 ORDER BY ${key} LIMIT ${COPY_BATCH_ROWS}`,
    update: `UPDATE ${table} SET ${to} = ${from} WHERE ${key} >= $1 AND ${key} <= $2 AND ${to} IS NULL`,
  };
}

/**
 * A trigger function and a BEFORE INSERT OR UPDATE trigger. An insert that leaves one column NULL gets the other's
 * value; an update that changes one column only carries the change to the other. So rows the old release writes
 * (old column) and rows the new release writes (new column) both read the same from either side.
 */
export function createPostgresSyncTrigger(change: SyncTrigger): string[] {
  const table = quotePostgresTable(change.table);
  const fn = quotePostgresQualified(change.table.schema, change.name);
  const [a, b] = [q(change.from), q(change.to)];
  const body = [
    'BEGIN',
    "  IF TG_OP = 'INSERT' THEN",
    `    IF NEW.${b} IS NULL THEN NEW.${b} := NEW.${a}; END IF;`,
    `    IF NEW.${a} IS NULL THEN NEW.${a} := NEW.${b}; END IF;`,
    `  ELSIF NEW.${a} IS DISTINCT FROM OLD.${a} AND NEW.${b} IS NOT DISTINCT FROM OLD.${b} THEN`,
    `    NEW.${b} := NEW.${a};`,
    `  ELSIF NEW.${b} IS DISTINCT FROM OLD.${b} AND NEW.${a} IS NOT DISTINCT FROM OLD.${a} THEN`,
    `    NEW.${a} := NEW.${b};`,
    '  END IF;',
    '  RETURN NEW;',
    'END',
  ].join('\n');
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $schema_sync$\n${body}\n$schema_sync$`,
    `CREATE TRIGGER ${q(change.name)} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
  ];
}

/** Drops the trigger and its function. */
export function dropPostgresSyncTrigger(change: SyncTrigger): string[] {
  return [`DROP TRIGGER ${q(change.name)} ON ${quotePostgresTable(change.table)}`, `DROP FUNCTION ${quotePostgresQualified(change.table.schema, change.name)}()`];
}
