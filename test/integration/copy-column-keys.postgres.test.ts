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
    for (const statement of copyPostgresColumn({ kind: 'copy_column', table: { schema: null, name: table }, from: 'title', to: 'headline', key: ['id'] })) await client.execute(statement);
    const [counts] = await client.query<{ missing: string; kept: string }>(`SELECT count(*) FILTER (WHERE headline IS NULL) AS missing, count(*) FILTER (WHERE headline = 'kept') AS kept FROM ${table}`);
    expect(counts).toEqual({ missing: '0', kept: '357' });
  });

  it('walks a primary key of several columns as a tuple, across batch boundaries inside one leading value', async () => {
    // 2,500 rows under 3 tenants (833 or 834 each): every batch of 1,000 ends in the middle of a tenant.
    await client.execute('CREATE TABLE docs_composite (tenant text, id int, title text, headline text, PRIMARY KEY (tenant, id))');
    await client.execute("INSERT INTO docs_composite SELECT 't' || (g % 3), g, 'title ' || g, CASE WHEN g % 7 = 0 THEN 'kept' END FROM generate_series(1, 2500) g");
    await client.execute("INSERT INTO docs_composite VALUES ('t9', 1, NULL, NULL)");
    const statements = copyPostgresColumn({ kind: 'copy_column', table: { schema: null, name: 'docs_composite' }, from: 'title', to: 'headline', key: ['tenant', 'id'] });
    expect(statements[0]).toContain('("tenant", "id") > (schema_sync_hi0, schema_sync_hi1)');
    for (const statement of statements) await client.execute(statement);
    const [counts] = await client.query<{ copied: string; kept: string; empty: string }>(
      "SELECT count(*) FILTER (WHERE headline = title) AS copied, count(*) FILTER (WHERE headline = 'kept') AS kept, count(*) FILTER (WHERE headline IS NULL) AS empty FROM docs_composite",
    );
    expect(counts).toEqual({ copied: String(2500 - 357), kept: '357', empty: '1' });
  });
});
