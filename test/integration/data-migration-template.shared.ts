/**
 * The data-migration template on a real server: it fills the column in one UPDATE per batch along the primary key
 * (keyset pagination), not one UPDATE per row; it is idempotent; its rollback undoes it. The template is chosen from
 * the models' own columns, and a column the models lack is refused by name.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { DatabaseClient, Row } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import type { MigrationContext } from '../../src/migrations/context';
import { chooseDataMigrationTarget } from '../../src/migrations/data-migration-target';
import { dataMigrationTemplate } from '../../src/migrations/data-migration-template';
import { normalizeSchema } from '../../src/model/normalize';
import { col, int, schema, table, varchar } from '../support/schema-builders';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

type Migration = { migrate: (db: MigrationContext) => Promise<void>; rollback: (db: MigrationContext) => Promise<void> };

/** Defines the suite for one server. */
export function defineDataMigrationTemplateSuite(target: 'postgres' | 'mariadb'): void {
  const dialect = target === 'postgres' ? 'postgres' : 'mysql';
  const models = normalizeSchema(
    schema(target, [table('documents', [col('id', int()), col('title', varchar(100)), col('language', varchar(16), { nullable: true })], { pk: ['id'] })]),
  );
  let database: ThrowawayDatabase;
  let client: DatabaseClient;
  let dir: string;

  beforeAll(async () => {
    database = target === 'postgres' ? await createPostgresDatabase('recov_datamig') : await createMysqlDatabase('recov_datamig');
    client = target === 'postgres' ? await PgClient.connect(database.url, database.url) : await MysqlClient.connect(database.url, database.url);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recov-datamig-'));
  });
  afterAll(async () => {
    await client.close();
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The template as a module, with its batch size edited as a user would. */
  const load = (batchSize: number): Migration => {
    const chosen = chooseDataMigrationTarget(models, { table: 'documents', value: 'und' });
    const source = dataMigrationTemplate('backfill_language', '1.0.0', dialect, new Date(0), chosen).replace('const BATCH_SIZE = 1000;', `const BATCH_SIZE = ${batchSize};`);
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const exports: Record<string, unknown> = {};
    new Function('exports', 'require', js)(exports, require);
    return exports as unknown as Migration;
  };
  const context = (sent: string[]): MigrationContext => ({
    dialect,
    dryRun: false,
    execute: async (sql) => {
      sent.push(sql);
      await client.execute(sql);
    },
    query: async <T extends Row = Row>(sql: string, params?: readonly unknown[]) => {
      sent.push(sql);
      return client.query<T>(sql, params);
    },
    log: () => undefined,
  });
  const count = async (where: string) => Number((await client.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM documents WHERE ${where}`))[0]?.n);

  it(`${target}: fills 250 rows in three UPDATEs of 100, 100 and 50 keys, leaves filled rows alone, and rolls back`, async () => {
    await client.execute('CREATE TABLE documents (id int PRIMARY KEY, title varchar(100) NOT NULL, language varchar(16) NULL)');
    const values = Array.from({ length: 251 }, (_, i) => `(${i + 1}, 'Doc ${i + 1}', ${i === 100 ? "'en'" : 'NULL'})`).join(', ');
    await client.execute(`INSERT INTO documents (id, title, language) VALUES ${values}`);
    const sent: string[] = [];
    await load(100).migrate(context(sent));
    expect(sent.filter((sql) => /^UPDATE/.test(sql))).toHaveLength(3);
    expect(await count('language IS NULL')).toBe(0);
    expect(await count("language = 'und'")).toBe(250);
    expect(await count("language = 'en'")).toBe(1);
    // Run again: nothing left, nothing updated.
    const again: string[] = [];
    await load(100).migrate(context(again));
    expect(again.filter((sql) => /^UPDATE/.test(sql))).toEqual([]);
    await load(100).rollback(context([]));
    expect(await count('language IS NULL')).toBe(250);
    expect(await count("language = 'en'")).toBe(1);
  });

  it(`${target}: names only columns the models have`, () => {
    expect(chooseDataMigrationTarget(models, {})).toEqual({ table: 'documents', key: 'id', column: 'language', value: '' });
    expect(() => chooseDataMigrationTarget(models, { table: 'documents', column: 'lang' })).toThrow('--table documents: no column lang in the models (its columns: id, title, language)');
    expect(() => chooseDataMigrationTarget(models, { table: 'docs' })).toThrow('--table docs: no model maps to it (the models have documents)');
  });
}
