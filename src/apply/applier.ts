import * as path from 'node:path';
import type { DatabaseClient } from '../connect/client';
import { SchemaSyncError, messageOf } from '../util/errors';
import { History } from './history';
import { historySqlFor } from './history';
import { loadMigration, type LoadedMigration } from './load-migration';
import { acquireDeployLock } from './lock';
import { findMigrationFiles, type MigrationFile } from './migration-files';
import { migrationStatuses, type MigrationStatus } from './migration-status';
import { collectStatements, executeStatements, leadingCommitFirst, runCommitted } from './run-steps';

/** Options of `apply`. */
export interface ApplyOptions {
  readonly projectDir: string;
  /** Root of the release folders (absolute). */
  readonly migrationsDir: string;
  readonly dryRun: boolean;
  /** Stop after this migration id, or after the last migration of this release. */
  readonly to?: string;
  readonly allowChanged: boolean;
  readonly lockTimeoutSeconds: number;
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
 * commit together; on MySQL each statement's progress is recorded, and a failed or killed migration resumes at the
 * statement that did not finish. Applied files that changed or disappeared stop the run unless allowed.
 */
export async function applyMigrations(client: DatabaseClient, options: ApplyOptions): Promise<AppliedMigration[]> {
  const history = new History(client);
  if (!options.dryRun) await history.ensure();
  const lock = options.dryRun ? null : await acquireDeployLock(client, options.lockTimeoutSeconds);
  try {
    const files = findMigrationFiles(options.migrationsDir);
    const statuses = migrationStatuses(files, await history.all());
    assertHistoryMatches(statuses, options);
    const pending = upTo(statuses.filter((s) => s.file !== null && s.state !== 'applied' && s.state !== 'changed'), options.to, statuses);
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
  const migration = loadMigration(file, options.projectDir);
  if (migration.dialect !== null && familyOf(migration.dialect) !== familyOf(client.dialect)) {
    throw new SchemaSyncError('MIGRATION_FAILED', `Migration ${file.id} is written for ${migration.dialect}, but ${client.target} is ${client.dialect}`);
  }
  if (options.dryRun) return dryRunOne(client, file, migration.migrate, options);
  const statements = await collectStatements(client, migration.migrate);
  const transaction = historySqlFor(client).transaction;
  // Only MySQL resumes: on PostgreSQL a failed migration rolled back whole, so it starts again from the top.
  const resumeAt = transaction === null && status.record !== null ? status.record.statementsDone : 0;
  options.onEvent?.({ kind: 'start', id: file.id, statements: statements.length, resumeAt });
  const started = performance.now();
  const record = { id: file.id, release: file.release.version, name: file.name, checksum: file.checksum, total: statements.length };
  let done = resumeAt;
  let committedFirst = 0;
  const log = (message: string) => options.onEvent?.({ kind: 'log', id: file.id, message });
  try {
    if (transaction !== null) {
      // Enum values the rest uses commit first; the migration's own transaction then skips them.
      const first = leadingCommitFirst(statements, transaction);
      await runCommitted(client, statements.slice(0, first), transaction, (n) => void (done = n));
      committedFirst = first;
      await client.execute(transaction.begin);
      await history.start({ ...record, status: 'running' });
      done = await executeStatements(client, migration.migrate, { skip: first, afterEach: async (n) => void (done = n), log });
      await history.finish(file.id, { status: 'applied', done, durationMs: performance.now() - started, error: null, checksum: file.checksum });
      await client.execute(transaction.commit);
    } else {
      await history.start({ ...record, status: 'running' });
      await executeStatements(client, migration.migrate, {
        skip: resumeAt,
        afterEach: async (n) => {
          done = n;
          await history.progress(file.id, n);
        },
        log,
      });
      await history.finish(file.id, { status: 'applied', done, durationMs: performance.now() - started, error: null, checksum: file.checksum });
    }
  } catch (error) {
    if (transaction !== null) await client.execute(transaction.rollback).catch(() => undefined);
    const failedAt = done + 1;
    const sql = statements[failedAt - 1] ?? '';
    const message = `statement ${failedAt} of ${statements.length} failed: ${messageOf(error)}`;
    await history.start({ ...record, status: 'failed' }).catch(() => undefined);
    await history.finish(file.id, { status: 'failed', done: transaction === null ? done : 0, durationMs: performance.now() - started, error: `${message}\n${sql}`, checksum: file.checksum }).catch(() => undefined);
    throw new SchemaSyncError(
      'MIGRATION_FAILED',
      `Migration ${file.id}: ${message}\n  ${sql}\n${transaction === null ? `Statements 1–${done} are applied and recorded; after fixing the cause, apply again to resume at statement ${failedAt}.` : rolledBackNote(committedFirst)}`,
      { cause: error },
    );
  }
  const ms = performance.now() - started;
  options.onEvent?.({ kind: 'done', id: file.id, statements: statements.length, ms });
  return { id: file.id, statements: statements.length, ms, resumedAt: resumeAt };
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
  if (options.allowChanged) return;
  const problems = statuses.filter((s) => s.state === 'changed' || s.state === 'missing');
  if (problems.length === 0) return;
  const lines = problems.map((s) =>
    s.state === 'changed'
      ? `${s.id}: applied, but the file changed since (checksum ${s.record?.checksum.slice(0, 12)} -> ${s.file?.checksum.slice(0, 12)})`
      : `${s.id}: applied, but its file is gone from ${path.relative(options.projectDir, options.migrationsDir) || options.migrationsDir}`,
  );
  throw new SchemaSyncError(
    'HISTORY_MISMATCH',
    `The migration files do not match what this database has applied:\n${lines.map((l) => `  - ${l}`).join('\n')}\nRestore the files, or pass --allow-changed if the edit was deliberate.`,
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
