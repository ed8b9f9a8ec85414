/**
 * An operator class written out though it is the default for the key's type (`text_ops` on a varchar, `int4_ops` on an
 * integer, `jsonb_ops` for GIN on jsonb): PostgreSQL stores the same index as without it and introspection reports no
 * operator class, so the models must compare equal to it, not plan the index again after every apply.
 */
import * as path from 'node:path';
import { parseDeclaredIndexes } from '../../src/cli/config-indexes';
import { PgClient } from '../../src/connect/pg-client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { planMigration } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { computeDiff } from '../../src/sync/compute-diff';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

process.env.SCHEMA_SYNC_DIALECT = 'postgres';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE = { kind: 'globs', globs: ['test/fixtures/index-entities/**/*.ts'] } as const;

const DECLARED = parseDeclaredIndexes(
  [
    { table: 'articles', name: 'idx_articles_title_text_ops', columns: [{ column: 'title', opclass: 'text_ops' }, { column: 'id', opclass: 'pg_catalog.int4_ops' }] },
    { table: 'passages', name: 'idx_passages_meta_default', columns: ['meta'], using: 'gin', opclass: 'jsonb_ops' },
    { table: 'articles', name: 'idx_articles_title_pattern', columns: ['title'], opclass: 'varchar_pattern_ops' },
  ],
  'schema-sync.json',
);

describe('default operator classes written out, on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let client: PgClient;

  beforeAll(async () => {
    database = await createPostgresDatabase('default_opclass');
    client = await PgClient.connect(database.url, database.url);
    await client.execute('CREATE EXTENSION IF NOT EXISTS vector');
  });
  afterAll(async () => {
    await client.close();
    await database.drop();
  });

  it('compares an explicit default operator class equal to the index the database has, and keeps a non-default one', async () => {
    const first = await computeDiff(client, { projectDir: ROOT, source: SOURCE, indexes: DECLARED });
    const rendered = renderPlan(planMigration(first.actual, first.desired, { allowDrop: false, renames: [] }), first.actual, sqlDialectFor('postgres'));
    for (const group of rendered.migrate) for (const statement of group.statements) await client.execute(statement);

    const definitions = await client.query<{ indexname: string; indexdef: string }>(
      "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname IN ('idx_articles_title_text_ops', 'idx_passages_meta_default', 'idx_articles_title_pattern') ORDER BY indexname",
    );
    expect(definitions.map((row) => row.indexdef)).toEqual([
      'CREATE INDEX idx_articles_title_pattern ON public.articles USING btree (title varchar_pattern_ops)',
      'CREATE INDEX idx_articles_title_text_ops ON public.articles USING btree (title, id)',
      'CREATE INDEX idx_passages_meta_default ON public.passages USING gin (meta)',
    ]);

    const again = await computeDiff(client, { projectDir: ROOT, source: SOURCE, indexes: DECLARED });
    expect(again.diff.changes).toEqual([]);

    // A non-default class still counts: the same index declared with text_pattern_ops is a change.
    const otherClass = parseDeclaredIndexes([{ table: 'articles', name: 'idx_articles_title_pattern', columns: ['title'], opclass: 'text_pattern_ops' }], 'schema-sync.json');
    const changed = await computeDiff(client, { projectDir: ROOT, source: SOURCE, indexes: [...DECLARED.slice(0, 2), ...otherClass] });
    expect(changed.diff.changes.map((change) => change.kind)).not.toEqual([]);
  });
});
