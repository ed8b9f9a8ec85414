/**
 * The embedded database (and so the default verification shadow on PostgreSQL) can hold what the models may need of
 * an extension: the migration's CREATE EXTENSION for citext, hstore, ltree and cube (types), pg_trgm (trigram
 * operator classes), btree_gist (an exclusion constraint on a scalar column) and vector succeeds there.
 */
import * as path from 'node:path';
import * as vm from 'node:vm';
import { parseDeclaredIndexes } from '../../src/cli/config-indexes';
import { PgliteClient } from '../../src/connect/pglite-client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { planMigration } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { computeDiff } from '../../src/sync/compute-diff';
import { openShadow } from '../../src/verify/shadow';
import { verifyRoundTrip } from '../../src/verify/round-trip';

process.env.SCHEMA_SYNC_DIALECT = 'postgres';
const ROOT = path.resolve(__dirname, '..', '..');

describe('embedded PGlite with contrib types', () => {
  it('creates citext, hstore, ltree and cube and a table using them', async () => {
    if ((vm as { SourceTextModule?: unknown }).SourceTextModule === undefined) {
      throw new Error('PGlite under jest needs NODE_OPTIONS=--experimental-vm-modules (its loader uses dynamic import())');
    }
    const client = await PgliteClient.open(null);
    try {
      for (const extension of ['citext', 'hstore', 'ltree', 'cube']) await client.execute(`CREATE EXTENSION IF NOT EXISTS "${extension}"`);
      await client.execute('CREATE TABLE tagged (email citext NOT NULL, attrs hstore, path ltree, position cube)');
      await client.execute(`INSERT INTO tagged VALUES ('A@x.org', 'a=>1', 'top.child', '(1,2)')`);
      expect(await client.query(`SELECT count(*)::int AS n FROM tagged WHERE email = 'a@X.ORG'`)).toEqual([{ n: 1 }]);
    } finally {
      await client.close();
    }
  });

  it('runs a verified migration whose prerequisites create pg_trgm, btree_gist and vector, and reads it back in sync', async () => {
    const source = { kind: 'globs', globs: ['test/fixtures/index-entities/**/*.ts', 'test/fixtures/typeorm-shapes/pg-exclusion-scalar/*.ts'] } as const;
    const indexes = parseDeclaredIndexes(
      [
        { table: 'articles', name: 'idx_articles_title_trgm', columns: ['title'], using: 'gin', opclass: 'gin_trgm_ops' },
        { table: 'passages', name: 'idx_passages_embedding_hnsw', columns: ['embedding'], using: 'hnsw', opclass: 'vector_cosine_ops', with: { m: 16, ef_construction: 64 } },
      ],
      'schema-sync.json',
    );
    const sql = sqlDialectFor('postgres');
    const client = await PgliteClient.open(null);
    try {
      const first = await computeDiff(client, { projectDir: ROOT, source, indexes });
      const rendered = renderPlan(planMigration(first.actual, first.desired, { allowDrop: false, renames: [] }), first.actual, sql);
      const statements = rendered.migrate.flatMap((group) => group.statements);
      expect(statements.filter((statement) => statement.startsWith('CREATE EXTENSION'))).toEqual([
        'CREATE EXTENSION IF NOT EXISTS "btree_gist"',
        'CREATE EXTENSION IF NOT EXISTS "pg_trgm"',
        'CREATE EXTENSION IF NOT EXISTS "vector"',
      ]);
      // Verified in the default shadow for the embedded database: another PGlite.
      const shadow = await openShadow(client, undefined, undefined);
      try {
        await verifyRoundTrip({ shadow: shadow.client, shadowDescription: shadow.description, sql, before: first.actual, after: rendered.after, migrate: rendered.migrate, rollback: rendered.rollback });
      } finally {
        await shadow.close();
      }
      for (const statement of statements) await client.execute(statement);
      expect((await computeDiff(client, { projectDir: ROOT, source, indexes })).diff.changes).toEqual([]);
      // The exclusion constraint holds: the same room cannot be booked twice at once.
      await client.execute(`INSERT INTO room_bookings (room, "startsAt", "endsAt") VALUES ('A', '2026-01-01 10:00', '2026-01-01 11:00')`);
      await expect(client.execute(`INSERT INTO room_bookings (room, "startsAt", "endsAt") VALUES ('A', '2026-01-01 10:30', '2026-01-01 12:00')`)).rejects.toThrow(/exclusion constraint/);
    } finally {
      await client.close();
    }
  });
});
