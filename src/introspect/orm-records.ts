import type { Column, OrmRecord, Schema, Table, View } from '../model/schema';

/** A row of the ORM's metadata table as a driver returns it. */
export type OrmRecordRow = Record<string, unknown>;

/** The rows as records: every column text or null. */
export function ormRecordsFromRows(rows: readonly OrmRecordRow[]): OrmRecord[] {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return rows.map((row) => ({
    type: text(row['type']) ?? '',
    database: text(row['database']),
    schema: text(row['schema']),
    table: text(row['table']),
    name: text(row['name']),
    value: text(row['value']),
  }));
}

/**
 * Gives each view the query, and each generated column the expression, that the ORM recorded for it (as TypeORM
 * compares them: the server rewrites both), when a record of the right kind names it in the schema the ORM writes
 * (`recordSchemaOf`; null for any). Views without a record keep the server's definition and are marked unrecorded;
 * columns without one keep the server's expression.
 */
export function withRecordedDefinitions(
  schema: Schema,
  table: string,
  records: readonly OrmRecord[],
  recordSchemaOf: (object: { readonly schema: string | null }) => string | null,
  tableSchema?: string,
): Schema {
  const inSchema = (record: OrmRecord, object: { readonly schema: string | null }) => {
    const expected = recordSchemaOf(object);
    return expected === null || record.schema === expected;
  };
  const views = (schema.views ?? []).map((view): View => {
    const type = view.materialized ? 'MATERIALIZED_VIEW' : 'VIEW';
    const record = records.find((candidate) => candidate.type === type && candidate.name === view.name && inSchema(candidate, view));
    return record === undefined || record.value === null ? view : { ...view, query: record.value, recorded: true };
  });
  const tables = schema.tables.map((owner): Table => {
    if (!owner.columns.some((column) => column.computed !== undefined)) return owner;
    const columns = owner.columns.map((column): Column => {
      if (column.computed === undefined) return column;
      const record = records.find(
        (candidate) => candidate.type === 'GENERATED_COLUMN' && candidate.table === owner.name && candidate.name === column.name && inSchema(candidate, owner),
      );
      return record === undefined || record.value === null ? column : { ...column, computed: { ...column.computed, expression: record.value } };
    });
    return { ...owner, columns };
  });
  return { ...schema, tables, ...(views.length === 0 ? {} : { views }), ormMetadata: { table, ...(tableSchema === undefined ? {} : { schema: tableSchema }), records } };
}
