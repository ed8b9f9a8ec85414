/**
 * Emptying an embedded database for reuse (resetEmbedded), and the embedded verification shadow a process keeps
 * between verifications (keepEmbeddedShadows): what a reused one holds must be what a fresh one holds.
 */
import * as vm from 'node:vm';
import { PgliteClient } from '../../src/connect/pglite-client';
import { pristineFingerprint, resetEmbedded } from '../../src/connect/pglite-reset';
import { keepEmbeddedShadows, openShadow } from '../../src/verify/shadow';

const USER_RELATIONS = `SELECT count(*)::int AS n FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
  WHERE s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg_toast%'`;

/** Leaves one of nearly everything a migration (or TypeORM) can make, with the session in an open transaction. */
async function fill(client: PgliteClient): Promise<void> {
  for (const statement of [
    'CREATE EXTENSION IF NOT EXISTS citext',
    'CREATE EXTENSION IF NOT EXISTS "uuid-ossp"',
    "CREATE TYPE mood AS ENUM ('sad', 'happy')",
    'CREATE TABLE pet (id serial PRIMARY KEY, name citext, mood mood, key uuid DEFAULT uuid_generate_v4())',
    'CREATE INDEX pet_name ON pet (name)',
    'CREATE VIEW pet_names AS SELECT name FROM pet',
    'CREATE SCHEMA other',
    'CREATE TABLE other.thing (id int PRIMARY KEY, pet int REFERENCES public.pet (id))',
    'CREATE FUNCTION other.one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$',
    'CREATE ROLE reader',
    'GRANT SELECT ON pet TO reader',
    "COMMENT ON TABLE pet IS 'pets'",
    'SET search_path TO other, public',
    'BEGIN',
    'CREATE TABLE half_done (id int)',
  ]) {
    await client.execute(statement);
  }
}

describe('emptying an embedded database for reuse', () => {
  beforeAll(() => {
    if ((vm as { SourceTextModule?: unknown }).SourceTextModule === undefined) {
      throw new Error('PGlite under jest needs NODE_OPTIONS=--experimental-vm-modules (its loader uses dynamic import())');
    }
  });

  it('drops schemas, tables, types, extensions, roles and session settings, and proves it by the fingerprint', async () => {
    const client = await PgliteClient.open(null);
    try {
      const pristine = await pristineFingerprint(client);
      await fill(client);
      expect(await pristineFingerprint(client)).not.toBe(pristine);
      expect(await resetEmbedded(client, pristine)).toBe(true);
      expect(await pristineFingerprint(client)).toBe(pristine);
      expect(await client.query(USER_RELATIONS)).toEqual([{ n: 0 }]);
      expect(await client.query("SELECT count(*)::int AS n FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql'")).toEqual([{ n: 0 }]);
      expect(await client.query("SELECT current_setting('search_path') AS path")).toEqual([{ path: 'public' }]);
      // And it serves again: the same objects can be made a second time.
      await fill(client);
      await client.execute('COMMIT');
      expect(await resetEmbedded(client, pristine)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('says no when something it does not remove is left (a large object, a comment on the database)', async () => {
    const client = await PgliteClient.open(null);
    try {
      const pristine = await pristineFingerprint(client);
      await client.query('SELECT lo_create(0)');
      expect(await resetEmbedded(client, pristine)).toBe(false);
    } finally {
      await client.close();
    }
    const second = await PgliteClient.open(null);
    try {
      const pristine = await pristineFingerprint(second);
      await second.execute("COMMENT ON DATABASE template1 IS 'touched'");
      expect(await resetEmbedded(second, pristine)).toBe(false);
    } finally {
      await second.close();
    }
  });

  it('opens instances that share nothing but the compiled engine', async () => {
    const [a, b] = await Promise.all([PgliteClient.open(null), PgliteClient.open(null)]);
    try {
      await a.execute('CREATE TABLE only_in_a (id int)');
      expect(await a.query(USER_RELATIONS)).toEqual([{ n: 1 }]);
      expect(await b.query(USER_RELATIONS)).toEqual([{ n: 0 }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('the embedded verification shadow', () => {
  it('is closed after its verification unless the process keeps shadows; a kept one comes back empty', async () => {
    const live = await PgliteClient.open(null);
    try {
      const once = await openShadow(live, undefined, undefined);
      const first = once.client as PgliteClient;
      await once.close();
      expect(first.pglite.closed).toBe(true);

      keepEmbeddedShadows();
      const shadow = await openShadow(live, undefined, undefined);
      const kept = shadow.client as PgliteClient;
      await fill(kept);
      await shadow.close();
      expect(kept.pglite.closed).toBe(false);

      const again = await openShadow(live, undefined, undefined);
      expect(again.client).toBe(kept);
      expect(await again.client.query(USER_RELATIONS)).toEqual([{ n: 0 }]);
      expect(await again.client.query("SELECT count(*)::int AS n FROM pg_catalog.pg_roles WHERE rolname = 'reader'")).toEqual([{ n: 0 }]);

      // One that cannot be emptied is closed, and the next verification gets a fresh one.
      await again.client.query('SELECT lo_create(0)');
      await again.close();
      expect(kept.pglite.closed).toBe(true);
      const fresh = await openShadow(live, undefined, undefined);
      expect(fresh.client).not.toBe(kept);
      expect(await fresh.client.query('SELECT count(*)::int AS n FROM pg_catalog.pg_largeobject_metadata')).toEqual([{ n: 0 }]);
      await fresh.close();
      await ((fresh.client as PgliteClient).pglite.closed ? Promise.resolve() : (fresh.client as PgliteClient).close());
    } finally {
      await live.close();
    }
  });
});
