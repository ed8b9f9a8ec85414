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

/** The copy's three statements for keyset batches: the first keys, the keys after ?, and the update of [?, ?]. */
export function batchedMysqlCopy(change: Copy): BatchedCopySql {
  const [table, from, to, key] = [quoteMysqlTable(change.table), q(change.from), q(change.to), q(change.key)];
  const pending = `${to} IS NULL AND ${from} IS NOT NULL`;
  return {
    first: `SELECT ${key} AS k FROM ${table} WHERE ${pending} ORDER BY ${key} LIMIT ${COPY_BATCH_ROWS}`,
    next: `SELECT ${key} AS k FROM ${table} WHERE ${pending} AND ${key} > ? ORDER BY ${key} LIMIT ${COPY_BATCH_ROWS}`,
    update: `UPDATE ${table} SET ${to} = ${from} WHERE ${key} >= ? AND ${key} <= ? AND ${to} IS NULL`,
  };
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
