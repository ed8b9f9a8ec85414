import type { DatabaseClient } from '../connect/client';
import { History } from '../apply/history';
import { findMigrationFiles } from '../apply/migration-files';
import { migrationStatuses, type MigrationState } from '../apply/migration-status';

/** States of a migration whose changes the database may not have (yet): a file written now would plan them again. */
const NOT_APPLIED: ReadonlySet<MigrationState> = new Set(['pending', 'failed', 'running', 'rolling-back', 'rollback-failed']);

/**
 * The ids of the migration files under `migrationsDir` that are not applied to the database `sync` compares with.
 * `sync` diffs the models against the live database, not against the files: with one of these pending, the file it
 * writes repeats that migration's changes, and applying both fails halfway (a table that already exists).
 */
export async function unappliedMigrations(client: DatabaseClient, migrationsDir: string): Promise<string[]> {
  const files = findMigrationFiles(migrationsDir);
  if (files.length === 0) return [];
  return migrationStatuses(files, await new History(client).all())
    .filter((status) => NOT_APPLIED.has(status.state))
    .map((status) => `${status.id} (${status.state})`);
}
