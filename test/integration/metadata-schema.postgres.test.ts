/**
 * A DataSource with `schema: 'shipping'`: TypeORM creates its tables, and its metadata table with the view's row, in
 * that schema. After TypeORM's synchronize() our diff is empty; from an empty database our migration builds the same
 * (TypeORM's log() empty), and its rollback, told the DataSource, leaves nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { applyMigrations } from '../../src/apply/applier';
import { rollbackMigrations } from '../../src/apply/rollback';
import { PgClient } from '../../src/connect/pg-client';
import { ormTableNamesOf } from '../../src/source/typeorm/load-models';
import { computeDiff } from '../../src/sync/compute-diff';
import { generateMigration } from '../../src/sync/generate';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

process.env.SCHEMA_SYNC_DIALECT = 'postgres';

const ROOT = path.resolve(__dirname, '..', '..');
const DATA_SOURCE = 'test/fixtures/metadata-schema/data-source.ts';
const SOURCE = { kind: 'data-source', file: DATA_SOURCE } as const;

/** The fixture's DataSource, connected to `url`, as the project would run it. */
async function projectDataSource(url: string): Promise<DataSource> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dataSource = (require(path.join(ROOT, DATA_SOURCE)) as { default: DataSource }).default;
  dataSource.setOptions({ url });
  return dataSource.initialize();
}

async function typeormPending(url: string): Promise<string[]> {
  const dataSource = await projectDataSource(url);
  try {
    return (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query);
  } finally {
    await dataSource.destroy();
  }
}

/** User tables and views left in any schema, other than ours. */
async function relations(client: PgClient): Promise<string[]> {
  const rows = await client.query<{ name: string }>(
    "SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'v') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND c.relname NOT LIKE 'schema_sync%' ORDER BY 1",
  );
  return rows.map((row) => row.name);
}

describe("TypeORM's metadata table in the DataSource's schema, on PostgreSQL", () => {
  const databases: ThrowawayDatabase[] = [];
  const clients: PgClient[] = [];
  let migrationsDir: string;

  async function freshDatabase(label: string): Promise<{ database: ThrowawayDatabase; client: PgClient }> {
    const database = await createPostgresDatabase(label);
    databases.push(database);
    const client = await PgClient.connect(database.url, database.url);
    clients.push(client);
    // TypeORM does not create the DataSource's schema; the project does.
    await client.execute('CREATE SCHEMA shipping');
    return { database, client };
  }

  beforeAll(() => {
    migrationsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-metadata-schema-'));
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    for (const database of databases) await database.drop();
    fs.rmSync(migrationsDir, { recursive: true, force: true });
  });

  it("is in sync after TypeORM's synchronize()", async () => {
    const { database, client } = await freshDatabase('metadata_schema_typeorm');
    const dataSource = await projectDataSource(database.url);
    try {
      await dataSource.synchronize();
    } finally {
      await dataSource.destroy();
    }
    expect(await relations(client)).toEqual(['shipping.crate_counts', 'shipping.crates', 'shipping.typeorm_metadata']);
    expect(await typeormPending(database.url)).toEqual([]);
    const outcome = await computeDiff(client, { projectDir: ROOT, source: SOURCE });
    expect(outcome.diff.changes).toEqual([]);
  });

  it('builds the same from an empty database, and rolls it back to nothing', async () => {
    const { database, client } = await freshDatabase('metadata_schema_ours');
    await generateMigration(client, { projectDir: ROOT, source: SOURCE, migrationsDir, release: '0.0.1', allowDrop: false, force: false, renames: [], verify: true, dryRun: false, liveUrl: database.url });
    await applyMigrations(client, { projectDir: ROOT, migrationsDir, dryRun: false, allowChanged: false, lockTimeoutSeconds: 30 });
    expect(await relations(client)).toEqual(['shipping.crate_counts', 'shipping.crates', 'shipping.typeorm_metadata']);
    expect((await computeDiff(client, { projectDir: ROOT, source: SOURCE })).diff.changes).toEqual([]);
    expect(await typeormPending(database.url)).toEqual([]);

    const names = ormTableNamesOf(ROOT, DATA_SOURCE);
    expect(names).toEqual({ migrations: 'migrations', metadata: 'typeorm_metadata', metadataSchema: 'shipping' });
    const guard = { liveUrl: database.url, ormMetadataTable: names.metadata, ormMetadataSchema: 'shipping' };
    await rollbackMigrations(client, { projectDir: ROOT, migrationsDir, steps: 1, dryRun: false, allowChanged: false, lockTimeoutSeconds: 30, guard });
    expect(await relations(client)).toEqual([]);
  });

  it('rolls back without the DataSource too: the guard finds the metadata table in the schema that holds it', async () => {
    const { database, client } = await freshDatabase('metadata_schema_untold');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-metadata-schema-untold-'));
    try {
      await generateMigration(client, { projectDir: ROOT, source: SOURCE, migrationsDir: dir, release: '0.0.1', allowDrop: false, force: false, renames: [], verify: false, dryRun: false, liveUrl: database.url });
      await applyMigrations(client, { projectDir: ROOT, migrationsDir: dir, dryRun: false, allowChanged: false, lockTimeoutSeconds: 30 });
      // Not on the search path (public only): found as the only schema with a table of that name.
      const options = { projectDir: ROOT, migrationsDir: dir, steps: 1, allowChanged: false, lockTimeoutSeconds: 30, guard: { liveUrl: database.url } };
      expect((await rollbackMigrations(client, { ...options, dryRun: true })).risks).toEqual([]);
      // A second metadata table, in public: the search path's comes first (as TypeORM, connected without a schema, uses it).
      await client.execute('CREATE TABLE public.typeorm_metadata (type varchar NOT NULL, "database" varchar, "schema" varchar, "table" varchar, name varchar, value text)');
      await client.execute("INSERT INTO public.typeorm_metadata (type, name, value) VALUES ('VIEW', 'other', 'SELECT 1')");
      const risks = (await rollbackMigrations(client, { ...options, dryRun: true })).risks;
      // The search path's table is the metadata table then: the rows of shipping's are counted as data.
      expect(risks.map((risk) => risk.message)).toEqual(['dropping table shipping.typeorm_metadata destroys 1 row']);
      await client.execute('DROP TABLE public.typeorm_metadata');
      await rollbackMigrations(client, { ...options, dryRun: false });
      expect(await relations(client)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
