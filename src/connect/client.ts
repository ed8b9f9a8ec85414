import type { Dialect } from '../model/schema';

/** A row as a driver returns it: column name to value. */
export type Row = Record<string, unknown>;

/**
 * The one database handle every I/O stage uses (introspection, shadow databases, the applier).
 * Implementations wrap pg, mysql2 and PGlite; each counts the statements it runs so tests and benchmarks can prove
 * that introspection issues a fixed number of catalog queries.
 */
export interface DatabaseClient {
  /** `postgres` for PostgreSQL and PGlite; `mysql` or `mariadb` as detected from the server's version string. */
  readonly dialect: Dialect;
  /** What the client talks to, safe to print: the URL with its password masked, or `embedded PGlite (<dir>)`. */
  readonly target: string;
  /** True for the embedded PGlite database. */
  readonly embedded: boolean;
  /** Runs one parameterised statement and returns its rows. Placeholders: `$1…` on PostgreSQL, `?` on MySQL. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of one or more statements without parameters. */
  execute(sql: string): Promise<void>;
  /** Number of `query`/`execute` calls made so far. */
  readonly statementCount: number;
  /** The server's version string (`SELECT version()`). */
  serverVersion(): Promise<string>;
  close(): Promise<void>;
}
