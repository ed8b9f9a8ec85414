/**
 * A shadow database given by the caller (the library option `shadowDatabase` of sync and of rollback's guard, which
 * the conformance runner fills from databases it made ahead): used instead of a temporary one, left in place, and
 * refused unless it could stand for the one the tool would have made (empty, the live database's encoding and
 * collation).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { applyMigrations } from '../../src/apply/applier';
import { rollbackMigrations } from '../../src/apply/rollback';
import { PgClient } from '../../src/connect/pg-client';
import { generateMigration } from '../../src/sync/generate';
import { openShadow } from '../../src/verify/shadow';
import { createPostgresDatabase, PG_URL, type ThrowawayDatabase } from '../support/servers';

process.env.SCHEMA_SYNC_DIALECT = 'postgres';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE = { kind: 'globs', globs: ['test/fixtures/check-entities/*.ts'] } as const;

async function onServer(sql: string, url = PG_URL): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A database like the ones the runner makes: template0, and the live database's collation unless told otherwise. */
async function emptyDatabase(suite: string, collate = 'C'): Promise<ThrowawayDatabase> {
  const database = await createPostgresDatabase(suite);
  await database.drop();
  await onServer(`CREATE DATABASE "${database.name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE '${collate}' LC_CTYPE '${collate}'`);
  return database;
}

describe('a shadow database given by the caller, on PostgreSQL', () => {
  let live: ThrowawayDatabase;
  let client: PgClient;
  const given: ThrowawayDatabase[] = [];
  let migrationsDir: string;
  const shadow = async (suite: string, collate?: string) => {
    const database = await emptyDatabase(suite, collate);
    given.push(database);
    return database;
  };

  beforeAll(async () => {
    live = await emptyDatabase('given_shadow_live');
    client = await PgClient.connect(live.url, live.url);
    migrationsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-given-shadow-'));
  });
  afterAll(async () => {
    await client?.close();
    for (const database of [live, ...given]) await database?.drop();
    fs.rmSync(migrationsDir, { recursive: true, force: true });
  });

  it('is the shadow openShadow returns, and closing it leaves it in place', async () => {
    const database = await shadow('given_shadow_ok');
    const opened = await openShadow(client, live.url, undefined, database.url);
    expect(opened.description).toBe(database.url);
    expect(await opened.client.query('SELECT current_database() AS db')).toEqual([{ db: database.name }]);
    await opened.close();
    const admin = await PgClient.connect(database.url, database.url);
    await admin.close();
  });

  it('is refused when it holds a table, an extension or a schema, or has another collation, naming each', async () => {
    const full = await shadow('given_shadow_full');
    await onServer('CREATE TABLE leftover (id int); CREATE EXTENSION citext; CREATE SCHEMA audit', full.url);
    await expect(openShadow(client, live.url, undefined, full.url)).rejects.toThrow(
      new RegExp(`The shadow database given \\(${full.url.replace(/[.?]/g, '\\$&')}\\) cannot stand for a new one: it holds 1 table.*; it has extension citext; it has schema audit`),
    );
    const other = await shadow('given_shadow_collate', 'C.UTF-8');
    await expect(openShadow(client, live.url, undefined, other.url)).rejects.toThrow(/its collate is C.UTF-8, the live database's C; its ctype is C.UTF-8, the live database's C/);
  });

  it("runs sync's verification and rollback's guard in the databases given to them", async () => {
    // Read-only databases pass the emptiness check, and then fail the first statement run in them: so the error says
    // where verification and the guard ran.
    const readOnly = async (suite: string) => {
      const database = await shadow(suite);
      await onServer(`ALTER DATABASE "${database.name}" SET default_transaction_read_only = on`);
      return database;
    };
    const options = { projectDir: ROOT, source: SOURCE, migrationsDir, release: '0.0.1', allowDrop: false, force: false, renames: [], verify: true, dryRun: false, liveUrl: live.url };
    const syncShadow = await readOnly('given_shadow_sync_ro');
    await expect(generateMigration(client, { ...options, shadowDatabase: syncShadow.url })).rejects.toThrow(new RegExp(`on ${syncShadow.url}.*\\n.*\\n.*read-only transaction`));
    expect(fs.readdirSync(migrationsDir)).toEqual([]);

    const generated = await generateMigration(client, { ...options, shadowDatabase: (await shadow('given_shadow_sync')).url });
    expect(generated.verified).toBe(true);
    await applyMigrations(client, { projectDir: ROOT, migrationsDir, dryRun: false, allowChanged: false, lockTimeoutSeconds: 30 });

    const rollback = { projectDir: ROOT, migrationsDir, steps: 1, dryRun: false, allowChanged: false, lockTimeoutSeconds: 30 };
    const guardShadow = await readOnly('given_shadow_guard_ro');
    await expect(rollbackMigrations(client, { ...rollback, guard: { liveUrl: live.url, shadowDatabase: guardShadow.url } })).rejects.toThrow(/read-only transaction/);
    expect(await client.query("SELECT relname FROM pg_class WHERE relname = 'priced_items'")).toEqual([{ relname: 'priced_items' }]);
    await rollbackMigrations(client, { ...rollback, guard: { liveUrl: live.url, shadowDatabase: (await shadow('given_shadow_guard')).url } });
    expect(await client.query("SELECT relname FROM pg_class WHERE relname = 'priced_items'")).toEqual([]);
  });
});
