import type { DatabaseClient } from '../connect/client';
import type { LockCapacity, LockFacts, StatementLocks } from './lock-budget';

/** How a statement is journaled where DDL commits itself: see StatementJournal. */
export type StatementKind = 'data' | 'session' | 'schema' | 'repeatable' | 'unknown';

/**
 * What the applier asks a dialect whose DDL commits itself, to resume exactly after a crash: `data` statements run in
 * one transaction with their progress row; `session` settings are run again on resume; a `schema` statement gets
 * a fingerprint of the objects it names, recorded before it runs and compared with the live catalog on resume;
 * a `repeatable` one (MariaDB's online foreign key block) reads the catalog itself and does only what is left, so
 * after a crash during it it simply runs again; `unknown` ones cannot be checked, so a crash during one stops the resume.
 */
export interface StatementJournal {
  kindOf(sql: string): StatementKind;
  /** Opens, commits and abandons the transaction a data statement runs in with its progress row. */
  readonly transaction: { readonly begin: string; readonly commit: string; readonly rollback: string };
  /** A fingerprint of the catalog objects a schema statement names, as they are now; null when it names none. */
  fingerprint(client: DatabaseClient, sql: string): Promise<string | null>;
  /** The bound on each statement's wait for a table (metadata) lock. */
  readonly lockWait: LockWait;
}

/** How a dialect bounds a statement's wait for a table lock, and how it says the bound ran out. */
export interface LockWait {
  /** Sets the session's limit on waiting for a table lock (a dialect may round it to what the server counts in). */
  lockTimeout(ms: number): string;
  /** Puts that limit back to the server's default. */
  readonly resetLockTimeout: string;
  /** The error says a lock could not be had within that limit. */
  isLockTimeout(error: unknown): boolean;
}

/**
 * What a transactional dialect tells the applier about online DDL (see transactional-run.ts). A `runsAlone` statement
 * commits what ran before it and runs by itself, so the locks taken earlier in the migration are not held while it
 * scans a table; a `noTransaction` one (CREATE INDEX CONCURRENTLY) cannot run in a transaction block at all, so its
 * intent is recorded first and `settle` decides, after an interruption, whether it took effect.
 */
export interface OnlineStatements extends LockWait {
  readonly runsAlone: RegExp;
  readonly noTransaction: RegExp;
  /**
   * Whether an interrupted `noTransaction` statement took effect (`done`) or must run again (`redo`, after removing
   * what a half-done one left, such as an INVALID index); `unknown` when the statement is not one it can read.
   */
  settle(client: DatabaseClient, sql: string): Promise<'done' | 'redo' | 'unknown'>;
  /** The statement as the embedded database runs it (one connection: nothing to run concurrently with); PgliteClient applies it. */
  embeddedForm(sql: string): string;
}

/**
 * How a dialect whose migration holds every lock to its commit counts them before it runs (see lock-budget.ts):
 * what each statement names, the catalog facts of those names in one query, and the server's lock table size.
 */
export interface LockBudgetSql {
  locksOf(sql: string): StatementLocks;
  facts(client: DatabaseClient, names: readonly string[]): Promise<LockFacts>;
  capacity(client: DatabaseClient): Promise<LockCapacity>;
  /** The error says the lock table is full (the estimate was short, or other sessions took the rest). */
  isOutOfLocks(error: unknown): boolean;
  /** The statement that raises the per-transaction lock setting to `value` (it takes a server restart). */
  setting(value: number): string;
}

/** The SQL a dialect provides for the history table and the deploy lock (the applier itself writes no SQL). */
export interface HistorySql {
  /** Creates `schema_sync_history` if it is missing. */
  readonly createTable: string;
  /** Whether the history table exists (one row with `n` > 0 when it does). */
  readonly tableExists: string;
  /** The column names the history table has now (so an older table gains the newer columns). */
  readonly columns: string;
  /** Columns added after the first release, with the statement that adds each to an older table. */
  readonly upgrade: readonly { readonly column: string; readonly add: string }[];
  /** All rows, oldest first. */
  readonly selectAll: string;
  /** Params: id, release, name, checksum, statements_total, status, statements_done. An existing row is restarted. */
  readonly insert: string;
  /** Params: statements_done, id. Clears the intent. */
  readonly updateProgress: string;
  /** Params: statements_done, intent_fingerprint, id: the statement after `statements_done` is about to run. */
  readonly recordIntent: string;
  /** Params: status, statements_done, duration_ms, error, checksum, id. */
  readonly finish: string;
  /** Params: id. */
  readonly remove: string;
  /** Params: lock name, timeout in seconds. Returns one row with `ok` = 1 when the lock was taken. */
  readonly tryLock: string;
  /** Params: lock name. */
  readonly unlock: string;
  /** Statements that open and close one transaction around a migration; null where DDL commits itself. */
  readonly transaction: {
    readonly begin: string;
    readonly commit: string;
    readonly rollback: string;
    /**
     * Statements whose effect the rest of their transaction cannot use, and that may safely run again. A migration's
     * leading run of them commits in a transaction of its own before the rest (see leadingCommitFirst).
     */
    readonly commitFirst: RegExp;
    /** Statements that must not share the migration's transaction (online DDL); see OnlineStatements. */
    readonly online?: OnlineStatements;
    /** Counts the locks a migration's transaction will hold, to stop one the lock table cannot hold before it runs. */
    readonly lockBudget?: LockBudgetSql;
  } | null;
  /** Where there is no transaction: how each statement is journaled so a resume is exact. */
  readonly journal: StatementJournal | null;
}

/** The name of the history table. */
export const HISTORY_TABLE = 'schema_sync_history';
