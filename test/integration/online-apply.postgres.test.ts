/**
 * The applier's online path on PostgreSQL 15: statements that must not share the migration's transaction
 * (CREATE/DROP INDEX CONCURRENTLY, VALIDATE CONSTRAINT) commit in steps; lock_timeout with bounded retries; an INVALID
 * index left by a refused, timed-out or killed concurrent build is dropped and built again; rollback the same way.
 * Real rows, real second sessions holding locks and snapshots.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { applyMigrations, type ApplyEvent } from '../../src/apply/applier';
import { rollbackMigrations } from '../../src/apply/rollback';
import { PgClient } from '../../src/connect/pg-client';
import { migrationSource } from '../e2e/cli-apply.shared';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

jest.setTimeout(120_000);

let database: ThrowawayDatabase;
let project: string;
let admin: Client;

beforeAll(async () => {
  database = await createPostgresDatabase('pgonline_apply');
  admin = new Client({ connectionString: database.url });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await database?.drop();
});

beforeEach(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'pgonline-'));
  await admin.query('DROP TABLE IF EXISTS t, other, schema_sync_history CASCADE');
  await admin.query('CREATE TABLE t (id int PRIMARY KEY, v int, w int)');
  await admin.query('INSERT INTO t SELECT g, g % 1000, g FROM generate_series(1, 20000) g');
  await admin.query('CREATE TABLE other (id int PRIMARY KEY)');
});

afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

const migrationsDir = () => path.join(project, 'generated-migrations');
const ID = 'v1_0_0/20261206000000_online';

function write(migrate: readonly string[], rollback: readonly string[]): void {
  const file = path.join(migrationsDir(), `${ID}.ts`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, migrationSource('postgres', migrate, rollback));
}

async function apply(options: { timeoutMs?: number; retries?: number; events?: ApplyEvent[]; onEvent?: (event: ApplyEvent) => void } = {}) {
  const client = await PgClient.connect(database.url, database.url);
  try {
    return await applyMigrations(client, {
      projectDir: project,
      migrationsDir: migrationsDir(),
      dryRun: false,
      allowChanged: false,
      lockTimeoutSeconds: 10,
      lockPolicy: { timeoutMs: options.timeoutMs ?? 3000, retries: options.retries ?? 2, backoffMs: 100 },
      onEvent: (event) => {
        options.events?.push(event);
        options.onEvent?.(event);
      },
    });
  } finally {
    await client.close();
  }
}

async function rollback() {
  const client = await PgClient.connect(database.url, database.url);
  try {
    return await rollbackMigrations(client, { projectDir: project, migrationsDir: migrationsDir(), dryRun: false, allowChanged: false, lockTimeoutSeconds: 10, allowDrop: true, force: true, lockPolicy: { timeoutMs: 3000, retries: 2, backoffMs: 100 } });
  } finally {
    await client.close();
  }
}

async function historyRow(): Promise<{ status: string; statements_done: number; intent_fingerprint: string | null } | undefined> {
  return (await admin.query('SELECT status, statements_done, intent_fingerprint FROM schema_sync_history')).rows[0];
}

async function indexValidity(name: string): Promise<boolean | 'absent'> {
  const rows = (await admin.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)`, [name])).rows;
  return rows.length === 0 ? 'absent' : rows[0].indisvalid;
}

async function columns(): Promise<string[]> {
  return (await admin.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position`)).rows.map((r) => r.column_name);
}

/** A second session that keeps a snapshot open: a concurrent build waits for it after its index is in the catalog. */
async function snapshotHolder(): Promise<Client> {
  const holder = new Client({ connectionString: database.url });
  await holder.connect();
  await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  await holder.query('SELECT count(*) FROM other');
  return holder;
}

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ONLINE_MIGRATE = [
  'ALTER TABLE t ADD COLUMN c int',
  'CREATE INDEX CONCURRENTLY t_w ON t (w)',
  'ALTER TABLE t ADD CONSTRAINT t_v_positive CHECK (v >= 0) NOT VALID',
  'ALTER TABLE t VALIDATE CONSTRAINT t_v_positive',
];
const ONLINE_ROLLBACK = ['ALTER TABLE t DROP CONSTRAINT t_v_positive', 'DROP INDEX CONCURRENTLY t_w', 'ALTER TABLE t DROP COLUMN c'];

test('a migration with online statements commits in steps, applies whole and rolls back the same way', async () => {
  write(ONLINE_MIGRATE, ONLINE_ROLLBACK);
  const applied = await apply();
  expect(applied.map((a) => a.statements)).toEqual([4]);
  expect(await historyRow()).toMatchObject({ status: 'applied', statements_done: 4, intent_fingerprint: null });
  expect(await indexValidity('t_w')).toBe(true);
  expect((await admin.query(`SELECT convalidated FROM pg_constraint WHERE conname = 't_v_positive'`)).rows).toEqual([{ convalidated: true }]);
  expect(await columns()).toEqual(['id', 'v', 'w', 'c']);

  const undone = await rollback();
  expect(undone.rolledBack.map((r) => r.statements.length)).toEqual([3]);
  expect(await historyRow()).toBeUndefined();
  expect(await indexValidity('t_w')).toBe('absent');
  expect(await columns()).toEqual(['id', 'v', 'w']);
});

test('a unique concurrent build refused by duplicates leaves no INVALID index; after the fix apply resumes at it', async () => {
  write(['ALTER TABLE t ADD COLUMN e int', 'CREATE UNIQUE INDEX CONCURRENTLY t_v_unique ON t (v)', 'ALTER TABLE t ADD COLUMN f int'], []);
  await expect(apply()).rejects.toThrow(/statement 2 of 3 failed: could not create unique index "t_v_unique"[\s\S]*Statements 1–1 are committed and recorded/);
  expect(await historyRow()).toMatchObject({ status: 'failed', statements_done: 1, intent_fingerprint: null });
  expect(await indexValidity('t_v_unique')).toBe('absent');
  expect(await columns()).toEqual(['id', 'v', 'w', 'e']);

  await admin.query('UPDATE t SET v = id');
  const events: ApplyEvent[] = [];
  await apply({ events });
  expect(events).toContainEqual({ kind: 'start', id: ID, statements: 3, resumeAt: 1 });
  expect(await indexValidity('t_v_unique')).toBe(true);
  expect(await columns()).toEqual(['id', 'v', 'w', 'e', 'f']);
  expect(await historyRow()).toMatchObject({ status: 'applied', statements_done: 3 });
});

test('a concurrent build whose session is terminated mid-build leaves an INVALID index; the resume drops it and builds it again', async () => {
  write(['ALTER TABLE t ADD COLUMN e int', 'CREATE INDEX CONCURRENTLY t_w ON t (w)', 'ALTER TABLE t ADD COLUMN f int'], []);
  const holder = await snapshotHolder();
  // No lock timeout to speak of: the build waits on the holder's snapshot until its session is terminated.
  const run = apply({ timeoutMs: 60_000 }).then(
    () => 'applied',
    (error: unknown) => String(error),
  );
  await waitFor(async () => (await indexValidity('t_w')) === false, 'the concurrent build to enter the catalog');
  await waitFor(
    async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock'`)).rows.length > 0,
    'the build to wait for the old snapshot',
  );
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%' AND pid <> pg_backend_pid()`);
  expect(await run).toMatch(/terminat|Connection/i);
  await holder.query('ROLLBACK');
  await holder.end();
  // The killed applier could write nothing more: the row says statement 2 was in flight outside a transaction.
  expect(await historyRow()).toMatchObject({ status: 'running', statements_done: 1, intent_fingerprint: 'outside-transaction' });
  expect(await indexValidity('t_w')).toBe(false);

  const events: ApplyEvent[] = [];
  await apply({ events });
  expect(events).toContainEqual({ kind: 'start', id: ID, statements: 3, resumeAt: 1 });
  expect(await indexValidity('t_w')).toBe(true);
  expect(await columns()).toEqual(['id', 'v', 'w', 'e', 'f']);
  expect(await historyRow()).toMatchObject({ status: 'applied', statements_done: 3, intent_fingerprint: null });
});

test('a statement that cannot get its lock is retried a bounded number of times, saying so, and then stops cleanly', async () => {
  write(['ALTER TABLE other ADD COLUMN x int', 'ALTER TABLE t ADD COLUMN e int'], []);
  const holder = new Client({ connectionString: database.url });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('SELECT count(*) FROM t');
  try {
    const events: ApplyEvent[] = [];
    const started = performance.now();
    await expect(apply({ timeoutMs: 200, retries: 2, events })).rejects.toThrow(/statement 2 of 2 failed: canceling statement due to lock timeout[\s\S]*Nothing of it was applied/);
    const logs = events.flatMap((e) => (e.kind === 'log' ? [e.message] : []));
    expect(logs).toEqual([
      'statement 2 could not get its lock within 200 ms; retry 1 of 2 in 0.1 s from statement 1',
      'statement 2 could not get its lock within 200 ms; retry 2 of 2 in 0.2 s from statement 1',
    ]);
    // Three attempts of 200 ms each and the waits between them: the run never waited on the lock beyond its limit.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await historyRow()).toMatchObject({ status: 'failed', statements_done: 0 });
    expect((await admin.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'other' AND column_name = 'x'`)).rows[0].n).toBe(0);
  } finally {
    await holder.query('ROLLBACK');
    await holder.end();
  }
  await apply({ timeoutMs: 200 });
  expect(await columns()).toEqual(['id', 'v', 'w', 'e']);
});

test('a lock held past the first attempt is waited out by a retry', async () => {
  write(['ALTER TABLE t ADD COLUMN e int'], []);
  const holder = new Client({ connectionString: database.url });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('SELECT count(*) FROM t');
  try {
    const events: ApplyEvent[] = [];
    // The holder lets go once the first attempt has timed out: the retry then gets the lock.
    await apply({ timeoutMs: 200, retries: 5, events, onEvent: (event) => void (event.kind === 'log' && holder.query('ROLLBACK').catch(() => undefined)) });
    expect(events.filter((e) => e.kind === 'log').length).toBe(1);
    expect(await columns()).toEqual(['id', 'v', 'w', 'e']);
  } finally {
    await holder.end();
  }
});

test('a concurrent build that times out waiting for an old snapshot is cleaned up, retried, and resumes once it can finish', async () => {
  write(['ALTER TABLE t ADD COLUMN e int', 'CREATE INDEX CONCURRENTLY t_w ON t (w)'], []);
  const holder = await snapshotHolder();
  const events: ApplyEvent[] = [];
  try {
    await expect(apply({ timeoutMs: 300, retries: 1, events })).rejects.toThrow(/statement 2 of 2 failed: canceling statement due to lock timeout[\s\S]*Statements 1–1 are committed/);
  } finally {
    await holder.query('ROLLBACK');
    await holder.end();
  }
  expect(events.filter((e) => e.kind === 'log').map((e) => (e as { message: string }).message)).toEqual(['statement 2 could not get its lock within 300 ms; retry 1 of 1 in 0.1 s from statement 2']);
  expect(await indexValidity('t_w')).toBe('absent');
  expect(await historyRow()).toMatchObject({ status: 'failed', statements_done: 1, intent_fingerprint: null });
  await apply();
  expect(await indexValidity('t_w')).toBe(true);
});

test('a rollback with online statements that fails part-way resumes where it stopped', async () => {
  write(ONLINE_MIGRATE, ['DROP INDEX CONCURRENTLY t_w', 'ALTER TABLE t DROP CONSTRAINT no_such_constraint', 'ALTER TABLE t DROP CONSTRAINT t_v_positive', 'ALTER TABLE t DROP COLUMN c']);
  await apply();
  await expect(rollback()).rejects.toThrow(/statement 2 of 4 failed[\s\S]*Statements 1–1 are committed and recorded/);
  expect(await historyRow()).toMatchObject({ status: 'rollback-failed', statements_done: 1 });
  expect(await indexValidity('t_w')).toBe('absent');
  await admin.query('ALTER TABLE t ADD CONSTRAINT no_such_constraint CHECK (true)');
  await rollback();
  expect(await historyRow()).toBeUndefined();
  expect(await columns()).toEqual(['id', 'v', 'w']);
});
