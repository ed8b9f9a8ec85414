import type { DatabaseClient } from '../connect/client';
import { SchemaSyncError, messageOf } from '../util/errors';
import { History, historySqlFor } from './history';
import { loadMigration, type LoadedMigration } from './load-migration';
import { rollbackRisks, type RollbackGuardOptions, type RollbackRisk } from './rollback-guard';
import { acquireDeployLock } from './lock';
import { findMigrationFiles } from './migration-files';
import { migrationStatuses, type MigrationStatus } from './migration-status';
import { collectStatements, executeStatements, leadingCommitFirst, runCommitted } from './run-steps';

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
    const statuses = migrationStatuses(findMigrationFiles(options.migrationsDir), await history.all());
    const applied = statuses.filter((s) => s.state === 'applied' || s.state === 'changed' || s.state === 'missing');
    const chosen = choose(applied, options).reverse();
    const planned: { status: MigrationStatus; migration: LoadedMigration; statements: string[] }[] = [];
    for (const status of chosen) {
      const migration = loadForRollback(status, options);
      planned.push({ status, migration, statements: await collectStatements(client, migration.rollback) });
    }
    const risks = await guard(client, planned.flatMap((p) => p.statements), options);
    if (options.dryRun) return { rolledBack: planned.map((p) => ({ id: p.status.id, statements: p.statements })), risks };
    const done: RolledBack[] = [];
    for (const p of planned) done.push(await rollbackOne(client, history, p.status, p.migration, p.statements));
    return { rolledBack: done, risks };
  } finally {
    await lock?.release();
  }
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
  if (status.file === null) throw new SchemaSyncError('HISTORY_MISMATCH', `Cannot roll back ${status.id}: its file is gone`);
  if (status.state === 'changed' && !options.allowChanged) {
    throw new SchemaSyncError('HISTORY_MISMATCH', `Cannot roll back ${status.id}: the file changed since it was applied (--allow-changed to use it anyway)`);
  }
  return loadMigration(status.file, options.projectDir);
}

async function rollbackOne(client: DatabaseClient, history: History, status: MigrationStatus, migration: LoadedMigration, statements: readonly string[]): Promise<RolledBack> {
  const transaction = historySqlFor(client).transaction;
  let done = 0;
  try {
    // Enum values the rest uses commit first (see leadingCommitFirst); they may run again after a failure.
    const first = leadingCommitFirst(statements, transaction);
    if (transaction !== null) {
      await runCommitted(client, statements.slice(0, first), transaction, (n) => void (done = n));
      await client.execute(transaction.begin);
    }
    await executeStatements(client, migration.rollback, { skip: first, afterEach: async (n) => void (done = n), log: () => undefined });
    await history.remove(status.id);
    if (transaction !== null) await client.execute(transaction.commit);
  } catch (error) {
    if (transaction !== null) await client.execute(transaction.rollback).catch(() => undefined);
    throw new SchemaSyncError(
      'MIGRATION_FAILED',
      `Rollback of ${status.id}: statement ${done + 1} of ${statements.length} failed: ${messageOf(error)}\n  ${statements[done] ?? ''}`,
      { cause: error },
    );
  }
  return { id: status.id, statements };
}
