/**
 * MariaDB's online foreign key (src/dialect/mysql/online-foreign-key.ts) as `apply` runs it, on real rows: a composite
 * key between tables whose names and columns need quoting. Orphan rows stop it with their count, the key, the table and
 * a sample, and leave neither the key nor its index behind, with foreign_key_checks back on for the reused
 * connection; once the orphans are gone apply adds it. A run killed before or after the block resumes at the block,
 * which adds the key only if missing and checks the rows again; its rollback's add runs the same block.
 */
import * as path from 'node:path';
import { applyMigrations } from '../../src/apply/applier';
import { rollbackMigrations } from '../../src/apply/rollback';
import type { Change } from '../../src/change/change';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { parseServerVersion } from '../../src/dialect/lock-impact';
import { mysqlLockImpact } from '../../src/dialect/mysql/lock-impact';
import { mysqlOnlineForm } from '../../src/dialect/mysql/online';
import { ONLINE_FOREIGN_KEY_BLOCK } from '../../src/dialect/mysql/online-foreign-key';
import { mysqlSql } from '../../src/dialect/mysql/render';
import { introspect } from '../../src/introspect/introspect';
import { normalizeSchema } from '../../src/model/normalize';
import { makeProject, removeProject } from '../support/cli';
import { DyingClient } from '../support/dying-client';
import { historyRows, withConnection, writeMigration } from '../support/migration-project';
import { createMysqlDatabase, type ThrowawayDatabase } from '../support/servers';

const PARENT = "par`ent's";
const CHILD = 'chi`ld "x"';
const FK = "fk `child' parent";

const SETUP = [
  "CREATE TABLE `par``ent's` (`a'b` int NOT NULL, `c\"d` varchar(20) NOT NULL, PRIMARY KEY (`a'b`, `c\"d`))",
  'CREATE TABLE `chi``ld "x"` (`id` int PRIMARY KEY, `x``1` int NULL, `y\'2` varchar(20) NULL)',
  "INSERT INTO `par``ent's` VALUES (1, 'one'), (2, 'tw''o')",
  // Rows with a NULL key column are not checked (MATCH SIMPLE: row 4); the last row has no parent.
  "INSERT INTO `chi``ld \"x\"` VALUES (1, 1, 'one'), (2, 2, 'tw''o'), (3, NULL, 'gone'), (4, 9, NULL), (5, 7, 'n''o')",
];

describe('mariadb: a foreign key added online, its rows checked by apply', () => {
  let database: ThrowawayDatabase;
  let project: string;
  let migrate: readonly string[];
  let rollback: readonly string[];
  const open = () => MysqlClient.connect(database.url, database.url);
  const options = () => ({ projectDir: project, migrationsDir: path.join(project, 'generated-migrations'), dryRun: false, allowChanged: false, lockTimeoutSeconds: 30 });
  const inDatabase = <T>(work: (client: DatabaseClient) => Promise<T>): Promise<T> => withConnection(open, work);
  const keysAndIndexes = () =>
    inDatabase(async (c) => ({
      foreignKeys: (await c.query<{ n: string }>(`SELECT CONSTRAINT_NAME AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`)).map((r) => r.n),
      indexes: (await c.query<{ n: string }>(`SELECT DISTINCT INDEX_NAME AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`, [CHILD])).map((r) => r.n).sort(),
    }));
  const history = () => inDatabase(historyRows);

  beforeEach(async () => {
    database = await createMysqlDatabase('mdbonline_fk');
    project = makeProject({ 'package.json': '{"name":"app","version":"1.0.0"}' });
    await inDatabase(async (client) => {
      for (const sql of SETUP) await client.execute(sql);
      const before = normalizeSchema(await introspect(client));
      const table = before.tables.find((t) => t.name === CHILD);
      if (table === undefined) throw new Error('the child table was not introspected');
      const change: Change = {
        kind: 'add_foreign_key',
        table: { schema: null, name: CHILD },
        foreignKey: { name: FK, columns: ['x`1', "y'2"], referencedSchema: null, referencedTable: PARENT, referencedColumns: ["a'b", 'c"d'], onDelete: 'RESTRICT', onUpdate: 'RESTRICT' },
      };
      const context = { version: parseServerVersion(await client.serverVersion()), table, online: true };
      expect(mysqlLockImpact(change, 'mariadb', context)).toMatchObject({ lock: 'NOCOPY, LOCK=NONE', rewrite: 'scan', blocking: false });
      migrate = mysqlOnlineForm(change, mysqlSql.render(change, { before }), 'mariadb', context);
      const inverse: Change = { kind: 'drop_foreign_key', table: change.table, foreignKey: change.foreignKey };
      rollback = mysqlSql.render(inverse, { before: { ...before, tables: before.tables.map((t) => (t === table ? { ...t, foreignKeys: [change.foreignKey] } : t)) } });
    });
    expect(migrate).toHaveLength(1);
    expect(migrate[0]).toMatch(ONLINE_FOREIGN_KEY_BLOCK);
    writeMigration(project, 'fk', 'mariadb', migrate, rollback);
  });
  afterEach(async () => {
    await database.drop();
    removeProject(project);
  });

  it('orphans stop it with their count, key, table and a sample, and nothing of it remains; without them it is added', async () => {
    const client = await open();
    try {
      const run = applyMigrations(client, options());
      await expect(run).rejects.toThrow(`foreign key ${FK} on ${CHILD} was not added: 1 rows have no row in ${PARENT}, for example x\`1='7', y'2='n\\'o'`);
      // The same connection goes on with foreign_key_checks on.
      expect(await client.query('SELECT @@foreign_key_checks AS `on`')).toEqual([{ on: 1 }]);
    } finally {
      await client.close();
    }
    expect(await keysAndIndexes()).toEqual({ foreignKeys: [], indexes: ['PRIMARY'] });
    expect(await history()).toEqual(['failed 0']);

    await inDatabase((client) => client.execute('DELETE FROM `chi``ld "x"` WHERE `id` IN (4, 5)'));
    await inDatabase((client) => applyMigrations(client, options()));
    expect(await keysAndIndexes()).toEqual({ foreignKeys: [FK], indexes: ['PRIMARY', FK] });
    expect(await history()).toEqual(['applied 1']);
    // The key is enforced from now on.
    await expect(inDatabase((client) => client.execute("INSERT INTO `chi``ld \"x\"` VALUES (6, 5, 'x')"))).rejects.toThrow(/foreign key constraint fails/);
    // Its rollback drops it with its index.
    await inDatabase((client) => rollbackMigrations(client, { ...options(), allowDrop: true, force: true }));
    expect(await keysAndIndexes()).toEqual({ foreignKeys: [], indexes: ['PRIMARY'] });
  });

  it.each(['before', 'after'] as const)('killed %s the block: the resume runs it (again), and checks the rows again', async (when) => {
    await inDatabase((client) => client.execute('DELETE FROM `chi``ld "x"` WHERE `id` IN (4, 5)'));
    const dying = new DyingClient(await open(), when, migrate[0] as string);
    try {
      await expect(applyMigrations(dying, options())).rejects.toThrow('connection killed');
    } finally {
      await dying.close();
    }
    expect(await history()).toEqual(['running 0']);
    expect((await keysAndIndexes()).foreignKeys).toEqual(when === 'after' ? [FK] : []);
    // Rows written without checks while nobody held the key checked (as a killed validation would have missed them).
    await inDatabase(async (client) => {
      await client.execute('SET SESSION foreign_key_checks = 0');
      await client.execute("INSERT INTO `chi``ld \"x\"` VALUES (7, 8, 'late')");
    });
    await expect(inDatabase((client) => applyMigrations(client, options()))).rejects.toThrow(`1 rows have no row in ${PARENT}, for example x\`1='8', y'2='late'`);
    expect(await keysAndIndexes()).toEqual({ foreignKeys: [], indexes: ['PRIMARY'] });
    await inDatabase((client) => client.execute('DELETE FROM `chi``ld "x"` WHERE `id` = 7'));
    const applied = await inDatabase((client) => applyMigrations(client, options()));
    expect(applied.map((a) => a.resumedAt)).toEqual([0]);
    expect(await keysAndIndexes()).toEqual({ foreignKeys: [FK], indexes: ['PRIMARY', FK] });
    expect(await history()).toEqual(['applied 1']);
  });

  it('on orphans also gives a shorter key back the own index the longer key replaced', async () => {
    // A key on the first column alone, added with checks off (row 5's 7 has no parent), holds an index of its own.
    await inDatabase(async (client) => {
      await client.execute('SET SESSION foreign_key_checks = 0');
      await client.execute("ALTER TABLE `chi``ld \"x\"` ADD CONSTRAINT `fk_short` FOREIGN KEY (`x``1`) REFERENCES `par``ent's` (`a'b`)");
      const before = normalizeSchema(await introspect(client));
      const table = before.tables.find((t) => t.name === CHILD);
      if (table === undefined) throw new Error('the child table was not introspected');
      const change: Change = {
        kind: 'add_foreign_key',
        table: { schema: null, name: CHILD },
        foreignKey: { name: FK, columns: ['x`1', "y'2"], referencedSchema: null, referencedTable: PARENT, referencedColumns: ["a'b", 'c"d'], onDelete: 'RESTRICT', onUpdate: 'RESTRICT' },
      };
      const [block] = mysqlOnlineForm(change, mysqlSql.render(change, { before }), 'mariadb', { version: parseServerVersion(await client.serverVersion()), table, online: true });
      expect(block).toContain('DROP INDEX `fk_short`');
      writeMigration(project, 'fk', 'mariadb', [block as string], []);
    });
    expect(await keysAndIndexes()).toEqual({ foreignKeys: ['fk_short'], indexes: ['PRIMARY', 'fk_short'] });
    await expect(inDatabase((client) => applyMigrations(client, options()))).rejects.toThrow(`1 rows have no row in ${PARENT}`);
    expect(await keysAndIndexes()).toEqual({ foreignKeys: ['fk_short'], indexes: ['PRIMARY', 'fk_short'] });
  });
});
