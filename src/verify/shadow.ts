import { randomBytes } from 'node:crypto';
import type { DatabaseClient } from '../connect/client';
import { MysqlClient } from '../connect/mysql-client';
import { PgClient } from '../connect/pg-client';
import { PgliteClient } from '../connect/pglite-client';
import { parseDatabaseUrl, withDatabase } from '../connect/url';
import { SchemaSyncError, messageOf } from '../util/errors';

/** A scratch database that exists only for one verification, and is removed by `close()`. */
export interface ShadowDatabase {
  readonly client: DatabaseClient;
  /** What it is, for messages: `embedded PGlite (in memory)` or the masked URL of the temporary database. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * Opens a shadow database of the live database's family: an in-memory PGlite for PostgreSQL; a temporary database
 * on the same MySQL/MariaDB server (or on `shadowUrl`'s server), dropped afterwards.
 */
export async function openShadow(live: DatabaseClient, liveUrl: string | undefined, shadowUrl: string | undefined): Promise<ShadowDatabase> {
  if (shadowUrl !== undefined) return temporaryDatabase(shadowUrl);
  if (live.dialect === 'postgres') {
    const client = await PgliteClient.open(null);
    return { client, description: client.target, close: () => client.close() };
  }
  if (liveUrl === undefined) throw new SchemaSyncError('BAD_ARGUMENT', 'A MySQL shadow database needs the server URL: give --shadow-url');
  return temporaryDatabase(liveUrl);
}

async function temporaryDatabase(serverUrl: string): Promise<ShadowDatabase> {
  const parsed = parseDatabaseUrl(serverUrl);
  const name = `schema_sync_shadow_${randomBytes(5).toString('hex')}`;
  const url = withDatabase(serverUrl, name);
  const adminUrl = parsed.scheme === 'postgres' ? withDatabase(serverUrl, 'postgres') : serverUrl;
  const admin = parsed.scheme === 'postgres' ? await PgClient.connect(adminUrl, parsed.masked) : await MysqlClient.connect(toMysql(adminUrl), parsed.masked);
  const quoted = parsed.scheme === 'postgres' ? `"${name}"` : `\`${name}\``;
  try {
    await admin.execute(`CREATE DATABASE ${quoted}`);
  } catch (error) {
    await admin.close();
    throw new SchemaSyncError('CONNECTION_FAILED', `Cannot create the shadow database ${name} on ${parsed.masked}: ${messageOf(error)} (give --shadow-url, or --no-verify)`);
  }
  const masked = parseDatabaseUrl(url).masked;
  const client = parsed.scheme === 'postgres' ? await PgClient.connect(url, masked) : await MysqlClient.connect(toMysql(url), masked);
  return {
    client,
    description: masked,
    async close() {
      await client.close();
      try {
        await admin.execute(parsed.scheme === 'postgres' ? `DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${quoted}`);
      } finally {
        await admin.close();
      }
    },
  };
}

function toMysql(url: string): string {
  return url.replace(/^mariadb:/, 'mysql:');
}
