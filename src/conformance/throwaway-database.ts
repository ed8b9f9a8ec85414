import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect } from '../connect/connect';
import { PgliteClient } from '../connect/pglite-client';
import { parseDatabaseUrl } from '../connect/url';
import { quoteMysqlName } from '../dialect/mysql/quote';
import { quotePostgresIdentifier } from '../dialect/postgres/quote';
import { SchemaSyncError, messageOf } from '../util/errors';

/** The databases a measurement runs on. `pglite` is the embedded PostgreSQL, served over a socket for TypeORM. */
export type MeasuredDialect = 'postgres' | 'mariadb' | 'mysql' | 'pglite';

/** Every dialect the runners accept, in the order tables list them. */
export const MEASURED_DIALECTS: readonly MeasuredDialect[] = ['postgres', 'mariadb', 'mysql', 'pglite'];

/** Where a throwaway database lives: a server URL, or a PGlite data directory copied from a fresh one. */
export type DatabaseLocation = { readonly kind: 'url'; readonly url: string } | { readonly kind: 'pglite'; readonly dataDir: string };

/** A database made for one scenario, dropped after it. */
export interface ThrowawayDatabase {
  readonly location: DatabaseLocation;
  drop(): Promise<void>;
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
 * Makes throwaway databases for one run. PGlite databases are copies of one data directory initialised at the start:
 * initdb costs seconds, a copy a fraction of one.
 */
export class DatabaseFactory {
  private pgliteTemplate: string | null = null;

  private constructor(
    readonly dialect: MeasuredDialect,
    private readonly servers: ServerUrls,
    private readonly scratchDir: string,
  ) {}

  /** Checks the server answers (or initialises the PGlite template) before any scenario runs. */
  static async open(dialect: MeasuredDialect, servers: ServerUrls, scratchDir: string): Promise<DatabaseFactory> {
    const factory = new DatabaseFactory(dialect, servers, scratchDir);
    if (dialect === 'pglite') {
      const template = path.join(scratchDir, 'pglite-template');
      fs.rmSync(template, { recursive: true, force: true });
      const client = await PgliteClient.open(template);
      await client.close();
      factory.pgliteTemplate = template;
    } else {
      const admin = await connect({ url: factory.serverUrl() });
      await admin.close();
    }
    return factory;
  }

  /** A new, empty database named after the scenario (lower case, unique, valid unquoted on every server). */
  async create(label: string): Promise<ThrowawayDatabase> {
    const name = `oss_conf_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
    if (this.pgliteTemplate !== null) {
      const dataDir = path.join(this.scratchDir, 'pglite', name);
      fs.cpSync(this.pgliteTemplate, dataDir, { recursive: true });
      return { location: { kind: 'pglite', dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
    }
    const postgres = this.dialect === 'postgres';
    const quoted = postgres ? quotePostgresIdentifier(name) : quoteMysqlName(name);
    await this.onServer(postgres ? `CREATE DATABASE ${quoted} TEMPLATE template0` : `CREATE DATABASE ${quoted} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return {
      location: { kind: 'url', url: withDatabase(this.serverUrl(), name) },
      drop: () => this.onServer(postgres ? `DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${quoted}`),
    };
  }

  /** Removes the PGlite template and copies. */
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
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
