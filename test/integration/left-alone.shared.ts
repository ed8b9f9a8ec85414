/**
 * Shared body of the left-alone suites: what TypeORM owns (its migrations and metadata tables under the names the
 * DataSource gives them), what the user excludes (`ignore` globs) and what the models mark `synchronize: false` is
 * never reported, changed or dropped, while a table that is simply not in the models still is. One file per dialect:
 * the fixture's DataSource reads SCHEMA_SYNC_DIALECT when it loads.
 */
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { compileTableGlob } from '../../src/diff/table-glob';
import { planMigration } from '../../src/plan/plan';
import { computeDiff, type DiffOutcome } from '../../src/sync/compute-diff';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

/** The servers the suites run on. */
export type LeftAloneDialect = 'postgres' | 'mariadb';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'left-alone');
/** The DataSource file, relative to the project directory as a user would pass it to --data-source. */
export const DATA_SOURCE_FILE = path.relative(ROOT, path.join(FIXTURE, 'data-source.ts'));

/** Statements a DBA ran by hand beside what TypeORM built. */
function handMadeObjects(dialect: LeftAloneDialect): string[] {
  const enumColumn = dialect === 'postgres' ? 'state report_state NOT NULL' : "state ENUM('draft','final') NOT NULL";
  const q = (name: string) => (dialect === 'postgres' ? `"${name}"` : `\`${name}\``);
  // The shape TypeORM gives its metadata table (it reads it back when it looks for views).
  const metadataColumns = ['database', 'schema', 'table', 'name'].map((column) => `${q(column)} varchar(255) NULL`).join(', ');
  return [
    ...(dialect === 'postgres' ? ["CREATE TYPE report_state AS ENUM ('draft', 'final')"] : []),
    `CREATE TABLE legacy_reports (id int NOT NULL PRIMARY KEY, title varchar(80) NULL, notes text, ${enumColumn})`,
    'CREATE VIEW invoice_totals AS SELECT COUNT(*) AS invoice_count FROM invoices',
    `CREATE TABLE app_typeorm_metadata (${q('type')} varchar(255) NOT NULL, ${metadataColumns}, ${q('value')} text NULL)`,
    'CREATE TABLE audit_archive_2023 (id int NOT NULL PRIMARY KEY, payload text)',
    'CREATE TABLE stray_notes (id int NOT NULL PRIMARY KEY, body text)',
  ];
}

/**
 * Builds the database as the project would have it: TypeORM's synchronize() for the managed entity, its migration
 * runner (which creates `app_migrations`), then the hand-made objects. Returns what TypeORM's schema builder would
 * still change, which must be nothing.
 */
export async function buildProjectDatabase(dialect: LeftAloneDialect, url: string): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entities = ['invoice', 'legacy-report', 'invoice-total'].flatMap((file) => Object.values(require(path.join(FIXTURE, 'entities', file)) as Record<string, Function>));
  const dataSource = new DataSource({ type: dialect, url, entities, migrationsTableName: 'app_migrations', metadataTableName: 'app_typeorm_metadata', logging: false });
  await dataSource.initialize();
  try {
    await dataSource.synchronize();
    await dataSource.runMigrations();
    for (const statement of handMadeObjects(dialect)) await dataSource.query(statement);
    const log = await dataSource.driver.createSchemaBuilder().log();
    return log.upQueries.map((query) => query.query);
  } finally {
    await dataSource.destroy();
  }
}

/** Creates a throwaway database on the dialect's server. */
export function createDatabase(dialect: LeftAloneDialect, suite: string): Promise<ThrowawayDatabase> {
  return dialect === 'postgres' ? createPostgresDatabase(suite) : createMysqlDatabase(suite);
}

async function open(dialect: LeftAloneDialect, url: string): Promise<DatabaseClient> {
  return dialect === 'postgres' ? PgClient.connect(url, url) : MysqlClient.connect(url, url);
}

/** Our diff through the fixture's DataSource file, with `audit_archive_*` ignored as `--ignore` would. */
export async function diffWithDataSource(dialect: LeftAloneDialect, url: string): Promise<DiffOutcome> {
  const client = await open(dialect, url);
  try {
    return await computeDiff(client, {
      projectDir: ROOT,
      source: { kind: 'data-source', file: DATA_SOURCE_FILE },
      ignore: [compileTableGlob('audit_archive_*', '--ignore')],
    });
  } finally {
    await client.close();
  }
}

/** The suite body for one dialect. */
export function describeLeftAlone(dialect: LeftAloneDialect): void {
  describe(`what the models do not manage is left alone on ${dialect}`, () => {
    let database: ThrowawayDatabase;
    let outcome: DiffOutcome;
    beforeAll(async () => {
      database = await createDatabase(dialect, `left_alone_${dialect}`);
      const pending = await buildProjectDatabase(dialect, database.url);
      expect(pending).toEqual([]);
      outcome = await diffWithDataSource(dialect, database.url);
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('reports only the table that is simply not in the models, as a guarded drop', () => {
      expect(outcome.diff.changes.map((change) => `${change.kind} ${'table' in change ? change.table.name : ''}`)).toEqual(['drop_table stray_notes']);
    });

    it('lists the synchronize: false table and view once, as not managed by the models', () => {
      expect(outcome.diff.unmanaged).toEqual([
        { kind: 'table', table: 'legacy_reports', name: 'legacy_reports', reason: '@Entity({ synchronize: false }) on LegacyReport' },
        { kind: 'view', table: 'invoice_totals', name: 'invoice_totals', reason: '@ViewEntity({ synchronize: false }) on InvoiceTotal' },
      ]);
    });

    it('plans no change to any of them even with --drop', () => {
      const plan = planMigration(outcome.actual, outcome.desired, { allowDrop: true, renames: [] });
      const touched = plan.forward.map((change) => ('table' in change ? change.table.name : change.kind));
      expect(touched).toEqual(['stray_notes']);
    });
  });
}
