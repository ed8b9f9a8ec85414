import { createMysqlDatabase, onMysqlServer, openMysqlAdmin } from '../support/servers';
import { defineStaleShadowSuite } from './stale-shadows.shared';

defineStaleShadowSuite({
  label: 'MariaDB',
  createDatabase: createMysqlDatabase,
  databasesLike: (pattern) => onMysqlServer(async (c) => ((await c.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [pattern]))[0] as { name: string }[]).map((row) => row.name)),
  createEmpty: (name) => onMysqlServer(async (c) => void (await c.query(`CREATE DATABASE \`${name}\``))),
  dropIfExists: (name) => onMysqlServer(async (c) => void (await c.query(`DROP DATABASE IF EXISTS \`${name}\``))),
  // The creating session holds a named lock on the shadow's name until it has dropped it.
  async use(name) {
    const holder = await openMysqlAdmin();
    await holder.query('SELECT GET_LOCK(?, 0)', [name]);
    return () => holder.end();
  },
});
