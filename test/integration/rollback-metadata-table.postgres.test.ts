/**
 * A DataSource that renames TypeORM's metadata table (`metadataTableName`): a migration that created the table with
 * its view rows is rolled back without --drop, as with the default name, once the guard is told the name the way the
 * CLI's `rollback --data-source` tells it; told nothing, the guard counts those rows as data and refuses.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyMigrations } from '../../src/apply/applier';
import { rollbackMigrations } from '../../src/apply/rollback';
import { PgClient } from '../../src/connect/pg-client';
import { ormTableNamesOf } from '../../src/source/typeorm/load-models';
import { generateMigration } from '../../src/sync/generate';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

process.env.SCHEMA_SYNC_DIALECT = 'postgres';

const ROOT = path.resolve(__dirname, '..', '..');
const DATA_SOURCE = 'test/fixtures/renamed-metadata/data-source.ts';

describe('rollback guard with a renamed TypeORM metadata table, on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let client: PgClient;
  let migrationsDir: string;

  beforeAll(async () => {
    database = await createPostgresDatabase('rollback_metadata');
    client = await PgClient.connect(database.url, database.url);
    migrationsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-rollback-metadata-'));
  });
  afterAll(async () => {
    await client.close();
    await database.drop();
    fs.rmSync(migrationsDir, { recursive: true, force: true });
  });

  it('rolls back the migration that created app_typeorm_metadata without --drop when the DataSource names it', async () => {
    expect(ormTableNamesOf(ROOT, DATA_SOURCE)).toEqual({ migrations: 'app_migrations', metadata: 'app_typeorm_metadata' });
    const source = { kind: 'data-source', file: DATA_SOURCE } as const;
    const generated = await generateMigration(client, { projectDir: ROOT, source, migrationsDir, release: '0.0.1', allowDrop: false, force: false, renames: [], verify: false, dryRun: false, liveUrl: database.url });
    expect(generated.file).not.toBeNull();
    await applyMigrations(client, { projectDir: ROOT, migrationsDir, dryRun: false, allowChanged: false, lockTimeoutSeconds: 30 });
    const records = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM app_typeorm_metadata');
    expect(records[0]?.n).toBe('1');

    const options = { projectDir: ROOT, migrationsDir, steps: 1, allowChanged: false, lockTimeoutSeconds: 30 };
    // Told nothing, the guard takes the default name and counts the renamed table's row as data.
    await expect(rollbackMigrations(client, { ...options, dryRun: false, guard: { liveUrl: database.url } })).rejects.toThrow(/app_typeorm_metadata/);

    const named = { liveUrl: database.url, ormMetadataTable: ormTableNamesOf(ROOT, DATA_SOURCE).metadata };
    const dryRun = await rollbackMigrations(client, { ...options, dryRun: true, guard: named });
    expect(dryRun.risks).toEqual([]);
    await rollbackMigrations(client, { ...options, dryRun: false, guard: named });
    const left = await client.query<{ name: string }>("SELECT relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relkind IN ('r', 'v') AND relname NOT LIKE 'schema_sync%' ORDER BY 1");
    expect(left.map((row) => row.name)).toEqual([]);
  });
});
