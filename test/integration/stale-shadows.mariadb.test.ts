import { createConnection, type Connection } from 'mysql2/promise';
import { createMysqlDatabase, MYSQL_URL } from '../support/servers';
import { defineStaleShadowSuite } from './stale-shadows.shared';

async function admin<T>(run: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await createConnection({ uri: MYSQL_URL });
  try {
    return await run(connection);
  } finally {
    await connection.end();
  }
}

defineStaleShadowSuite({
  label: 'MariaDB',
  createDatabase: createMysqlDatabase,
  databasesLike: (pattern) => admin(async (c) => ((await c.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [pattern]))[0] as { name: string }[]).map((row) => row.name)),
  createEmpty: (name) => admin(async (c) => void (await c.query(`CREATE DATABASE \`${name}\``))),
  dropIfExists: (name) => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS \`${name}\``))),
  // The creating session holds a named lock on the shadow's name until it has dropped it.
  async use(name) {
    const holder = await createConnection({ uri: MYSQL_URL });
    await holder.query('SELECT GET_LOCK(?, 0)', [name]);
    return () => holder.end();
  },
});
