import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect } from '../connect/connect';
import { PgliteClient } from '../connect/pglite-client';
import { parseDatabaseUrl } from '../connect/url';
import { MYSQL_DATABASES_LIKE_SQL } from '../dialect/mysql/databases-like';
import { quoteMysqlName } from '../dialect/mysql/quote';
import { POSTGRES_DATABASES_LIKE_SQL } from '../dialect/postgres/databases-like';
import { quotePostgresIdentifier } from '../dialect/postgres/quote';
import { SchemaSyncError, messageOf } from '../util/errors';
import { isRunning } from '../util/is-running';

/** The databases a measurement runs on. `pglite` is the embedded PostgreSQL, served over a socket for TypeORM. */
export type MeasuredDialect = 'postgres' | 'mariadb' | 'mysql' | 'pglite';

/** Every dialect the runners accept, in the order tables list them. */
export const MEASURED_DIALECTS: readonly MeasuredDialect[] = ['postgres', 'mariadb', 'mysql', 'pglite'];

/**
 * Where a throwaway database lives: a server URL, or (PGlite) the saved data directory of a fresh database, which the
 * worker loads into memory: the database is the worker's own and goes with it.
 */
export type DatabaseLocation = { readonly kind: 'url'; readonly url: string } | { readonly kind: 'pglite'; readonly template: string };

/** A database made for one scenario, dropped after it. */
export interface ThrowawayDatabase {
  readonly location: DatabaseLocation;
  drop(): Promise<void>;
}

/**
 * This host, in the names of the databases a run makes: a later run can only tell whether the owning process is gone
 * when it ran on the same host (pids of other hosts mean nothing here).
 */
const HOST_TAG = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 6);

/**
 * The name of a database a run makes: `oss_conf_<label>_<host>_<pid>_<random>`, lower case, valid unquoted on every
 * server and within MySQL's 64 characters. The owning run's pid lets a later run drop those a killed run left.
 */
export function throwawayDatabaseName(label: string, pid = process.pid): string {
  return `oss_conf_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)}_${HOST_TAG}_${pid}_${randomBytes(4).toString('hex')}`;
}

/** The label of the databases the runners make (see DatabasePool); the sweep takes names of that label only. */
export const POOL_LABEL = 'pool';

/** A pool database of this host, with its owner's pid; nothing else matches. */
const POOL_DATABASE = new RegExp(`^oss_conf_${POOL_LABEL}_${HOST_TAG}_([1-9][0-9]*)_[0-9a-f]{8}$`);

/** The pool databases among `names` whose owning process (on this host) is gone. */
export function abandonedPoolDatabases(names: readonly string[]): string[] {
  return names.filter((name) => {
    const owner = POOL_DATABASE.exec(name)?.[1];
    return owner !== undefined && !isRunning(Number(owner));
  });
}

/** Server addresses; the same defaults and overrides as the test suites. */
export interface ServerUrls {
  readonly postgres: string;
  readonly mysql: string;
}

/** PG_URL / MYSQL_URL, else the development servers. */
export function serverUrlsFromEnvironment(): ServerUrls {
  return {
    postgres: process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    mysql: process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/',
  };
}

/**
 * Makes throwaway databases for one run. On PGlite every database starts from one fresh data directory, initialised
 * and saved (dumpDataDir) at the start: a worker loads it into memory in half the CPU of initdb, and nothing is copied
 * or removed on disk per scenario (a copy of its ~1,000 files took seconds of the scenario's time).
 */
export class DatabaseFactory {
  private pgliteTemplate: string | null = null;

  private constructor(
    readonly dialect: MeasuredDialect,
    private readonly servers: ServerUrls,
    private readonly scratchDir: string,
  ) {}

  /** Checks the server answers (or saves the PGlite template) before any scenario runs. */
  static async open(dialect: MeasuredDialect, servers: ServerUrls, scratchDir: string): Promise<DatabaseFactory> {
    const factory = new DatabaseFactory(dialect, servers, scratchDir);
    if (dialect === 'pglite') {
      const template = path.join(scratchDir, 'pglite-template.tar');
      const client = await PgliteClient.open(null);
      try {
        const saved = await client.pglite.dumpDataDir('none');
        fs.mkdirSync(scratchDir, { recursive: true });
        fs.writeFileSync(template, Buffer.from(await saved.arrayBuffer()));
      } finally {
        await client.close();
      }
      factory.pgliteTemplate = template;
    } else {
      await factory.sweepAbandoned();
    }
    return factory;
  }

  /** PGlite: the saved fresh data directory every database of the run starts from; null on a server. */
  get template(): string | null {
    return this.pgliteTemplate;
  }

  /**
   * Drops the pool databases a run on this host left when it was killed before it could (SIGKILL, a crash): those
   * whose name says a process that is no longer running. Returns their names. Also checks the server answers.
   */
  async sweepAbandoned(): Promise<string[]> {
    const postgres = this.dialect === 'postgres';
    const admin = await connect({ url: this.serverUrl() });
    let abandoned: string[];
    try {
      const rows = await admin.query<{ name: string }>(postgres ? POSTGRES_DATABASES_LIKE_SQL : MYSQL_DATABASES_LIKE_SQL, [`oss_conf_${POOL_LABEL}_%`]);
      abandoned = abandonedPoolDatabases(rows.map((row) => row.name));
    } finally {
      await admin.close();
    }
    for (const name of abandoned) await this.onServer(this.dropSql(name));
    if (abandoned.length > 0) process.stderr.write(`Dropped ${abandoned.length} database(s) left by conformance runs that are gone: ${abandoned.join(', ')}\n`);
    return abandoned;
  }

  /** A new, empty database named after its use (see throwawayDatabaseName). */
  async create(label: string): Promise<ThrowawayDatabase> {
    if (this.pgliteTemplate !== null) return { location: { kind: 'pglite', template: this.pgliteTemplate }, drop: async () => undefined };
    const name = throwawayDatabaseName(label);
    const postgres = this.dialect === 'postgres';
    const quoted = postgres ? quotePostgresIdentifier(name) : quoteMysqlName(name);
    await this.onServer(postgres ? `CREATE DATABASE ${quoted} TEMPLATE template0` : `CREATE DATABASE ${quoted} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return {
      location: { kind: 'url', url: withDatabase(this.serverUrl(), name) },
      drop: () => this.onServer(this.dropSql(name)),
    };
  }

  /** Drops a database even while sessions are still connected to it (PostgreSQL's FORCE ends them). */
  private dropSql(name: string): string {
    return this.dialect === 'postgres' ? `DROP DATABASE IF EXISTS ${quotePostgresIdentifier(name)} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${quoteMysqlName(name)}`;
  }

  /** Removes the PGlite template. */
  close(): void {
    if (this.pgliteTemplate !== null) fs.rmSync(this.scratchDir, { recursive: true, force: true });
  }

  private serverUrl(): string {
    return this.dialect === 'postgres' ? this.servers.postgres : this.servers.mysql;
  }

  private async onServer(sql: string): Promise<void> {
    const admin = await connect({ url: this.serverUrl() });
    try {
      await admin.execute(sql);
    } catch (error) {
      throw new SchemaSyncError('CONNECTION_FAILED', `${sql} on ${parseDatabaseUrl(this.serverUrl()).masked}: ${messageOf(error)}`, { cause: error });
    } finally {
      await admin.close();
    }
  }
}

/** A scratch folder for one run, under the system's temporary directory. */
export function scratchFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  if (scratchFolders.size === 0) process.once('exit', removeScratchFolders);
  scratchFolders.add(folder);
  return folder;
}

/**
 * The scratch folders this process made. A run stopped with Ctrl-C ends in process.exit (once its databases are
 * dropped), past the `finally` that removes its folder: the exit removes what is left, a compiled checkout included.
 */
const scratchFolders = new Set<string>();

function removeScratchFolders(): void {
  for (const folder of scratchFolders) fs.rmSync(folder, { recursive: true, force: true });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
