import * as path from 'node:path';
import type { DatabaseClient } from './client';
import { MysqlClient } from './mysql-client';
import { PgClient } from './pg-client';
import { PgliteClient } from './pglite-client';
import { parseDatabaseUrl } from './url';

/** Where the embedded database lives unless told otherwise: `.schema-sync/pglite` under the project (git-ignored). */
export function defaultEmbeddedDir(projectDir: string): string {
  return path.join(projectDir, '.schema-sync', 'pglite');
}

/** Options for opening a database. */
export interface ConnectOptions {
  /** A postgres://, postgresql://, mysql:// or mariadb:// URL; undefined or empty opens the embedded database. */
  readonly url?: string;
  /** Data directory for the embedded database; null keeps it in memory. */
  readonly embeddedDir?: string | null;
}

/** Opens the database a URL names, or the embedded PGlite database when there is none. */
export async function connect(options: ConnectOptions): Promise<DatabaseClient> {
  if (options.url === undefined || options.url === '') {
    return PgliteClient.open(options.embeddedDir === undefined ? defaultEmbeddedDir(process.cwd()) : options.embeddedDir);
  }
  const parsed = parseDatabaseUrl(options.url);
  return parsed.scheme === 'postgres' ? PgClient.connect(options.url, parsed.masked) : MysqlClient.connect(mysqlUrl(parsed.url), parsed.masked);
}

/** mysql2 only understands mysql://, so a mariadb:// URL is passed on with that scheme. */
function mysqlUrl(url: URL): string {
  return url.toString().replace(/^mariadb:/, 'mysql:');
}
