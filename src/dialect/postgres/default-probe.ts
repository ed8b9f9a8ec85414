import type { Column } from '../../model/schema';
import { quotePostgresIdentifier } from './quote';
import { renderPostgresDefault, renderPostgresType } from './render-type';

/** The temporary table default expressions are tried on; it lives only inside the probe's rolled-back transaction. */
const PROBE_TABLE = 'pg_temp.schema_sync_default_probe';

/**
 * The statements that make PostgreSQL spell model default expressions its own way (casts added, parentheses and
 * function names as `pg_get_expr` prints them): one temporary column per default, `c0`, `c1`…, read back in that
 * order. Run inside a transaction that is rolled back; `read` returns rows of `position` (the index) and `default_sql`.
 */
export function postgresDefaultProbe(columns: readonly Column[]): { readonly create: string; readonly read: string } {
  const definitions = columns.map((column, i) => {
    const value = column.default === null ? 'NULL' : renderPostgresDefault(column.default, column.type);
    return `${quotePostgresIdentifier(`c${i}`)} ${renderPostgresType(column.type, column.name)} DEFAULT ${value}`;
  });
  return {
    create: `CREATE TEMPORARY TABLE ${PROBE_TABLE} (${definitions.join(', ')})`,
    read: `SELECT a.attnum - 1 AS position, pg_catalog.pg_get_expr(ad.adbin, 0) AS default_sql
  FROM pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
 WHERE ad.adrelid = '${PROBE_TABLE}'::regclass`,
  };
}
