/**
 * openShadow against the MariaDB server: a scratch database on the live server with the live database's character
 * set and collation (what every column that names none gets), dropped on close.
 */
import { connect } from '../../src/connect/connect';
import { openShadow } from '../../src/verify/shadow';
import { createMysqlDatabase, mysqlAdminQuery, type ThrowawayDatabase } from '../support/servers';

describe('openShadow on a MariaDB server', () => {
  let live: ThrowawayDatabase;
  beforeAll(async () => {
    live = await createMysqlDatabase('shadow_mariadb');
    // Unlike the server's default, so that a copy is told apart from a plain CREATE DATABASE.
    await mysqlAdminQuery(`ALTER DATABASE \`${live.name}\` CHARACTER SET latin1 COLLATE latin1_german1_ci`);
  });
  afterAll(async () => {
    await live?.drop();
  });

  it('creates a scratch database with the live one’s character set and collation, and drops it on close', async () => {
    const client = await connect({ url: live.url });
    try {
      const shadow = await openShadow(client, live.url, undefined);
      const name = /\/(schema_sync_shadow_[0-9a-f_]+)$/.exec(shadow.description)?.[1];
      expect(name).toBeDefined();
      expect(shadow.notes).toEqual([]);
      const settings = await mysqlAdminQuery<{ charset: string; collation: string }>(
        `SELECT DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${name}'`,
      );
      expect(settings).toEqual([{ charset: 'latin1', collation: 'latin1_german1_ci' }]);
      expect(await shadow.client.query<{ db: string }>('SELECT DATABASE() AS db')).toEqual([{ db: name }]);
      await shadow.close();
      expect(await mysqlAdminQuery(`SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${name}'`)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
