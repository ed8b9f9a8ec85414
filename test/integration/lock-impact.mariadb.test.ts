/**
 * Every algorithm and lock fact the MySQL-family lock module claims, checked on the real MariaDB: the change is
 * rendered as a migration would run it and run with the claimed ALGORITHM and LOCK, which the server must accept;
 * run with the next cheaper algorithm it must refuse (so INSTANT is really the cheapest, and INPLACE after a refused
 * NOCOPY really rebuilds the table), and a claimed LOCK=SHARED must be refused as LOCK=NONE.
 */
import type { Change, ColumnAspect } from '../../src/change/change';
import { MysqlClient } from '../../src/connect/mysql-client';
import { parseServerVersion, type ServerVersion, type TableRewrite } from '../../src/dialect/lock-impact';
import { MYSQL_ALGORITHMS, mysqlAlterCost, mysqlLockImpact, withAlgorithm, type MysqlAlgorithm } from '../../src/dialect/mysql/lock-impact';
import { mysqlSql } from '../../src/dialect/mysql/render';
import { mysqlOnlineForm } from '../../src/dialect/mysql/online';
import { foreignKeyClause } from '../../src/dialect/mysql/render-constraint';
import { parseMysqlType } from '../../src/dialect/mysql/types';
import { introspect } from '../../src/introspect/introspect';
import { normalizeSchema } from '../../src/model/normalize';
import type { Column, Schema, Table } from '../../src/model/schema';
import { createMysqlDatabase, type ThrowawayDatabase } from '../support/servers';
import { recordFacts, type ObservedFact } from '../support/lock-facts';

const SETUP = [
  'SET foreign_key_checks = 1',
  'DROP TABLE IF EXISTS t, p',
  'CREATE TABLE p (id int PRIMARY KEY) ENGINE=InnoDB',
  'INSERT INTO p VALUES (1)',
  `CREATE TABLE t (id int NOT NULL, v varchar(127) NULL, v2 varchar(60) NULL, n decimal(10,2) NULL, c text NULL, pid int NULL,
     e varchar(20) NULL, nn varchar(10) NOT NULL DEFAULT 'a', en enum('a','b') NULL, w varchar(20) NULL,
     PRIMARY KEY (id), KEY t_c (v2), UNIQUE KEY t_u (e), CONSTRAINT t_fk FOREIGN KEY (pid) REFERENCES p (id), CONSTRAINT t_ck CHECK (id > 0))
     ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  `INSERT INTO t VALUES (1, 'a', 'b', 1, 'x', 1, 'y', 'z', 'a', 'w')`,
];

const T = { schema: null, name: 't' } as const;

interface Scenario {
  readonly name: string;
  readonly extraSetup?: readonly string[];
  readonly change: (table: Table) => Change;
  readonly expect: { readonly lock: string; readonly rewrite: TableRewrite };
}

const type = (sql: string) => parseMysqlType(sql);
const columnOf = (table: Table, name: string): Column => {
  const found = table.columns.find((column) => column.name === name);
  if (found === undefined) throw new Error(`no column ${name}`);
  return found;
};
const alter = (name: string, patch: Partial<Column>, changed: ColumnAspect[]) => (table: Table): Change => {
  const from = columnOf(table, name);
  return { kind: 'alter_column', table: T, from, to: { ...from, ...patch }, changed };
};
const added = (column: Partial<Column> & { name: string; type: Column['type'] }) => (): Change => ({
  kind: 'add_column',
  table: T,
  column: { nullable: true, default: null, generation: null, comment: null, charset: null, collation: null, onUpdate: null, ...column },
});
const indexNamed = (table: Table, name: string) => {
  const found = table.indexes.find((index) => index.name === name);
  if (found === undefined) throw new Error(`no index ${name}`);
  return found;
};
const foreignKeyNamed = (table: Table, name: string) => {
  const found = table.foreignKeys.find((key) => key.name === name);
  if (found === undefined) throw new Error(`no foreign key ${name}`);
  return found;
};

const SCENARIOS: readonly Scenario[] = [
  { name: 'add nullable column', change: added({ name: 'x', type: type('int') }), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'add NOT NULL column with a default', change: added({ name: 'x', type: type('int'), nullable: false, default: { kind: 'literal', value: '5' } }), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'add column DEFAULT current_timestamp()', change: added({ name: 'x', type: type('datetime'), default: { kind: 'expression', sql: 'current_timestamp()' } }), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'add column DEFAULT (uuid()) (a value per row)', change: added({ name: 'x', type: type('uuid'), default: { kind: 'expression', sql: 'uuid()' } }), expect: { lock: 'COPY, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'add virtual generated column', change: added({ name: 'x', type: type('int'), computed: { expression: '`id` * 2', stored: false } }), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'add stored generated column', change: added({ name: 'x', type: type('int'), computed: { expression: '`id` * 2', stored: true } }), expect: { lock: 'COPY, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'add column to a table with a FULLTEXT index', extraSetup: ['CREATE FULLTEXT INDEX t_ft ON t (c)'], change: added({ name: 'x', type: type('int') }), expect: { lock: 'INPLACE, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'drop column', change: (table) => ({ kind: 'drop_column', table: T, column: columnOf(table, 'w') }), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'rename column', change: (table) => ({ kind: 'rename_column', table: T, from: columnOf(table, 'w'), to: { ...columnOf(table, 'w'), name: 'w2' } }), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'varchar(127) -> varchar(255) (utf8mb4, two-byte length both)', change: alter('v', { type: type('varchar(255)') }, ['type']), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'varchar(60) -> varchar(63) (utf8mb4, one-byte length both)', change: alter('v2', { type: type('varchar(63)') }, ['type']), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'varchar(60) -> varchar(64) (utf8mb4, crosses 255 bytes)', change: alter('v2', { type: type('varchar(64)') }, ['type']), expect: { lock: 'COPY, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'varchar(127) -> varchar(100)', change: alter('v', { type: type('varchar(100)') }, ['type']), expect: { lock: 'COPY, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'decimal(10,2) -> decimal(12,2)', change: alter('n', { type: type('decimal(12,2)') }, ['type']), expect: { lock: 'COPY, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'int -> bigint', change: alter('pid', { type: type('bigint') }, ['type']), extraSetup: ['ALTER TABLE t DROP FOREIGN KEY t_fk'], expect: { lock: 'COPY, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'enum value appended', change: alter('en', { type: type("enum('a','b','c')") }, ['type']), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'enum values reordered', change: alter('en', { type: type("enum('b','a')") }, ['type']), expect: { lock: 'COPY, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'NULL -> NOT NULL', change: alter('w', { nullable: false }, ['nullable']), expect: { lock: 'INPLACE, LOCK=NONE', rewrite: 'rewrite' } },
  { name: 'NOT NULL -> NULL', change: alter('nn', { nullable: true }, ['nullable']), expect: { lock: 'INPLACE, LOCK=NONE', rewrite: 'rewrite' } },
  { name: 'change default', change: alter('nn', { default: { kind: 'literal', value: 'b' } }, ['default']), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'column comment', change: alter('w', { comment: 'why' }, ['comment']), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'collation of a column without index', change: alter('w', { collation: 'utf8mb4_bin' }, ['collation']), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'collation of an indexed column', change: alter('v2', { collation: 'utf8mb4_bin' }, ['collation']), expect: { lock: 'NOCOPY, LOCK=NONE', rewrite: 'scan' } },
  { name: 'character set of a column', change: alter('w', { charset: 'latin1', collation: null }, ['charset']), expect: { lock: 'COPY, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'create index', change: () => ({ kind: 'create_index', table: T, index: { name: 't_w', columns: ['w'], unique: false, where: null, method: null } }), expect: { lock: 'NOCOPY, LOCK=NONE', rewrite: 'scan' } },
  { name: 'create unique index', change: () => ({ kind: 'create_index', table: T, index: { name: 't_w', columns: ['w'], unique: true, where: null, method: null } }), expect: { lock: 'NOCOPY, LOCK=NONE', rewrite: 'scan' } },
  { name: 'create the first FULLTEXT index', change: () => ({ kind: 'create_index', table: T, index: { name: 't_ft', columns: ['c'], unique: false, where: null, method: 'fulltext' } }), expect: { lock: 'INPLACE, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'create a second FULLTEXT index', extraSetup: ['CREATE FULLTEXT INDEX t_ft0 ON t (e)'], change: () => ({ kind: 'create_index', table: T, index: { name: 't_ft', columns: ['c'], unique: false, where: null, method: 'fulltext' } }), expect: { lock: 'NOCOPY, LOCK=SHARED', rewrite: 'scan' } },
  { name: 'drop index', change: (table) => ({ kind: 'drop_index', table: T, index: indexNamed(table, 't_c') }), expect: { lock: 'NOCOPY, LOCK=NONE', rewrite: 'none' } },
  { name: 'rename index', change: (table) => ({ kind: 'rename_index', table: T, from: indexNamed(table, 't_c'), to: { ...indexNamed(table, 't_c'), name: 't_c2' } }), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'add foreign key', change: (table) => ({ kind: 'add_foreign_key', table: T, foreignKey: { ...foreignKeyNamed(table, 't_fk'), name: 't_fk2' } }), expect: { lock: 'COPY, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'rename foreign key', change: (table) => ({ kind: 'rename_foreign_key', table: T, from: foreignKeyNamed(table, 't_fk'), to: { ...foreignKeyNamed(table, 't_fk'), name: 't_fk2' } }), expect: { lock: 'COPY, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'drop foreign key with its own index', change: (table) => ({ kind: 'drop_foreign_key', table: T, foreignKey: foreignKeyNamed(table, 't_fk') }), expect: { lock: 'NOCOPY, LOCK=NONE', rewrite: 'none' } },
  { name: 'drop foreign key served by another index', extraSetup: ['CREATE INDEX t_pid ON t (pid, id)'], change: (table) => ({ kind: 'drop_foreign_key', table: T, foreignKey: foreignKeyNamed(table, 't_fk') }), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'add check', change: () => ({ kind: 'add_check', table: T, check: { name: 't_ck2', expression: '`id` < 100' } }), expect: { lock: 'COPY, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'drop check', change: () => ({ kind: 'drop_check', table: T, check: { name: 't_ck', expression: '`id` > 0' } }), expect: { lock: 'INSTANT', rewrite: 'none' } },
  { name: 'drop primary key', change: (table) => ({ kind: 'alter_primary_key', table: T, from: table.primaryKey, to: null }), expect: { lock: 'COPY, LOCK=SHARED', rewrite: 'rewrite' } },
  { name: 'add primary key', extraSetup: ['ALTER TABLE t DROP PRIMARY KEY'], change: () => ({ kind: 'alter_primary_key', table: T, from: null, to: { name: 'PRIMARY', columns: ['id'] } }), expect: { lock: 'INPLACE, LOCK=NONE', rewrite: 'rewrite' } },
  { name: 'table comment', change: () => ({ kind: 'alter_table_comment', table: T, from: null, to: 'why' }), expect: { lock: 'INSTANT', rewrite: 'none' } },
];

/**
 * The online form of an added foreign key (online-foreign-key.ts): added with foreign_key_checks off, then its rows
 * checked by a query. Claimed INSTANT when an index serves the key, NOCOPY with LOCK=NONE when its own index is built.
 */
const ONLINE_SCENARIOS: readonly Scenario[] = [
  {
    name: 'add foreign key (an index serves it)',
    extraSetup: ['ALTER TABLE t DROP FOREIGN KEY t_fk', 'ALTER TABLE t DROP INDEX t_fk', 'CREATE INDEX t_pid ON t (pid)'],
    change: () => ({ kind: 'add_foreign_key', table: T, foreignKey: { name: 't_fk2', columns: ['pid'], referencedSchema: null, referencedTable: 'p', referencedColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' } }),
    expect: { lock: 'INSTANT', rewrite: 'scan' },
  },
  {
    name: 'add foreign key (its own index is built)',
    extraSetup: ['ALTER TABLE t DROP FOREIGN KEY t_fk', 'ALTER TABLE t DROP INDEX t_fk'],
    change: () => ({ kind: 'add_foreign_key', table: T, foreignKey: { name: 't_fk2', columns: ['pid'], referencedSchema: null, referencedTable: 'p', referencedColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' } }),
    expect: { lock: 'NOCOPY, LOCK=NONE', rewrite: 'scan' },
  },
];

/** The algorithm just cheaper than `algorithm`, or null for INSTANT. */
function cheaper(algorithm: MysqlAlgorithm): MysqlAlgorithm | null {
  const i = MYSQL_ALGORITHMS.indexOf(algorithm);
  return i <= 0 ? null : MYSQL_ALGORITHMS[i - 1]!;
}

describe('MariaDB algorithm and lock facts on the real server', () => {
  let database: ThrowawayDatabase;
  let client: MysqlClient;
  let version: ServerVersion;
  const facts: ObservedFact[] = [];

  beforeAll(async () => {
    database = await createMysqlDatabase('online_locks');
    client = await MysqlClient.connect(database.url, database.url);
    version = parseServerVersion(await client.serverVersion());
  });
  afterAll(async () => {
    await client.close();
    await database.drop();
    recordFacts('mariadb', `MariaDB ${version.major}.${version.minor}`, facts, SCENARIOS.length + ONLINE_SCENARIOS.length);
  });

  /** Builds the tables afresh and returns the live schema and table t. */
  async function fresh(scenario: Scenario): Promise<{ schema: Schema; table: Table }> {
    for (const statement of [...SETUP, ...(scenario.extraSetup ?? [])]) await client.execute(statement);
    const schema = normalizeSchema(await introspect(client));
    const table = schema.tables.find((t) => t.name === 't');
    if (table === undefined) throw new Error('t was not introspected');
    return { schema, table };
  }

  /** The server's error for the statements run with this algorithm and lock, or null when it accepted them. */
  async function refusal(scenario: Scenario, algorithm: MysqlAlgorithm, lock: 'NONE' | 'SHARED' | 'EXCLUSIVE'): Promise<string | null> {
    const { schema, table } = await fresh(scenario);
    const statements = mysqlSql.render(scenario.change(table), { before: schema });
    try {
      for (const statement of statements) await client.execute(withAlgorithm(statement, algorithm, lock));
      return null;
    } catch (error) {
      return String((error as Error).message);
    }
  }

  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', async (_name, scenario) => {
    const { table } = await fresh(scenario);
    const context = { version, table, online: false };
    const claimed = mysqlLockImpact(scenario.change(table), 'mariadb', context);
    expect({ lock: claimed.lock, rewrite: claimed.rewrite }).toEqual(scenario.expect);
    const alter = mysqlAlterCost(scenario.change(table), 'mariadb', context);

    expect(await refusal(scenario, alter.algorithm, alter.lock)).toBeNull();
    const below = cheaper(alter.algorithm);
    if (below !== null) expect(await refusal(scenario, below, alter.lock)).toMatch(/ALGORITHM=|not supported/i);
    if (alter.lock !== 'NONE') expect(await refusal(scenario, alter.algorithm, 'NONE')).toMatch(/LOCK=NONE|not supported/i);
    facts.push({ change: scenario.name, form: 'plain', lock: claimed.lock, rewrite: claimed.rewrite, blocking: claimed.blocking });
  });

  it.each(ONLINE_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('online: %s', async (_name, scenario) => {
    const { schema, table } = await fresh(scenario);
    const change = scenario.change(table);
    const context = { version, table, online: true };
    const claimed = mysqlLockImpact(change, 'mariadb', context);
    expect({ lock: claimed.lock, rewrite: claimed.rewrite, blocking: claimed.blocking }).toEqual({ ...scenario.expect, blocking: false });
    const alter = mysqlAlterCost(change, 'mariadb', context);
    if (change.kind !== 'add_foreign_key') throw new Error('an online scenario adds a foreign key');
    // With foreign_key_checks on the server refuses the claim; off, it refuses the next cheaper algorithm.
    const statement = (algorithm: MysqlAlgorithm) => `ALTER TABLE t ADD ${foreignKeyClause(change.foreignKey)}, ${algorithm === 'INSTANT' ? 'ALGORITHM=INSTANT' : `ALGORITHM=${algorithm}, LOCK=NONE`}`;
    await expect(client.execute(statement(alter.algorithm))).rejects.toThrow(/foreign_key_checks|not supported/i);
    const below = cheaper(alter.algorithm);
    if (below !== null) {
      await client.execute('SET SESSION foreign_key_checks = 0');
      try {
        await expect(client.execute(statement(below))).rejects.toThrow(/ALGORITHM=|not supported/i);
      } finally {
        await client.execute('SET SESSION foreign_key_checks = 1');
      }
    }
    // The form sync writes, as apply runs it: one statement, accepted, the key in place and checks back on.
    const statements = mysqlOnlineForm(change, mysqlSql.render(change, { before: schema }), 'mariadb', context);
    expect(statements).toHaveLength(1);
    for (const sql of statements) await client.execute(sql);
    const after = normalizeSchema(await introspect(client)).tables.find((t) => t.name === 't');
    expect(after?.foreignKeys.map((key) => key.name)).toContain('t_fk2');
    expect(await client.query<{ on: unknown }>('SELECT @@foreign_key_checks AS `on`')).toEqual([{ on: 1 }]);
    // Running it again (a resume after a kill) adds nothing and checks the rows again.
    for (const sql of statements) await client.execute(sql);
    facts.push({ change: scenario.name, form: 'online', lock: claimed.lock, rewrite: claimed.rewrite, blocking: claimed.blocking });
  });
});
