import type { DatabaseClient } from '../../connect/client';
import { quotePostgresLiteral } from '../../dialect/postgres/quote';

/** A schema that holds a table of a given name, and whether the connection's search path reaches it. */
export interface SchemaHolding {
  readonly schema: string;
  /** Its place on the search path (1 first), `null` when the path does not name it. */
  readonly searchPathPosition: number | null;
}

/**
 * The schemas that hold a table named `table`, in the order the connection would resolve an unqualified name (the
 * search path first, then the rest by name).
 */
export async function postgresSchemasHolding(client: DatabaseClient, table: string): Promise<SchemaHolding[]> {
  const rows = await client.query<{ schema: string; position: number | string | null }>(
    `SELECT n.nspname AS schema, array_position(current_schemas(false), n.nspname::text) AS position
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = ${quotePostgresLiteral(table)} AND c.relkind IN ('r', 'p')
      ORDER BY position NULLS LAST, n.nspname`,
  );
  return rows.map((row) => ({ schema: row.schema, searchPathPosition: row.position === null ? null : Number(row.position) }));
}
