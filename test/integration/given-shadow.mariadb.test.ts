/**
 * A shadow database given by the caller (the library option `shadowDatabase`), on MariaDB: used and left in place
 * when it is empty with the live database's character set and collation, refused otherwise.
 */
import { connect } from '../../src/connect/connect';
import type { DatabaseClient } from '../../src/connect/client';
import { openShadow } from '../../src/verify/shadow';
import { createMysqlDatabase, mysqlAdminQuery, type ThrowawayDatabase } from '../support/servers';

describe('a shadow database given by the caller, on MariaDB', () => {
  let live: ThrowawayDatabase;
  let client: DatabaseClient;
  const given: ThrowawayDatabase[] = [];
  const shadow = async (suite: string) => {
    const database = await createMysqlDatabase(suite);
    given.push(database);
    return database;
  };
  beforeAll(async () => {
    live = await createMysqlDatabase('given_shadow_live');
    client = await connect({ url: live.url });
  });
  afterAll(async () => {
    await client?.close();
    for (const database of [live, ...given]) await database?.drop();
  });

  it('is the shadow openShadow returns, and closing it leaves it in place', async () => {
    const database = await shadow('given_shadow_ok');
    const opened = await openShadow(client, live.url, undefined, database.url);
    expect(await opened.client.query('SELECT DATABASE() AS db')).toEqual([{ db: database.name }]);
    await opened.close();
    expect(await mysqlAdminQuery(`SELECT 1 AS one FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${database.name}'`)).toEqual([{ one: 1 }]);
  });

  it('is refused when it holds a table or has another character set, naming each', async () => {
    const full = await shadow('given_shadow_full');
    await mysqlAdminQuery(`CREATE TABLE \`${full.name}\`.leftover (id int)`);
    await mysqlAdminQuery(`ALTER DATABASE \`${full.name}\` CHARACTER SET latin1 COLLATE latin1_german1_ci`);
    await expect(openShadow(client, live.url, undefined, full.url)).rejects.toThrow(
      /cannot stand for a new one: it holds 1 table.*; its charset is latin1, the live database's utf8mb4; its collation is latin1_german1_ci, the live database's utf8mb4_unicode_ci/,
    );
  });
});
