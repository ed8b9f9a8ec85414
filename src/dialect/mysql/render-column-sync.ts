import type { Change } from '../../change/change';
import type { BatchedCopySql } from '../sql-dialect';
import { COPY_BATCH_ROWS } from '../postgres/render-column-sync';
import { quoteMysqlName as q, quoteMysqlTable } from './quote';

type Copy = Extract<Change, { kind: 'copy_column' }>;
type SyncTrigger = Extract<Change, { kind: 'create_sync_trigger' | 'drop_sync_trigger' }>;

/** The copy as one statement (what verification runs in the shadow; the migration file runs it in batches). */
export function copyMysqlColumn(change: Copy): string[] {
  return [`UPDATE ${quoteMysqlTable(change.table)} SET ${q(change.to)} = ${q(change.from)} WHERE ${q(change.to)} IS NULL AND ${q(change.from)} IS NOT NULL`];
}

/**
 * The copy's three statements for keyset batches along the primary key, one column or several: the first keys, the
 * keys after a key tuple, and the update of the range between two tuples. A tuple comparison is spelled out column by
 * column behind a range on the first one (`a >= ? AND (a > ? OR (a = ? AND b > ?))`): MariaDB does not use an index
 * for a row comparison (`(a, b) > (?, ?)` reads the whole key, and an UPDATE would lock every row it reads).
 */
export function batchedMysqlCopy(change: Copy): BatchedCopySql {
  const [table, from, to] = [quoteMysqlTable(change.table), q(change.from), q(change.to)];
  const keys = change.key.map((column) => q(column));
  const pending = `${to} IS NULL AND ${from} IS NOT NULL`;
  const order = keys.join(', ');
  const select = `SELECT ${keys.map((key, i) => `${key} AS k${i}`).join(', ')} FROM ${table} WHERE ${pending}`;
  const after = compareTuple(keys, '>', 0);
  const atLeast = compareTuple(keys, '>=', 0);
  const atMost = compareTuple(keys, '<=', keys.length);
  return {
    keys: keys.length,
    first: `${select} ORDER BY ${order} LIMIT ${COPY_BATCH_ROWS}`,
    next: `${select} AND ${after.sql} ORDER BY ${order} LIMIT ${COPY_BATCH_ROWS}`,
    nextParams: after.params,
    update: `UPDATE ${table} SET ${to} = ${from} WHERE ${atLeast.sql} AND ${atMost.sql} AND ${to} IS NULL`,
    updateParams: [...atLeast.params, ...atMost.params],
  };
}

/**
 * `(k0, k1, …) op (?, ?, …)` spelled out for MySQL's range optimizer; `params` say which tuple column each `?` takes
 * (offset by `base`, so a second tuple's columns follow the first's). One column is plainly `k0 op ?`.
 */
function compareTuple(keys: readonly string[], op: '>' | '>=' | '<=', base: number): { sql: string; params: number[] } {
  if (keys.length === 1) return { sql: `${keys[0]} ${op} ?`, params: [base] };
  const strict = op === '<=' ? '<' : '>';
  const params: number[] = [base];
  const nest = (i: number): string => {
    const key = keys[i] as string;
    if (i === keys.length - 1) {
      params.push(base + i);
      return `${key} ${op} ?`;
    }
    params.push(base + i, base + i);
    return `(${key} ${strict} ? OR (${key} = ? AND ${nest(i + 1)}))`;
  };
  const leading = `${keys[0]} ${op === '<=' ? '<=' : '>='} ?`;
  return { sql: `${leading} AND ${nest(0)}`, params };
}

/**
 * Two BEFORE triggers (MySQL and MariaDB take one event per trigger), in the table's schema. An insert that leaves
 * one column NULL gets the other's value; an update that changes one column only carries the change to the other.
 */
export function createMysqlSyncTrigger(change: SyncTrigger): string[] {
  const table = quoteMysqlTable(change.table);
  const [a, b] = [q(change.from), q(change.to)];
  const [insert, update] = syncTriggerNames(change);
  return [
    `CREATE TRIGGER ${insert} BEFORE INSERT ON ${table} FOR EACH ROW BEGIN\n  IF NEW.${b} IS NULL THEN SET NEW.${b} = NEW.${a}; END IF;\n  IF NEW.${a} IS NULL THEN SET NEW.${a} = NEW.${b}; END IF;\nEND`,
    `CREATE TRIGGER ${update} BEFORE UPDATE ON ${table} FOR EACH ROW BEGIN\n` +
      `  IF NOT (NEW.${a} <=> OLD.${a}) AND (NEW.${b} <=> OLD.${b}) THEN SET NEW.${b} = NEW.${a};\n` +
      `  ELSEIF NOT (NEW.${b} <=> OLD.${b}) AND (NEW.${a} <=> OLD.${a}) THEN SET NEW.${a} = NEW.${b};\n` +
      '  END IF;\nEND',
  ];
}

/** Drops both triggers. */
export function dropMysqlSyncTrigger(change: SyncTrigger): string[] {
  return syncTriggerNames(change).map((name) => `DROP TRIGGER ${name}`);
}

function syncTriggerNames(change: SyncTrigger): [string, string] {
  const named = (suffix: string) => quoteMysqlTable({ schema: change.table.schema, name: `${change.name}_${suffix}` });
  return [named('ins'), named('upd')];
}
