import type { OrmRecord, Schema, View } from '../model/schema';

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
 * Gives each view the query the ORM recorded for it, when a record of the same kind names it (in the schema the ORM
 * writes, which `recordSchemaOf` gives, or in any when it gives null); others keep the server's definition and are
 * marked unrecorded.
 */
export function withRecordedQueries(schema: Schema, table: string, records: readonly OrmRecord[], recordSchemaOf: (view: View) => string | null): Schema {
  const views = (schema.views ?? []).map((view): View => {
    const type = view.materialized ? 'MATERIALIZED_VIEW' : 'VIEW';
    const inSchema = recordSchemaOf(view);
    const record = records.find((candidate) => candidate.type === type && candidate.name === view.name && (inSchema === null || candidate.schema === inSchema));
    return record === undefined || record.value === null ? view : { ...view, query: record.value, recorded: true };
  });
  return { ...schema, ...(views.length === 0 ? {} : { views }), ormMetadata: { table, records } };
}
