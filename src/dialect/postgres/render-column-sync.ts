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
  if (change.key.length !== 1) return copyAlongCompositeKey(change);
  const [table, from, to, key] = [quotePostgresTable(change.table), q(change.from), q(change.to), q(change.key[0] as string)];
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

/**
 * The same DO block along a primary key of several columns: keyset pagination on the key's tuple, compared as a row
 * (`(a, b) > (x, y)`, which a btree index on the key serves as a range). The batch's first and last tuples are read
 * by ordering, one variable per key column.
 */
function copyAlongCompositeKey(change: Copy): string[] {
  const [table, from, to] = [quotePostgresTable(change.table), q(change.from), q(change.to)];
  const keys = change.key.map((column) => q(column));
  const vars = (prefix: string) => keys.map((_, i) => `schema_sync_${prefix}${i}`);
  const [lo, hi] = [vars('lo'), vars('hi')];
  const row = (items: readonly string[]) => `(${items.join(', ')})`;
  const aliases = keys.map((_, i) => `k${i}`);
  const pending = (after: boolean) =>
    `(SELECT ${keys.map((key, i) => `${key} AS k${i}`).join(', ')} FROM ${table} WHERE ${to} IS NULL AND ${from} IS NOT NULL${after ? ` AND ${row(keys)} > ${row(hi)}` : ''} ORDER BY ${keys.join(', ')} LIMIT ${COPY_BATCH_ROWS}) AS batch`;
  const batch = (after: boolean) => [
    `SELECT ${aliases.join(', ')} INTO ${lo.join(', ')} FROM ${pending(after)} ORDER BY ${aliases.join(', ')} LIMIT 1;`,
    `SELECT ${aliases.join(', ')} INTO ${hi.join(', ')} FROM ${pending(after)} ORDER BY ${aliases.map((alias) => `${alias} DESC`).join(', ')} LIMIT 1;`,
  ];
  return [
    [
      `DO ${COPY_BLOCK_TAG}`,
      'DECLARE',
      ...[...lo, ...hi].map((name, i) => `  ${name} ${table}.${keys[i % keys.length]}%TYPE;`),
      'BEGIN',
      ...batch(false).map((line) => `  ${line}`),
      // Key columns are NOT NULL: a NULL first column means no row was left.
      `  WHILE ${hi[0]} IS NOT NULL LOOP`,
      `    UPDATE ${table} SET ${to} = ${from} WHERE ${row(keys)} >= ${row(lo)} AND ${row(keys)} <= ${row(hi)} AND ${to} IS NULL;`,
      '    COMMIT;',
      ...batch(true).map((line) => `    ${line}`),
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
