/**
 * The bound on a MariaDB migration statement's lock wait (src/dialect/mysql/lock-wait.ts), on the real server: a second
 * connection holds a metadata lock (an open transaction that read the table), so the migration's ALTER cannot get its
 * exclusive lock. It gives up after --ddl-lock-timeout (lock_wait_timeout, whole seconds) instead of queueing every
 * writer behind it, says so, and tries again; once the holder commits, the retry succeeds. When the retries run out
 * the run fails on that statement, having done nothing of it, and the next apply finishes it. The online foreign key
 * block retries the same way and leaves foreign_key_checks on.
 */
import * as path from 'node:path';
import { applyMigrations } from '../../src/apply/applier';
import type { Change } from '../../src/change/change';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { parseServerVersion } from '../../src/dialect/lock-impact';
import { mysqlLockWait } from '../../src/dialect/mysql/lock-wait';
import { mysqlOnlineForm } from '../../src/dialect/mysql/online';
import { mysqlSql } from '../../src/dialect/mysql/render';
import { introspect } from '../../src/introspect/introspect';
import { normalizeSchema } from '../../src/model/normalize';
import { makeProject, removeProject } from '../support/cli';
import { writeMigration } from '../support/migration-project';
import { createMysqlDatabase, type ThrowawayDatabase } from '../support/servers';

const POLICY = { timeoutMs: 1000, retries: 2, backoffMs: 300 };

describe('mariadb: a migration statement waits for its metadata lock only as long as --ddl-lock-timeout', () => {
  let database: ThrowawayDatabase;
  let project: string;
  const open = () => MysqlClient.connect(database.url, database.url);
  const options = (log: string[]) => ({
    projectDir: project,
    migrationsDir: path.join(project, 'generated-migrations'),
    dryRun: false,
    allowChanged: false,
    lockTimeoutSeconds: 30,
    lockPolicy: POLICY,
    onEvent: (event: { kind: string; message?: string }) => void (event.kind === 'log' && log.push(event.message as string)),
  });
  const write = (migrate: readonly string[]) => writeMigration(project, 'change', 'mariadb', migrate, []);
  /** A second session that read `items` in an open transaction: it holds a shared metadata lock until it commits. */
  const holdLock = async (): Promise<DatabaseClient> => {
    const holder = await open();
    await holder.execute('START TRANSACTION');
    await holder.query('SELECT * FROM `items` LIMIT 1');
    return holder;
  };
  /** Applies while `holder` keeps its lock; the holder commits once the first attempt has given up. */
  const applyWhileHeld = async (client: DatabaseClient, holder: DatabaseClient, log: string[]): Promise<void> => {
    const run = applyMigrations(client, options(log));
    while (log.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await holder.execute('COMMIT');
    await run;
  };
  const columns = async () => {
    const client = await open();
    try {
      return (await client.query<{ c: string }>(`SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' ORDER BY ORDINAL_POSITION`)).map((r) => r.c);
    } finally {
      await client.close();
    }
  };

  beforeEach(async () => {
    database = await createMysqlDatabase('mdbonline_lockwait');
    project = makeProject({ 'package.json': '{"name":"app","version":"1.0.0"}' });
    const client = await open();
    try {
      await client.execute('CREATE TABLE `teams` (`id` int PRIMARY KEY)');
      await client.execute('INSERT INTO `teams` VALUES (1), (2)');
      await client.execute('CREATE TABLE `items` (`id` int PRIMARY KEY, `team_id` int NULL)');
      await client.execute('INSERT INTO `items` VALUES (1, 1), (2, 2), (3, NULL)');
    } finally {
      await client.close();
    }
  });
  afterEach(async () => {
    await database.drop();
    removeProject(project);
  });

  it('rounds the milliseconds up to the whole seconds the server counts', () => {
    expect(mysqlLockWait.lockTimeout(3000)).toBe('SET SESSION lock_wait_timeout = 3');
    expect(mysqlLockWait.lockTimeout(200)).toBe('SET SESSION lock_wait_timeout = 1');
  });

  it('gives up on the lock, says so, and succeeds on a retry once the holder commits', async () => {
    write(['ALTER TABLE `items` ADD COLUMN `note` varchar(20) NULL, ALGORITHM=INSTANT, LOCK=NONE']);
    const holder = await holdLock();
    const client = await open();
    const log: string[] = [];
    try {
      await applyWhileHeld(client, holder, log);
      expect(log[0]).toBe('statement 1 could not get its lock within 1000 ms; retry 1 of 2 in 0.3 s from statement 1');
      // The session's limits are the server's defaults again.
      const [limits] = await client.query<{ mdl: unknown; global: unknown }>('SELECT @@SESSION.lock_wait_timeout AS mdl, @@GLOBAL.lock_wait_timeout AS `global`');
      expect(Number(limits?.mdl)).toBe(Number(limits?.global));
    } finally {
      await client.close();
      await holder.close();
    }
    expect(await columns()).toEqual(['id', 'team_id', 'note']);
  });

  it('fails on the statement when the retries run out, with nothing of it done, and the next apply finishes it', async () => {
    write(['CREATE INDEX `items_team` ON `items` (`team_id`) ALGORITHM=NOCOPY LOCK=NONE', 'ALTER TABLE `items` ADD COLUMN `note` varchar(20) NULL, ALGORITHM=INSTANT, LOCK=NONE']);
    const client = await open();
    const holder = await holdLock();
    const log: string[] = [];
    try {
      await expect(applyMigrations(client, options(log))).rejects.toThrow(/statement 1 of 2 failed: Lock wait timeout exceeded/);
      expect(log).toEqual([
        'statement 1 could not get its lock within 1000 ms; retry 1 of 2 in 0.3 s from statement 1',
        'statement 1 could not get its lock within 1000 ms; retry 2 of 2 in 0.6 s from statement 1',
      ]);
      const rows = await client.query<{ status: string; statements_done: number }>('SELECT status, statements_done FROM schema_sync_history');
      expect(rows.map((r) => `${r.status} ${r.statements_done}`)).toEqual(['failed 0']);
    } finally {
      await holder.execute('COMMIT');
      await holder.close();
    }
    try {
      await applyMigrations(client, options([]));
    } finally {
      await client.close();
    }
    expect(await columns()).toEqual(['id', 'team_id', 'note']);
  });

  it('retries the online foreign key block, which leaves foreign_key_checks on after each attempt', async () => {
    const client = await open();
    const before = normalizeSchema(await introspect(client));
    const table = before.tables.find((t) => t.name === 'items');
    if (table === undefined) throw new Error('items was not introspected');
    const change: Change = { kind: 'add_foreign_key', table: { schema: null, name: 'items' }, foreignKey: { name: 'items_team', columns: ['team_id'], referencedSchema: null, referencedTable: 'teams', referencedColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' } };
    write(mysqlOnlineForm(change, mysqlSql.render(change, { before }), 'mariadb', { version: parseServerVersion(await client.serverVersion()), table, online: true }));
    const holder = await holdLock();
    const log: string[] = [];
    try {
      await applyWhileHeld(client, holder, log);
      expect(log[0]).toMatch(/^statement 1 could not get its lock within 1000 ms; retry 1 of 2/);
      expect(await client.query('SELECT @@foreign_key_checks AS `on`')).toEqual([{ on: 1 }]);
      const keys = await client.query<{ n: string }>(`SELECT CONSTRAINT_NAME AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`);
      expect(keys.map((k) => k.n)).toEqual(['items_team']);
    } finally {
      await client.close();
      await holder.close();
    }
  });
});
