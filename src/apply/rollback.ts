import * as path from 'node:path';
import type { DatabaseClient } from '../connect/client';
import { SchemaSyncError, messageOf } from '../util/errors';
import { History, historySqlFor } from './history';
import { loadMigration, type LoadedMigration } from './load-migration';
import { rollbackRisks, type RollbackGuardOptions, type RollbackRisk } from './rollback-guard';
import { acquireDeployLock } from './lock';
import { readMigrationStatuses, type MigrationState, type MigrationStatus } from './migration-status';
import type { MigrationFile } from './migration-files';
import { executeMigrationRun, failureCause, recordFailure, type MigrationRun, type RunProgress } from './migration-run';
import { resumePointFor } from './resume-point';
import { StatementFailure, collectStatements } from './run-steps';
import { steppedNote, type LockPolicy } from './transactional-run';
import { outOfLocksAdvice, transactionCutsFor, type TransactionCuts } from './transaction-parts';

/** Options of `rollback`. */
export interface RollbackOptions {
  readonly projectDir: string;
  readonly migrationsDir: string;
  /** How many applied migrations to undo, newest first (default 1). */
  readonly steps?: number;
  /** Undo every migration applied after this id (the id itself stays). */
  readonly to?: string;
  readonly dryRun: boolean;
  readonly allowChanged: boolean;
  readonly lockTimeoutSeconds: number;
  /** `--drop`: go on although the rollback destroys data (drops a table or column that holds some). */
  readonly allowDrop?: boolean;
  /** `--force`: go on although a data check fails (values too long, an enum value in use, NOT NULL over rows). */
  readonly force?: boolean;
  /** Where the guard copies the live schema to measure the rollback (see rollbackRisks). */
  readonly guard?: RollbackGuardOptions;
  /** PostgreSQL: each statement's lock_timeout and the retries when it runs out (default DEFAULT_LOCK_POLICY). */
  readonly lockPolicy?: LockPolicy;
  /** `--split-transactions` (PostgreSQL): run a rollback too large for the lock table in several transactions. */
  readonly splitTransactions?: boolean;
  /** Lines to show as a rollback goes (a lock retry). */
  readonly onLog?: (id: string, message: string) => void;
  /** Called as each migration's rollback starts, for the CLI's progress line. */
  readonly onStart?: (event: { readonly id: string; readonly statements: number; readonly resumeAt: number }) => void;
}

/** A migration rolled back (or, in a dry run, that would be). */
export interface RolledBack {
  readonly id: string;
  readonly statements: readonly string[];
}

/** What `rollback` did, and (in a dry run) what its guard would refuse. */
export interface RollbackOutcome {
  readonly rolledBack: readonly RolledBack[];
  /** What the rollbacks would destroy or fail on, counted on the live data; a dry run lists them. */
  readonly risks: readonly RollbackRisk[];
}

/**
 * Runs the `rollback` function of the newest applied migrations, newest first, under the deploy lock, and removes
 * their history rows. The file must be the one that was applied (same checksum) unless allowed otherwise.
 */
export async function rollbackMigrations(client: DatabaseClient, options: RollbackOptions): Promise<RollbackOutcome> {
  const history = new History(client);
  const lock = options.dryRun ? null : await acquireDeployLock(client, options.lockTimeoutSeconds);
  try {
    if (!options.dryRun) await history.ensure();
    const statuses = await readMigrationStatuses(history, options.migrationsDir);
    refuseUnfinishedApply(statuses);
    const applied = statuses.filter((s) => ROLLABLE.has(s.state));
    const chosen = choose(applied, options).reverse();
    const planned: PlannedRollback[] = [];
    for (const status of chosen) {
      const migration = loadForRollback(status, options);
      const where = path.relative(options.projectDir, (status.file as MigrationFile).path);
      const statements = await collectStatements(client, migration.rollback).catch((error: unknown) => {
        throw new SchemaSyncError('MIGRATION_FAILED', `Rollback of ${status.id}: its rollback() in ${where} threw: ${messageOf(error)}\nNothing of it ran; fix the file and roll back again.`, { cause: error });
      });
      planned.push({ status, migration, statements, where, resumeAt: await rollbackResumeAt(client, status, statements) });
    }
    // Before the guard's shadow copy (minutes on a thousand tables): a rollback the lock table cannot hold stops here.
    const parts = options.dryRun ? [] : await lockParts(client, planned, options);
    const risks = await guard(client, planned.flatMap((p) => p.statements.slice(p.resumeAt)), options);
    if (options.dryRun) return { rolledBack: planned.map((p) => ({ id: p.status.id, statements: p.statements.slice(p.resumeAt) })), risks };
    const done: RolledBack[] = [];
    for (const [i, p] of planned.entries()) {
      options.onStart?.({ id: p.status.id, statements: p.statements.length, resumeAt: p.resumeAt });
      done.push(await rollbackOne(client, history, p, parts[i] as TransactionCuts, options));
    }
    return { rolledBack: done, risks };
  } finally {
    await lock?.release();
  }
}

/** A migration chosen for rollback, with its statements and where an interrupted rollback of it goes on. */
interface PlannedRollback {
  readonly status: MigrationStatus;
  readonly migration: LoadedMigration;
  readonly statements: readonly string[];
  /** The file, relative to the project, for messages. */
  readonly where: string;
  readonly resumeAt: number;
}

/**
 * Each rollback's transactions against the lock table, counted on the catalog as it is before any of them runs (a
 * later one's tables are mostly there already): refuses one that cannot fit, or cuts it with --split-transactions.
 */
async function lockParts(client: DatabaseClient, planned: readonly PlannedRollback[], options: RollbackOptions): Promise<TransactionCuts[]> {
  const parts: TransactionCuts[] = [];
  for (const p of planned) {
    parts.push(await transactionCutsFor(client, { id: p.status.id, direction: 'rollback', statements: p.statements, resumeAt: p.resumeAt, split: options.splitTransactions === true }));
  }
  return parts;
}

/** States whose migration has (some of) its effect in the database and can be rolled back. */
const ROLLABLE: ReadonlySet<MigrationState> = new Set(['applied', 'changed', 'missing', 'rolling-back', 'rollback-failed']);

/**
 * A migration whose apply stopped halfway is not rolled back by its rollback(), written for the whole migration:
 * apply must finish it first, or a human resolves it.
 */
function refuseUnfinishedApply(statuses: readonly MigrationStatus[]): void {
  const unfinished = statuses.filter((s) => (s.state === 'failed' || s.state === 'running') && (s.record?.statementsDone ?? 0) > 0);
  if (unfinished.length === 0) return;
  throw new SchemaSyncError(
    'HISTORY_MISMATCH',
    `Not rolling back: ${unfinished.map((s) => `${s.id} is ${s.state} with ${s.record?.statementsDone} of ${s.record?.statementsTotal} statements applied`).join('; ')}.\n` +
      `Run apply to finish it, or fix it by hand and run schema-sync resolve <id> --applied (or --rolled-back).`,
  );
}

/** Where an interrupted or failed rollback goes on (only where DDL commits itself; elsewhere it never half-happened). */
async function rollbackResumeAt(client: DatabaseClient, status: MigrationStatus, statements: readonly string[]): Promise<number> {
  if (status.record === null || (status.state !== 'rolling-back' && status.state !== 'rollback-failed')) return 0;
  const point = await resumePointFor(client, historySqlFor(client), status.record, statements);
  if (point === null) return 0;
  if (point.kind === 'at') return point.done;
  throw new SchemaSyncError(
    'MIGRATION_FAILED',
    `Rollback of ${status.id} was interrupted during statement ${point.statement} of ${statements.length}, whose effect cannot be read from the catalog:\n` +
      `  ${statements[point.statement - 1] ?? '(the file no longer has that statement)'}\n` +
      `Check by hand whether it took effect and finish or undo the rest, then run\n  schema-sync resolve ${status.id} --rolled-back   (or --applied)`,
  );
}

/**
 * Measures what the rollbacks would destroy and refuses, as `sync` does: data lost needs --drop, a failing data
 * check needs --force. A dry run only lists them. With both flags there is nothing to ask.
 */
async function guard(client: DatabaseClient, statements: readonly string[], options: RollbackOptions): Promise<RollbackRisk[]> {
  if (statements.length === 0 || (options.allowDrop === true && options.force === true && !options.dryRun)) return [];
  const risks = await rollbackRisks(client, statements, options.guard ?? {});
  if (options.dryRun) return risks;
  const refused = risks.filter((risk) => (risk.severity === 'destroys' ? options.allowDrop !== true : options.force !== true));
  if (refused.length === 0) return risks;
  const flags = [...new Set(refused.map((risk) => (risk.severity === 'destroys' ? '--drop' : '--force')))].sort().join(' and ');
  throw new SchemaSyncError(
    'UNSAFE_CHANGE',
    `Not rolling back: it would lose data that is in ${client.target} now:\n${refused.map((risk) => `  - ${risk.message}`).join('\n')}\n` +
      `Back the data up or move it first, or pass ${flags} to roll back anyway.`,
  );
}

function choose(applied: readonly MigrationStatus[], options: RollbackOptions): MigrationStatus[] {
  if (options.to !== undefined) {
    const target = options.to.replace(/\.ts$/, '');
    const index = applied.findIndex((s) => s.id === target || s.id.endsWith(`/${target}`));
    if (index < 0) throw new SchemaSyncError('BAD_ARGUMENT', `--to ${options.to}: no applied migration of that id`);
    return applied.slice(index + 1);
  }
  const steps = options.steps ?? 1;
  if (!Number.isInteger(steps) || steps < 1) throw new SchemaSyncError('BAD_ARGUMENT', `--steps ${steps}: must be a whole number of at least 1`);
  return applied.slice(Math.max(0, applied.length - steps));
}

function loadForRollback(status: MigrationStatus, options: RollbackOptions): LoadedMigration {
  if (status.file === null) throw new SchemaSyncError('HISTORY_MISMATCH', `Cannot roll back ${status.id}: its file is gone (schema-sync resolve ${status.id} --rolled-back once it is undone by hand)`);
  const changed = status.state === 'changed' || (status.record !== null && status.record.checksum !== status.file.checksum);
  if (changed && !options.allowChanged) {
    throw new SchemaSyncError('HISTORY_MISMATCH', `Cannot roll back ${status.id}: the file changed since it was applied (--allow-changed to use it anyway)`);
  }
  return loadMigration(status.file, options.projectDir);
}

async function rollbackOne(client: DatabaseClient, history: History, planned: PlannedRollback, parts: TransactionCuts, options: RollbackOptions): Promise<RolledBack> {
  const { status, statements } = planned;
  const log = (message: string) => options.onLog?.(status.id, message);
  const policy = options.lockPolicy === undefined ? {} : { lockPolicy: options.lockPolicy };
  const { cuts, count } = parts;
  const run: MigrationRun = { file: status.file as MigrationFile, direction: 'rollback', fn: planned.migration.rollback, statements, resumeAt: planned.resumeAt, log, cuts, ...policy };
  const progress: RunProgress = { done: planned.resumeAt, committedFirst: 0 };
  try {
    await executeMigrationRun(client, history, run, progress);
  } catch (error) {
    const cause = failureCause(run, error, planned.where);
    const sql = error instanceof StatementFailure ? `\n${error.sql}` : '';
    await recordFailure(client, history, run, progress, error, `rollback: ${cause.split('\n')[0]}${sql}`).catch(() => undefined);
    const note =
      progress.committed !== undefined
        ? steppedNote(progress, 'rollback')
        : historySqlFor(client).transaction !== null
        ? 'Nothing of the rollback took effect (rolled back); the migration stays applied.'
        : `${progress.done === 0 ? 'No statement of the rollback took effect' : `Statements 1–${progress.done} of the rollback are done and recorded`} (rollback-failed); after fixing the cause, roll back again to resume at statement ${progress.done + 1}.`;
    throw new SchemaSyncError('MIGRATION_FAILED', `Rollback of ${status.id}: ${cause}\n${note}${outOfLocksAdvice(client, error, 'rollback', count)}`, { cause: error });
  }
  return { id: status.id, statements: statements.slice(planned.resumeAt) };
}
