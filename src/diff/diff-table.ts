import type { Change, TableRef } from '../change/change';
import { comparableCheck, comparableExclusion, comparableForeignKey, comparableIndex, deepEqual } from '../model/compare';
import type { Table } from '../model/schema';
import { diffColumn } from './diff-column';
import { diffNamed } from './diff-named';

/** Changes that turn an existing table into the desired one. Both tables are normalised; MySQL compares a few things looser. */
export function diffTable(actual: Table, desired: Table, mysqlFamily: boolean): Change[] {
  const ref: TableRef = { schema: desired.schema, name: desired.name };
  const changes: Change[] = [];
  const actualColumns = new Map(actual.columns.map((column) => [column.name, column]));
  const desiredNames = new Set(desired.columns.map((column) => column.name));

  for (const column of desired.columns) {
    const existing = actualColumns.get(column.name);
    if (existing === undefined) {
      changes.push({ kind: 'add_column', table: ref, column });
      continue;
    }
    const changed = diffColumn(existing, column);
    if (changed.length > 0) changes.push({ kind: 'alter_column', table: ref, from: existing, to: column, changed });
  }
  for (const column of actual.columns) {
    if (!desiredNames.has(column.name)) changes.push({ kind: 'drop_column', table: ref, column });
  }

  if (!deepEqual(actual.primaryKey?.columns ?? null, desired.primaryKey?.columns ?? null)) {
    changes.push({ kind: 'alter_primary_key', table: ref, from: actual.primaryKey, to: desired.primaryKey });
  }

  const indexes = diffNamed(actual.indexes, desired.indexes, comparableIndex);
  for (const index of indexes.dropped) changes.push({ kind: 'drop_index', table: ref, index });
  for (const { from, to } of indexes.redefined) {
    changes.push({ kind: 'drop_index', table: ref, index: from }, { kind: 'create_index', table: ref, index: to });
  }
  for (const index of indexes.added) changes.push({ kind: 'create_index', table: ref, index });
  // A name-only difference is renamed: TypeORM compares names, so leaving it would leave TypeORM seeing drift.
  for (const { from, to } of indexes.renamed) changes.push({ kind: 'rename_index', table: ref, from, to });

  const uniques = diffNamed(actual.uniques, desired.uniques);
  for (const unique of uniques.dropped) changes.push({ kind: 'drop_unique', table: ref, unique });
  for (const { from, to } of uniques.redefined) {
    changes.push({ kind: 'drop_unique', table: ref, unique: from }, { kind: 'add_unique', table: ref, unique: to });
  }
  for (const unique of uniques.added) changes.push({ kind: 'add_unique', table: ref, unique });
  for (const { from, to } of uniques.renamed) changes.push({ kind: 'rename_unique', table: ref, from, to });

  const foreignKeys = diffNamed(actual.foreignKeys, desired.foreignKeys, comparableForeignKey(mysqlFamily));
  for (const foreignKey of foreignKeys.dropped) changes.push({ kind: 'drop_foreign_key', table: ref, foreignKey });
  for (const { from, to } of foreignKeys.redefined) {
    changes.push({ kind: 'drop_foreign_key', table: ref, foreignKey: from }, { kind: 'add_foreign_key', table: ref, foreignKey: to });
  }
  for (const foreignKey of foreignKeys.added) changes.push({ kind: 'add_foreign_key', table: ref, foreignKey });
  for (const { from, to } of foreignKeys.renamed) changes.push({ kind: 'rename_foreign_key', table: ref, from, to });

  const checks = diffNamed(actual.checks, desired.checks, comparableCheck);
  for (const check of checks.dropped) changes.push({ kind: 'drop_check', table: ref, check });
  for (const { from, to } of checks.redefined) {
    changes.push({ kind: 'drop_check', table: ref, check: from }, { kind: 'add_check', table: ref, check: to });
  }
  for (const check of checks.added) changes.push({ kind: 'add_check', table: ref, check });

  const exclusions = diffNamed(actual.exclusions ?? [], desired.exclusions ?? [], comparableExclusion);
  for (const exclusion of exclusions.dropped) changes.push({ kind: 'drop_exclusion', table: ref, exclusion });
  for (const { from, to } of exclusions.redefined) {
    changes.push({ kind: 'drop_exclusion', table: ref, exclusion: from }, { kind: 'add_exclusion', table: ref, exclusion: to });
  }
  for (const exclusion of exclusions.added) changes.push({ kind: 'add_exclusion', table: ref, exclusion });

  if (actual.comment !== desired.comment) {
    changes.push({ kind: 'alter_table_comment', table: ref, from: actual.comment, to: desired.comment });
  }
  return changes;
}
