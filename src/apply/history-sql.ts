/** The SQL a dialect provides for the history table and the deploy lock (the applier itself writes no SQL). */
export interface HistorySql {
  /** Creates `schema_sync_history` if it is missing. */
  readonly createTable: string;
  /** Whether the history table exists (one row with `n` > 0 when it does). */
  readonly tableExists: string;
  /** All rows, oldest first. */
  readonly selectAll: string;
  /** Params: id, release, name, checksum, statements_total, status. */
  readonly insert: string;
  /** Params: statements_done, id. */
  readonly updateProgress: string;
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
  } | null;
}

/** The name of the history table. */
export const HISTORY_TABLE = 'schema_sync_history';
