import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import type { BenchDialect } from './options';

/** A database the bench created; every name starts with `oss_bench_` so a leftover is easy to find and drop. */
export interface BenchDatabase {
  readonly dialect: BenchDialect;
  readonly name: string;
  readonly url: string;
}

/** The admin URLs of the two servers. */
export interface ServerUrls {
  readonly pgUrl: string;
  readonly mysqlUrl: string;
}

const START: Record<BenchDialect, string> = {
  postgres: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  mariadb: 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
};

/** The same server URL with another database in its path. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function adminUrl(dialect: BenchDialect, urls: ServerUrls): string {
  return dialect === 'postgres' ? urls.pgUrl : urls.mysqlUrl;
}

/** Runs statements on the server's admin connection; an unreachable server fails with the command that starts it. */
async function onServer(dialect: BenchDialect, urls: ServerUrls, statements: readonly string[]): Promise<void> {
  const url = adminUrl(dialect, urls);
  try {
    if (dialect === 'postgres') {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        for (const sql of statements) await client.query(sql);
      } finally {
        await client.end();
      }
    } else {
      const connection = await createConnection({ uri: url });
      try {
        for (const sql of statements) await connection.query(sql);
      } finally {
        await connection.end();
      }
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ECONNREFUSED') throw new Error(`${dialect} is not reachable at ${url}. Start it with: ${START[dialect]}`);
    throw error;
  }
}

/** Creates an empty `oss_bench_<dialect>_<tables>_<label>_<random>` database. */
export async function createBenchDatabase(dialect: BenchDialect, urls: ServerUrls, tables: number, label: string): Promise<BenchDatabase> {
  const name = `oss_bench_${dialect}_${tables}_${label}_${randomBytes(3).toString('hex')}`;
  const sql =
    dialect === 'postgres' ? `CREATE DATABASE "${name}"` : `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;
  await onServer(dialect, urls, [sql]);
  return { dialect, name, url: withDatabase(adminUrl(dialect, urls), name) };
}

/** Drops a bench database (FORCE on PostgreSQL: a killed child may still hold a connection). */
export async function dropBenchDatabase(database: BenchDatabase, urls: ServerUrls): Promise<void> {
  if (!database.name.startsWith('oss_bench_')) throw new Error(`refusing to drop ${database.name}: not a bench database`);
  const sql = database.dialect === 'postgres' ? `DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)` : `DROP DATABASE IF EXISTS \`${database.name}\``;
  await onServer(database.dialect, urls, [sql]);
}
