/**
 * Whether plans use the online forms of DDL (CREATE INDEX CONCURRENTLY, NOT VALID + VALIDATE, explicit ALGORITHM)
 * where the server has them. Not yet: the renderers write the plain forms, and the lock facts describe those.
 */
export const ONLINE_BY_DEFAULT = false;
