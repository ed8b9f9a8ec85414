/**
 * The lock count apply and rollback make before a migration's transaction, against what PostgreSQL 15 really holds:
 * the distinct objects in pg_locks at the end of the same statements run in one transaction (then rolled back).
 */
import { transactionCutsFor } from '../../src/apply/transaction-parts';
import { lockTableSize } from '../../src/apply/lock-budget';
import { PgClient } from '../../src/connect/pg-client';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

jest.setTimeout(60_000);

const TABLES = 40;
let database: ThrowawayDatabase;
let client: PgClient;

beforeAll(async () => {
  database = await createPostgresDatabase('locks_budget');
  client = await PgClient.connect(database.url, database.url);
  await client.execute('CREATE TABLE "parent" ("id" SERIAL PRIMARY KEY, "name" text)');
  for (let t = 0; t < TABLES; t++) {
    await client.execute(
      `CREATE TABLE "child_${t}" ("id" SERIAL PRIMARY KEY, "parent_id" integer REFERENCES "parent" ("id"), "body" text DEFAULT 'x', "n" integer CHECK ("n" > 0))`,
    );
    await client.execute(`CREATE INDEX "child_${t}_body" ON "child_${t}" ("body")`);
    await client.execute(`INSERT INTO "child_${t}" ("body", "n") VALUES ('a', 1), ('b', 2)`);
  }
});

afterAll(async () => {
  await client?.close();
  await database?.drop();
});

/** The lock table entries a transaction running these statements holds at its end (rolled back after). */
async function heldLocks(statements: readonly string[]): Promise<number> {
  await client.execute('BEGIN');
  try {
    for (const sql of statements) await client.execute(sql);
    const rows = await client.query<{ n: number }>(
      `SELECT count(DISTINCT (locktype, database, relation, classid, objid, objsubid))::int AS n FROM pg_locks
       WHERE pid = pg_backend_pid() AND locktype IN ('relation', 'object') AND relation IS DISTINCT FROM 'pg_locks'::regclass`,
    );
    return Number(rows[0]?.n);
  } finally {
    await client.execute('ROLLBACK');
  }
}

async function estimate(statements: readonly string[]): Promise<number> {
  const { count } = await transactionCutsFor(client, { id: 'check', direction: 'rollback', statements, resumeAt: 0, split: false });
  if (count === null) throw new Error('no lock count on PostgreSQL');
  return count.needed;
}

const children = Array.from({ length: TABLES }, (_, t) => `"child_${t}"`);

it.each([
  ['dropping the tables (a rollback of their creation)', children.map((c) => `DROP TABLE ${c}`)],
  ['adding a column with a default and an index to each', children.flatMap((c, t) => [`ALTER TABLE ${c} ADD COLUMN "extra" integer DEFAULT 7`, `CREATE INDEX "extra_${t}" ON ${c} ("extra")`])],
  ['dropping their foreign keys', children.map((c, t) => `ALTER TABLE ${c} DROP CONSTRAINT "child_${t}_parent_id_fkey"`)],
  [
    'creating new tables that reference the old ones',
    children.map((c, t) => `CREATE TABLE "new_${t}" ("id" SERIAL NOT NULL, "child_id" integer, "note" text, CONSTRAINT "PK_new_${t}" PRIMARY KEY ("id"), CONSTRAINT "FK_new_${t}" FOREIGN KEY ("child_id") REFERENCES ${c} ("id"))`),
  ],
])('the count for %s is close to the locks PostgreSQL holds', async (_what, statements) => {
  const counted = await estimate(statements);
  const held = await heldLocks(statements);
  // Close enough to decide before the run: never under by more than a fifth, never over by more than half.
  expect(counted).toBeGreaterThanOrEqual(Math.floor(held * 0.8));
  expect(counted).toBeLessThanOrEqual(Math.ceil(held * 1.5));
});

it('reads the lock table the server sets aside from its settings', async () => {
  const { count } = await transactionCutsFor(client, { id: 'check', direction: 'apply', statements: ['ALTER TABLE "parent" ADD COLUMN "z" int'], resumeAt: 0, split: false });
  const settings = (await client.query<{ locks: string; backends: number; prepared: string }>(
    `SELECT current_setting('max_locks_per_transaction') AS locks, current_setting('max_prepared_transactions') AS prepared,
       (current_setting('max_connections')::int + current_setting('autovacuum_max_workers')::int + 1 + current_setting('max_worker_processes')::int + current_setting('max_wal_senders')::int) AS backends`,
  ))[0];
  expect(count === null ? null : lockTableSize(count.capacity)).toBe(Number(settings?.locks) * (Number(settings?.backends) + Number(settings?.prepared)));
});
