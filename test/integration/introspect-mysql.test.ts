import { MysqlClient } from '../../src/connect/mysql-client';
import { introspectMysql } from '../../src/introspect/mysql/introspect-mysql';
import { CHECKS_MARIADB, CHECKS_MARIADB_WITHOUT_LEVEL, CHECKS_MYSQL } from '../../src/introspect/mysql/queries';
import type { Column, ColumnDefault, ColumnType, Schema, Table } from '../../src/model/schema';
import { SchemaSyncError } from '../../src/util/errors';
import { createMysqlDatabase, type ThrowawayDatabase } from '../support/servers';

/**
 * Hand-written DDL covering every type the MySQL parser models, every default form MariaDB prints, keys of each kind
 * and hostile names. The database default is utf8mb4 / utf8mb4_unicode_ci (see createMysqlDatabase).
 */
const FIXTURE = `
CREATE TABLE all_types (
  id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
  c_tinyint tinyint(4) DEFAULT -1,
  c_smallint smallint NOT NULL DEFAULT 0,
  c_mediumint mediumint unsigned,
  c_int_unsigned int(10) unsigned NOT NULL DEFAULT 7,
  c_zerofill int(8) unsigned zerofill DEFAULT 5,
  c_bigint bigint(20) unsigned,
  c_bool bool NOT NULL DEFAULT true,
  c_tinyint1 tinyint(1) DEFAULT 0,
  c_decimal decimal(10,2) NOT NULL DEFAULT 1.50,
  c_decimal_bare decimal DEFAULT 3,
  c_numeric numeric(5),
  c_dec dec(8,3) unsigned,
  c_float float DEFAULT 1.5,
  c_double double,
  c_double_precision double precision,
  c_real real DEFAULT 1e3,
  c_varchar varchar(255) NOT NULL DEFAULT 'it''s',
  c_char char(36),
  c_varbinary varbinary(16),
  c_binary binary(16),
  c_tinytext tinytext,
  c_text text,
  c_mediumtext mediumtext,
  c_longtext longtext,
  c_tinyblob tinyblob,
  c_blob blob,
  c_mediumblob mediumblob,
  c_longblob longblob,
  c_datetime datetime DEFAULT '2020-01-01 00:00:00',
  c_datetime6 datetime(6) NOT NULL DEFAULT current_timestamp(6),
  c_timestamp3 timestamp(3) NULL DEFAULT NULL,
  c_timestamp timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  c_date date DEFAULT (curdate()),
  c_time6 time(6),
  c_year year,
  c_year4 year(4) DEFAULT 2024,
  c_json json,
  c_json_default json NOT NULL DEFAULT '{}',
  c_enum enum('a','b','it''s') NOT NULL DEFAULT 'it''s',
  c_set set('x','y') DEFAULT 'x,y',
  c_uuid uuid DEFAULT uuid(),
  c_geometry geometry,
  c_bit bit(3) DEFAULT b'101',
  c_escapes varchar(40) DEFAULT 'back\\\\slash\\nnew line',
  c_null_string varchar(10) DEFAULT 'NULL',
  c_looks_like_now varchar(20) DEFAULT 'now()',
  c_expression datetime DEFAULT (NOW() + INTERVAL 1 DAY)
) COMMENT 'every type';

CREATE TABLE customer (
  id int NOT NULL AUTO_INCREMENT,
  email varchar(255) NOT NULL,
  name varchar(100) NOT NULL DEFAULT 'O''Brien' COMMENT 'display name, it''s shown',
  latin_code char(4) CHARACTER SET latin1 COLLATE latin1_bin,
  latin_name varchar(20) CHARACTER SET latin1,
  nick varchar(50) COLLATE utf8mb4_bin,
  bio text,
  updated_at datetime(6) DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_customer_email (email),
  FULLTEXT KEY ft_customer_bio (bio),
  CONSTRAINT chk_customer_name CHECK (name <> '' AND CHAR_LENGTH(name) < 100)
) COMMENT 'customers';

CREATE TABLE \`group\` (
  id int NOT NULL PRIMARY KEY,
  parent_id int,
  KEY idx_group_parent (parent_id),
  CONSTRAINT fk_group_parent FOREIGN KEY (parent_id) REFERENCES \`group\` (id)
);

CREATE TABLE \`order\` (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id int NOT NULL,
  group_id int,
  \`select\` varchar(10),
  placed_at timestamp(6) NULL,
  CONSTRAINT fk_order_customer FOREIGN KEY (customer_id) REFERENCES customer (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT fk_order_group FOREIGN KEY (group_id) REFERENCES \`group\` (id) ON DELETE SET NULL ON UPDATE NO ACTION
);

CREATE TABLE order_line (
  order_id int NOT NULL,
  line_no smallint unsigned NOT NULL,
  sku varchar(40) NOT NULL,
  qty int NOT NULL DEFAULT 1,
  PRIMARY KEY (order_id, line_no),
  UNIQUE KEY uq_order_line_sku (order_id, sku),
  KEY idx_order_line_sku_qty (sku, qty),
  CONSTRAINT fk_order_line_order FOREIGN KEY (order_id) REFERENCES \`order\` (id) ON DELETE CASCADE,
  CONSTRAINT chk_order_line_qty CHECK (qty > 0)
);

CREATE TABLE \`MixedCase\` (
  \`Id\` int NOT NULL PRIMARY KEY,
  \`MixedColumn\` varchar(20) NOT NULL DEFAULT 'Up',
  UNIQUE KEY \`UQ_MixedCase\` (\`MixedColumn\`)
);

CREATE TABLE \`we\`\`ird\` (
  \`co\`\`l\` int NOT NULL PRIMARY KEY,
  \`has space\` json,
  CONSTRAINT \`chk we\`\`ird\` CHECK (\`co\`\`l\` >= 0)
);

CREATE TABLE \`café_ünïcode\` (
  \`naïve\` varchar(10) NOT NULL PRIMARY KEY,
  \`mixed_ref\` int,
  KEY \`idx_ünïcode\` (\`mixed_ref\`),
  CONSTRAINT \`fk_ünïcode_mixed\` FOREIGN KEY (\`mixed_ref\`) REFERENCES \`MixedCase\` (\`Id\`)
) COMMENT 'ünïcode';

CREATE TABLE \`has space\` (
  \`a column\` int NOT NULL,
  \`other col\` int NOT NULL,
  PRIMARY KEY (\`a column\`, \`other col\`)
);

CREATE TABLE schema_sync_history (id int PRIMARY KEY);
CREATE TABLE schema_sync_lock (id int PRIMARY KEY);
CREATE VIEW customer_view AS SELECT id, email FROM customer;
`;

const literal = (value: string): ColumnDefault => ({ kind: 'literal', value });
const expression = (sql: string): ColumnDefault => ({ kind: 'expression', sql });

/** A column with the defaults of a plain nullable column; `overrides` says what differs. */
function column(name: string, type: ColumnType, overrides: Partial<Column> = {}): Column {
  return { name, type, nullable: true, default: null, generation: null, comment: null, charset: null, collation: null, onUpdate: null, ...overrides };
}

/** A table with no keys; `overrides` adds them. */
function table(name: string, columns: Column[], overrides: Partial<Table> = {}): Table {
  return { schema: null, name, columns, primaryKey: null, indexes: [], uniques: [], foreignKeys: [], checks: [], comment: null, ...overrides };
}

const int = (size: 'tiny' | 'small' | 'medium' | 'int' | 'big' = 'int', unsigned = false): ColumnType => ({ kind: 'integer', size, unsigned });
const varchar = (length: number): ColumnType => ({ kind: 'string', fixed: false, binary: false, length });
const text = (size: 'tiny' | 'regular' | 'medium' | 'long', binary = false): ColumnType => ({ kind: 'text', size, binary });
const json: ColumnType = { kind: 'json', binary: false };
const notNull = { nullable: false } as const;

const ALL_TYPES = table(
  'all_types',
  [
    column('id', int(), { nullable: false, generation: 'increment' }),
    column('c_tinyint', int('tiny'), { default: literal('-1') }),
    column('c_smallint', int('small'), { nullable: false, default: literal('0') }),
    column('c_mediumint', int('medium', true)),
    column('c_int_unsigned', int('int', true), { nullable: false, default: literal('7') }),
    column('c_zerofill', int('int', true), { default: literal('5'), display: { width: 8, zerofill: true } }),
    column('c_bigint', int('big', true)),
    column('c_bool', { kind: 'boolean' }, { nullable: false, default: literal('1') }),
    column('c_tinyint1', { kind: 'boolean' }, { default: literal('0') }),
    column('c_decimal', { kind: 'decimal', precision: 10, scale: 2, unsigned: false }, { nullable: false, default: literal('1.50') }),
    column('c_decimal_bare', { kind: 'decimal', precision: 10, scale: 0, unsigned: false }, { default: literal('3') }),
    column('c_numeric', { kind: 'decimal', precision: 5, scale: 0, unsigned: false }),
    column('c_dec', { kind: 'decimal', precision: 8, scale: 3, unsigned: true }),
    column('c_float', { kind: 'float', size: 'single', unsigned: false }, { default: literal('1.5') }),
    column('c_double', { kind: 'float', size: 'double', unsigned: false }),
    column('c_double_precision', { kind: 'float', size: 'double', unsigned: false }),
    column('c_real', { kind: 'float', size: 'double', unsigned: false }, { default: literal('1000') }),
    column('c_varchar', varchar(255), { nullable: false, default: literal("it's") }),
    column('c_char', { kind: 'string', fixed: true, binary: false, length: 36 }),
    column('c_varbinary', { kind: 'string', fixed: false, binary: true, length: 16 }),
    column('c_binary', { kind: 'string', fixed: true, binary: true, length: 16 }),
    column('c_tinytext', text('tiny')),
    column('c_text', text('regular')),
    column('c_mediumtext', text('medium')),
    column('c_longtext', text('long')),
    column('c_tinyblob', text('tiny', true)),
    column('c_blob', text('regular', true)),
    column('c_mediumblob', text('medium', true)),
    column('c_longblob', text('long', true)),
    column('c_datetime', { kind: 'temporal', name: 'datetime', precision: null }, { default: literal('2020-01-01 00:00:00') }),
    column('c_datetime6', { kind: 'temporal', name: 'datetime', precision: 6 }, { nullable: false, default: expression('current_timestamp(6)') }),
    column('c_timestamp3', { kind: 'temporal', name: 'timestamp', precision: 3 }),
    column('c_timestamp', { kind: 'temporal', name: 'timestamp', precision: null }, { nullable: false, default: expression('current_timestamp()'), onUpdate: 'current_timestamp()' }),
    column('c_date', { kind: 'temporal', name: 'date', precision: null }, { default: expression('curdate()') }),
    column('c_time6', { kind: 'temporal', name: 'time', precision: 6 }),
    column('c_year', { kind: 'temporal', name: 'year', precision: null }),
    column('c_year4', { kind: 'temporal', name: 'year', precision: null }, { default: literal('2024') }),
    column('c_json', json),
    column('c_json_default', json, { nullable: false, default: literal('{}') }),
    column('c_enum', { kind: 'enum', values: ['a', 'b', "it's"], typeName: null }, { nullable: false, default: literal("it's") }),
    column('c_set', { kind: 'set', values: ['x', 'y'] }, { default: literal('x,y') }),
    column('c_uuid', { kind: 'uuid' }, { default: expression('uuid()') }),
    column('c_geometry', { kind: 'raw', sql: 'geometry' }),
    column('c_bit', { kind: 'raw', sql: 'bit(3)' }, { default: expression("b'101'") }),
    column('c_escapes', varchar(40), { default: literal('back\\slash\nnew line') }),
    column('c_null_string', varchar(10), { default: literal('NULL') }),
    column('c_looks_like_now', varchar(20), { default: literal('now()') }),
    column('c_expression', { kind: 'temporal', name: 'datetime', precision: null }, { default: expression('current_timestamp() + interval 1 day') }),
  ],
  { primaryKey: { name: 'PRIMARY', columns: ['id'] }, comment: 'every type' },
);

const CUSTOMER = table(
  'customer',
  [
    column('id', int(), { nullable: false, generation: 'increment' }),
    column('email', varchar(255), notNull),
    column('name', varchar(100), { nullable: false, default: literal("O'Brien"), comment: "display name, it's shown" }),
    // A collation other than its set's default is stated alone (it names the set); the set alone means its default.
    column('latin_code', { kind: 'string', fixed: true, binary: false, length: 4 }, { collation: 'latin1_bin' }),
    column('latin_name', varchar(20), { charset: 'latin1' }),
    column('nick', varchar(50), { collation: 'utf8mb4_bin' }),
    column('bio', text('regular')),
    // ON UPDATE is read into its own field and stays out of the default.
    column('updated_at', { kind: 'temporal', name: 'datetime', precision: 6 }, { default: expression('current_timestamp(6)'), onUpdate: 'current_timestamp(6)' }),
  ],
  {
    primaryKey: { name: 'PRIMARY', columns: ['id'] },
    indexes: [
      { name: 'ft_customer_bio', columns: ['bio'], unique: false, where: null, method: 'fulltext' },
      { name: 'uq_customer_email', columns: ['email'], unique: true, where: null, method: null },
    ],
    checks: [{ name: 'chk_customer_name', expression: "`name` <> '' and char_length(`name`) < 100" }],
    comment: 'customers',
  },
);

const GROUP = table('group', [column('id', int(), notNull), column('parent_id', int())], {
  primaryKey: { name: 'PRIMARY', columns: ['id'] },
  indexes: [{ name: 'idx_group_parent', columns: ['parent_id'], unique: false, where: null, method: null }],
  foreignKeys: [
    // No action given: MariaDB reports RESTRICT (MySQL 8 would say NO ACTION).
    { name: 'fk_group_parent', columns: ['parent_id'], referencedSchema: null, referencedTable: 'group', referencedColumns: ['id'], onDelete: 'RESTRICT', onUpdate: 'RESTRICT' },
  ],
});

const ORDER = table(
  'order',
  [
    column('id', int(), { nullable: false, generation: 'increment' }),
    column('customer_id', int(), notNull),
    column('group_id', int()),
    column('select', varchar(10)),
    column('placed_at', { kind: 'temporal', name: 'timestamp', precision: 6 }),
  ],
  {
    primaryKey: { name: 'PRIMARY', columns: ['id'] },
    // The indexes MariaDB created for both foreign keys (named after them) are not reported.
    foreignKeys: [
      { name: 'fk_order_customer', columns: ['customer_id'], referencedSchema: null, referencedTable: 'customer', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
      { name: 'fk_order_group', columns: ['group_id'], referencedSchema: null, referencedTable: 'group', referencedColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'NO ACTION' },
    ],
  },
);

const ORDER_LINE = table(
  'order_line',
  [column('order_id', int(), notNull), column('line_no', int('small', true), notNull), column('sku', varchar(40), notNull), column('qty', int(), { nullable: false, default: literal('1') })],
  {
    primaryKey: { name: 'PRIMARY', columns: ['order_id', 'line_no'] },
    indexes: [
      { name: 'idx_order_line_sku_qty', columns: ['sku', 'qty'], unique: false, where: null, method: null },
      { name: 'uq_order_line_sku', columns: ['order_id', 'sku'], unique: true, where: null, method: null },
    ],
    foreignKeys: [
      { name: 'fk_order_line_order', columns: ['order_id'], referencedSchema: null, referencedTable: 'order', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'RESTRICT' },
    ],
    checks: [{ name: 'chk_order_line_qty', expression: '`qty` > 0' }],
  },
);

const MIXED_CASE = table('MixedCase', [column('Id', int(), notNull), column('MixedColumn', varchar(20), { nullable: false, default: literal('Up') })], {
  primaryKey: { name: 'PRIMARY', columns: ['Id'] },
  indexes: [{ name: 'UQ_MixedCase', columns: ['MixedColumn'], unique: true, where: null, method: null }],
});

const WEIRD = table('we`ird', [column('co`l', int(), notNull), column('has space', json)], {
  primaryKey: { name: 'PRIMARY', columns: ['co`l'] },
  // The automatic json_valid(`has space`) check is gone; the user's check keeps its doubled backtick.
  checks: [{ name: 'chk we`ird', expression: '`co``l` >= 0' }],
});

const UNICODE = table('café_ünïcode', [column('naïve', varchar(10), notNull), column('mixed_ref', int())], {
  primaryKey: { name: 'PRIMARY', columns: ['naïve'] },
  indexes: [{ name: 'idx_ünïcode', columns: ['mixed_ref'], unique: false, where: null, method: null }],
  foreignKeys: [
    { name: 'fk_ünïcode_mixed', columns: ['mixed_ref'], referencedSchema: null, referencedTable: 'MixedCase', referencedColumns: ['Id'], onDelete: 'RESTRICT', onUpdate: 'RESTRICT' },
  ],
  comment: 'ünïcode',
});

const HAS_SPACE = table('has space', [column('a column', int(), notNull), column('other col', int(), notNull)], {
  primaryKey: { name: 'PRIMARY', columns: ['a column', 'other col'] },
});

/** Tables in code-unit order: upper case sorts before lower case, `café…` after the ASCII names. */
const EXPECTED_TABLES: readonly Table[] = [MIXED_CASE, ALL_TYPES, UNICODE, CUSTOMER, GROUP, HAS_SPACE, ORDER, ORDER_LINE, WEIRD].sort((a, b) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
);

describe('introspectMysql on MariaDB', () => {
  let database: ThrowawayDatabase;
  let client: MysqlClient;
  let schema: Schema;
  const extraDatabases: ThrowawayDatabase[] = [];

  beforeAll(async () => {
    database = await createMysqlDatabase('my_introspect');
    client = await MysqlClient.connect(database.url, database.url);
    await client.execute(FIXTURE);
    schema = await introspectMysql(client);
  });

  afterAll(async () => {
    await client?.close();
    await database?.drop();
    for (const extra of extraDatabases) await extra.drop();
  });

  it('reports the dialect detected from the server and no enum types', () => {
    expect(schema.dialect).toBe('mariadb');
    expect(schema.enums).toEqual([]);
  });

  it('lists base tables sorted by name, without views or the tool’s own tables', () => {
    expect(schema.tables.map((t) => t.name)).toEqual(EXPECTED_TABLES.map((t) => t.name));
  });

  it.each(EXPECTED_TABLES.map((t) => [t.name, t] as const))('reads table %s exactly', (name, expected) => {
    expect(schema.tables.find((t) => t.name === name)).toEqual(expected);
  });

  it('equals the whole expected schema', () => {
    const { tableSizes, ...model } = schema;
    // The view comes back as the server rewrote its query; no TypeORM record names the query it was written with.
    const views = [{ schema: null, name: 'customer_view', materialized: false, query: 'select `customer`.`id` AS `id`,`customer`.`email` AS `email` from `customer`', recorded: false, reads: ['customer'] }];
    expect(model).toEqual({ dialect: 'mariadb', tables: EXPECTED_TABLES, enums: [], views });
    // Every table gets InnoDB's size estimate from the TABLES query.
    expect(Object.keys(tableSizes ?? {}).sort()).toEqual(schema.tables.map((t) => t.name).sort());
    expect(Object.values(tableSizes ?? {}).every((size) => size.bytes > 0 && size.rowsEstimate !== null)).toBe(true);
  });

  it('reads a named database from a connection to another', async () => {
    const other = await createMysqlDatabase('my_introspect_named');
    extraDatabases.push(other);
    await client.execute(`CREATE TABLE \`${other.name}\`.lonely (id int PRIMARY KEY)`);
    const named = await introspectMysql(client, { database: other.name });
    expect(named.tables.map((t) => t.name)).toEqual(['lonely']);
  });

  it('issues the same number of catalog queries for 3 tables and for 30', async () => {
    const small = await createMysqlDatabase('my_introspect_3');
    const large = await createMysqlDatabase('my_introspect_30');
    extraDatabases.push(small, large);
    const ddl = (db: string, count: number) =>
      Array.from(
        { length: count },
        (_, i) =>
          `CREATE TABLE \`${db}\`.t${i} (id int AUTO_INCREMENT PRIMARY KEY, ref int, name varchar(20) DEFAULT 'x', KEY idx_t${i}_name (name), CONSTRAINT chk_t${i} CHECK (name <> '')${i > 0 ? `, CONSTRAINT fk_t${i} FOREIGN KEY (ref) REFERENCES t${i - 1} (id)` : ''});`,
      ).join('\n');
    await client.execute(ddl(small.name, 3));
    await client.execute(ddl(large.name, 30));

    const count = async (db: string, withName: boolean) => {
      const before = client.statementCount;
      const result = await introspectMysql(client, withName ? { database: db } : {});
      return { queries: client.statementCount - before, tables: result.tables.length };
    };
    const smallRun = await count(small.name, true);
    const largeRun = await count(large.name, true);
    expect(smallRun.tables).toBe(3);
    expect(largeRun.tables).toBe(30);
    expect(largeRun.queries).toBe(smallRun.queries);
    expect(smallRun.queries).toBe(7);
    // Without a database name, one more query asks for the current one: still at most eight.
    expect((await count(database.name, false)).queries).toBe(8);
  });

  it('keeps the MySQL 8 check query valid SQL (it runs on MariaDB too, where TABLE_CONSTRAINTS also lists checks)', async () => {
    const rows = await client.query(CHECKS_MYSQL.sql, [database.name, database.name]);
    expect(rows.map((row) => row.constraint_name)).toEqual(expect.arrayContaining(['chk_customer_name', 'chk_order_line_qty']));
  });

  // RENAME COLUMN keeps the automatic check's name (`doc`) but rewrites its clause to json_valid(`body`): only
  // LEVEL = 'Column' says it is still the JSON column's own check, not one a user wrote.
  it('reads a renamed JSON column as JSON, its automatic check not as a check', async () => {
    const renamed = await createMysqlDatabase('my_introspect_json');
    extraDatabases.push(renamed);
    await client.execute(`CREATE TABLE \`${renamed.name}\`.t (id int PRIMARY KEY, doc json NULL, CONSTRAINT chk_t_id CHECK (id > 0))`);
    await client.execute(`ALTER TABLE \`${renamed.name}\`.t RENAME COLUMN doc TO body`);
    const checkNames = await client.query(CHECKS_MARIADB.sql, [renamed.name]);
    expect(checkNames.map((row) => [row.constraint_name, row.check_clause, row.level])).toEqual([['chk_t_id', '`id` > 0', 'Table'], ['doc', 'json_valid(`body`)', 'Column']]);
    const t = (await introspectMysql(client, { database: renamed.name })).tables[0];
    expect(t?.columns.map((c) => [c.name, c.type.kind])).toEqual([['id', 'integer'], ['body', 'json']]);
    expect(t?.checks).toEqual([{ name: 'chk_t_id', expression: '`id` > 0' }]);
    // The query for a MariaDB before 10.5.10 (no LEVEL) stays valid SQL.
    expect(await client.query(CHECKS_MARIADB_WITHOUT_LEVEL.sql, [renamed.name])).toHaveLength(2);
  });

  it('names the failing query when the catalog cannot be read', async () => {
    const broken = await MysqlClient.connect(database.url, database.url);
    await broken.close();
    const error = await introspectMysql(broken, { database: database.name }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaSyncError);
    expect((error as SchemaSyncError).code).toBe('INTROSPECTION_FAILED');
    expect((error as SchemaSyncError).message).toContain('TABLES');
  });
});
