/**
 * The shadow databases on a PostgreSQL server with the number of sessions connected to each. pg_stat_activity lists
 * every session's database to any role (only other roles' queries are hidden), so the count holds for non-superusers.
 */
export const POSTGRES_SHADOWS_SQL = `SELECT d.datname AS name, (SELECT count(*) FROM pg_catalog.pg_stat_activity a WHERE a.datid = d.oid) AS connections
FROM pg_catalog.pg_database d WHERE d.datname LIKE 'schema\\_sync\\_shadow\\_%'`;
