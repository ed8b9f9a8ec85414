import { createHash } from 'node:crypto';
import type { DatabaseClient } from '../connect/client';
import { SchemaSyncError } from '../util/errors';
import { historySqlFor } from './history';

/** A held deploy lock. */
export interface DeployLock {
  release(): Promise<void>;
}

/**
 * Takes the deploy lock for this database, waiting up to `timeoutSeconds`: two appliers (two pods of one deploy)
 * never run migrations at once; the second waits, then finds nothing left to do. The lock belongs to the session,
 * so a killed applier releases it with its connection.
 */
export async function acquireDeployLock(client: DatabaseClient, timeoutSeconds: number): Promise<DeployLock> {
  const sql = historySqlFor(client);
  const name = await lockName(client);
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    // MySQL waits inside GET_LOCK; PostgreSQL's try-lock answers at once, so it is polled.
    const rows = await client.query<{ ok: unknown }>(sql.tryLock, [name, client.dialect === 'postgres' ? 0 : remaining]);
    if (Number(rows[0]?.ok) === 1) break;
    if (Date.now() >= deadline) {
      throw new SchemaSyncError('LOCK_TIMEOUT', `Another schema-sync is applying migrations to ${client.target}; gave up after ${timeoutSeconds} s (--lock-timeout)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    async release() {
      await client.query(sql.unlock, [name]);
    },
  };
}

/** MySQL's locks are server-wide and names are limited to 64 characters: the database goes into a short hash. */
async function lockName(client: DatabaseClient): Promise<string> {
  if (client.dialect === 'postgres') return 'schema_sync_apply';
  const rows = await client.query<{ db: string | null }>('SELECT DATABASE() AS db');
  const hash = createHash('sha256').update(String(rows[0]?.db ?? '')).digest('hex').slice(0, 24);
  return `schema_sync_apply_${hash}`;
}
