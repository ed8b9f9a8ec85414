/**
 * Catalogs whose rows a migration can add, each counted in the fingerprint: [label, catalog, only rows made after
 * initdb (oid 16384 and up; the others count every row, a fresh cluster having a fixed number)].
 */
const COUNTED_CATALOGS: readonly (readonly [string, string, boolean])[] = [
  ['class', 'pg_class', true],
  ['type', 'pg_type', true],
  ['proc', 'pg_proc', true],
  ['constraint', 'pg_constraint', true],
  ['operator', 'pg_operator', true],
  ['opclass', 'pg_opclass', true],
  ['opfamily', 'pg_opfamily', true],
  ['am', 'pg_am', true],
  ['cast', 'pg_cast', true],
  ['collation', 'pg_collation', true],
  ['conversion', 'pg_conversion', true],
  ['language', 'pg_language', true],
  ['rewrite', 'pg_rewrite', true],
  ['trigger', 'pg_trigger', true],
  ['event trigger', 'pg_event_trigger', false],
  ['policy', 'pg_policy', false],
  ['publication', 'pg_publication', false],
  ['statistics', 'pg_statistic_ext', false],
  ['default acl', 'pg_default_acl', false],
  ['foreign data wrapper', 'pg_foreign_data_wrapper', false],
  ['foreign server', 'pg_foreign_server', false],
  ['text search config', 'pg_ts_config', true],
  ['text search dictionary', 'pg_ts_dict', true],
  ['transform', 'pg_transform', false],
  ['large object', 'pg_largeobject_metadata', false],
  ['role', 'pg_authid', true],
  ['database', 'pg_database', false],
  ['tablespace', 'pg_tablespace', false],
  ['database setting', 'pg_db_role_setting', false],
];

/**
 * What a fresh PostgreSQL cluster holds beyond its bootstrap catalog, as one comparable text: every schema (name,
 * owner, privileges, comment), every extension with its version, the settings the session changed, and per catalog
 * the number of objects made after initdb (oid 16384 and up). Two databases with the same fingerprint hold the same
 * user objects: none, when the reference was taken on a fresh one. Schemas are compared by name and not counted by
 * oid, because a reset drops `public` and makes it again as initdb does.
 */
export const PRISTINE_FINGERPRINT_SQL = `SELECT concat_ws(E'\\n',
  (SELECT string_agg(n.nspname || ' ' || pg_catalog.pg_get_userbyid(n.nspowner) || ' ' || coalesce(n.nspacl::text, '-') || ' ' ||
                     coalesce(pg_catalog.obj_description(n.oid, 'pg_namespace'), '-'), '; ' ORDER BY n.nspname)
     FROM pg_catalog.pg_namespace n WHERE n.nspname !~ '^pg_(toast_)?temp_'),
  (SELECT string_agg(e.extname || ' ' || e.extversion, '; ' ORDER BY e.extname) FROM pg_catalog.pg_extension e),
  (SELECT string_agg(s.name || '=' || s.setting, '; ' ORDER BY s.name) FROM pg_catalog.pg_settings s WHERE s.source = 'session'),
  (SELECT string_agg(counted, '; ') FROM (
     ${COUNTED_CATALOGS.map(([label, catalog, made]) => `SELECT '${label} ' || count(*) AS counted FROM pg_catalog.${catalog}${made ? ' WHERE oid >= 16384' : ''}`).join('\n     UNION ALL ')}
     UNION ALL SELECT 'shared comments ' || pg_catalog.md5(coalesce(string_agg(objoid || ' ' || description, ' ' ORDER BY classoid, objoid), ''))
        FROM pg_catalog.pg_shdescription
     UNION ALL SELECT 'comment ' || count(*) FROM pg_catalog.pg_description
        WHERE objoid >= 16384 AND classoid <> 'pg_catalog.pg_namespace'::pg_catalog.regclass
  ) counts)) AS fingerprint`;

/** The schemas a reset drops: all but the system's own (their objects and extensions go with them, CASCADE). */
export const USER_SCHEMAS_SQL = `SELECT nspname AS name FROM pg_catalog.pg_namespace
WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname !~ '^pg_(toast_)?temp_' ORDER BY nspname`;

/** Extensions left after the schemas are gone (made in pg_catalog), other than initdb's plpgsql. */
export const USER_EXTENSIONS_SQL = `SELECT extname AS name FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql' ORDER BY extname`;

/** Event triggers, which belong to no schema. */
export const EVENT_TRIGGERS_SQL = 'SELECT evtname AS name FROM pg_catalog.pg_event_trigger ORDER BY evtname';

/** Roles made after initdb. */
export const USER_ROLES_SQL = 'SELECT rolname AS name FROM pg_catalog.pg_authid WHERE oid >= 16384 ORDER BY rolname';

/** `public` as initdb makes it on PostgreSQL 15 and later (owner, privileges, comment). */
export const RECREATE_PUBLIC_SCHEMA_SQL = [
  'CREATE SCHEMA public AUTHORIZATION pg_database_owner',
  'GRANT USAGE ON SCHEMA public TO PUBLIC',
  "COMMENT ON SCHEMA public IS 'standard public schema'",
] as const;
