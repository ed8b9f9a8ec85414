import type { Column } from '../../model/schema';
import { quotePostgresIdentifier } from './quote';
import { renderPostgresDefault, renderPostgresType } from './render-type';

/** The temporary table a default expression is tried on; it lives only inside the probe's rolled-back transaction. */
const PROBE_TABLE = 'pg_temp.schema_sync_default_probe';

/**
 * The statements that make PostgreSQL spell a model's default expression its own way (casts added, parentheses and
 * function names as `pg_get_expr` prints them): create a temporary column with that default, read it back. Run inside
 * a transaction that is rolled back; `read` returns one row with `default_sql`.
 */
export function postgresDefaultProbe(column: Column): { readonly create: string; readonly read: string } {
  const definition = `${quotePostgresIdentifier('probe')} ${renderPostgresType(column.type, column.name)}`;
  const value = column.default === null ? 'NULL' : renderPostgresDefault(column.default, column.type);
  return {
    create: `CREATE TEMPORARY TABLE ${PROBE_TABLE} (${definition} DEFAULT ${value})`,
    read: `SELECT pg_catalog.pg_get_expr(ad.adbin, 0) AS default_sql FROM pg_catalog.pg_attrdef ad WHERE ad.adrelid = '${PROBE_TABLE}'::regclass`,
  };
}
