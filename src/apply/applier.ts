import * as path from 'node:path';
import type { DatabaseClient } from '../connect/client';
import { SchemaSyncError, messageOf } from '../util/errors';
import { History } from './history';
import { historySqlFor } from './history';
import { loadMigration, type LoadedMigration } from './load-migration';
import { acquireDeployLock } from './lock';
import { findMigrationFiles, type MigrationFile } from './migration-files';
import { migrationStatuses, type MigrationStatus } from './migration-status';
import { executeMigrationRun, failureCause, recordFailure, type MigrationRun, type RunProgress } from './migration-run';
import { resumePointFor } from './resume-point';
import { selectPhase } from './phase-selection';
import type { Phase } from '../plan/phase';
import { StatementFailure, collectStatements } from './run-steps';
import { steppedNote, type LockPolicy } from './transactional-run';
import { outOfLocksAdvice, transactionCutsFor } from './transaction-parts';

/** Options of `apply`. */
export interface ApplyOptions {
  readonly projectDir: string;
  /** Root of the release folders (absolute). */
  readonly migrationsDir: string;
  readonly dryRun: boolean;
  /** Stop after this migration id, or after the last migration of this release. */
  readonly to?: string;
  /** `--phase`: only the pending migrations of this deploy phase (see selectPhase). */
  readonly phase?: Phase;
  readonly allowChanged: boolean;
  readonly lockTimeoutSeconds: number;
  /** PostgreSQL: each statement's lock_timeout and the retries when it runs out (default DEFAULT_LOCK_POLICY). */
  readonly lockPolicy?: LockPolicy;
  /** `--split-transactions` (PostgreSQL): run a migration too large for the lock table in several transactions. */
  readonly splitTransactions?: boolean;
  /** Progress, one call per event, for the CLI's lines. */
  readonly onEvent?: (event: ApplyEvent) => void;
}

/** What the applier reports as it goes. */
export type ApplyEvent =
  | { readonly kind: 'start'; readonly id: string; readonly statements: number; readonly resumeAt: number }
  | { readonly kind: 'done'; readonly id: string; readonly statements: number; readonly ms: number }
  | { readonly kind: 'would-run'; readonly id: string; readonly statements: readonly string[] }
  /** A dry run could not run the migration's migrate() (it reads what an earlier pending one creates, say). */
  | { readonly kind: 'cannot-dry-run'; readonly id: string; readonly file: string; readonly reason: string }
  /** What a migration logs through db.log(). */
  | { readonly kind: 'log'; readonly id: string; readonly message: string };

/** A migration the applier ran (or, in a dry run, would run). */
export interface AppliedMigration {
  readonly id: string;
  readonly statements: number;
  readonly ms: number;
  /** Statements skipped because an earlier, interrupted run had done them. */
  readonly resumedAt: number;
  readonly sql?: readonly string[];
  /** Why a dry run shows no SQL for it. */
  readonly note?: string;
}

/**
 * Applies pending migrations in order under the deploy lock. On PostgreSQL each migration and its history row
 * commit together; on MySQL each statement is journaled, and a failed or killed migration resumes at the statement
 * that did not take effect (see findResumePoint). Applied files that changed or disappeared stop the run unless
 * allowed.
 */
export async function applyMigrations(client: DatabaseClient, options: ApplyOptions): Promise<AppliedMigration[]> {
  const history = new History(client);
  const lock = options.dryRun ? null : await acquireDeployLock(client, options.lockTimeoutSeconds);
  try {
    // Under the lock: concurrent appliers must not both add a column an older history table lacks.
    if (!options.dryRun) await history.ensure();
    const files = findMigrationFiles(options.migrationsDir);
    const statuses = migrationStatuses(files, await history.all());
    assertHistoryMatches(statuses, options);
    const pending = selectPhase(upTo(statuses.filter((s) => s.file !== null && s.state !== 'applied' && s.state !== 'changed'), options.to, statuses), options.phase);
    const applied: AppliedMigration[] = [];
    for (const status of pending) {
      applied.push(await applyOne(client, history, status, options));
    }
    return applied;
  } finally {
    await lock?.release();
  }
}

async function applyOne(client: DatabaseClient, history: History, status: MigrationStatus, options: ApplyOptions): Promise<AppliedMigration> {
  const file = status.file as MigrationFile;
  const where = path.relative(options.projectDir, file.path) || file.path;
  const migration = loadMigration(file, options.projectDir);
  if (migration.dialect !== null && familyOf(migration.dialect) !== familyOf(client.dialect)) {
    throw new SchemaSyncError('MIGRATION_FAILED', `Migration ${file.id} is written for ${migration.dialect}, but ${client.target} is ${client.dialect}`);
  }
  if (options.dryRun) return dryRunOne(client, file, migration.migrate, options);
  const log = (message: string) => options.onEvent?.({ kind: 'log', id: file.id, message });
  const statements = await collectOrRecord(client, history, status, migration.migrate, where);
  const resumeAt = await resumeAtOf(client, status, statements);
  // Before anything runs: a transaction the lock table cannot hold is refused (or, when asked, cut into parts).
  const { cuts, count } = await transactionCutsFor(client, { id: file.id, direction: 'apply', statements, resumeAt, split: options.splitTransactions === true });
  options.onEvent?.({ kind: 'start', id: file.id, statements: statements.length, resumeAt });
  const started = performance.now();
  const run: MigrationRun = { file, direction: 'apply', fn: migration.migrate, statements, resumeAt, log, cuts, ...(options.lockPolicy === undefined ? {} : { lockPolicy: options.lockPolicy }) };
  const progress: RunProgress = { done: resumeAt, committedFirst: 0 };
  try {
    await executeMigrationRun(client, history, run, progress);
  } catch (error) {
    const cause = failureCause(run, error, where);
    const sql = error instanceof StatementFailure ? `\n${error.sql}` : '';
    await recordFailure(client, history, run, progress, error, `${cause.split('\n')[0]}${sql}`).catch(() => undefined);
    throw new SchemaSyncError('MIGRATION_FAILED', `Migration ${file.id}: ${cause}\n${failureNote(client, progress)}${outOfLocksAdvice(client, error, 'apply', count)}`, { cause: error });
  }
  const ms = performance.now() - started;
  options.onEvent?.({ kind: 'done', id: file.id, statements: statements.length, ms });
  return { id: file.id, statements: statements.length, ms, resumedAt: resumeAt };
}

/**
 * The statements a migration asks for. When its own code throws before any runs, the failure is recorded (a new
 * migration gets a failed row; an interrupted one keeps its progress) and the error names the file.
 */
async function collectOrRecord(client: DatabaseClient, history: History, status: MigrationStatus, migrate: LoadedMigration['migrate'], where: string): Promise<string[]> {
  const file = status.file as MigrationFile;
  try {
    return await collectStatements(client, migrate);
  } catch (error) {
    const message = `its migrate() in ${where} threw: ${messageOf(error)}`;
    const done = status.record?.statementsDone ?? 0;
    const total = status.record?.statementsTotal ?? 0;
    if (status.record === null) await history.start({ id: file.id, release: file.release.version, name: file.name, checksum: file.checksum, total, status: 'failed' }).catch(() => undefined);
    await history.finish(file.id, { status: status.record?.status === 'running' ? 'running' : 'failed', done, durationMs: 0, error: message, checksum: status.record?.checksum ?? file.checksum }).catch(() => undefined);
    throw new SchemaSyncError('MIGRATION_FAILED', `Migration ${file.id}: ${message}\nNothing of it ran in this attempt; fix the file and apply again.`, { cause: error });
  }
}

/**
 * Where an interrupted or failed run goes on. Only where DDL commits itself: on PostgreSQL a failed migration rolled
 * back whole and starts again from the top. A statement whose effect the catalog cannot show stops here.
 */
async function resumeAtOf(client: DatabaseClient, status: MigrationStatus, statements: readonly string[]): Promise<number> {
  if (status.record === null) return 0;
  const point = await resumePointFor(client, historySqlFor(client), status.record, statements);
  if (point === null) return 0;
  if (point.kind === 'at') return point.done;
  throw new SchemaSyncError(
    'MIGRATION_FAILED',
    `Migration ${status.id} was interrupted during statement ${point.statement} of ${statements.length}, whose effect cannot be read from the catalog:\n` +
      `  ${statements[point.statement - 1] ?? '(the file no longer has that statement)'}\n` +
      `Statements 1–${point.statement - 1} are applied. Check by hand whether statement ${point.statement} took effect and finish or undo the rest, then run\n` +
      `  schema-sync resolve ${status.id} --applied   (or --rolled-back)`,
  );
}

/** What a failed run left behind: rolled back, committed in steps (online statements), or journaled. */
function failureNote(client: DatabaseClient, progress: RunProgress): string {
  if (progress.committed !== undefined) return steppedNote(progress, 'apply');
  return historySqlFor(client).transaction !== null ? rolledBackNote(progress.committedFirst) : journaledNote(progress.done);
}

/** What a failed run left behind where DDL commits itself. */
function journaledNote(done: number): string {
  if (done === 0) return 'No statement of it took effect; after fixing the cause, apply again.';
  return `Statements 1–${done} are applied and recorded; after fixing the cause, apply again to resume at statement ${done + 1}.`;
}

/**
 * The SQL a migration would run, collected without running it. Earlier pending migrations do not run in a dry run,
 * so a data migration that reads what they create fails here: that is a note, not a reason to stop.
 */
async function dryRunOne(client: DatabaseClient, file: MigrationFile, migrate: LoadedMigration['migrate'], options: ApplyOptions): Promise<AppliedMigration> {
  const name = path.relative(options.migrationsDir, file.path);
  try {
    const statements = await collectStatements(client, migrate, (message) => options.onEvent?.({ kind: 'log', id: file.id, message }));
    options.onEvent?.({ kind: 'would-run', id: file.id, statements });
    return { id: file.id, statements: statements.length, ms: 0, resumedAt: 0, sql: statements };
  } catch (error) {
    options.onEvent?.({ kind: 'cannot-dry-run', id: file.id, file: name, reason: messageOf(error) });
    return { id: file.id, statements: 0, ms: 0, resumedAt: 0, sql: [], note: `cannot dry-run ${name}: ${messageOf(error)}` };
  }
}

/** What a failed migration left behind where it ran in a transaction. */
function rolledBackNote(committedFirst: number): string {
  if (committedFirst === 0) return 'Nothing of it was applied (rolled back).';
  return (
    `Statements 1–${committedFirst} (enum values, committed before the rest could use them) stay; the rest was rolled back. ` +
    'Applying again runs them again harmlessly (IF NOT EXISTS).'
  );
}

function assertHistoryMatches(statuses: readonly MigrationStatus[], options: ApplyOptions): void {
  refuseHalfRolledBack(statuses);
  if (options.allowChanged) return;
  const folder = path.relative(options.projectDir, options.migrationsDir) || options.migrationsDir;
  const lines = statuses.flatMap((s) => {
    const record = s.record;
    if (record === null) return [];
    const checksums = `checksum ${record.checksum.slice(0, 12)} -> ${s.file?.checksum.slice(0, 12)}`;
    if (s.state === 'changed') return [`${s.id}: applied, but the file changed since (${checksums})`];
    if (s.state === 'missing' && record.status === 'applied') return [`${s.id}: applied, but its file is gone from ${folder}`];
    if (s.state === 'missing') {
      return [`${s.id}: ${record.status} with ${record.statementsDone} of ${record.statementsTotal} statements applied, and its file is gone from ${folder}: once the database is as it should be, run schema-sync resolve ${s.id} --rolled-back (or --applied)`];
    }
    if (resumesByPosition(s) && record.checksum !== s.file?.checksum) {
      return [`${s.id}: ${s.state} after ${record.statementsDone} of ${record.statementsTotal} statements, and the file changed since (${checksums}): resuming by statement number would skip or repeat statements`];
    }
    return [];
  });
  if (lines.length === 0) return;
  throw new SchemaSyncError(
    'HISTORY_MISMATCH',
    `The migration files do not match what this database has applied:\n${lines.map((l) => `  - ${l}`).join('\n')}\nRestore the files, or pass --allow-changed if the edit was deliberate.`,
  );
}

/** Whether a failed or interrupted migration left some of its statements in the database (resume goes by number). */
function resumesByPosition(status: MigrationStatus): boolean {
  const record = status.record;
  return (status.state === 'failed' || status.state === 'running') && record !== null && (record.statementsDone > 0 || record.intentFingerprint !== null);
}

/** A rollback that stopped halfway is finished by rollback (or resolved by hand), never re-applied over. */
function refuseHalfRolledBack(statuses: readonly MigrationStatus[]): void {
  const half = statuses.filter((s) => s.record !== null && (s.record.status === 'rolling-back' || s.record.status === 'rollback-failed'));
  if (half.length === 0) return;
  throw new SchemaSyncError(
    'HISTORY_MISMATCH',
    `Not applying: a rollback stopped halfway:\n${half.map((s) => `  - ${s.id}: ${s.record?.status}, ${s.record?.statementsDone} of ${s.record?.statementsTotal} rollback statements done`).join('\n')}\n` +
      `Run schema-sync rollback to finish it (then apply), or fix it by hand and run schema-sync resolve <id> --applied (or --rolled-back).`,
  );
}

/** Cuts the pending list after `--to` (an id, or a release meaning its last migration). */
function upTo(pending: readonly MigrationStatus[], to: string | undefined, all: readonly MigrationStatus[]): MigrationStatus[] {
  if (to === undefined) return [...pending];
  const target = to.replace(/\.ts$/, '');
  const byId = all.findIndex((s) => s.id === target || s.id.endsWith(`/${target}`));
  const release = target.replace(/^v/, '');
  const lastOfRelease = all.map((s) => s.release === release || s.release.replace(/\./g, '_') === release).lastIndexOf(true);
  const cut = byId >= 0 ? byId : lastOfRelease;
  if (cut < 0) throw new SchemaSyncError('BAD_ARGUMENT', `--to ${to}: no migration or release of that name`);
  const allowed = new Set(all.slice(0, cut + 1).map((s) => s.id));
  return pending.filter((s) => allowed.has(s.id));
}

function familyOf(dialect: string): string {
  return dialect === 'postgres' ? 'postgres' : 'mysql';
}
