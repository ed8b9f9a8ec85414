/**
 * A phased rename's copy as the migration file runs it, on MariaDB with real rows: keyset batches across several
 * rounds that never overwrite a value, a sweep the applier counts as a statement, and a resume past the copy (the
 * journaled applier re-runs migrate() skipping done statements) that does not copy again from a column already gone.
 */
import * as ts from 'typescript';
import type { Change } from '../../src/change/change';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { executeStatements, collectStatements } from '../../src/apply/run-steps';
import { mysqlSql } from '../../src/dialect/mysql/render';
import { emitMigrationFile, type StatementGroup } from '../../src/migrations/emit';
import type { MigrationContext } from '../../src/migrations/context';
import { createMysqlDatabase, type ThrowawayDatabase } from '../support/servers';

const copy: Extract<Change, { kind: 'copy_column' }> = { kind: 'copy_column', table: { schema: null, name: 'docs' }, from: 'title', to: 'headline', key: ['id'] };

/** migrate() of a file that adds a column, copies title into headline, then drops title. */
function migrationFunction(): (db: MigrationContext) => Promise<void> {
  const batches = mysqlSql.batchedCopy(copy);
  if (batches === null) throw new Error('MariaDB copies in batches from the file');
  const groups: StatementGroup[] = [
    { comment: 'add extra', statements: ['ALTER TABLE `docs` ADD COLUMN `extra` int NULL'] },
    { comment: 'copy title into headline', statements: mysqlSql.render(copy, { before: { dialect: 'mariadb', tables: [], enums: [] } }), copy: batches },
    { comment: 'drop title', statements: ['ALTER TABLE `docs` DROP COLUMN `title`'] },
  ];
  const text = emitMigrationFile({ release: '1.0.0', dialect: 'mariadb', generatedAt: new Date(0), toolVersion: '0', changes: [], warnings: [], held: [], phase: 'contract', migrate: groups, rollback: [] });
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exports: Record<string, unknown> = {};
  new Function('exports', 'require', js)(exports, require);
  return exports.migrate as (db: MigrationContext) => Promise<void>;
}

describe('a phased copy in the migration file (MariaDB)', () => {
  let database: ThrowawayDatabase;
  let client: DatabaseClient;
  beforeAll(async () => {
    database = await createMysqlDatabase('phases_copy');
    client = await MysqlClient.connect(database.url, database.url);
  });
  afterAll(async () => {
    await client?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    await client.execute('DROP TABLE IF EXISTS `docs`');
    await client.execute('CREATE TABLE `docs` (`id` int NOT NULL PRIMARY KEY, `title` varchar(50) NULL, `headline` varchar(50) NULL)');
    // 2,500 rows to copy (three batches), one the new release already wrote, one with nothing to copy.
    const values = Array.from({ length: 2500 }, (_, i) => `(${i + 1}, 't${i + 1}', NULL)`);
    await client.execute(`INSERT INTO docs (id, title, headline) VALUES ${values.join(', ')}, (2501, 'old', 'kept'), (2502, NULL, NULL)`);
  });

  const run = async (skip: number) => {
    const ran: string[] = [];
    const logs: string[] = [];
    await executeStatements(client, migrationFunction(), { skip, run: async (_index, sql) => {
        ran.push(sql);
        await client.execute(sql);
      }, log: (m) => void logs.push(m) });
    return { ran, logs };
  };

  it('copies in batches, never overwrites a value, and counts the sweep as a statement', async () => {
    expect(await collectStatements(client, migrationFunction())).toHaveLength(3);
    const { ran, logs } = await run(0);
    expect(ran).toEqual([
      'ALTER TABLE `docs` ADD COLUMN `extra` int NULL',
      'UPDATE `docs` SET `headline` = `title` WHERE `headline` IS NULL AND `title` IS NOT NULL',
      'ALTER TABLE `docs` DROP COLUMN `title`',
    ]);
    expect(logs).toEqual(['copy title into headline: 2500 rows copied']);
    const rows = await client.query<{ id: number; headline: string | null }>('SELECT id, headline FROM docs WHERE id IN (1, 1000, 1001, 2500, 2501, 2502) ORDER BY id');
    expect(rows.map((r) => [r.id, r.headline])).toEqual([
      [1, 't1'],
      [1000, 't1000'],
      [1001, 't1001'],
      [2500, 't2500'],
      [2501, 'kept'],
      [2502, null],
    ]);
  });

  it('resumes past a done copy without reading the column the next statement dropped', async () => {
    await client.execute('ALTER TABLE `docs` ADD COLUMN `extra` int NULL');
    await client.execute('UPDATE `docs` SET `headline` = `title` WHERE `headline` IS NULL AND `title` IS NOT NULL');
    await client.execute('ALTER TABLE `docs` DROP COLUMN `title`');
    const { ran, logs } = await run(3);
    expect(ran).toEqual([]);
    expect(logs).toEqual([]);
  });

  it('walks a primary key of several columns as a tuple, batches ending inside one leading value', async () => {
    await client.execute('DROP TABLE IF EXISTS `docs_composite`');
    await client.execute('CREATE TABLE `docs_composite` (`tenant` varchar(8) NOT NULL, `id` int NOT NULL, `title` varchar(50) NULL, `headline` varchar(50) NULL, PRIMARY KEY (`tenant`, `id`))');
    const values = Array.from({ length: 2500 }, (_, i) => `('t${(i + 1) % 3}', ${i + 1}, 't${i + 1}', ${(i + 1) % 7 === 0 ? "'kept'" : 'NULL'})`);
    await client.execute(`INSERT INTO docs_composite VALUES ${values.join(', ')}, ('t9', 1, NULL, NULL)`);
    const composite: Extract<Change, { kind: 'copy_column' }> = { ...copy, table: { schema: null, name: 'docs_composite' }, key: ['tenant', 'id'] };
    const batches = mysqlSql.batchedCopy(composite);
    if (batches === null) throw new Error('MariaDB copies in batches from the file');
    // The range the server can walk on the key's first column, and the tuple spelled out behind it.
    expect(batches.next).toContain('`tenant` >= ? AND (`tenant` > ? OR (`tenant` = ? AND `id` > ?))');
    const plan = await client.query<{ type: string; key: string | null }>(`EXPLAIN ${batches.update.replace(/\?/g, () => "'t1'").replace("`id` >= 't1'", '`id` >= 1').replace("`id` <= 't1'", '`id` <= 9')}`);
    expect(plan.map((row) => [row.type, row.key])).toEqual([['range', 'PRIMARY']]);
    const groups: StatementGroup[] = [{ comment: 'copy title into headline', statements: mysqlSql.render(composite, { before: { dialect: 'mariadb', tables: [], enums: [] } }), copy: batches }];
    const text = emitMigrationFile({ release: '1.0.0', dialect: 'mariadb', generatedAt: new Date(0), toolVersion: '0', changes: [], warnings: [], held: [], phase: 'expand', migrate: groups, rollback: [] });
    const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const exports: Record<string, unknown> = {};
    new Function('exports', 'require', js)(exports, require);
    const updates: string[] = [];
    const logs: string[] = [];
    const counting: DatabaseClient = new Proxy(client, {
      get: (target, name) => (name === 'query' ? (sql: string, params?: unknown[]) => (sql.startsWith('UPDATE') && updates.push(sql), target.query(sql, params)) : Reflect.get(target, name)),
    });
    await executeStatements(counting, exports.migrate as (db: MigrationContext) => Promise<void>, { skip: 0, run: async (_index, sql) => client.execute(sql), log: (m) => void logs.push(m) });
    expect(logs).toEqual([`copy title into headline: ${2500 - 357} rows copied`]);
    expect(updates).toHaveLength(3);
    const counts = await client.query<{ copied: unknown; kept: unknown; empty: unknown }>(
      "SELECT SUM(headline = title) AS copied, SUM(headline = 'kept') AS kept, SUM(headline IS NULL) AS empty FROM docs_composite",
    );
    expect(counts.map((row) => [Number(row.copied), Number(row.kept), Number(row.empty)])).toEqual([[2500 - 357, 357, 1]]);
  });

  it('copies again when the resume starts before the copy', async () => {
    await client.execute('ALTER TABLE `docs` ADD COLUMN `extra` int NULL');
    const { ran, logs } = await run(1);
    expect(ran).toHaveLength(2);
    expect(logs).toEqual(['copy title into headline: 2500 rows copied']);
    expect((await client.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM docs WHERE headline IS NULL')).map((r) => Number(r.n))).toEqual([1]);
  });
});
