/**
 * verifyRoundTrip on the embedded PGlite shadow with a migration whose one transaction needs more locks than the
 * shadow's lock table holds (PostgreSQL keeps every lock to the end of the transaction; PGlite's
 * max_locks_per_transaction cannot be raised). Found by the bench: the first migration of 1,000 tables failed to
 * verify its rollback with "out of shared memory". Its loader needs NODE_OPTIONS=--experimental-vm-modules.
 */
import * as vm from 'node:vm';
import { PgliteClient } from '../../src/connect/pglite-client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { normalizeSchema } from '../../src/model/normalize';
import { planMigration } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { verifyRoundTrip } from '../../src/verify/round-trip';
import { col, int, schema, table, unique } from '../support/schema-builders';

/** Tables of 20 unique columns: one CREATE TABLE makes 21 relations, each locked until the transaction ends. */
const TABLES = 1000;
const COLUMNS = 20;

describe('verification on PGlite when one transaction cannot hold the locks', () => {
  let client: PgliteClient;
  beforeAll(async () => {
    if ((vm as { SourceTextModule?: unknown }).SourceTextModule === undefined) {
      throw new Error('PGlite under jest needs NODE_OPTIONS=--experimental-vm-modules (its loader uses dynamic import())');
    }
    client = await PgliteClient.open(null);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('checks the statements one by one and says so, instead of failing with "out of shared memory"', async () => {
    const names = Array.from({ length: COLUMNS }, (_, i) => `c${i}`);
    const wide = (t: number) =>
      table(`wide_${t}`, [col('id', int()), ...names.map((name) => col(name, int()))], {
        pk: ['id'],
        uniques: names.map((name) => unique(`UQ_wide_${t}_${name}`, [name])),
      });
    const before = normalizeSchema(schema('postgres', []));
    const after = normalizeSchema(schema('postgres', Array.from({ length: TABLES }, (_, t) => wide(t))));
    const sql = sqlDialectFor('postgres');
    const rendered = renderPlan(planMigration(before, after, { allowDrop: true, renames: [] }), before, sql);

    const notes = await verifyRoundTrip({ shadow: client, shadowDescription: 'PGlite', sql, before, after, migrate: rendered.migrate, rollback: rendered.rollback });

    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) expect(note).toMatch(/^(migrate|rollback): \d+ statements need more locks than one transaction of PGlite can hold.*max_locks_per_transaction/);
  }, 600_000);
});
