import type { DatabaseClient } from '../connect/client';
import { SchemaSyncError } from '../util/errors';
import { History, type HistoryStatus } from './history';
import { loadMigration } from './load-migration';
import { acquireDeployLock } from './lock';
import { readMigrationStatuses, type MigrationStatus } from './migration-status';
import { collectStatements } from './run-steps';

/** What a human says a stopped migration is now: done by hand, or undone by hand. */
export type Resolution = 'applied' | 'rolled-back';

/** What `resolve` changed. */
export interface Resolved {
  readonly id: string;
  /** The status the history had (`failed at 2/5` in words is the caller's business). */
  readonly was: HistoryStatus;
  readonly statementsDone: number;
  readonly statementsTotal: number;
  readonly now: Resolution;
}

const UNFINISHED: ReadonlySet<HistoryStatus> = new Set(['failed', 'running', 'rolling-back', 'rollback-failed']);

/**
 * Marks a failed or interrupted migration (apply or rollback) as applied or rolled back, for the cases a human fixed
 * by hand (as `prisma migrate resolve`): `applied` records it done with the file's checksum; `rolled-back` forgets it
 * so apply runs it again from the top. Runs under the deploy lock so it never races an applier.
 */
export async function resolveMigration(
  client: DatabaseClient,
  options: { projectDir: string; migrationsDir: string; id: string; as: Resolution; lockTimeoutSeconds: number },
): Promise<Resolved> {
  const history = new History(client);
  const lock = await acquireDeployLock(client, options.lockTimeoutSeconds);
  try {
    await history.ensure();
    const statuses = await readMigrationStatuses(history, options.migrationsDir);
    const status = findUnfinished(statuses, options.id);
    const record = status.record as NonNullable<MigrationStatus['record']>;
    if (options.as === 'rolled-back') {
      await history.remove(status.id);
    } else {
      // The total of a half-rolled-back row counts its rollback's statements: the file says how many migrate() has.
      const total = status.file === null ? record.statementsTotal : (await collectStatements(client, loadMigration(status.file, options.projectDir).migrate)).length;
      await history.progress(status.id, total);
      await history.finish(status.id, { status: 'applied', done: total, durationMs: record.durationMs ?? 0, error: null, checksum: status.file?.checksum ?? record.checksum });
    }
    return { id: status.id, was: record.status, statementsDone: record.statementsDone, statementsTotal: record.statementsTotal, now: options.as };
  } finally {
    await lock.release();
  }
}

function findUnfinished(statuses: readonly MigrationStatus[], id: string): MigrationStatus {
  const wanted = id.replace(/\.ts$/, '');
  const matches = statuses.filter((s) => s.id === wanted || s.id.endsWith(`/${wanted}`));
  const unfinished = statuses.filter((s) => s.record !== null && UNFINISHED.has(s.record.status)).map((s) => s.id);
  const choices = unfinished.length === 0 ? 'No migration is failed or interrupted now.' : `Failed or interrupted: ${unfinished.join(', ')}.`;
  if (matches.length === 0) throw new SchemaSyncError('BAD_ARGUMENT', `resolve ${id}: no migration of that id in the files or the history. ${choices}`);
  if (matches.length > 1) throw new SchemaSyncError('BAD_ARGUMENT', `resolve ${id}: several migrations match (${matches.map((s) => s.id).join(', ')}); give the full id`);
  const status = matches[0] as MigrationStatus;
  if (status.record === null || !UNFINISHED.has(status.record.status)) {
    const state = status.record === null ? 'pending (never run)' : status.record.status;
    throw new SchemaSyncError('BAD_ARGUMENT', `resolve ${status.id}: it is ${state}; only a failed or interrupted migration is resolved. ${choices}`);
  }
  return status;
}
