/**
 * Whether plans use PostgreSQL's online forms (CREATE INDEX CONCURRENTLY, NOT VALID + VALIDATE), which the lock facts
 * then describe. Not yet: they must run outside the migration's transaction. (MariaDB's explicit ALGORITHM clauses are
 * written unless --offline; they change no fact, only make the server refuse a slower algorithm.)
 */
export const ONLINE_BY_DEFAULT = false;
