import type { Change } from '../../change/change';
import { quotePostgresIdentifier as q, quotePostgresQualified, quotePostgresTable } from './quote';

type Copy = Extract<Change, { kind: 'copy_column' }>;
type SyncTrigger = Extract<Change, { kind: 'create_sync_trigger' | 'drop_sync_trigger' }>;

/** Rows a batch of a phased rename's copy takes: small enough that each UPDATE holds its row locks briefly. */
export const COPY_BATCH_ROWS = 1000;

/** The dollar-quote tag that marks a batched copy, so the applier runs it outside the migration's transaction. */
export const COPY_BLOCK_TAG = '$schema_sync_copy$';

/**
 * The copy as one DO block that walks the primary key in keyset batches and commits after each one, so row locks
 * last one batch and the DDL before it has committed (the applier runs it alone, outside the migration's
 * transaction; PGlite, which runs it inside one, gets it without the COMMIT). Never overwrites a value.
 */
export function copyPostgresColumn(change: Copy): string[] {
  const [table, from, to, key] = [quotePostgresTable(change.table), q(change.from), q(change.to), q(change.key)];
  const keyType = `${table}.${key}%TYPE`;
  // The batch's first and last key by ordering, not min()/max(): those do not exist for every key type (uuid).
  const batch = (after: string) =>
    `SELECT (array_agg(k ORDER BY k))[1], (array_agg(k ORDER BY k DESC))[1] INTO schema_sync_lo, schema_sync_hi FROM (SELECT ${key} AS k FROM ${table} WHERE ${to} IS NULL AND ${from} IS NOT NULL${after} ORDER BY ${key} LIMIT ${COPY_BATCH_ROWS}) AS batch;`;
  return [
    [
      `DO ${COPY_BLOCK_TAG}`,
      'DECLARE',
      `  schema_sync_lo ${keyType};`,
      `  schema_sync_hi ${keyType};`,
      'BEGIN',
      `  ${batch('')}`,
      '  WHILE schema_sync_hi IS NOT NULL LOOP',
      `    UPDATE ${table} SET ${to} = ${from} WHERE ${key} >= schema_sync_lo AND ${key} <= schema_sync_hi AND ${to} IS NULL;`,
      '    COMMIT;',
      `    ${batch(` AND ${key} > schema_sync_hi`)}`,
      '  END LOOP;',
      'END',
      COPY_BLOCK_TAG,
    ].join('\n'),
  ];
}

/** None: the DO block batches itself on the server. */
export function batchedPostgresCopy(): null {
  return null;
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
