/**
 * The conformance runner's pool of databases made ahead of need: each take() is a new, empty database of its own,
 * no more are made than asked for in all, and close() drops the ones no scenario took.
 */
import * as fs from 'node:fs';
import { Client } from 'pg';
import { DatabasePool, type DatabaseMaker } from '../../src/conformance/database-pool';
import { DatabaseFactory, scratchFolder, serverUrlsFromEnvironment, type ThrowawayDatabase } from '../../src/conformance/throwaway-database';
import { PG_URL } from '../support/servers';

async function existing(names: readonly string[]): Promise<string[]> {
  const admin = new Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    return (await admin.query<{ name: string }>('SELECT datname AS name FROM pg_database WHERE datname = ANY($1) ORDER BY 1', [names])).rows.map((row) => row.name);
  } finally {
    await admin.end();
  }
}

describe('conformance runner: databases made ahead, on PostgreSQL', () => {
  const scratch = scratchFolder('oss-conf-pool');
  const made: ThrowawayDatabase[] = [];
  let factory: DatabaseFactory;
  let recording: DatabaseMaker;
  const nameOf = (database: ThrowawayDatabase) => (database.location.kind === 'url' ? new URL(database.location.url).pathname.slice(1) : database.location.template);
  beforeAll(async () => {
    factory = await DatabaseFactory.open('postgres', serverUrlsFromEnvironment(), scratch);
    recording = {
      async create(label) {
        const database = await factory.create(label);
        made.push(database);
        return database;
      },
    };
  });
  afterAll(async () => {
    for (const database of made) await database.drop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('hands out distinct empty databases, makes no more than the total, and drops the untaken ones on close', async () => {
    const pool = new DatabasePool(recording, 3, 2, 3);
    const first = await pool.take();
    const second = await pool.take();
    expect(nameOf(first)).not.toBe(nameOf(second));
    const client = new Client({ connectionString: (first.location as { url: string }).url });
    await client.connect();
    try {
      expect((await client.query("SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace")).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
    await pool.close();
    // Three were made (the third ahead, for nobody), and close dropped the one no take() got.
    expect(made).toHaveLength(3);
    const names = made.map(nameOf);
    expect(await existing(names)).toEqual([nameOf(first), nameOf(second)].sort());
  });
});
