/** The databases whose names match a LIKE pattern ($1). */
export const POSTGRES_DATABASES_LIKE_SQL = 'SELECT datname AS name FROM pg_catalog.pg_database WHERE datname LIKE $1';
