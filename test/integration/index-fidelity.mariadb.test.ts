/**
 * Indexes as MariaDB really has them: a FULLTEXT index TypeORM built is not churned, a declared prefix-length index
 * with a descending key is created by a verified migration and then stable across runs, and a hand-made FULLTEXT
 * index the models mark `synchronize: false` survives `--drop`, listed once as unmanaged.
 */
import * as path from 'node:path';
import { parseDeclaredIndexes } from '../../src/cli/config-indexes';
import { MysqlClient } from '../../src/connect/mysql-client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { planMigration } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { computeDiff } from '../../src/sync/compute-diff';
import { openShadow } from '../../src/verify/shadow';
import { verifyRoundTrip } from '../../src/verify/round-trip';
import type { ThrowawayDatabase } from '../support/servers';
import { createDatabase, describePending, selectDialect, synchronizeThenLog } from './typeorm-sync-fixtures.shared';

selectDialect('mariadb');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Article } = require('../fixtures/index-entities/article') as { Article: Function };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Passage } = require('../fixtures/index-entities/passage') as { Passage: Function };

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE = { kind: 'globs', globs: ['test/fixtures/index-entities/**/*.ts'] } as const;

const DECLARED = parseDeclaredIndexes(
  [
    { table: 'articles', name: 'idx_articles_body_prefix', columns: [{ column: 'body', length: 20 }, { column: 'id', order: 'desc' }] },
    { table: 'passages', name: 'idx_passages_embedding_hnsw', columns: ['embedding'], using: 'hnsw', opclass: 'vector_cosine_ops', dialects: ['postgres'] },
  ],
  'schema-sync.json',
);

describe('index fidelity on MariaDB', () => {
  let database: ThrowawayDatabase;
  let client: MysqlClient;

  beforeAll(async () => {
    database = await createDatabase('mariadb', 'index_fidelity');
    client = await MysqlClient.connect(database.url, database.url);
  });
  afterAll(async () => {
    await client.close();
    await database.drop();
  });

  it('keeps FULLTEXT and prefix-length indexes stable and leaves the hand-made one alone', async () => {
    const built = await synchronizeThenLog('mariadb', database.url, [Article, Passage]);
    if (built.pending.length > 0) throw new Error(describePending('index entities on MariaDB', built.pending));
    await client.execute('CREATE FULLTEXT INDEX idx_articles_body_search ON articles (body)');

    const first = await computeDiff(client, { projectDir: ROOT, source: SOURCE, indexes: DECLARED });
    expect(first.diff.changes.map((change) => (change.kind === 'create_index' ? `${change.kind} ${change.index.name}` : change.kind))).toEqual([
      'create_index idx_articles_body_prefix',
    ]);
    const sql = sqlDialectFor('mariadb');
    const plan = planMigration(first.actual, first.desired, { allowDrop: true, renames: [] });
    const rendered = renderPlan(plan, first.actual, sql);
    expect(rendered.migrate.flatMap((group) => group.statements)).toEqual(['CREATE INDEX `idx_articles_body_prefix` ON `articles` (`body`(20), `id` DESC)']);
    const shadow = await openShadow(client, database.url, undefined);
    try {
      await verifyRoundTrip({ shadow: shadow.client, shadowDescription: shadow.description, sql, before: first.actual, after: rendered.after, migrate: rendered.migrate, rollback: rendered.rollback });
    } finally {
      await shadow.close();
    }
    for (const group of rendered.migrate) for (const statement of group.statements) await client.execute(statement);

    for (let run = 0; run < 2; run++) {
      const again = await computeDiff(client, { projectDir: ROOT, source: SOURCE, indexes: DECLARED });
      expect(again.diff.changes).toEqual([]);
      expect(again.diff.unmanaged).toEqual([{ kind: 'index', table: 'articles', name: 'idx_articles_body_search', reason: '@Index({ synchronize: false }) on Article' }]);
      expect(planMigration(again.actual, again.desired, { allowDrop: true, renames: [] }).forward).toEqual([]);
    }
    const fulltext = await client.query<{ n: number | string }>(
      "SELECT COUNT(DISTINCT INDEX_NAME) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_TYPE = 'FULLTEXT'",
    );
    expect(Number(fulltext[0]?.n)).toBe(2);
  });
});
