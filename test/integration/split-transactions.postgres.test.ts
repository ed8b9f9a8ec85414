/**
 * A migration whose one transaction the server's lock table cannot hold, on a real PostgreSQL server of the test's own
 * started with max_locks_per_transaction = 10 and max_connections = 20 (10 × (20 + 22 background processes) = 420
 * entries set aside; the shared server must not be reconfigured). apply and rollback refuse it before anything runs;
 * --split-transactions runs it in parts that fit, each committed with its progress, and a kill between two parts
 * resumes exactly; a lock table that runs out anyway ("out of shared memory") is reported with the same advice.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { applyMigrations, type ApplyEvent } from '../../src/apply/applier';
import { rollbackMigrations } from '../../src/apply/rollback';
import type { DatabaseClient } from '../../src/connect/client';
import { PgClient } from '../../src/connect/pg-client';
import { migrationSource } from '../e2e/cli-apply.shared';
import { runCli } from '../support/cli';
import { DyingClient } from '../support/dying-client';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';

jest.setTimeout(120_000);

/**
 * 110 tables. Adding a column with a default and an index to each counts 5 entries per table (the table, its row and
 * array types, the default, the index): 550 in one transaction. Dropping them again counts 4 per table: 440.
 */
const TABLES = 110;
const ROWS = 50;
const ID = 'v1_0_0/20261206000000_wide';

let server: PrivatePostgres;
let url: string;
let admin: Client;
let project: string;

beforeAll(async () => {
  server = await startPrivatePostgres({ max_locks_per_transaction: 10, max_connections: 20 });
  const root = new Client({ connectionString: server.url });
  await root.connect();
  await root.query('CREATE DATABASE oss_locks_split');
  await root.end();
  url = server.url.replace(/\/postgres$/, '/oss_locks_split');
  admin = new Client({ connectionString: url });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

beforeEach(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-locks-split-'));
  // One table per transaction: this server's lock table cannot hold the set-up in one either.
  for (let t = 0; t < TABLES; t++) {
    await admin.query(`DROP TABLE IF EXISTS t${t}`);
    await admin.query(`CREATE TABLE t${t} (id serial PRIMARY KEY, v int NOT NULL, body text)`);
    await admin.query(`INSERT INTO t${t} (v, body) SELECT g, 'row ' || g FROM generate_series(1, ${ROWS}) g`);
  }
  await admin.query('DROP TABLE IF EXISTS schema_sync_history');
});

afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

const tableNumbers = Array.from({ length: TABLES }, (_, t) => t);
const MIGRATE = tableNumbers.flatMap((t) => [`ALTER TABLE "t${t}" ADD COLUMN "extra" integer NOT NULL DEFAULT 7`, `CREATE INDEX "t${t}_v" ON "t${t}" ("v")`]);
const ROLLBACK = [...tableNumbers].reverse().flatMap((t) => [`DROP INDEX "t${t}_v"`, `ALTER TABLE "t${t}" DROP COLUMN "extra"`]);

function write(migrate: readonly string[], rollback: readonly string[]): void {
  const file = path.join(project, 'generated-migrations', `${ID}.ts`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, migrationSource('postgres', migrate, rollback));
}

async function apply(options: { split?: boolean; client?: DatabaseClient; events?: ApplyEvent[] } = {}) {
  const client = options.client ?? (await PgClient.connect(url, url));
  try {
    return await applyMigrations(client, {
      projectDir: project,
      migrationsDir: path.join(project, 'generated-migrations'),
      dryRun: false,
      allowChanged: false,
      lockTimeoutSeconds: 10,
      splitTransactions: options.split === true,
      onEvent: (event) => options.events?.push(event),
    });
  } finally {
    await client.close();
  }
}

/** What the live database holds: each table's columns, indexes, row count and sum of values. */
async function snapshot(): Promise<string[]> {
  const rows = await admin.query(`SELECT c.relname AS t,
      (SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
      (SELECT string_agg(i.indexrelid::regclass::text, ',' ORDER BY 1) FROM pg_index i WHERE i.indrelid = c.oid) AS indexes
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 't%' ORDER BY c.relname`);
  const out: string[] = [];
  for (const row of rows.rows) {
    const data = (await admin.query(`SELECT count(*)::int AS n, sum(v)::int AS v, string_agg(body, '' ORDER BY id) AS body FROM "${row.t}"`)).rows[0];
    out.push(`${row.t}: ${row.columns} | ${row.indexes} | ${data.n} rows, sum ${data.v}, ${String(data.body).length} chars`);
  }
  return out;
}

async function historyRow(): Promise<{ status: string; statements_done: number } | undefined> {
  const exists = (await admin.query(`SELECT to_regclass('schema_sync_history') IS NOT NULL AS e`)).rows[0].e;
  if (!exists) return undefined;
  return (await admin.query('SELECT status, statements_done FROM schema_sync_history')).rows[0];
}

test('apply refuses before running anything when one transaction cannot hold the locks, and says what to raise', async () => {
  write(MIGRATE, ROLLBACK);
  const before = await snapshot();
  const error = await apply().then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error?.message).toMatch(
    /Migration v1_0_0\/20261206000000_wide was not started: its 220 statements in one transaction would hold about 550 locks[\s\S]*420 entries \(max_locks_per_transaction 10 × \(max_connections 20 \+ 22 background processes \+ max_prepared_transactions 0\)\)[\s\S]*Nothing ran/,
  );
  // 550 entries over 42 slots: 14 per slot, rounded up to 64.
  expect(error?.message).toContain('ALTER SYSTEM SET max_locks_per_transaction = 64;   -- then restart PostgreSQL');
  expect(error?.message).toContain('schema-sync apply --split-transactions');
  expect(await snapshot()).toEqual(before);
  expect(await historyRow()).toBeUndefined();
});

test('--split-transactions applies in parts that fit; a kill between parts resumes exactly, and no row is lost', async () => {
  write(MIGRATE, ROLLBACK);
  const before = await snapshot();
  // 84 tables × 5 entries fill the 420: the second part starts at table 84, statement 169. Kill the session there.
  const dying = new DyingClient(await PgClient.connect(url, url), 'before', MIGRATE[168] as string);
  await expect(apply({ split: true, client: dying })).rejects.toThrow(/connection killed/);
  expect(await historyRow()).toEqual({ status: 'running', statements_done: 168 });
  const halfway = await snapshot();
  expect(halfway.filter((line) => line.includes(',extra |'))).toHaveLength(84);
  expect(halfway.find((line) => line.startsWith('t84:'))).toBe(before.find((line) => line.startsWith('t84:')));

  const events: ApplyEvent[] = [];
  await apply({ split: true, events });
  expect(events).toContainEqual({ kind: 'start', id: ID, statements: 220, resumeAt: 168 });
  expect(await historyRow()).toEqual({ status: 'applied', statements_done: 220 });
  // Every table gained the column and the index, and kept its rows as they were.
  expect(await snapshot()).toEqual(before.map((line) => line.replace(/^(t\d+): id,v,body \| (t\d+_pkey) \|/, '$1: id,v,body,extra | $2,$1_v |')));
  expect((await admin.query('SELECT count(*)::int AS n FROM t109 WHERE extra = 7')).rows[0].n).toBe(ROWS);
});

test('rollback through the CLI: refused without the flag, run in parts with it', async () => {
  write(MIGRATE, ROLLBACK);
  const before = await snapshot();
  await apply({ split: true });
  const applied = await snapshot();
  const cli = (...args: string[]) => runCli(['rollback', '--project', project, '--url', url, '--drop', '--force', ...args], { cwd: project });
  // Counted before the guard copies the schema into a shadow and measures the data the rollback drops (which it would refuse without --drop).
  const unguarded = runCli(['rollback', '--project', project, '--url', url], { cwd: project });
  expect(unguarded.stderr).toMatch(/Rollback of v1_0_0\/20261206000000_wide was not started/);
  const refused = cli();
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toMatch(/Rollback of v1_0_0\/20261206000000_wide was not started[\s\S]*schema-sync rollback --split-transactions/);
  expect(await snapshot()).toEqual(applied);
  expect(await historyRow()).toEqual({ status: 'applied', statements_done: 220 });

  const split = cli('--split-transactions');
  expect(split.stderr).toContain('rolling back');
  expect(split.status).toBe(0);
  expect(await snapshot()).toEqual(before);
  expect(await historyRow()).toBeUndefined();
});

test('a lock table that runs out anyway (the count cannot see into a DO block) is reported with the advice, and nothing stays', async () => {
  const block = `DO $$ BEGIN FOR i IN 1..200 LOOP EXECUTE format('CREATE TABLE x%s (id int PRIMARY KEY, a text)', i); END LOOP; END $$`;
  write([block], [`DO $$ BEGIN FOR i IN 1..200 LOOP EXECUTE format('DROP TABLE x%s', i); END LOOP; END $$`]);
  const error = await apply().then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error?.message).toMatch(/statement 1 of 1 failed: out of shared memory[\s\S]*Nothing of it was applied \(rolled back\)/);
  expect(error?.message).toMatch(/lock table \(420 entries[\s\S]*ran out[\s\S]*ALTER SYSTEM SET max_locks_per_transaction = 64;[\s\S]*--split-transactions/);
  expect((await admin.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'x%' AND relkind = 'r'`)).rows[0].n).toBe(0);
  expect(await historyRow()).toEqual({ status: 'failed', statements_done: 0 });
});
