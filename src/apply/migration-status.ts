import type { History, HistoryRecord } from './history';
import { findMigrationFiles, type MigrationFile } from './migration-files';

/** Where one migration stands, files and history taken together. */
export type MigrationState = 'applied' | 'pending' | 'failed' | 'running' | 'rolling-back' | 'rollback-failed' | 'changed' | 'missing';

/** A migration's row in `status`. */
export interface MigrationStatus {
  readonly id: string;
  readonly release: string;
  readonly state: MigrationState;
  readonly file: MigrationFile | null;
  readonly record: HistoryRecord | null;
}

/**
 * Joins the files with the history: files in their order, then history rows whose file is gone. `changed` means
 * applied but edited since; `running` means a run that never finished (killed) and will be resumed; `rolling-back`
 * and `rollback-failed` a rollback that did not finish, which the next rollback resumes. `missing` is any row whose
 * file is gone (its record says whether it was applied or stopped halfway).
 */
export function migrationStatuses(files: readonly MigrationFile[], records: readonly HistoryRecord[]): MigrationStatus[] {
  const byId = new Map(records.map((record) => [record.id, record]));
  const fileIds = new Set(files.map((file) => file.id));
  const fromFiles = files.map((file): MigrationStatus => {
    const record = byId.get(file.id) ?? null;
    let state: MigrationState = 'pending';
    if (record !== null) state = record.status === 'applied' ? (record.checksum === file.checksum ? 'applied' : 'changed') : record.status;
    return { id: file.id, release: file.release.version, state, file, record };
  });
  const missing = records
    .filter((record) => !fileIds.has(record.id))
    .map((record): MigrationStatus => ({ id: record.id, release: record.release, state: 'missing', file: null, record }));
  return [...fromFiles, ...missing];
}

/** The migration files under `migrationsDir` joined with the database's history: what `status` shows. */
export async function readMigrationStatuses(history: History, migrationsDir: string): Promise<MigrationStatus[]> {
  return migrationStatuses(findMigrationFiles(migrationsDir), await history.all());
}
