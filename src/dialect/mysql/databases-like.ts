/** The databases (schemas) whose names match a LIKE pattern (?). */
export const MYSQL_DATABASES_LIKE_SQL = 'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?';
