import type { DatabaseClient } from '../connect/client';
import type { MigrationContext } from '../migrations/context';
import { History, UNDECIDABLE, historySqlFor } from './history';
import type { StatementJournal } from './history-sql';
import type { MigrationFile } from './migration-files';
import { messageOf } from '../util/errors';
import { StatementFailure, executeStatements, runStatement } from './run-steps';
import { DEFAULT_LOCK_POLICY, runInTransactions, type LockPolicy } from './transactional-run';

/** Which way a run goes: `apply` runs migrate() and records it applied; `rollback` runs rollback() and forgets it. */
export type RunDirection = 'apply' | 'rollback';

/** One run of a migration's migrate() or rollback(), with what an earlier interrupted run already did. */
export interface MigrationRun {
  readonly file: MigrationFile;
  readonly direction: RunDirection;
  readonly fn: (db: MigrationContext) => Promise<void>;
  /** The statements the function asks for, collected in a dry pass. */
  readonly statements: readonly string[];
  /** Statements an interrupted run of the same direction already did (see findResumePoint). */
  readonly resumeAt: number;
  readonly log: (message: string) => void;
  /** Each statement's lock wait and the retries when it runs out (default DEFAULT_LOCK_POLICY). */
  readonly lockPolicy?: LockPolicy;
  /**
   * Where DDL is transactional: the statements (1-based) before which the run commits with its progress and opens a
   * new transaction, so that each fits the lock table (see transactionCuts). None: one transaction.
   */
  readonly cuts?: ReadonlySet<number>;
}

/** How far a run got before it stopped: statements done, and those committed first on PostgreSQL. */
export interface RunProgress {
  done: number;
  committedFirst: number;
  /** Statements committed together with the history row (set once a run with online statements committed a step). */
  committed?: number;
  /** The statement running outside a transaction when the run stopped, if any (its intent is recorded). */
  outsideInFlight?: number | null;
}

/**
 * Runs a migration function with its history. Where DDL is transactional the run and its history row commit
 * together (apply: recorded applied; rollback: row removed), except the leading statements that must commit first.
 * Elsewhere each statement is journaled (see journaledStatement), so a crash at any point resumes exactly.
 * `progress` is updated as statements finish, for the caller's error message.
 */
export async function executeMigrationRun(client: DatabaseClient, history: History, run: MigrationRun, progress: RunProgress): Promise<void> {
  const sql = historySqlFor(client);
  const started = performance.now();
  const record = { id: run.file.id, release: run.file.release.version, name: run.file.name, checksum: run.file.checksum, total: run.statements.length };
  const status = run.direction === 'apply' ? 'running' : 'rolling-back';
  const finish = async () => {
    if (run.direction === 'rollback') await history.remove(run.file.id);
    else await history.finish(run.file.id, { status: 'applied', done: run.statements.length, durationMs: performance.now() - started, error: null, checksum: run.file.checksum });
  };
  progress.done = run.resumeAt;
  if (sql.transaction !== null) {
    await runInTransactions(client, history, sql.transaction, run, { row: record, status, finish }, progress);
    return;
  }
  const journal = sql.journal as StatementJournal;
  const policy = run.lockPolicy ?? DEFAULT_LOCK_POLICY;
  await history.start({ ...record, status, done: run.resumeAt });
  await client.execute(journal.lockWait.lockTimeout(policy.timeoutMs));
  try {
    await executeStatements(client, run.fn, {
      skip: run.resumeAt,
      // A killed session's settings died with it: the new one needs them for the statements still to run.
      onSkipped: async (_index, statement) => {
        if (journal.kindOf(statement) === 'session') await client.execute(statement);
      },
      run: async (index, statement) => {
        await withLockRetries(journal, policy, run.log, index, () => journaledStatement(client, history, journal, run.file.id, index, statement));
        progress.done = index;
      },
      log: run.log,
    });
  } finally {
    await client.execute(journal.lockWait.resetLockTimeout).catch(() => undefined);
  }
  await finish();
}

/**
 * Runs one journaled statement, again after 1 s, 2 s, 4 s … (up to 30 s) when it could not get its lock within the
 * policy's timeout, at most `retries` more times, saying so. A statement refused for its lock did not take effect
 * (DDL is atomic, a data statement rolled back with its progress), and the ones before it stay committed, so the
 * retry starts at that statement.
 */
async function withLockRetries(journal: StatementJournal, policy: LockPolicy, log: (message: string) => void, index: number, attempt: () => Promise<void>): Promise<void> {
  for (let retry = 0; ; retry++) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (!(error instanceof StatementFailure) || !journal.lockWait.isLockTimeout(error.original) || retry >= policy.retries) throw error;
      const wait = Math.min(policy.backoffMs * 2 ** retry, 30_000);
      log(`statement ${index} could not get its lock within ${policy.timeoutMs} ms; retry ${retry + 1} of ${policy.retries} in ${(wait / 1000).toFixed(1)} s from statement ${index}`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * One statement where DDL commits itself, so that a crash at any point leaves the history able to say whether it
 * took effect: a data change commits together with its progress; a schema change records its intent (the fingerprint
 * of what it touches) first and its progress after, and the resume compares the catalog with the intent.
 */
async function journaledStatement(client: DatabaseClient, history: History, journal: StatementJournal, id: string, index: number, sql: string): Promise<void> {
  switch (journal.kindOf(sql)) {
    case 'data':
      await client.execute(journal.transaction.begin);
      try {
        await runStatement(client, index, sql);
        await history.progress(id, index);
        await client.execute(journal.transaction.commit);
      } catch (error) {
        await client.execute(journal.transaction.rollback).catch(() => undefined);
        throw error;
      }
      return;
    case 'session':
    case 'repeatable':
      // No intent: the progress row is exact, and a statement in flight when the run stopped runs again.
      await runStatement(client, index, sql);
      await history.progress(id, index);
      return;
    case 'schema':
    case 'unknown':
      await history.intent(id, index - 1, (await journal.fingerprint(client, sql)) ?? UNDECIDABLE);
      await runStatement(client, index, sql);
      await history.progress(id, index);
      return;
  }
}

/**
 * Records a run that stopped on an error, as exactly as the history can: on PostgreSQL the transaction is gone, so a
 * failed apply is a `failed` row with nothing done and a failed rollback leaves the row applied. Where DDL commits
 * itself, a statement the server refused did not take effect (its intent is cleared); any other error leaves the
 * intent for the resume to check.
 */
export async function recordFailure(client: DatabaseClient, history: History, run: MigrationRun, progress: RunProgress, error: unknown, message: string): Promise<void> {
  const record = { id: run.file.id, release: run.file.release.version, name: run.file.name, checksum: run.file.checksum, total: run.statements.length };
  const outcome = { durationMs: 0, error: message, checksum: run.file.checksum };
  if (historySqlFor(client).transaction !== null) {
    if (progress.committed !== undefined) {
      // Committed in steps: the row holds what committed (and the intent of a statement outside a transaction).
      await history.finish(run.file.id, { ...outcome, status: run.direction === 'apply' ? 'failed' : 'rollback-failed', done: progress.committed });
      return;
    }
    if (run.direction === 'rollback') return;
    await history.start({ ...record, status: 'failed' });
    await history.finish(run.file.id, { ...outcome, status: 'failed', done: 0 });
    return;
  }
  if (error instanceof StatementFailure) await history.progress(run.file.id, error.index - 1);
  await history.finish(run.file.id, { ...outcome, status: run.direction === 'apply' ? 'failed' : 'rollback-failed', done: progress.done });
}

/** What stopped a run, naming the statement the server refused or the file whose own code threw. */
export function failureCause(run: MigrationRun, error: unknown, where: string): string {
  if (error instanceof StatementFailure) {
    return `statement ${error.index} of ${run.statements.length} failed: ${error.message}\n  ${error.sql}`;
  }
  return `its ${run.direction === 'apply' ? 'migrate' : 'rollback'}() in ${where} threw: ${messageOf(error)}`;
}
