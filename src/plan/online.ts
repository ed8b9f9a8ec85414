/**
 * Whether plans use the online forms (PostgreSQL: CREATE/DROP INDEX CONCURRENTLY, NOT VALID + VALIDATE, SET NOT NULL
 * through a validated check; MariaDB: explicit ALGORITHM clauses), which the lock facts then describe. `--offline`
 * writes the plain forms.
 */
export const ONLINE_BY_DEFAULT = true;
