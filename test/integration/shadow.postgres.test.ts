/**
 * openShadow against the PostgreSQL server: the scratch database it makes on the live server (encoding and collation
 * of the live database, dropped on close), and the fallback to the embedded PGlite for a role that may not create
 * databases. PGlite's loader needs NODE_OPTIONS=--experimental-vm-modules.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { connect } from '../../src/connect/connect';
import type { DatabaseClient } from '../../src/connect/client';
import { openShadow } from '../../src/verify/shadow';
import { createPostgresDatabase, PG_URL, type ThrowawayDatabase } from '../support/servers';

async function adminQuery<T>(sql: string): Promise<T[]> {
  const admin = new Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    return (await admin.query(sql)).rows as T[];
  } finally {
    await admin.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  return (await adminQuery(`SELECT 1 FROM pg_database WHERE datname = '${name}'`)).length === 1;
}

describe('openShadow on a PostgreSQL server', () => {
  let live: ThrowawayDatabase;
  beforeAll(async () => {
    // A collation unlike the server's default, which the shadow must copy.
    live = await createPostgresDatabase('shadow_pg');
    await live.drop();
    await adminQuery(`CREATE DATABASE "${live.name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  });
  afterAll(async () => {
    await live?.drop();
  });

  it('creates a scratch database like the live one on the live server, and drops it on close', async () => {
    const client = await connect({ url: live.url });
    try {
      const shadow = await openShadow(client, live.url, undefined);
      const name = /\/(schema_sync_shadow_[0-9a-f_]+)$/.exec(shadow.description)?.[1];
      expect(name).toBeDefined();
      expect(shadow.notes).toEqual([]);
      const [settings] = await adminQuery<{ collate: string; ctype: string; encoding: string }>(
        `SELECT datcollate AS collate, datctype AS ctype, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = '${name}'`,
      );
      expect(settings).toEqual({ collate: 'C', ctype: 'C', encoding: 'UTF8' });
      // It starts empty (template0), and it is the database the shadow client talks to.
      expect(await shadow.client.query<{ db: string }>('SELECT current_database() AS db')).toEqual([{ db: name }]);
      expect(await shadow.client.query(`SELECT 1 FROM pg_class WHERE relnamespace = 'public'::regnamespace`)).toEqual([]);
      await shadow.close();
      expect(await databaseExists(name!)).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('falls back to the embedded PGlite, and says why, when the role may not create databases', async () => {
    const role = `oss_shadow_${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE ROLE ${role} LOGIN NOCREATEDB`);
    let client: DatabaseClient | undefined;
    try {
      const url = new URL(live.url);
      url.username = role;
      client = await connect({ url: url.toString() });
      const shadow = await openShadow(client, url.toString(), undefined);
      try {
        expect(shadow.description).toMatch(/PGlite/);
        expect(shadow.notes).toEqual([expect.stringMatching(/^Cannot create the shadow database schema_sync_shadow_[0-9a-f_]+ on .*permission denied.*verified in embedded PGlite instead/)]);
        expect(await shadow.client.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      } finally {
        await shadow.close();
      }
    } finally {
      await client?.close();
      await adminQuery(`DROP ROLE IF EXISTS ${role}`);
    }
  });
});
