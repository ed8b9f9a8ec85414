/**
 * The embedded database (and so the default verification shadow on PostgreSQL) can hold the contrib types the models
 * may use: the migration's CREATE EXTENSION for citext, hstore, ltree and cube succeeds there.
 */
import * as vm from 'node:vm';
import { PgliteClient } from '../../src/connect/pglite-client';

describe('embedded PGlite with contrib types', () => {
  it('creates citext, hstore, ltree and cube and a table using them', async () => {
    if ((vm as { SourceTextModule?: unknown }).SourceTextModule === undefined) {
      throw new Error('PGlite under jest needs NODE_OPTIONS=--experimental-vm-modules (its loader uses dynamic import())');
    }
    const client = await PgliteClient.open(null);
    try {
      for (const extension of ['citext', 'hstore', 'ltree', 'cube']) await client.execute(`CREATE EXTENSION IF NOT EXISTS "${extension}"`);
      await client.execute('CREATE TABLE tagged (email citext NOT NULL, attrs hstore, path ltree, position cube)');
      await client.execute(`INSERT INTO tagged VALUES ('A@x.org', 'a=>1', 'top.child', '(1,2)')`);
      expect(await client.query(`SELECT count(*)::int AS n FROM tagged WHERE email = 'a@X.ORG'`)).toEqual([{ n: 1 }]);
    } finally {
      await client.close();
    }
  });
});
