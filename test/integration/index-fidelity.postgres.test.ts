/**
 * Indexes as PostgreSQL really has them, end to end on the server: declared indexes (trigram GIN, jsonb_path_ops GIN,
 * hnsw with an operator class and WITH parameters, INCLUDE with DESC NULLS LAST) are created by a verified migration,
 * read back exactly (the diff is empty afterwards) and removed by its rollback; hand-made indexes the models leave
 * alone (a `synchronize: false` trigram GIN, an expression index) survive `--drop` and are reported once as unmanaged.
 */
import * as path from 'node:path';
import { parseDeclaredIndexes } from '../../src/cli/config-indexes';
import { PgClient } from '../../src/connect/pg-client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { planMigration } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { buildDiffReport } from '../../src/report/diff-report';
import { computeDiff } from '../../src/sync/compute-diff';
import { openShadow } from '../../src/verify/shadow';
import { verifyRoundTrip } from '../../src/verify/round-trip';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

process.env.SCHEMA_SYNC_DIALECT = 'postgres';

const ROOT = path.resolve(__dirname, '..', '..');
const GLOBS = ['test/fixtures/index-entities/**/*.ts'];

const DECLARED = parseDeclaredIndexes(
  [
    { table: 'passages', name: 'idx_passages_embedding_hnsw', columns: ['embedding'], using: 'hnsw', opclass: 'vector_cosine_ops', with: { m: 16, ef_construction: 64 } },
    { table: 'passages', name: 'idx_passages_meta_path', columns: ['meta'], using: 'gin', opclass: 'jsonb_path_ops' },
    { table: 'articles', name: 'idx_articles_title_trgm', columns: ['title'], using: 'gin', opclass: 'gin_trgm_ops' },
    { table: 'articles', name: 'idx_articles_recent', columns: [{ column: 'deleted_at', order: 'desc', nulls: 'last' }, 'id'], include: ['title'] },
    { table: 'articles', name: 'idx_articles_title_lower', expression: 'lower(title)', dialects: ['postgres'] },
  ],
  'schema-sync.json',
);

/** Every index of the database as PostgreSQL prints it, by name. */
async function indexDefinitions(client: PgClient): Promise<Record<string, string>> {
  const rows = await client.query<{ indexname: string; indexdef: string }>("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'");
  return Object.fromEntries(rows.map((row) => [row.indexname, row.indexdef]));
}

describe('index fidelity on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let client: PgClient;

  beforeAll(async () => {
    database = await createPostgresDatabase('index_fidelity');
    client = await PgClient.connect(database.url, database.url);
    await client.execute('CREATE EXTENSION IF NOT EXISTS vector');
  });
  afterAll(async () => {
    await client.close();
    await database.drop();
  });

  it('creates declared indexes exactly, keeps hand-made ones through --drop, and rolls back', async () => {
    const source = { kind: 'globs', globs: GLOBS } as const;
    const sql = sqlDialectFor('postgres');

    // The models' tables with every index, through a migration verified in a shadow database (migrate and rollback).
    const first = await computeDiff(client, { projectDir: ROOT, source, indexes: DECLARED });
    const plan = planMigration(first.actual, first.desired, { allowDrop: false, renames: [] });
    const rendered = renderPlan(plan, first.actual, sql);
    const shadow = await openShadow(client, database.url, undefined);
    try {
      await verifyRoundTrip({ shadow: shadow.client, shadowDescription: shadow.description, sql, before: first.actual, after: rendered.after, migrate: rendered.migrate, rollback: rendered.rollback });
    } finally {
      await shadow.close();
    }
    for (const group of rendered.migrate) for (const statement of group.statements) await client.execute(statement);

    // Hand-made indexes the models leave alone: one they mark synchronize: false, one on an expression.
    await client.execute('CREATE INDEX idx_articles_body_search ON articles USING gin (body gin_trgm_ops)');
    await client.execute("CREATE INDEX idx_articles_title_prefix ON articles (substr(title, 1, 3)) WHERE summary <> ''");

    const after = await indexDefinitions(client);
    expect(after.idx_passages_embedding_hnsw).toBe("CREATE INDEX idx_passages_embedding_hnsw ON public.passages USING hnsw (embedding vector_cosine_ops) WITH (ef_construction='64', m='16')");
    expect(after.idx_passages_meta_path).toBe('CREATE INDEX idx_passages_meta_path ON public.passages USING gin (meta jsonb_path_ops)');
    expect(after.idx_articles_title_trgm).toBe('CREATE INDEX idx_articles_title_trgm ON public.articles USING gin (title gin_trgm_ops)');
    expect(after.idx_articles_recent).toBe('CREATE INDEX idx_articles_recent ON public.articles USING btree (deleted_at DESC NULLS LAST, id) INCLUDE (title)');
    expect(after.idx_articles_title_live).toBe('CREATE INDEX idx_articles_title_live ON public.articles USING btree (title) WHERE (deleted_at IS NULL)');
    expect(after.idx_articles_title_lower).toBe('CREATE INDEX idx_articles_title_lower ON public.articles USING btree (lower((title)::text))');

    // Read back exactly: nothing to do, and the hand-made ones are listed once as not managed, never as changes.
    const again = await computeDiff(client, { projectDir: ROOT, source, indexes: DECLARED });
    expect(again.diff.changes).toEqual([]);
    const report = buildDiffReport('postgres', 'test', again.diff.changes, again.diff.suggestions, again.diff.unmanaged);
    expect(report.inSync).toBe(true);
    expect(report.unmanaged).toEqual([
      { kind: 'index', table: 'articles', name: 'idx_articles_body_search', reason: '@Index({ synchronize: false }) on Article' },
      { kind: 'index', table: 'articles', name: 'idx_articles_title_prefix', reason: 'expression index the models cannot express' },
    ]);
    expect(planMigration(again.actual, again.desired, { allowDrop: true, renames: [] }).forward).toEqual([]);

    // Without the declarations the declared indexes are drops (guarded: --drop plans them), the hand-made ones never.
    const undeclared = await computeDiff(client, { projectDir: ROOT, source });
    const dropped = planMigration(undeclared.actual, undeclared.desired, { allowDrop: true, renames: [] }).forward.map((change) =>
      change.kind === 'drop_index' ? change.index.name : change.kind,
    );
    expect(dropped.sort()).toEqual(['idx_articles_recent', 'idx_articles_title_trgm', 'idx_passages_embedding_hnsw', 'idx_passages_meta_path']);
    expect(undeclared.diff.unmanaged.map((object) => object.name)).toEqual(['idx_articles_body_search', 'idx_articles_title_lower', 'idx_articles_title_prefix']);

    // The rollback takes away everything the migration made (the hand-made indexes go with their table).
    for (const group of rendered.rollback) for (const statement of group.statements) await client.execute(statement);
    const left = await client.query<{ n: string }>("SELECT count(*)::text AS n FROM pg_class WHERE relname IN ('articles', 'passages')");
    expect(left[0]?.n).toBe('0');
  });
});
