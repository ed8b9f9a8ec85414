import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createConnection, type Connection } from 'mysql2/promise';

/** Server URLs for integration tests; override with PG_URL / MYSQL_URL. Defaults are the development servers. */
export const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

const START_PG = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const START_MARIADB = 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd';

/** A database created for one test suite and dropped after it. */
export interface ThrowawayDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A unique database name for a suite: lower-case so it is valid unquoted on both servers. `OSS_TEST_DB_TAG` (an
 * engineer's name) goes after `oss_`, so that engineers sharing the servers tell their databases apart.
 */
export function uniqueDatabaseName(suite: string): string {
  const tag = (process.env.OSS_TEST_DB_TAG ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return `oss_${tag === '' ? '' : `${tag}_`}${suite.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_${randomBytes(4).toString('hex')}`;
}

function withPath(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates a throwaway PostgreSQL database; a missing server fails loudly with the command that starts it. */
export async function createPostgresDatabase(suite: string): Promise<ThrowawayDatabase> {
  const name = uniqueDatabaseName(suite);
  const admin = new Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${PG_URL} (${String(error)}). Start it with: ${START_PG}`);
  }
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withPath(PG_URL, name),
    async drop() {
      const client = new Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A connection to the MariaDB/MySQL server with no database chosen; a missing server fails loudly with the command that starts it. */
export async function openMysqlAdmin(): Promise<Connection> {
  try {
    return await createConnection({ uri: MYSQL_URL });
  } catch (error) {
    throw new Error(`MariaDB is not reachable at ${MYSQL_URL} (${String(error)}). Start it with: ${START_MARIADB}`);
  }
}

/** Runs `work` on a server connection of its own (no database chosen), closed whatever happens. */
export async function onMysqlServer<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await openMysqlAdmin();
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/** One statement on the server (no database chosen); its rows. */
export function mysqlAdminQuery<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
  return onMysqlServer(async (connection) => (await connection.query(sql, params))[0] as T[]);
}

/** Creates a throwaway MariaDB/MySQL database; a missing server fails loudly with the command that starts it. */
export async function createMysqlDatabase(suite: string): Promise<ThrowawayDatabase> {
  const name = uniqueDatabaseName(suite);
  const open = openMysqlAdmin;
  const admin = await open();
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withPath(MYSQL_URL, name),
    async drop() {
      const connection = await open();
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await connection.end();
      }
    },
  };
}
