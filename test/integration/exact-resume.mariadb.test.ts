/**
 * The crash windows of a journaled statement on MariaDB, hit exactly: the applier's connection dies just before a
 * statement runs (intent recorded, nothing done) or just after it committed (progress not recorded). A fresh run must
 * then go on at the right statement, never running a committed one twice nor skipping one.
 */
import * as path from 'node:path';
import { applyMigrations } from '../../src/apply/applier';
import { rollbackMigrations } from '../../src/apply/rollback';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { makeProject, removeProject } from '../support/cli';
import { historyRows, withConnection, writeMigration } from '../support/migration-project';
import { DyingClient } from '../support/dying-client';
import { createMysqlDatabase, type ThrowawayDatabase } from '../support/servers';

const CREATE_PARENT = 'CREATE TABLE `documents` (`id` int PRIMARY KEY)';
const CREATE_CHUNKS = 'CREATE TABLE `chunks` (`id` int PRIMARY KEY, `document_id` int NULL)';
const ADD_FK = 'ALTER TABLE `chunks` ADD CONSTRAINT `fk_chunks_document` FOREIGN KEY (`document_id`) REFERENCES `documents` (`id`)';
const BACKFILL = 'INSERT INTO `documents` (`id`) VALUES (1), (2)';
const UNIQUE = 'CREATE UNIQUE INDEX `chunks_document` ON `chunks` (`document_id`)';
const TRIGGER = 'CREATE TRIGGER `chunks_guard` BEFORE INSERT ON `chunks` FOR EACH ROW SET NEW.`id` = NEW.`id`';
const MIGRATE = [CREATE_PARENT, CREATE_CHUNKS, ADD_FK, BACKFILL, UNIQUE];
const ROLLBACK = ['ALTER TABLE `chunks` DROP FOREIGN KEY `fk_chunks_document`', 'DROP INDEX `chunks_document` ON `chunks`', 'DELETE FROM `documents`', 'DROP TABLE `chunks`', 'DROP TABLE `documents`'];

describe('mariadb: exact resume after the connection dies around a statement', () => {
  let database: ThrowawayDatabase;
  let project: string;
  const open = () => MysqlClient.connect(database.url, database.url);
  const options = () => ({ projectDir: project, migrationsDir: path.join(project, 'generated-migrations'), dryRun: false, allowChanged: false, lockTimeoutSeconds: 30 });
  const write = (migrate: readonly string[], rollback: readonly string[]) => writeMigration(project, 'chunks', 'mariadb', migrate, rollback);
  const inDatabase = <T>(work: (client: DatabaseClient) => Promise<T>): Promise<T> => withConnection(open, work);
  const crash = async (when: 'before' | 'after', statement: string, run: (client: DatabaseClient) => Promise<unknown>) => {
    const client = new DyingClient(await open(), when, statement);
    try {
      await expect(run(client)).rejects.toThrow('connection killed');
    } finally {
      await client.close();
    }
  };
  const history = () => inDatabase(historyRows);
  const shape = () =>
    inDatabase(async (c) => ({
      tables: (await c.query<{ t: string }>(`SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'schema_sync_history' ORDER BY 1`)).map((r) => r.t),
      foreignKeys: (await c.query<{ n: string }>(`SELECT CONSTRAINT_NAME AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`)).map((r) => r.n),
      documents: Number((await c.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM `documents`').catch(() => [{ n: -1 }]))[0]?.n),
    }));
  const APPLIED = { tables: ['chunks', 'documents'], foreignKeys: ['fk_chunks_document'], documents: 2 };

  beforeEach(async () => {
    database = await createMysqlDatabase('resume_exact');
    project = makeProject({ 'package.json': '{"name":"app","version":"1.0.0"}' });
    write(MIGRATE, ROLLBACK);
  });
  afterEach(async () => {
    await database.drop();
    removeProject(project);
  });

  it.each([
    { when: 'after' as const, statement: CREATE_CHUNKS, recorded: 1, resumedAt: 2, why: 'committed, unrecorded: not run again (no "already exists")' },
    { when: 'before' as const, statement: ADD_FK, recorded: 2, resumedAt: 2, why: 'intent recorded, never ran: run now' },
    { when: 'after' as const, statement: ADD_FK, recorded: 2, resumedAt: 3, why: 'a committed foreign key is not added twice (no errno 121)' },
    { when: 'before' as const, statement: BACKFILL, recorded: 3, resumedAt: 3, why: 'a data change commits with its progress' },
    { when: 'after' as const, statement: UNIQUE, recorded: 4, resumedAt: 5, why: 'the last statement committed: only the record is left to write' },
  ])('apply: dies $when `$statement` -> resumes after $resumedAt ($why)', async ({ when, statement, recorded, resumedAt }) => {
    await crash(when, statement, (client) => applyMigrations(client, options()));
    expect(await history()).toEqual([`running ${recorded}`]);
    const applied = await inDatabase((client) => applyMigrations(client, options()));
    expect(applied.map((a) => a.resumedAt)).toEqual([resumedAt]);
    expect(await history()).toEqual(['applied 5']);
    expect(await shape()).toEqual(APPLIED);
  });

  it('rollback: dies after a committed DROP, resumes after it, and forgets the migration', async () => {
    await inDatabase((client) => applyMigrations(client, options()));
    await crash('after', 'DROP TABLE `chunks`', (client) => rollbackMigrations(client, { ...options(), allowDrop: true, force: true }));
    expect(await history()).toEqual(['rolling-back 3']);
    const apply = inDatabase((client) => applyMigrations(client, options()));
    await expect(apply).rejects.toThrow('Not applying: a rollback stopped halfway');
    const rolledBack = await inDatabase((client) => rollbackMigrations(client, { ...options(), allowDrop: true, force: true }));
    expect(rolledBack.rolledBack.map((r) => r.statements)).toEqual([['DROP TABLE `documents`']]);
    expect(await history()).toEqual([]);
    expect(await shape()).toEqual({ tables: [], foreignKeys: [], documents: -1 });
  });

  it('gives a history table made by an older version the intent column, and applies as before', async () => {
    await inDatabase((c) =>
      c.execute(
        'CREATE TABLE schema_sync_history (id varchar(255) NOT NULL PRIMARY KEY, `release` varchar(64) NOT NULL, name varchar(255) NOT NULL, checksum char(64) NOT NULL, ' +
          'started_at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), finished_at datetime(3) NULL, duration_ms int NULL, statements_done int NOT NULL DEFAULT 0, ' +
          'statements_total int NOT NULL, status varchar(16) NOT NULL, error text NULL) ENGINE=InnoDB',
      ),
    );
    await inDatabase((client) => applyMigrations(client, options()));
    expect(await history()).toEqual(['applied 5']);
    const columns = await inDatabase((c) => c.query<{ n: string }>(`SELECT COLUMN_NAME AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'schema_sync_history' AND COLUMN_NAME = 'intent_fingerprint'`));
    expect(columns).toHaveLength(1);
  });

  it('stops with the resolve command when the statement in flight is one the catalog check cannot read', async () => {
    write([CREATE_PARENT, CREATE_CHUNKS, TRIGGER], ['DROP TABLE `chunks`', 'DROP TABLE `documents`']);
    await crash('after', TRIGGER, (client) => applyMigrations(client, options()));
    const resumed = inDatabase((client) => applyMigrations(client, options()));
    await expect(resumed).rejects.toThrow(
      /interrupted during statement 3 of 3, whose effect cannot be read from the catalog:\n {2}CREATE TRIGGER[^\n]*\nStatements 1–2 are applied\.[^]*schema-sync resolve v1_0_0\/20260101000000_chunks --applied/,
    );
    expect(await history()).toEqual(['running 2']);
  });
});
