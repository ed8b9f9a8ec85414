/** The extensions installed in the connected database (plpgsql comes with every database). */
export const INSTALLED_EXTENSIONS_SQL = `SELECT extname AS name FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql' ORDER BY extname`;

/** Template databases a shadow could be copied from; template0 is what a shadow uses anyway. */
export const TEMPLATE_DATABASES_SQL = `SELECT datname AS name FROM pg_catalog.pg_database WHERE datistemplate AND datallowconn AND datname <> 'template0' ORDER BY datname`;

/**
 * Tables, views, sequences and types of the connected database that no extension owns: a template with any would put
 * objects the models do not describe into the shadow.
 */
export const USER_OBJECTS_SQL = `SELECT
  (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'))
  + (SELECT count(*) FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')) AS n`;

/** Schemas of the connected database other than public and the system's: a given shadow must have none. */
export const EXTRA_SCHEMAS_SQL = `SELECT nspname AS name FROM pg_catalog.pg_namespace
WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%' ORDER BY nspname`;

/** The connected database's encoding and collation, which decide what a column's default collation is. */
export const DATABASE_LOCALE_SQL = `SELECT pg_catalog.pg_encoding_to_char(encoding) AS encoding, datcollate AS collate, datctype AS ctype
FROM pg_catalog.pg_database WHERE datname = current_database()`;
