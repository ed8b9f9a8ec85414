import type { DatabaseClient } from '../connect/client';
import { collectStatements } from './run-steps';
import { History } from './history';
import { loadMigration } from './load-migration';
import { acquireDeployLock } from './lock';
import { readMigrationStatuses } from './migration-status';

/**
 * Records every not-yet-applied migration as applied without running it: how a database that existed before the
 * tool (built by TypeORM synchronize() or by hand) is adopted. The caller checks the schema matches first.
 */
export async function stampMigrations(client: DatabaseClient, options: { projectDir: string; migrationsDir: string; lockTimeoutSeconds: number }): Promise<string[]> {
  const history = new History(client);
  const lock = await acquireDeployLock(client, options.lockTimeoutSeconds);
  try {
    await history.ensure();
    const statuses = await readMigrationStatuses(history, options.migrationsDir);
    const stamped: string[] = [];
    for (const status of statuses) {
      if (status.file === null || status.state === 'applied' || status.state === 'changed') continue;
      const total = (await collectStatements(client, loadMigration(status.file, options.projectDir).migrate)).length;
      const record = { id: status.file.id, release: status.file.release.version, name: status.file.name, checksum: status.file.checksum, total };
      await history.start({ ...record, status: 'applied' });
      await history.finish(status.file.id, { status: 'applied', done: total, durationMs: 0, error: null, checksum: status.file.checksum });
      stamped.push(status.file.id);
    }
    return stamped;
  } finally {
    await lock.release();
  }
}
