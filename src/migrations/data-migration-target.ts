import { neutralValue } from '../change/column-fill';
import type { Schema, Table } from '../model/schema';
import { SchemaSyncError } from '../util/errors';
import type { DataMigrationTarget } from './data-migration-template';

/** What the user named: `--table`, `--column`, `--value` (each optional). */
export interface DataMigrationChoice {
  readonly table?: string;
  readonly column?: string;
  readonly value?: string;
}

/**
 * The table and columns of the models a data migration template works on: the ones named (checked against the
 * models, so the file never names a column they do not have), or else the first table, by name, with a one-column
 * primary key and a nullable column outside its keys. The value defaults to the column type's neutral value.
 */
export function chooseDataMigrationTarget(models: Schema, choice: DataMigrationChoice): DataMigrationTarget {
  const tables = [...models.tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (choice.table !== undefined) {
    const table = tables.find((t) => t.name === choice.table || `${t.schema}.${t.name}` === choice.table);
    if (table === undefined) throw new SchemaSyncError('BAD_ARGUMENT', `--table ${choice.table}: no model maps to it (the models have ${tables.map((t) => t.name).join(', ') || 'no tables'})`);
    return targetIn(table, choice);
  }
  if (choice.column !== undefined) throw new SchemaSyncError('BAD_ARGUMENT', `--column ${choice.column}: give --table too`);
  const table = tables.find((t) => keyOf(t) !== null && fillable(t).length > 0);
  if (table === undefined) throw new SchemaSyncError('BAD_ARGUMENT', 'No model table has a one-column primary key and a nullable column: give --table and --column');
  return targetIn(table, choice);
}

function targetIn(table: Table, choice: DataMigrationChoice): DataMigrationTarget {
  const key = keyOf(table);
  if (key === null) throw new SchemaSyncError('BAD_ARGUMENT', `--table ${table.name}: batches walk a one-column primary key, and ${table.name} has ${table.primaryKey === null ? 'none' : `(${table.primaryKey.columns.join(', ')})`}`);
  const candidates = fillable(table);
  const column = choice.column === undefined ? candidates[0] : table.columns.find((c) => c.name === choice.column);
  if (column === undefined) {
    const what = choice.column === undefined ? 'no nullable column to fill' : `no column ${choice.column} in the models`;
    throw new SchemaSyncError('BAD_ARGUMENT', `--table ${table.name}: ${what} (its columns: ${table.columns.map((c) => c.name).join(', ')})`);
  }
  const value = choice.value ?? neutralValue(column.type);
  if (value === null) throw new SchemaSyncError('BAD_ARGUMENT', `--column ${column.name}: give --value (no default value for its type)`);
  return { table: table.name, key, column: column.name, value };
}

function keyOf(table: Table): string | null {
  return table.primaryKey?.columns.length === 1 ? (table.primaryKey.columns[0] as string) : null;
}

/** Nullable columns that are not part of a key or computed: what a backfill fills. */
function fillable(table: Table) {
  const keyed = new Set([...(table.primaryKey?.columns ?? []), ...table.foreignKeys.flatMap((key) => key.columns)]);
  return table.columns.filter((column) => column.nullable && !keyed.has(column.name) && column.computed === undefined);
}
