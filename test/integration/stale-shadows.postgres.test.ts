import { Client } from 'pg';
import { createPostgresDatabase, PG_URL } from '../support/servers';
import { defineStaleShadowSuite } from './stale-shadows.shared';

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

defineStaleShadowSuite({
  label: 'PostgreSQL',
  createDatabase: createPostgresDatabase,
  databasesLike: (pattern) => admin(async (c) => (await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [pattern])).rows.map((row) => row.datname)),
  createEmpty: (name) => admin(async (c) => void (await c.query(`CREATE DATABASE "${name}"`))),
  dropIfExists: (name) => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  // A verifying run stays connected to its shadow: a session is what "in use" means here.
  async use(name) {
    const session = new Client({ connectionString: new URL(`/${name}`, PG_URL).toString() });
    await session.connect();
    return () => session.end();
  },
});
