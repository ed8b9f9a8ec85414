/**
 * The CLI as users run it (a child process loading .ts models through its SWC require hook) agrees with TypeORM's own
 * synchronize() run here under jest: proof that the run-time loader keeps decorator metadata (`@Column() name:
 * string` needs design:type) and honours a user's DataSource with its naming strategy.
 */
import type { DataSource } from 'typeorm';
import { PgClient } from '../../src/connect/pg-client';
import { runCli } from '../support/cli';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';
import { loadModels, selectDialect, synchronizeThenLog } from '../integration/typeorm-sync-fixtures.shared';

selectDialect('postgres');
const models = loadModels();

interface Report {
  inSync: boolean;
  changes: { kind: string; table: string; detail: string }[];
}

describe('CLI against a PostgreSQL database built by TypeORM', () => {
  let database: ThrowawayDatabase;
  beforeAll(async () => {
    database = await createPostgresDatabase('e2e_agree');
  });
  afterAll(async () => database?.drop());

  it('reports models/ in sync, and says which stage took how long with --verbose', async () => {
    const result = await synchronizeThenLog('postgres', database.url, models, { prepare: ['CREATE EXTENSION IF NOT EXISTS vector'] });
    expect(result.pending).toEqual([]);
    // TypeORM leaves the hnsw index schema-sync.json declares (synchronize: false) to us: it is the one difference.
    const missing = runCli(['sync', '--diff', '--json', '--url', database.url]);
    expect((JSON.parse(missing.stdout) as Report).changes.map((change) => `${change.kind} ${change.table}`)).toEqual(['create_index chunks']);
    const client = await PgClient.connect(database.url, database.url);
    try {
      await client.execute('CREATE INDEX idx_chunks_embedding_hnsw ON chunks USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)');
    } finally {
      await client.close();
    }
    const run = runCli(['sync', '--diff', '--exit-code', '--verbose', '--url', database.url]);
    expect(run.stdout).toContain('In sync: the database matches the models.');
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/load models \d+ ms \(12 tables\), introspect \d+ ms \(6 catalog queries\), diff [\d.]+ ms/);
  });
});

describe('CLI with the user’s own DataSource file (--data-source)', () => {
  let database: ThrowawayDatabase;
  const file = 'test/fixtures/data-source-project/data-source.ts';
  beforeAll(async () => {
    database = await createPostgresDatabase('e2e_datasource');
  });
  afterAll(async () => database?.drop());

  it('takes the entities and naming strategy from the DataSource, before and after TypeORM synchronizes', async () => {
    const before = runCli(['diff', '--json', '--data-source', file], { env: { DATABASE_URL: database.url } });
    expect(before.stderr).toBe('');
    const created = (JSON.parse(before.stdout) as Report).changes.filter((c) => c.kind === 'create_table').map((c) => c.table);
    expect(created.sort()).toEqual(['api_key', 'service_account']);

    process.env.DATABASE_URL = database.url;
    const dataSource = (require('../fixtures/data-source-project/data-source') as { default: DataSource }).default;
    await dataSource.initialize();
    try {
      await dataSource.synchronize();
      const columns = (await dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'api_key' ORDER BY column_name`,
      )) as { column_name: string }[];
      expect(columns.map((c) => c.column_name)).toEqual(['created_at', 'display_name', 'id', 'is_active', 'key_hash', 'service_account_id']);
    } finally {
      await dataSource.destroy();
      delete process.env.DATABASE_URL;
    }

    const after = runCli(['diff', '--json', '--data-source', file], { env: { DATABASE_URL: database.url } });
    expect(JSON.parse(after.stdout) as Report).toMatchObject({ inSync: true, changes: [] });
  });

  it('rejects a DataSource of another database family by name', () => {
    const run = runCli(['diff', '--data-source', file, '--url', 'mysql://root@127.0.0.1:3306/mysql']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`The DataSource in ${file} is of type "postgres", but the database is mariadb`);
  });
});
