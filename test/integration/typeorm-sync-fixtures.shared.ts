/**
 * Shared body of the typeorm-sync-fixtures suites: TypeORM's own synchronize() must build the example models and the
 * feature entities, and then report nothing left to do. One test file per dialect, because the entity files read
 * SCHEMA_SYNC_DIALECT while their decorators run, and jest gives every test file its own module registry and its own
 * global object (so its own TypeORM metadata-args storage).
 */
import * as path from 'node:path';
import fg from 'fast-glob';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { computeDiff } from '../../src/sync/compute-diff';

/** The servers the agreement suites run on. */
export type SyncDialect = 'postgres' | 'mariadb';

const ROOT = path.resolve(__dirname, '..', '..');

/** The classes among a module's exports that TypeORM registered as tables (entities and child entities). */
function entityExports(moduleExports: Record<string, unknown>): Function[] {
  const tables = getMetadataArgsStorage().tables;
  return Object.values(moduleExports).filter(
    (value): value is Function => typeof value === 'function' && tables.some((table) => table.target === value),
  );
}

/**
 * Sets SCHEMA_SYNC_DIALECT for the entity files loaded after it. Call it before the first require of an entity file:
 * decorators run once per module registry, so a later change does not re-decorate classes already loaded.
 */
export function selectDialect(dialect: SyncDialect): void {
  process.env.SCHEMA_SYNC_DIALECT = dialect;
}

/** Loads the example application the way the tool does: every file under models/ (no index file), by glob. */
export function loadModels(): Function[] {
  const files = fg.sync('models/**/*.ts', { cwd: ROOT, absolute: true, ignore: ['**/*.d.ts'] }).sort();
  // require() on purpose: the files must be evaluated now, after selectDialect(), not when this module is imported.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entities = files.flatMap((file) => entityExports(require(file) as Record<string, unknown>));
  return [...new Set(entities)];
}

/** Loads test/fixtures/feature-entities through its index. */
export function loadFeatureEntities(): Function[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const index = require('../fixtures/feature-entities') as { featureEntities: Function[] };
  return index.featureEntities;
}

/** Creates a throwaway database on the dialect's server. */
export function createDatabase(dialect: SyncDialect, suite: string): Promise<ThrowawayDatabase> {
  return dialect === 'postgres' ? createPostgresDatabase(suite) : createMysqlDatabase(suite);
}

/** Options of one synchronize-then-log round. */
export interface SyncOptions {
  /** Statements run before synchronize() (extensions, schemas TypeORM does not create itself). */
  readonly prepare?: readonly string[];
  /** A query run after synchronize(); its rows are returned, to check what the dialect switch produced. */
  readonly probe?: string;
}

/** What a synchronize-then-log round found. */
export interface SyncResult {
  /** SQL TypeORM would still run after its own synchronize(): must be empty. */
  readonly pending: readonly string[];
  /** The rows of `probe`, or an empty array. */
  readonly probeRows: readonly Record<string, unknown>[];
}

/**
 * Runs TypeORM's synchronize() for `entities` on a fresh database, then asks its schema builder what it would still
 * change.
 */
export async function synchronizeThenLog(
  dialect: SyncDialect,
  url: string,
  entities: Function[],
  options: SyncOptions = {},
): Promise<SyncResult> {
  const dataSource = new DataSource({ type: dialect, url, entities, synchronize: false, logging: false });
  await dataSource.initialize();
  try {
    for (const statement of options.prepare ?? []) await dataSource.query(statement);
    await dataSource.synchronize();
    const log = await dataSource.driver.createSchemaBuilder().log();
    const probeRows: Record<string, unknown>[] = options.probe === undefined ? [] : await dataSource.query(options.probe);
    return { pending: log.upQueries.map((query) => query.query), probeRows };
  } finally {
    await dataSource.destroy();
  }
}

/** A readable failure message: every query TypeORM still wants, one per line. */
export function describePending(what: string, pending: readonly string[]): string {
  return `${what}: TypeORM reports ${pending.length} change(s) after its own synchronize():\n${pending.join(';\n')}`;
}

/** Loads the entity files of test/fixtures/check-entities (a `@Check`), by glob as the tool does. */
export const CHECK_ENTITY_GLOBS: readonly string[] = ['test/fixtures/check-entities/**/*.ts'];

export function loadCheckEntities(): Function[] {
  const files = fg.sync([...CHECK_ENTITY_GLOBS], { cwd: ROOT, absolute: true }).sort();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return files.flatMap((file) => entityExports(require(file) as Record<string, unknown>));
}

/** The changes schema-sync reports between the entity files matching `globs` and the database at `url`. */
export async function ourChanges(dialect: SyncDialect, url: string, globs: readonly string[]): Promise<string[]> {
  const client = dialect === 'postgres' ? await PgClient.connect(url, url) : await MysqlClient.connect(url, url);
  try {
    const outcome = await computeDiff(client, { projectDir: ROOT, source: { kind: 'globs', globs } });
    return outcome.diff.changes.map((change) => `${change.kind} ${JSON.stringify(change)}`);
  } finally {
    await client.close();
  }
}
