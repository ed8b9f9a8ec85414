import type { LockWait } from '../../apply/history-sql';

/** ER_LOCK_WAIT_TIMEOUT: a metadata lock (lock_wait_timeout) or a row lock (innodb_lock_wait_timeout) was not had in time. */
const LOCK_WAIT_TIMEOUT = 1205;

/** Whole seconds, at least one: the variable refuses fractions (checked on MariaDB 10.11: ER_WRONG_TYPE_FOR_VAR). */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * The bound on a migration statement's lock waits on MySQL and MariaDB. Every ALTER, CREATE INDEX, DROP or RENAME
 * first takes an exclusive metadata lock, and while it waits behind a long transaction every later reader and writer
 * of the table queues behind it; lock_wait_timeout (by default a year) bounds that wait, so the statement fails
 * with 1205 instead, and the applier tries again later. The variable counts whole seconds, so the milliseconds are
 * rounded up; it covers every statement, the online foreign key block's inner ALTERs included (MariaDB's
 * `ALTER TABLE … WAIT n` takes fractions but only on the statements that accept the clause). Row locks keep
 * innodb_lock_wait_timeout: a phased rename's batches (copyInBatches) run through db.query, which the applier does not
 * retry, and a writer's row lock held a few seconds must not stop them.
 */
export const mysqlLockWait: LockWait = {
  lockTimeout: (ms) => `SET SESSION lock_wait_timeout = ${seconds(ms)}`,
  resetLockTimeout: 'SET SESSION lock_wait_timeout = DEFAULT',
  isLockTimeout: (error) => (error as { errno?: unknown } | null)?.errno === LOCK_WAIT_TIMEOUT,
};
