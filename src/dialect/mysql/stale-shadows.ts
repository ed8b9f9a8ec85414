/**
 * MySQL and MariaDB tell a non-privileged role nothing about other sessions (the process list needs PROCESS), so a
 * shadow's liveness is a named lock instead: the session that creates a shadow holds GET_LOCK(<shadow name>) until it
 * has dropped it, and the server releases the lock when that session ends, killed or not. A shadow whose lock nobody
 * holds has been left behind. Lock names are server-wide, as database names are, and shadow names fit in their 64
 * characters.
 */
export const MYSQL_SHADOWS_SQL = `SELECT SCHEMA_NAME AS name, IS_USED_LOCK(SCHEMA_NAME) IS NOT NULL AS held
FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'schema\\\\_sync\\\\_shadow\\\\_%'`;

/** Takes the shadow's liveness lock without waiting (1 when taken). */
export const TAKE_SHADOW_LOCK_SQL = 'SELECT GET_LOCK(?, 0) AS taken';

/** Releases it once the shadow is dropped. */
export const RELEASE_SHADOW_LOCK_SQL = 'SELECT RELEASE_LOCK(?) AS released';

/** Tables, views and routines of the current database: a given shadow must have none. */
export const MYSQL_USER_OBJECTS_SQL = `SELECT
  (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE())
  + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()) AS n`;
