import type { Change } from '../change/change';
import { deepEqual } from '../model/compare';
import { orderForApply } from '../plan/expand';
import type { EnumType, Schema, Table } from '../model/schema';
import { tableKey } from '../model/schema';
import { diffTable } from './diff-table';
import { diffOrmRecords, diffViews } from './diff-views';
import { suggestColumnRenames, type RenameSuggestion } from './renames';
import type { UnmanagedObject } from './unmanaged';

/** What the diff found: the changes that turn `actual` into `desired`, in apply order, and likely renames. */
export interface SchemaDiff {
  readonly changes: readonly Change[];
  readonly suggestions: readonly RenameSuggestion[];
  /** Objects the models leave alone, listed once for the report and never planned. */
  readonly unmanaged: readonly UnmanagedObject[];
}

/**
 * Compares two normalised schemas of the same dialect. Pure: no I/O, no SQL. Drops are included (each carries what
 * it drops); whether they may be planned is decided later by `isGuarded`.
 */
export function diffSchemas(actual: Schema, desired: Schema): SchemaDiff {
  const changes: Change[] = [
    ...diffEnums(actual.enums, desired.enums),
    ...diffTables(actual.tables, desired.tables, actual.dialect !== 'postgres'),
    ...diffViews(actual.views ?? [], desired.views ?? []),
    ...diffOrmRecords(actual, desired),
  ];
  return { changes: orderForApply(changes), suggestions: suggestColumnRenames(changes), unmanaged: [] };
}

function diffTables(actual: readonly Table[], desired: readonly Table[], mysqlFamily: boolean): Change[] {
  const actualByKey = new Map(actual.map((table) => [tableKey(table), table]));
  const desiredKeys = new Set(desired.map(tableKey));
  const changes: Change[] = [];
  for (const table of desired) {
    const existing = actualByKey.get(tableKey(table));
    if (existing === undefined) changes.push({ kind: 'create_table', table });
    else changes.push(...diffTable(existing, table, mysqlFamily));
  }
  for (const table of actual) {
    if (!desiredKeys.has(tableKey(table))) changes.push({ kind: 'drop_table', table });
  }
  return changes;
}

function diffEnums(actual: readonly EnumType[], desired: readonly EnumType[]): Change[] {
  const key = (enumType: EnumType) => (enumType.schema === null ? enumType.name : `${enumType.schema}.${enumType.name}`);
  const actualByKey = new Map(actual.map((enumType) => [key(enumType), enumType]));
  const desiredKeys = new Set(desired.map(key));
  const changes: Change[] = [];
  for (const enumType of desired) {
    const existing = actualByKey.get(key(enumType));
    if (existing === undefined) changes.push({ kind: 'create_enum', enumType });
    else if (!deepEqual(existing.values, enumType.values)) changes.push({ kind: 'alter_enum', from: existing, to: enumType });
  }
  for (const enumType of actual) {
    if (!desiredKeys.has(key(enumType))) changes.push({ kind: 'drop_enum', enumType });
  }
  return changes;
}
