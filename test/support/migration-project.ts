import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatabaseClient } from '../../src/connect/client';
import { migrationSource } from '../e2e/cli-apply.shared';

/** Writes one migration of release 1.0.0 where `generate` puts it, and returns its path. */
export function writeMigration(project: string, name: string, dialect: string, migrate: readonly string[], rollback: readonly string[]): string {
  const file = path.join(project, 'generated-migrations', 'v1_0_0', `20260101000000_${name}.ts`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, migrationSource(dialect, migrate, rollback));
  return file;
}

/** Runs `work` on a connection of its own, closed whatever happens (a test's look at the live database). */
export async function withConnection<T>(open: () => Promise<DatabaseClient>, work: (client: DatabaseClient) => Promise<T>): Promise<T> {
  const client = await open();
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** The migrations the history table records, as `status statements_done`, in the order they ran. */
export async function historyRows(client: DatabaseClient): Promise<string[]> {
  const rows = await client.query<{ status: string; statements_done: number }>('SELECT status, statements_done FROM schema_sync_history ORDER BY started_at, id');
  return rows.map((row) => `${row.status} ${row.statements_done}`);
}
