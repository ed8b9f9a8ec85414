import type { Dialect } from '../model/schema';
import type { Row } from '../connect/client';

/**
 * What a migration file's `migrate` and `rollback` functions receive from the applier: a small, typed handle with
 * one statement per call, so progress can be recorded statement by statement where DDL commits itself (MySQL).
 */
export interface MigrationContext {
  /** The database family the statements are written for. */
  readonly dialect: Dialect;
  /** Runs one SQL statement. */
  execute(sql: string): Promise<void>;
  /** Runs a query and returns its rows (data migrations). Placeholders: `$1…` on PostgreSQL, `?` on MySQL. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** True when the applier only prints what would run; data migrations must then change nothing. */
  readonly dryRun: boolean;
  /**
   * True while the applier re-runs a resumed migration past statements an interrupted run already did (MySQL and
   * MariaDB): code between those statements (a batched copy) must not run again where its columns may be gone.
   */
  readonly replaying?: boolean;
  /** A progress line for the applier's output. */
  log(message: string): void;
}
