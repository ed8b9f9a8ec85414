import type { DatabaseClient } from '../../connect/client';
import type { Index, Schema, Table } from '../../model/schema';

/**
 * Operator classes that PostgreSQL uses when an index names none, among the names the models declare: `btree:text_ops`,
 * `gin:jsonb_ops`. Introspection reports a default operator class as none (so that an index declared without one
 * compares equal), so a model that writes the default out must drop it to compare equal too. A default operator
 * class is default for its own input type; PostgreSQL refuses one that does not accept the column's type, so an index
 * the database has with it has the column's default.
 */
export async function postgresDefaultOpclasses(client: DatabaseClient, names: readonly string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await client.query<{ method: string; name: string }>(
    `SELECT am.amname AS method, oc.opcname AS name
       FROM pg_catalog.pg_opclass oc JOIN pg_catalog.pg_am am ON am.oid = oc.opcmethod
      WHERE oc.opcdefault AND oc.opcname = ANY ($1::text[])`,
    [[...new Set(names)]],
  );
  return new Set(rows.map((row) => `${row.method}:${row.name}`));
}

/** The operator class names the models' index keys declare, without a `pg_catalog.` qualifier. */
export function declaredOpclasses(schema: Schema): string[] {
  const indexes = [...schema.tables.flatMap((table) => table.indexes), ...(schema.views ?? []).flatMap((view) => view.indexes ?? [])];
  return indexes.flatMap((index) => (index.keys ?? []).flatMap((key) => (key.opclass === null ? [] : [unqualified(key.opclass)])));
}

/** The models with every key's default operator class left unsaid, as introspection reports it. */
export function withoutDefaultOpclasses(schema: Schema, defaults: ReadonlySet<string>): Schema {
  if (defaults.size === 0) return schema;
  const index = (declared: Index): Index => {
    if (declared.keys === undefined) return declared;
    const method = (declared.method ?? 'btree').toLowerCase();
    const keys = declared.keys.map((key) => (key.opclass !== null && defaults.has(`${method}:${unqualified(key.opclass)}`) ? { ...key, opclass: null } : key));
    return { ...declared, keys };
  };
  const table = (declared: Table): Table => ({ ...declared, indexes: declared.indexes.map(index) });
  const views = schema.views?.map((view) => (view.indexes === undefined ? view : { ...view, indexes: view.indexes.map(index) }));
  return { ...schema, tables: schema.tables.map(table), ...(views === undefined ? {} : { views }) };
}

function unqualified(opclass: string): string {
  const name = opclass.toLowerCase();
  return name.startsWith('pg_catalog.') ? name.slice('pg_catalog.'.length) : name;
}
