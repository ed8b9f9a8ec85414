/*
 * The PostgreSQL catalog queries, one per kind of fact. Every query reads pg_catalog (about five times faster than
 * information_schema at 1,000 tables), takes the schema names as `$1::text[]`, and returns rows for every table at
 * once: introspection costs the same fixed number of statements whatever the table count.
 * Name arrays are cast to text[] so node-postgres and PGlite both decode them the same way.
 */

/**
 * The tables of the requested schemas, as a WHERE fragment over a pg_class alias and its pg_namespace alias. Partitions
 * are left to their parent. The per-table queries stop here: rows of a table that TABLES_QUERY leaves out are never
 * looked up, and an anti-join on pg_depend in each of them cost a scan of the whole dependency catalog.
 */
function tablesInSchemas(relation: string, namespace: string): string {
  return `${relation}.relkind IN ('r', 'p')
    AND NOT ${relation}.relispartition
    AND ${namespace}.nspname = ANY ($1::text[])`;
}

/**
 * The tables the tool manages: those of {@link tablesInSchemas} minus extension members (PostGIS's spatial_ref_sys
 * belongs to the extension) and the tool's bookkeeping tables, which are not part of anybody's model.
 */
function managedTable(relation: string, namespace: string): string {
  return `${tablesInSchemas(relation, namespace)}
    AND ${relation}.relname NOT IN ('schema_sync_history', 'schema_sync_lock')
    AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend dep
      WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = ${relation}.oid AND dep.deptype = 'e'
    )`;
}

/**
 * Tables with the comments on them and on their columns, by objsubid (0 is the table's own). Oids travel as text
 * because oid is unsigned 32-bit. The comments are two index lookups per table on pg_description's (objoid, classoid,
 * objsubid) index: a lookup per column cost 20 ms at 20,000 columns, and a plain LEFT JOIN was planned as a nested
 * loop over every description on stale catalog statistics (2 s). A description is never NULL, so the arrays hold none.
 * The size (reltuples, -1 before the first ANALYZE; bytes with indexes and TOAST) is for the lock and rewrite report.
 */
export const TABLES_QUERY = `
SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS name,
  c.reltuples::float8 AS rows_estimate, pg_catalog.pg_total_relation_size(c.oid)::float8 AS total_bytes,
  ARRAY(SELECT d.objsubid FROM pg_catalog.pg_description d
   WHERE d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass ORDER BY d.objsubid) AS comment_positions,
  ARRAY(SELECT d.description FROM pg_catalog.pg_description d
   WHERE d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass ORDER BY d.objsubid)::text[] AS comments
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE ${managedTable('c', 'n')}`;

/**
 * Columns with the type as format_type prints it (the spelling the type parser reads), the enum type behind a column
 * or its array element (format_type would print a search_path-dependent name), the default through pg_get_expr, and
 * the collation only when it differs from the type's own (comments come with the table).
 * A default cannot refer to columns, so pg_get_expr gets no relation for it: with one, it opens the table's relcache
 * entry, which was half of this query's time on a fresh connection. Only a generated column's expression needs it.
 */
export const COLUMNS_QUERY = `
SELECT a.attrelid::text AS table_oid, a.attnum AS position, a.attname AS name,
  pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
  (CASE WHEN t.typtype = 'e' THEN t.oid WHEN et.typtype = 'e' THEN et.oid END)::text AS enum_oid,
  (et.oid IS NOT NULL) AS is_array,
  (CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0)
        ELSE pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END) AS default_sql,
  a.attidentity::text AS identity, a.attgenerated::text AS generated, a.attnotnull AS not_null,
  (CASE WHEN a.attcollation <> t.typcollation THEN
     CASE WHEN cn.nspname IN ('pg_catalog', 'public') THEN co.collname::text ELSE cn.nspname || '.' || co.collname END
   END) AS collation
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped AND ${tablesInSchemas('c', 'n')}`;

/**
 * Primary keys, unique, foreign key and check constraints. Key columns travel as attnums in key order (conkey order is
 * the key order, attnum order is not) and are named from COLUMNS_QUERY's rows: resolving them here took a join on
 * pg_attribute per constraint, two thirds of this query's time. Only a foreign key to a table the tool does not read
 * (another schema, an extension's table) gets its referenced column names here. Checks come through pg_get_expr in
 * pretty mode, which drops the parentheses the non-pretty form puts around every operator.
 */
export const CONSTRAINTS_QUERY = `
SELECT con.conrelid::text AS table_oid, con.conname AS name, con.contype::text AS type,
  con.conkey AS column_numbers,
  con.confrelid::text AS referenced_oid, rn.nspname AS referenced_schema, rc.relname AS referenced_table,
  con.confkey AS referenced_column_numbers,
  (CASE WHEN con.contype = 'f' AND NOT (${managedTable('rc', 'rn')}) THEN ARRAY(
    SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
    ORDER BY k.ord
  )::text[] END) AS referenced_column_names,
  con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update,
  (CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid, true) END) AS check_sql,
  (CASE WHEN con.contype = 'x' THEN pg_catalog.pg_get_constraintdef(con.oid, true) END) AS exclusion_sql,
  con.condeferrable AS deferrable, con.condeferred AS deferred
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND ${tablesInSchemas('c', 'n')}`;

/**
 * Secondary indexes: those backing a primary key, unique or exclusion constraint of the same table are left out (a
 * foreign key's conindid names the referenced table's index, hence the conrelid and contype conditions).
 * Key and INCLUDE columns as attnums named from COLUMNS_QUERY's rows; 0 is an expression, and only an index that has
 * one gets pg_get_indexdef for its keys, since on every index it costs about 15 times the rest of the query. A slice
 * of a 0-based int2vector/oidvector comes back 1-based, so both drivers decode a plain array. Per key: indoption's
 * bits (1 DESC, 2 NULLS FIRST) and the operator class only where it is not the default for the key's type ('' otherwise:
 * PGlite decodes a NULL array element as the text NULL), so that an index declared without one compares equal. Storage parameters as reloptions' `name=value`.
 * Predicate in pretty mode.
 */
export const INDEXES_QUERY = `
SELECT i.indrelid::text AS table_oid, ic.relname AS name, i.indisunique AS is_unique, am.amname AS method,
  (i.indkey::int2[])[0:i.indnkeyatts - 1] AS key_numbers,
  (CASE WHEN i.indnatts > i.indnkeyatts THEN (i.indkey::int2[])[i.indnkeyatts:i.indnatts - 1] END) AS include_numbers,
  (i.indoption::int2[])[0:i.indnkeyatts - 1] AS key_options,
  ARRAY(
    SELECT CASE WHEN oc.opcdefault THEN ''
                WHEN ocn.nspname IN ('pg_catalog', 'public') THEN oc.opcname::text
                ELSE ocn.nspname || '.' || oc.opcname END
    FROM unnest((i.indclass::oid[])[0:i.indnkeyatts - 1]) WITH ORDINALITY AS k(opclass, ord)
    JOIN pg_catalog.pg_opclass oc ON oc.oid = k.opclass
    JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
    ORDER BY k.ord
  )::text[] AS opclasses,
  ic.reloptions::text[] AS parameters,
  (CASE WHEN 0 = ANY (i.indkey::int2[]) THEN ARRAY(
    SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k
  )::text[] END) AS key_definitions,
  pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE ${tablesInSchemas('c', 'n')}
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_constraint con
    WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
  )`;

/**
 * Every enum type of the database with its labels in enumsortorder (ALTER TYPE … ADD VALUE BEFORE makes oid order
 * wrong). `listed` marks those of the requested schemas that no extension owns; the others are there for a column of
 * type `other.mood` when only `public` is introspected. Databases hold few enum types, so reading all of them is
 * cheaper than finding the ones managed columns use, which took another pass over every column.
 */
export const ENUMS_QUERY = `
SELECT t.oid::text AS oid, tn.nspname AS schema, t.typname AS name,
  ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)::text[] AS labels,
  (tn.nspname = ANY ($1::text[]) AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend dep
    WHERE dep.classid = 'pg_catalog.pg_type'::regclass AND dep.objid = t.oid AND dep.deptype = 'e'
  )) AS listed
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
WHERE t.typtype = 'e'`;

/**
 * Views and materialized views with the server's definition and the relations their rewrite rule depends on (tables
 * and views they read), as parallel arrays of schema and name. Extension members are left to the extension.
 */
export const VIEWS_QUERY = `
SELECT n.nspname AS schema, c.relname AS name, c.relkind = 'm' AS materialized,
  pg_catalog.pg_get_viewdef(c.oid) AS definition,
  COALESCE(reads.read_schemas, ARRAY[]::text[]) AS read_schemas,
  COALESCE(reads.read_names, ARRAY[]::text[]) AS read_names
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL (
  SELECT array_agg(rn.nspname::text ORDER BY rn.nspname, rc.relname) AS read_schemas,
    array_agg(rc.relname::text ORDER BY rn.nspname, rc.relname) AS read_names
  FROM (
    SELECT DISTINCT d.refobjid
    FROM pg_catalog.pg_rewrite r
    JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
    WHERE r.ev_class = c.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid <> c.oid
  ) refs
  JOIN pg_catalog.pg_class rc ON rc.oid = refs.refobjid
  JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
) reads ON true
WHERE c.relkind IN ('v', 'm')
  AND n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend dep
    WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = c.oid AND dep.deptype = 'e'
  )
ORDER BY n.nspname, c.relname`;

/** The rows of the ORM's metadata table (its name quoted by the caller). */
export function ormRecordsQuery(quotedTable: string): string {
  return `SELECT "type", "database", "schema", "table", "name", "value" FROM ${quotedTable}`;
}

/** The database the connection uses: TypeORM writes it into the rows it keeps about generated columns. */
export const CURRENT_DATABASE_QUERY = 'SELECT pg_catalog.current_database() AS name';

/**
 * The indexes of materialized views (TypeORM indexes those): name, uniqueness, method, each key's column (or
 * expression) and the partial predicate. Views have no columns in COLUMNS_QUERY, so keys are named here.
 */
export const MATERIALIZED_VIEW_INDEXES_QUERY = `
SELECT n.nspname AS schema, c.relname AS view, i.relname AS name, ix.indisunique AS is_unique, am.amname AS method,
  ARRAY(
    SELECT COALESCE(a.attname::text, pg_catalog.pg_get_indexdef(ix.indexrelid, k.ord::int, true))
    FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum AND k.attnum <> 0
    WHERE k.ord <= ix.indnkeyatts
    ORDER BY k.ord
  )::text[] AS columns,
  pg_catalog.pg_get_expr(ix.indpred, ix.indrelid) AS predicate
FROM pg_catalog.pg_index ix
JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = ix.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = i.relam
WHERE c.relkind = 'm' AND n.nspname = ANY ($1::text[])
ORDER BY n.nspname, c.relname, i.relname`;
