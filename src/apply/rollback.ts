import type { DatabaseClient } from '../connect/client';
import { SchemaSyncError, messageOf } from '../util/errors';
import { History, historySqlFor } from './history';
import { loadMigration } from './load-migration';
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
}

/** A migration rolled back (or, in a dry run, that would be). */
export interface RolledBack {
  readonly id: string;
  readonly statements: readonly string[];
}

/**
 * Runs the `rollback` function of the newest applied migrations, newest first, under the deploy lock, and removes
 * their history rows. The file must be the one that was applied (same checksum) unless allowed otherwise.
 */
export async function rollbackMigrations(client: DatabaseClient, options: RollbackOptions): Promise<RolledBack[]> {
  const history = new History(client);
  const lock = options.dryRun ? null : await acquireDeployLock(client, options.lockTimeoutSeconds);
  try {
    const statuses = migrationStatuses(findMigrationFiles(options.migrationsDir), await history.all());
    const applied = statuses.filter((s) => s.state === 'applied' || s.state === 'changed' || s.state === 'missing');
    const chosen = choose(applied, options).reverse();
    const done: RolledBack[] = [];
    for (const status of chosen) done.push(await rollbackOne(client, history, status, options));
    return done;
  } finally {
    await lock?.release();
  }
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

async function rollbackOne(client: DatabaseClient, history: History, status: MigrationStatus, options: RollbackOptions): Promise<RolledBack> {
  if (status.file === null) throw new SchemaSyncError('HISTORY_MISMATCH', `Cannot roll back ${status.id}: its file is gone`);
  if (status.state === 'changed' && !options.allowChanged) {
    throw new SchemaSyncError('HISTORY_MISMATCH', `Cannot roll back ${status.id}: the file changed since it was applied (--allow-changed to use it anyway)`);
  }
  const migration = loadMigration(status.file, options.projectDir);
  const statements = await collectStatements(client, migration.rollback);
  if (options.dryRun) return { id: status.id, statements };
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
