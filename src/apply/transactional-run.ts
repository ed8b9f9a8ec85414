import type { DatabaseClient } from '../connect/client';
import { SchemaSyncError } from '../util/errors';
import type { History, HistoryStatus } from './history';
import type { HistorySql, OnlineStatements } from './history-sql';
import type { MigrationRun, RunProgress } from './migration-run';
import { StatementFailure, executeStatements, leadingCommitFirst, runCommitted, runStatement } from './run-steps';

type Transaction = NonNullable<HistorySql['transaction']>;

/** How long a statement waits for a table lock, and how often a migration tries again when it could not get one. */
export interface LockPolicy {
  readonly timeoutMs: number;
  /** Further attempts after the first one timed out. */
  readonly retries: number;
  /** The wait before the first retry; it doubles for each further one (up to 30 s). */
  readonly backoffMs: number;
}

/** A few seconds: long enough for a busy table's short transactions, short enough that queued writers barely notice. */
export const DEFAULT_LOCK_POLICY: LockPolicy = { timeoutMs: 3000, retries: 5, backoffMs: 1000 };

/** The intent recorded before a statement that runs outside any transaction (its effect is read by `settle`). */
export const OUTSIDE_TRANSACTION = 'outside-transaction';

/** What a transactional run writes into its history row. */
export interface RunRecord {
  readonly row: { id: string; release: string; name: string; checksum: string; total: number };
  readonly status: HistoryStatus;
  /** Records the run finished (apply: applied; rollback: row removed), inside the last transaction. */
  readonly finish: () => Promise<void>;
}

/**
 * Runs a migration where DDL is transactional. Without online statements: the leading commit-first statements in a
 * transaction of their own, then the rest and the history row in one transaction. Each online statement
 * (OnlineStatements.runsAlone) first commits what ran before it together with the row's progress, then runs alone;
 * a statement that cannot run in a transaction records its intent first, so a kill at any point resumes exactly.
 * Every statement runs under the policy's lock_timeout; when one cannot get its lock the open transaction rolls back
 * and the run tries again from the last commit, saying so through `run.log`, up to `retries` times.
 */
export async function runInTransactions(client: DatabaseClient, history: History, transaction: Transaction, run: MigrationRun, record: RunRecord, progress: RunProgress): Promise<void> {
  const online = transaction.online;
  const policy = run.lockPolicy ?? DEFAULT_LOCK_POLICY;
  if (online !== undefined) await client.execute(online.lockTimeout(policy.timeoutMs));
  try {
    let skip = run.resumeAt;
    for (let attempt = 0; ; attempt++) {
      try {
        await attemptRun(client, history, transaction, run, record, progress, skip);
        return;
      } catch (error) {
        if (online === undefined || !isLockTimeout(online, error) || attempt >= policy.retries) throw error;
        skip = await retryPoint(client, online, run, progress, error);
        const wait = Math.min(policy.backoffMs * 2 ** attempt, 30_000);
        run.log(`statement ${(error as StatementFailure).index} could not get its lock within ${policy.timeoutMs} ms; retry ${attempt + 1} of ${policy.retries} in ${(wait / 1000).toFixed(1)} s from statement ${skip + 1}`);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  } finally {
    if (online !== undefined) await client.execute(online.resetLockTimeout).catch(() => undefined);
  }
}

function isLockTimeout(online: OnlineStatements, error: unknown): boolean {
  return error instanceof StatementFailure && online.isLockTimeout(error.original);
}

/** Where a retry starts: after the last commit, or after the statement that was outside a transaction if it took effect. */
async function retryPoint(client: DatabaseClient, online: OnlineStatements, run: MigrationRun, progress: RunProgress, error: unknown): Promise<number> {
  const inFlight = progress.outsideInFlight ?? null;
  if (inFlight === null) return progress.committed ?? run.resumeAt;
  const outcome = await online.settle(client, run.statements[inFlight - 1] ?? '');
  if (outcome === 'unknown') throw error;
  progress.outsideInFlight = null;
  return outcome === 'done' ? inFlight : inFlight - 1;
}

/** One attempt from statement `skip + 1`; rolls back its open transaction when it fails. */
async function attemptRun(client: DatabaseClient, history: History, transaction: Transaction, run: MigrationRun, record: RunRecord, progress: RunProgress, skip: number): Promise<void> {
  const online = transaction.online;
  const first = leadingCommitFirst(run.statements, transaction);
  let open = false;
  const begin = async () => {
    await client.execute(transaction.begin);
    open = true;
  };
  const commit = async () => {
    await client.execute(transaction.commit);
    open = false;
  };
  // Commits what ran so far with the row's progress: a kill after it resumes at the next statement.
  const commitStep = async (done: number) => {
    await history.progress(record.row.id, done);
    await commit();
    progress.committed = done;
  };
  try {
    // Only a run that has committed nothing with its row runs the commit-first statements (IF NOT EXISTS: again is harmless).
    if (skip === 0) {
      await runCommitted(client, run.statements.slice(0, first), transaction, (n) => void (progress.done = n));
      progress.committedFirst = first;
    }
    const from = Math.max(skip, first);
    await begin();
    await history.start({ ...record.row, status: record.status, done: from });
    progress.done = await executeStatements(client, run.fn, {
      skip: from,
      run: async (index, sql) => {
        if (online === undefined || !online.runsAlone.test(sql)) {
          if (index > from + 1 && run.cuts?.has(index) === true) {
            await commitStep(index - 1);
            await begin();
          }
          await runStatement(client, index, sql);
        } else {
          await commitStep(index - 1);
          await runAlone(client, history, transaction, online, record.row.id, index, sql, progress);
          progress.committed = index;
          await begin();
        }
        progress.done = index;
      },
      log: run.log,
    });
    await record.finish();
    await commit();
  } catch (error) {
    if (open) await client.execute(transaction.rollback).catch(() => undefined);
    throw error;
  }
}

/**
 * An online statement by itself. Outside any transaction (CONCURRENTLY), with its intent recorded first: a failed
 * one may leave an INVALID index, which still slows every write (and a unique one refuses some), so it is removed at
 * once when the session still can; a resume removes it otherwise. Else in a transaction with its progress.
 */
async function runAlone(
  client: DatabaseClient,
  history: History,
  transaction: Transaction,
  online: OnlineStatements,
  id: string,
  index: number,
  sql: string,
  progress: RunProgress,
): Promise<void> {
  if (client.embedded || !online.noTransaction.test(sql)) {
    await client.execute(transaction.begin);
    try {
      await runStatement(client, index, sql);
      await history.progress(id, index);
      await client.execute(transaction.commit);
    } catch (error) {
      await client.execute(transaction.rollback).catch(() => undefined);
      throw error;
    }
    return;
  }
  await history.intent(id, index - 1, OUTSIDE_TRANSACTION);
  progress.outsideInFlight = index;
  try {
    await runStatement(client, index, sql);
  } catch (error) {
    await settleAfterFailure(client, history, online, id, index, sql, progress);
    throw error;
  }
  await history.progress(id, index);
  progress.outsideInFlight = null;
}

/** Removes what a refused concurrent statement left, and clears its intent when that worked. */
async function settleAfterFailure(client: DatabaseClient, history: History, online: OnlineStatements, id: string, index: number, sql: string, progress: RunProgress): Promise<void> {
  try {
    const outcome = await online.settle(client, sql);
    if (outcome !== 'redo') return;
    await history.progress(id, index - 1);
    progress.outsideInFlight = null;
  } catch {
    // The session may be gone (the backend was terminated): the intent stays and the resume settles it.
  }
}

/** What a failed run left where it committed in steps: the statements recorded, and where apply resumes. */
export function steppedNote(progress: RunProgress, direction: 'apply' | 'rollback'): string {
  const committed = progress.committed ?? 0;
  const again = direction === 'apply' ? 'apply again' : 'roll back again';
  const inFlight = progress.outsideInFlight ?? null;
  const pending =
    inFlight === null ? '' : ` Statement ${inFlight} ran outside a transaction and was interrupted: ${again} checks whether it took effect (an INVALID index it left is dropped and built again).`;
  if (committed === 0) return `No statement of it took effect.${pending} After fixing the cause, ${again}.`;
  return `Statements 1–${committed} are committed and recorded (online statements and --split-transactions commit in steps); after fixing the cause, ${again} to resume at statement ${committed + 1}.${pending}`;
}

/** Refuses a resume that cannot tell whether an interrupted statement outside a transaction took effect. */
export function cannotSettle(id: string, statement: number, sql: string | undefined): SchemaSyncError {
  return new SchemaSyncError(
    'MIGRATION_FAILED',
    `Migration ${id} was interrupted during statement ${statement}, which ran outside a transaction and whose effect cannot be read from the catalog:\n  ${sql ?? '(the file no longer has that statement)'}\n` +
      `Check by hand whether it took effect, then run schema-sync resolve ${id} --applied (or --rolled-back).`,
  );
}
