import type { TableRef } from '../change/change';
import type { Dialect, Index, Schema } from '../model/schema';
import { tableKey } from '../model/schema';
import { SchemaSyncError } from '../util/errors';

/** An index the user declared in schema-sync.json because the ORM's decorators cannot describe it. */
export interface DeclaredIndex {
  readonly table: TableRef;
  readonly index: Index;
  /** The databases it applies to (`mysql` covers MariaDB too); null for all. */
  readonly dialects: readonly Dialect[] | null;
  /** Where it was declared, for messages: `schema-sync.json indexes[0]`. */
  readonly source: string;
  /** The keys and INCLUDE entries declared as column names (not expressions): each must be a column of the table. */
  readonly columnNames: readonly string[];
}

/** Whether a declaration applies to a database of `dialect`. */
export function declaredFor(declared: DeclaredIndex, dialect: Dialect): boolean {
  if (declared.dialects === null) return true;
  return declared.dialects.includes(dialect) || (dialect === 'mariadb' && declared.dialects.includes('mysql'));
}

/**
 * The models' schema with the declared indexes added to their tables. A declaration replaces a model index of the same
 * name: that is how an `@Index(…, { synchronize: false })` the ORM leaves alone gets a definition the diff keeps.
 */
export function withDeclaredIndexes(schema: Schema, declared: readonly DeclaredIndex[]): Schema {
  const applicable = declared.filter((entry) => declaredFor(entry, schema.dialect));
  if (applicable.length === 0) return schema;
  const tables = new Map(schema.tables.map((table) => [tableKey(table), table]));
  for (const entry of applicable) {
    const table = tables.get(tableKey(entry.table));
    // A project may load a subset of its models (--models, a DataSource file): a declaration for a table they leave
    // out is not theirs to apply.
    if (table === undefined) continue;
    const missing = entry.columnNames.find((name) => !table.columns.some((column) => column.name === name));
    if (missing !== undefined) {
      throw new SchemaSyncError('BAD_ARGUMENT', `${entry.source}: index "${entry.index.name}" names column "${missing}", which table "${tableKey(table)}" does not have`);
    }
  }
  return {
    ...schema,
    tables: schema.tables.map((table) => {
      const own = applicable.filter((entry) => tableKey(entry.table) === tableKey(table)).map((entry) => entry.index);
      if (own.length === 0) return table;
      const names = new Set(own.map((index) => index.name));
      return { ...table, indexes: [...table.indexes.filter((index) => !names.has(index.name)), ...own] };
    }),
  };
}
