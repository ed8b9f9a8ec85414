import type { Change, TableRef } from './change';
import type { ColumnType, EnumType, OrmRecord, Schema, Table, View } from '../model/schema';
import { deepEqual } from '../model/compare';
import { assertNever } from '../util/assert-never';

/**
 * Applies changes to an in-memory schema: the model of what a migration does, used by property tests
 * (applying diff(A, B) to A gives B; applying its inverse gives A back) and by plan previews.
 */
export function applyChanges(schema: Schema, changes: readonly Change[]): Schema {
  return changes.reduce(applyChange, schema);
}

function applyChange(schema: Schema, change: Change): Schema {
  switch (change.kind) {
    case 'create_table':
      return { ...schema, tables: [...schema.tables, change.table] };
    case 'drop_table':
      return { ...schema, tables: schema.tables.filter((table) => !sameTable(table, change.table)) };
    case 'rename_table':
      return { ...schema, tables: schema.tables.map((table) => (sameTable(table, change.from) ? renameTable(table, change.to) : retarget(table, change.from, change.to))) };
    case 'rename_column':
      return { ...schema, tables: schema.tables.map((table) => renameColumnEverywhere(table, change.table, change.from.name, change.to.name)) };
    case 'create_enum':
      return { ...schema, enums: [...schema.enums, change.enumType] };
    case 'drop_enum':
      return { ...schema, enums: schema.enums.filter((enumType) => !sameEnum(enumType, change.enumType)) };
    case 'alter_enum':
      return {
        ...schema,
        enums: schema.enums.map((enumType) => (sameEnum(enumType, change.from) ? change.to : enumType)),
        // The columns of the type change with it: in the database the values belong to the type, not the column.
        tables: schema.tables.map((table) => ({ ...table, columns: table.columns.map((column) => ({ ...column, type: withEnumValues(column.type, change.to) })) })),
      };
    case 'create_view':
      return { ...schema, views: [...(schema.views ?? []), change.view] };
    case 'drop_view':
      return { ...schema, views: (schema.views ?? []).filter((view) => !sameTable(view, change.view)) };
    case 'replace_view':
      return { ...schema, views: (schema.views ?? []).map((view): View => (sameTable(view, change.from) ? change.to : view)) };
    case 'copy_column':
    case 'create_sync_trigger':
    case 'drop_sync_trigger':
      // Rows and triggers: the schema model holds neither.
      return schema;
    case 'add_orm_record':
      return withRecords(schema, change.table, (records) => [...records, change.record]);
    case 'remove_orm_record':
      return withRecords(schema, change.table, (records) => records.filter((record) => !deepEqual(record, change.record)));
    default:
      return updateTable(schema, change.table, (table) => applyToTable(table, change));
  }
}

function withRecords(schema: Schema, table: TableRef, update: (records: readonly OrmRecord[]) => OrmRecord[]): Schema {
  return { ...schema, ormMetadata: { table: table.name, ...(table.schema === null ? {} : { schema: table.schema }), records: update(schema.ormMetadata?.records ?? []) } };
}

function applyToTable(
  table: Table,
  change: Exclude<
    Change,
    {
      kind:
        | 'create_table'
        | 'drop_table'
        | 'rename_table'
        | 'rename_column'
        | 'create_enum'
        | 'drop_enum'
        | 'alter_enum'
        | 'create_view'
        | 'drop_view'
        | 'replace_view'
        | 'add_orm_record'
        | 'copy_column'
        | 'create_sync_trigger'
        | 'drop_sync_trigger'
        | 'remove_orm_record';
    }
  >,
): Table {
  switch (change.kind) {
    case 'add_column':
      return { ...table, columns: [...table.columns, change.column] };
    case 'drop_column':
      return { ...table, columns: table.columns.filter((column) => column.name !== change.column.name) };
    case 'alter_column':
      return { ...table, columns: table.columns.map((column) => (column.name === change.from.name ? change.to : column)) };
    case 'alter_primary_key':
      return { ...table, primaryKey: change.to };
    case 'create_index':
      return { ...table, indexes: [...table.indexes, change.index] };
    case 'rename_index':
      return { ...table, indexes: table.indexes.map((index) => (index.name === change.from.name ? change.to : index)) };
    case 'rename_unique':
      return { ...table, uniques: table.uniques.map((unique) => (unique.name === change.from.name ? change.to : unique)) };
    case 'rename_foreign_key':
      return { ...table, foreignKeys: table.foreignKeys.map((foreignKey) => (foreignKey.name === change.from.name ? change.to : foreignKey)) };
    case 'drop_index':
      return { ...table, indexes: table.indexes.filter((index) => index.name !== change.index.name) };
    case 'add_unique':
      return { ...table, uniques: [...table.uniques, change.unique] };
    case 'drop_unique':
      return { ...table, uniques: table.uniques.filter((unique) => unique.name !== change.unique.name) };
    case 'add_foreign_key':
      return { ...table, foreignKeys: [...table.foreignKeys, change.foreignKey] };
    case 'drop_foreign_key':
      return { ...table, foreignKeys: table.foreignKeys.filter((foreignKey) => foreignKey.name !== change.foreignKey.name) };
    case 'add_check':
      return { ...table, checks: [...table.checks, change.check] };
    case 'drop_check':
      return { ...table, checks: table.checks.filter((check) => check.name !== change.check.name) };
    case 'add_exclusion':
      return { ...table, exclusions: [...(table.exclusions ?? []), change.exclusion] };
    case 'drop_exclusion':
      return { ...table, exclusions: (table.exclusions ?? []).filter((exclusion) => exclusion.name !== change.exclusion.name) };
    case 'alter_table_comment':
      return { ...table, comment: change.to };
    default:
      return assertNever(change, 'table change');
  }
}

function renameTable(table: Table, to: TableRef): Table {
  return retarget({ ...table, schema: to.schema, name: to.name }, table, to);
}

/** Foreign keys follow a renamed table, as they do in the database. */
function retarget(table: Table, from: TableRef, to: TableRef): Table {
  return {
    ...table,
    foreignKeys: table.foreignKeys.map((foreignKey) =>
      foreignKey.referencedSchema === from.schema && foreignKey.referencedTable === from.name
        ? { ...foreignKey, referencedSchema: to.schema, referencedTable: to.name }
        : foreignKey,
    ),
  };
}

/** Every reference to the column (its table's keys and indexes, other tables' foreign keys) follows the rename. */
function renameColumnEverywhere(table: Table, owner: TableRef, from: string, to: string): Table {
  const swap = (names: readonly string[]) => names.map((name) => (name === from ? to : name));
  const foreignKeys = table.foreignKeys.map((foreignKey) =>
    foreignKey.referencedSchema === owner.schema && foreignKey.referencedTable === owner.name
      ? { ...foreignKey, referencedColumns: swap(foreignKey.referencedColumns) }
      : foreignKey,
  );
  if (!sameTable(table, owner)) return { ...table, foreignKeys };
  return {
    ...table,
    columns: table.columns.map((column) => (column.name === from ? { ...column, name: to } : column)),
    primaryKey: table.primaryKey === null ? null : { ...table.primaryKey, columns: swap(table.primaryKey.columns) },
    indexes: table.indexes.map((index) => ({ ...index, columns: swap(index.columns) })),
    uniques: table.uniques.map((unique) => ({ ...unique, columns: swap(unique.columns) })),
    foreignKeys: foreignKeys.map((foreignKey) => ({ ...foreignKey, columns: swap(foreignKey.columns) })),
  };
}

function updateTable(schema: Schema, ref: TableRef, update: (table: Table) => Table): Schema {
  return { ...schema, tables: schema.tables.map((table) => (sameTable(table, ref) ? update(table) : table)) };
}

function sameTable(a: TableRef, b: TableRef): boolean {
  return a.schema === b.schema && a.name === b.name;
}

/** A column type with the values of `enumType` when it is (an array of) that enum type, named by its qualified key. */
function withEnumValues(type: ColumnType, enumType: EnumType): ColumnType {
  const key = enumType.schema === null ? enumType.name : `${enumType.schema}.${enumType.name}`;
  if (type.kind === 'enum' && type.typeName === key) return { ...type, values: enumType.values };
  if (type.kind === 'array') return { ...type, element: withEnumValues(type.element, enumType) };
  return type;
}

function sameEnum(a: EnumType, b: EnumType): boolean {
  return a.schema === b.schema && a.name === b.name;
}
