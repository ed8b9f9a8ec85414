/**
 * Shapes met in public TypeORM code bases measured with `npm run corpus`, written for this repository: each one in
 * a database TypeORM's own synchronize() built diffs as empty, and our migration for it round-trips.
 */
import * as path from 'node:path';
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
const { DatasetRow } = require('../fixtures/corpus-shapes/dataset-row') as { DatasetRow: Function };

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE = { kind: 'globs', globs: ['test/fixtures/corpus-shapes/dataset-row.ts'] } as const;

describe('corpus shapes on MariaDB', () => {
  let built: ThrowawayDatabase;
  let empty: ThrowawayDatabase;

  beforeAll(async () => {
    built = await createDatabase('mariadb', 'corpus_shapes_built');
    empty = await createDatabase('mariadb', 'corpus_shapes_empty');
  });
  afterAll(async () => {
    await built.drop();
    await empty.drop();
  });

  it('takes the prefix MariaDB gives an index on a whole TEXT or BLOB column for the whole column', async () => {
    const synchronized = await synchronizeThenLog('mariadb', built.url, [DatasetRow]);
    if (synchronized.pending.length > 0) throw new Error(describePending('dataset rows on MariaDB', synchronized.pending));
    const client = await MysqlClient.connect(built.url, built.url);
    try {
      const prefixes = await client.query<{ column_name: string; sub_part: number | string | null }>(
        "SELECT COLUMN_NAME AS column_name, SUB_PART AS sub_part FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY' ORDER BY COLUMN_NAME",
      );
      expect(prefixes.map((row) => `${row.column_name}(${row.sub_part})`)).toEqual(['datasetId(768)', 'fingerprint(3072)', 'legacyKey(3072)']);
      const diff = await computeDiff(client, { projectDir: ROOT, source: SOURCE });
      expect(diff.diff.changes).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('creates those indexes on an empty database with a migration that verifies and leaves nothing to do', async () => {
    const client = await MysqlClient.connect(empty.url, empty.url);
    try {
      const first = await computeDiff(client, { projectDir: ROOT, source: SOURCE });
      const sql = sqlDialectFor('mariadb');
      const rendered = renderPlan(planMigration(first.actual, first.desired, { allowDrop: false, renames: [] }), first.actual, sql);
      const shadow = await openShadow(client, empty.url, undefined);
      try {
        await verifyRoundTrip({ shadow: shadow.client, shadowDescription: shadow.description, sql, before: first.actual, after: rendered.after, migrate: rendered.migrate, rollback: rendered.rollback });
      } finally {
        await shadow.close();
      }
      for (const group of rendered.migrate) for (const statement of group.statements) await client.execute(statement);
      expect((await computeDiff(client, { projectDir: ROOT, source: SOURCE })).diff.changes).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
