/**
 * Column types that differ between PostgreSQL and MySQL/MariaDB.
 *
 * Decorators run when a model file is loaded, so the database family has to be known then: it comes from the
 * environment variable SCHEMA_SYNC_DIALECT (`postgres` | `mysql` | `mariadb`, default `postgres`). Set it before the
 * first model file is imported; changing it afterwards has no effect on classes already decorated.
 */
import type { ColumnOptions, ColumnType } from 'typeorm';

/** The database families the models are written for. */
export type ModelDialect = 'postgres' | 'mysql' | 'mariadb';

/** The environment variable that selects the dialect the models are decorated for. */
export const DIALECT_ENV_VAR = 'SCHEMA_SYNC_DIALECT';

const DIALECTS: readonly ModelDialect[] = ['postgres', 'mysql', 'mariadb'];

/** The dialect named by SCHEMA_SYNC_DIALECT; an unknown value throws rather than silently decorating for PostgreSQL. */
export function modelDialect(): ModelDialect {
  const raw = process.env[DIALECT_ENV_VAR]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 'postgres';
  const found = DIALECTS.find((dialect) => dialect === raw);
  if (found === undefined) {
    throw new Error(`${DIALECT_ENV_VAR}=${raw} is not one of ${DIALECTS.join(', ')}`);
  }
  return found;
}

/** True when the models are decorated for PostgreSQL. */
export function isPostgres(): boolean {
  return modelDialect() === 'postgres';
}

/** True when the models are decorated for MySQL or MariaDB. */
export function isMysqlFamily(): boolean {
  return !isPostgres();
}

/** Structured JSON: `jsonb` on PostgreSQL, `json` on MySQL/MariaDB (MariaDB stores it as LONGTEXT + JSON_VALID). */
export function jsonColumnType(): ColumnType {
  return isPostgres() ? 'jsonb' : 'json';
}

/** A point in time: `timestamptz` on PostgreSQL, `datetime` on MySQL/MariaDB (no 2038 limit, no session time zone). */
export function timestampColumnType(): ColumnType {
  return isPostgres() ? 'timestamptz' : 'datetime';
}

/**
 * An embedding vector of `dimensions` floats.
 * PostgreSQL: pgvector's `vector(n)` (the extension must be installed). MySQL/MariaDB: `json`, holding the array as
 * JSON text, because MariaDB 10.11 and MySQL 8.0 have no vector type; TypeORM serialises `number[]` to JSON on its own,
 * so the entity property keeps the same type on both sides.
 */
export function embeddingColumnOptions(dimensions: number): ColumnOptions {
  return isPostgres() ? { type: 'vector', length: dimensions } : { type: 'json' };
}
