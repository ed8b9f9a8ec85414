/**
 * A phased rename's batched copy walks the primary key, whatever its type: the example models key their tables by
 * uuid, which has no min()/max() in PostgreSQL, so sync's verification failed on `sync --rename documents.title=…`.
 */
import { PgClient } from '../../src/connect/pg-client';
import { copyPostgresColumn } from '../../src/dialect/postgres/render-column-sync';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

describe('batched column copy on PostgreSQL, by key type', () => {
  let database: ThrowawayDatabase;
  let client: PgClient;

  beforeAll(async () => {
    database = await createPostgresDatabase('copy_keys');
    client = await PgClient.connect(database.url, database.url);
  });
  afterAll(async () => {
    await client.close();
    await database.drop();
  });

  it.each([
    ['uuid', 'gen_random_uuid()'],
    ['text', "'k' || lpad(g::text, 6, '0')"],
    ['bigint', 'g'],
  ])('copies every row of a table keyed by %s, over several batches', async (type, key) => {
    const table = `docs_${type}`;
    await client.execute(`CREATE TABLE ${table} (id ${type} PRIMARY KEY, title text, headline text)`);
    await client.execute(`INSERT INTO ${table} (id, title, headline) SELECT ${key}, 'title ' || g, CASE WHEN g % 7 = 0 THEN 'kept' END FROM generate_series(1, 2500) g`);
    for (const statement of copyPostgresColumn({ kind: 'copy_column', table: { schema: null, name: table }, from: 'title', to: 'headline', key: 'id' })) await client.execute(statement);
    const [counts] = await client.query<{ missing: string; kept: string }>(`SELECT count(*) FILTER (WHERE headline IS NULL) AS missing, count(*) FILTER (WHERE headline = 'kept') AS kept FROM ${table}`);
    expect(counts).toEqual({ missing: '0', kept: '357' });
  });
});
