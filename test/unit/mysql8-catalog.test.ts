import {
  buildMysqlSchema,
  joinForeignKeyRules,
  type MysqlCatalogRows,
  type MysqlColumnRow,
  type MysqlIndexRow,
} from '../../src/introspect/mysql/introspect-mysql';
import type { Column, ColumnType, Schema, Table } from '../../src/model/schema';
import { SchemaSyncError } from '../../src/util/errors';

/*
 * The same DDL, run on MariaDB 10.11 and on MySQL 8.0, in a database called `shop`:
 *
 *   CREATE TABLE customer (
 *     id int NOT NULL AUTO_INCREMENT,
 *     email varchar(255) NOT NULL,
 *     name varchar(100) NOT NULL DEFAULT 'it''s',
 *     active tinyint(1) NOT NULL DEFAULT 1,
 *     balance decimal(10,2) NOT NULL DEFAULT 1.50,
 *     visits bigint unsigned NOT NULL DEFAULT 0,
 *     status enum('new','it''s') NOT NULL DEFAULT 'new',
 *     meta json,
 *     created_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
 *     updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
 *     code char(36) COLLATE utf8mb4_bin,
 *     note varchar(20) DEFAULT 'now()',
 *     token varchar(36) DEFAULT (uuid()),
 *     PRIMARY KEY (id),
 *     UNIQUE KEY uq_customer_email (email),
 *     FULLTEXT KEY ft_customer_name (name),
 *     CONSTRAINT chk_customer_balance CHECK (balance >= 0),
 *     CONSTRAINT chk_customer_status CHECK (status <> 'it''s')
 *   ) COMMENT 'customers';
 *   CREATE TABLE `order` (
 *     id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
 *     customer_id int NOT NULL,
 *     parent_id int,
 *     CONSTRAINT fk_order_customer FOREIGN KEY (customer_id) REFERENCES customer (id) ON DELETE CASCADE ON UPDATE RESTRICT,
 *     CONSTRAINT fk_order_parent FOREIGN KEY (parent_id) REFERENCES `order` (id) ON DELETE SET NULL ON UPDATE RESTRICT
 *   );
 *
 * The rows below are what the introspector's (lower-case aliased) queries return on each server.
 */

/** Recorded from MariaDB 10.11 (database collation utf8mb4_general_ci). */
const MARIADB_ROWS: MysqlCatalogRows = {
  tables: [
    { table_name: 'customer', table_comment: 'customers', table_collation: 'utf8mb4_general_ci' },
    { table_name: 'order', table_comment: '', table_collation: 'utf8mb4_general_ci' },
  ],
  columns: [
    { table_name: 'customer', column_name: 'id', ordinal_position: 1, column_type: 'int(11)', is_nullable: 'NO', column_default: null, extra: 'auto_increment', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'email', ordinal_position: 2, column_type: 'varchar(255)', is_nullable: 'NO', column_default: null, extra: '', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_general_ci', charset_default_collation: 'utf8mb4_general_ci' },
    { table_name: 'customer', column_name: 'name', ordinal_position: 3, column_type: 'varchar(100)', is_nullable: 'NO', column_default: "'it''s'", extra: '', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_general_ci', charset_default_collation: 'utf8mb4_general_ci' },
    { table_name: 'customer', column_name: 'active', ordinal_position: 4, column_type: 'tinyint(1)', is_nullable: 'NO', column_default: '1', extra: '', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'balance', ordinal_position: 5, column_type: 'decimal(10,2)', is_nullable: 'NO', column_default: '1.50', extra: '', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'visits', ordinal_position: 6, column_type: 'bigint(20) unsigned', is_nullable: 'NO', column_default: '0', extra: '', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'status', ordinal_position: 7, column_type: "enum('new','it''s')", is_nullable: 'NO', column_default: "'new'", extra: '', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_general_ci', charset_default_collation: 'utf8mb4_general_ci' },
    { table_name: 'customer', column_name: 'meta', ordinal_position: 8, column_type: 'longtext', is_nullable: 'YES', column_default: 'NULL', extra: '', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_bin', charset_default_collation: 'utf8mb4_general_ci' },
    { table_name: 'customer', column_name: 'created_at', ordinal_position: 9, column_type: 'datetime(6)', is_nullable: 'NO', column_default: 'current_timestamp(6)', extra: '', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'updated_at', ordinal_position: 10, column_type: 'timestamp', is_nullable: 'NO', column_default: 'current_timestamp()', extra: 'on update current_timestamp()', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'code', ordinal_position: 11, column_type: 'char(36)', is_nullable: 'YES', column_default: 'NULL', extra: '', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_bin', charset_default_collation: 'utf8mb4_general_ci' },
    { table_name: 'customer', column_name: 'note', ordinal_position: 12, column_type: 'varchar(20)', is_nullable: 'YES', column_default: "'now()'", extra: '', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_general_ci', charset_default_collation: 'utf8mb4_general_ci' },
    { table_name: 'customer', column_name: 'token', ordinal_position: 13, column_type: 'varchar(36)', is_nullable: 'YES', column_default: 'uuid()', extra: '', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_general_ci', charset_default_collation: 'utf8mb4_general_ci' },
    { table_name: 'order', column_name: 'id', ordinal_position: 1, column_type: 'int(11)', is_nullable: 'NO', column_default: null, extra: 'auto_increment', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'order', column_name: 'customer_id', ordinal_position: 2, column_type: 'int(11)', is_nullable: 'NO', column_default: null, extra: '', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'order', column_name: 'parent_id', ordinal_position: 3, column_type: 'int(11)', is_nullable: 'YES', column_default: 'NULL', extra: '', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
  ],
  indexes: [
    { table_name: 'customer', index_name: 'ft_customer_name', non_unique: 1, seq_in_index: 1, column_name: 'name', index_type: 'FULLTEXT' },
    { table_name: 'customer', index_name: 'PRIMARY', non_unique: 0, seq_in_index: 1, column_name: 'id', index_type: 'BTREE' },
    { table_name: 'customer', index_name: 'uq_customer_email', non_unique: 0, seq_in_index: 1, column_name: 'email', index_type: 'BTREE' },
    { table_name: 'order', index_name: 'fk_order_customer', non_unique: 1, seq_in_index: 1, column_name: 'customer_id', index_type: 'BTREE' },
    { table_name: 'order', index_name: 'fk_order_parent', non_unique: 1, seq_in_index: 1, column_name: 'parent_id', index_type: 'BTREE' },
    { table_name: 'order', index_name: 'PRIMARY', non_unique: 0, seq_in_index: 1, column_name: 'id', index_type: 'BTREE' },
  ],
  foreignKeys: [
    { table_name: 'order', constraint_name: 'fk_order_customer', column_name: 'customer_id', ordinal_position: 1, referenced_table_schema: 'shop', referenced_table_name: 'customer', referenced_column_name: 'id', update_rule: 'RESTRICT', delete_rule: 'CASCADE' },
    { table_name: 'order', constraint_name: 'fk_order_parent', column_name: 'parent_id', ordinal_position: 1, referenced_table_schema: 'shop', referenced_table_name: 'order', referenced_column_name: 'id', update_rule: 'RESTRICT', delete_rule: 'SET NULL' },
  ],
  checks: [
    { table_name: 'customer', constraint_name: 'chk_customer_balance', check_clause: '`balance` >= 0' },
    { table_name: 'customer', constraint_name: 'chk_customer_status', check_clause: "`status` <> 'it\\'s'" },
    // MariaDB's automatic check for the JSON column, named after the column.
    { table_name: 'customer', constraint_name: 'meta', check_clause: 'json_valid(`meta`)' },
  ],
};

/**
 * As MySQL 8.0 returns them (database collation utf8mb4_0900_ai_ci): no display widths (except tinyint(1)), literal
 * defaults unquoted, expression defaults flagged DEFAULT_GENERATED and upper case, NULL for "no default", a real JSON
 * type, CHECK clauses fully parenthesised with charset introducers and one extra level of backslash escaping.
 */
const MYSQL8_ROWS: MysqlCatalogRows = {
  tables: [
    { table_name: 'customer', table_comment: 'customers', table_collation: 'utf8mb4_0900_ai_ci' },
    { table_name: 'order', table_comment: '', table_collation: 'utf8mb4_0900_ai_ci' },
  ],
  columns: [
    { table_name: 'customer', column_name: 'id', ordinal_position: 1, column_type: 'int', is_nullable: 'NO', column_default: null, extra: 'auto_increment', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'email', ordinal_position: 2, column_type: 'varchar(255)', is_nullable: 'NO', column_default: null, extra: '', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_0900_ai_ci', charset_default_collation: 'utf8mb4_0900_ai_ci' },
    { table_name: 'customer', column_name: 'name', ordinal_position: 3, column_type: 'varchar(100)', is_nullable: 'NO', column_default: "it's", extra: '', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_0900_ai_ci', charset_default_collation: 'utf8mb4_0900_ai_ci' },
    { table_name: 'customer', column_name: 'active', ordinal_position: 4, column_type: 'tinyint(1)', is_nullable: 'NO', column_default: '1', extra: '', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'balance', ordinal_position: 5, column_type: 'decimal(10,2)', is_nullable: 'NO', column_default: '1.50', extra: '', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'visits', ordinal_position: 6, column_type: 'bigint unsigned', is_nullable: 'NO', column_default: '0', extra: '', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'status', ordinal_position: 7, column_type: "enum('new','it''s')", is_nullable: 'NO', column_default: 'new', extra: '', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_0900_ai_ci', charset_default_collation: 'utf8mb4_0900_ai_ci' },
    { table_name: 'customer', column_name: 'meta', ordinal_position: 8, column_type: 'json', is_nullable: 'YES', column_default: null, extra: '', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'created_at', ordinal_position: 9, column_type: 'datetime(6)', is_nullable: 'NO', column_default: 'CURRENT_TIMESTAMP(6)', extra: 'DEFAULT_GENERATED', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'updated_at', ordinal_position: 10, column_type: 'timestamp', is_nullable: 'NO', column_default: 'CURRENT_TIMESTAMP', extra: 'DEFAULT_GENERATED on update CURRENT_TIMESTAMP', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'customer', column_name: 'code', ordinal_position: 11, column_type: 'char(36)', is_nullable: 'YES', column_default: null, extra: '', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_bin', charset_default_collation: 'utf8mb4_0900_ai_ci' },
    { table_name: 'customer', column_name: 'note', ordinal_position: 12, column_type: 'varchar(20)', is_nullable: 'YES', column_default: 'now()', extra: '', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_0900_ai_ci', charset_default_collation: 'utf8mb4_0900_ai_ci' },
    { table_name: 'customer', column_name: 'token', ordinal_position: 13, column_type: 'varchar(36)', is_nullable: 'YES', column_default: 'uuid()', extra: 'DEFAULT_GENERATED', column_comment: '', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_0900_ai_ci', charset_default_collation: 'utf8mb4_0900_ai_ci' },
    { table_name: 'order', column_name: 'id', ordinal_position: 1, column_type: 'int', is_nullable: 'NO', column_default: null, extra: 'auto_increment', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'order', column_name: 'customer_id', ordinal_position: 2, column_type: 'int', is_nullable: 'NO', column_default: null, extra: '', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
    { table_name: 'order', column_name: 'parent_id', ordinal_position: 3, column_type: 'int', is_nullable: 'YES', column_default: null, extra: '', column_comment: '', character_set_name: null, collation_name: null, charset_default_collation: null },
  ],
  indexes: [
    { table_name: 'customer', index_name: 'ft_customer_name', non_unique: 1, seq_in_index: 1, column_name: 'name', index_type: 'FULLTEXT' },
    { table_name: 'customer', index_name: 'PRIMARY', non_unique: 0, seq_in_index: 1, column_name: 'id', index_type: 'BTREE' },
    { table_name: 'customer', index_name: 'uq_customer_email', non_unique: 0, seq_in_index: 1, column_name: 'email', index_type: 'BTREE' },
    { table_name: 'order', index_name: 'fk_order_customer', non_unique: 1, seq_in_index: 1, column_name: 'customer_id', index_type: 'BTREE' },
    { table_name: 'order', index_name: 'fk_order_parent', non_unique: 1, seq_in_index: 1, column_name: 'parent_id', index_type: 'BTREE' },
    { table_name: 'order', index_name: 'PRIMARY', non_unique: 0, seq_in_index: 1, column_name: 'id', index_type: 'BTREE' },
  ],
  foreignKeys: [
    { table_name: 'order', constraint_name: 'fk_order_customer', column_name: 'customer_id', ordinal_position: 1, referenced_table_schema: 'shop', referenced_table_name: 'customer', referenced_column_name: 'id', update_rule: 'RESTRICT', delete_rule: 'CASCADE' },
    { table_name: 'order', constraint_name: 'fk_order_parent', column_name: 'parent_id', ordinal_position: 1, referenced_table_schema: 'shop', referenced_table_name: 'order', referenced_column_name: 'id', update_rule: 'RESTRICT', delete_rule: 'SET NULL' },
  ],
  checks: [
    { table_name: 'customer', constraint_name: 'chk_customer_balance', check_clause: '(`balance` >= 0)' },
    // The clause text is (`status` <> _utf8mb4\'it\\\'s\'): escaped once more than valid SQL.
    { table_name: 'customer', constraint_name: 'chk_customer_status', check_clause: "(`status` <> _utf8mb4\\'it\\\\\\'s\\')" },
  ],
};

function column(name: string, type: ColumnType, overrides: Partial<Column> = {}): Column {
  return { name, type, nullable: true, default: null, generation: null, comment: null, charset: null, collation: null, onUpdate: null, ...overrides };
}

function table(name: string, columns: Column[], overrides: Partial<Table> = {}): Table {
  return { schema: null, name, columns, primaryKey: null, indexes: [], uniques: [], foreignKeys: [], checks: [], comment: null, ...overrides };
}

const int: ColumnType = { kind: 'integer', size: 'int', unsigned: false };

/** The one Schema both servers must produce (dialect aside). */
function expectedSchema(dialect: 'mysql' | 'mariadb'): Schema {
  return {
    dialect,
    enums: [],
    tables: [
      table(
        'customer',
        [
          column('id', int, { nullable: false, generation: 'increment' }),
          column('email', { kind: 'string', fixed: false, binary: false, length: 255 }, { nullable: false }),
          column('name', { kind: 'string', fixed: false, binary: false, length: 100 }, { nullable: false, default: { kind: 'literal', value: "it's" } }),
          column('active', { kind: 'boolean' }, { nullable: false, default: { kind: 'literal', value: '1' } }),
          column('balance', { kind: 'decimal', precision: 10, scale: 2, unsigned: false }, { nullable: false, default: { kind: 'literal', value: '1.50' } }),
          column('visits', { kind: 'integer', size: 'big', unsigned: true }, { nullable: false, default: { kind: 'literal', value: '0' } }),
          column('status', { kind: 'enum', values: ['new', "it's"], typeName: null }, { nullable: false, default: { kind: 'literal', value: 'new' } }),
          column('meta', { kind: 'json', binary: false }),
          column('created_at', { kind: 'temporal', name: 'datetime', precision: 6 }, { nullable: false, default: { kind: 'expression', sql: 'current_timestamp(6)' } }),
          column('updated_at', { kind: 'temporal', name: 'timestamp', precision: null }, { nullable: false, default: { kind: 'expression', sql: 'current_timestamp()' }, onUpdate: 'current_timestamp()' }),
          column('code', { kind: 'string', fixed: true, binary: false, length: 36 }, { collation: 'utf8mb4_bin' }),
          column('note', { kind: 'string', fixed: false, binary: false, length: 20 }, { default: { kind: 'literal', value: 'now()' } }),
          column('token', { kind: 'string', fixed: false, binary: false, length: 36 }, { default: { kind: 'expression', sql: 'uuid()' } }),
        ],
        {
          primaryKey: { name: 'PRIMARY', columns: ['id'] },
          indexes: [
            { name: 'ft_customer_name', columns: ['name'], unique: false, where: null, method: 'fulltext' },
            { name: 'uq_customer_email', columns: ['email'], unique: true, where: null, method: null },
          ],
          checks: [
            { name: 'chk_customer_balance', expression: '`balance` >= 0' },
            { name: 'chk_customer_status', expression: "`status` <> 'it''s'" },
          ],
          comment: 'customers',
        },
      ),
      table('order', [column('id', int, { nullable: false, generation: 'increment' }), column('customer_id', int, { nullable: false }), column('parent_id', int)], {
        primaryKey: { name: 'PRIMARY', columns: ['id'] },
        foreignKeys: [
          { name: 'fk_order_customer', columns: ['customer_id'], referencedSchema: null, referencedTable: 'customer', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'RESTRICT' },
          { name: 'fk_order_parent', columns: ['parent_id'], referencedSchema: null, referencedTable: 'order', referencedColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'RESTRICT' },
        ],
      }),
    ],
  };
}

describe('buildMysqlSchema on recorded catalog rows', () => {
  it('reads the MariaDB rows', () => {
    expect(buildMysqlSchema('mariadb', MARIADB_ROWS, 'shop')).toEqual(expectedSchema('mariadb'));
  });

  it('reads the MySQL 8 rows', () => {
    expect(buildMysqlSchema('mysql', MYSQL8_ROWS, 'shop')).toEqual(expectedSchema('mysql'));
  });

  it('gives the same tables for the same DDL on both servers', () => {
    expect(buildMysqlSchema('mysql', MYSQL8_ROWS, 'shop').tables).toEqual(buildMysqlSchema('mariadb', MARIADB_ROWS, 'shop').tables);
  });
});

const EMPTY: MysqlCatalogRows = { tables: [], columns: [], indexes: [], foreignKeys: [], checks: [] };

/** One table `t` (database collation utf8mb4_0900_ai_ci) with the given columns. */
function oneTable(columns: Partial<MysqlColumnRow>[], extra: Partial<MysqlCatalogRows> = {}): MysqlCatalogRows {
  return {
    ...EMPTY,
    tables: [{ table_name: 't', table_comment: '', table_collation: 'utf8mb4_0900_ai_ci' }],
    columns: columns.map((c, i) => ({
      table_name: 't',
      column_name: `c${i}`,
      ordinal_position: i + 1,
      column_type: 'int',
      is_nullable: 'YES',
      column_default: null,
      extra: '',
      column_comment: '',
      character_set_name: null,
      collation_name: null,
      charset_default_collation: null,
      ...c,
    })),
    ...extra,
  };
}

function onlyTable(schema: Schema): Table {
  expect(schema.tables).toHaveLength(1);
  return schema.tables[0]!;
}

describe('MySQL 8 defaults', () => {
  const defaults = (dialect: 'mysql' | 'mariadb', columns: Partial<MysqlColumnRow>[]) =>
    onlyTable(buildMysqlSchema(dialect, oneTable(columns), 'shop')).columns.map((c) => c.default);

  it('keeps unquoted values without DEFAULT_GENERATED as literals, however they look', () => {
    expect(
      defaults('mysql', [
        { column_type: 'varchar(20)', column_default: 'CURRENT_TIMESTAMP' },
        { column_type: 'varchar(20)', column_default: "'quoted'" },
        { column_type: 'varchar(20)', column_default: '' },
        { column_type: 'varchar(20)', column_default: 'NULL' },
        { column_type: 'varchar(20)', column_default: '007' },
        { column_type: 'int', column_default: '007' },
        { column_type: 'decimal(10,2)', column_default: '-0.50' },
      ]),
    ).toEqual([
      { kind: 'literal', value: 'CURRENT_TIMESTAMP' },
      { kind: 'literal', value: "'quoted'" },
      { kind: 'literal', value: '' },
      { kind: 'literal', value: 'NULL' },
      { kind: 'literal', value: '007' },
      { kind: 'literal', value: '7' },
      { kind: 'literal', value: '-0.50' },
    ]);
  });

  it('reads DEFAULT_GENERATED values as expressions, undoing MySQL 8 escaping', () => {
    expect(
      defaults('mysql', [
        { column_type: 'datetime', column_default: 'CURRENT_TIMESTAMP', extra: 'DEFAULT_GENERATED' },
        { column_type: 'datetime(3)', column_default: 'CURRENT_TIMESTAMP(3)', extra: 'DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)' },
        { column_type: 'char(36)', column_default: 'uuid()', extra: 'DEFAULT_GENERATED' },
        { column_type: 'varchar(20)', column_default: "concat(_utf8mb4\\'a\\',_utf8mb4\\'b\\')", extra: 'DEFAULT_GENERATED' },
        { column_type: 'varchar(20)', column_default: "_utf8mb4\\'abc\\'", extra: 'DEFAULT_GENERATED' },
      ]),
    ).toEqual([
      { kind: 'expression', sql: 'current_timestamp()' },
      { kind: 'expression', sql: 'current_timestamp(3)' },
      { kind: 'expression', sql: 'uuid()' },
      { kind: 'expression', sql: "concat('a','b')" },
      { kind: 'literal', value: 'abc' },
    ]);
  });

  it('reads CURRENT_TIMESTAMP on a temporal column as an expression even without the flag (MySQL before 8.0.13)', () => {
    expect(defaults('mysql', [{ column_type: 'timestamp', column_default: 'CURRENT_TIMESTAMP' }])).toEqual([
      { kind: 'expression', sql: 'current_timestamp()' },
    ]);
  });

  it('reads bit literals the same on both servers', () => {
    expect(defaults('mysql', [{ column_type: 'bit(3)', column_default: "b'101'" }])).toEqual(
      defaults('mariadb', [{ column_type: 'bit(3)', column_default: "b'101'" }]),
    );
  });
});

describe('buildMysqlSchema details', () => {
  it('skips the tool’s own tables and sorts tables by name (code-unit order)', () => {
    const rows: MysqlCatalogRows = {
      ...EMPTY,
      tables: ['b', 'schema_sync_history', 'B', 'a', 'schema_sync_lock', 'ä'].map((name) => ({ table_name: name, table_comment: '', table_collation: null })),
    };
    expect(buildMysqlSchema('mariadb', rows, 'shop').tables.map((t) => t.name)).toEqual(['B', 'a', 'b', 'ä']);
  });

  it('orders columns by ordinal position and index columns by their sequence', () => {
    const index = (seq: number, column: string): MysqlIndexRow => ({ table_name: 't', index_name: 'idx', non_unique: '1', seq_in_index: seq, column_name: column, index_type: 'BTREE' });
    const rows = oneTable([{ column_name: 'a' }, { column_name: 'b' }], { indexes: [index(2, 'a'), index(1, 'b')] });
    const reversed = { ...rows, columns: [...rows.columns].reverse() };
    const t = onlyTable(buildMysqlSchema('mariadb', reversed, 'shop'));
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(t.indexes).toEqual([{ name: 'idx', columns: ['b', 'a'], unique: false, where: null, method: null }]);
  });

  it('reads SPATIAL and HASH indexes, and leaves out MySQL 8 functional indexes it cannot model', () => {
    const rows = oneTable([{ column_name: 'g', column_type: 'point' }], {
      indexes: [
        { table_name: 't', index_name: 'sp', non_unique: 1, seq_in_index: 1, column_name: 'g', index_type: 'SPATIAL' },
        { table_name: 't', index_name: 'h', non_unique: 0, seq_in_index: 1, column_name: 'g', index_type: 'HASH' },
        { table_name: 't', index_name: 'fn', non_unique: 1, seq_in_index: 1, column_name: null, index_type: 'BTREE' },
      ],
    });
    expect(onlyTable(buildMysqlSchema('mysql', rows, 'shop')).indexes).toEqual([
      { name: 'h', columns: ['g'], unique: true, where: null, method: null },
      { name: 'sp', columns: ['g'], unique: false, where: null, method: 'spatial' },
    ]);
  });

  it('names the referenced schema only when it is another database', () => {
    const rows = oneTable([{ column_name: 'ref' }], {
      foreignKeys: [
        { table_name: 't', constraint_name: 'fk_other', column_name: 'ref', ordinal_position: 1, referenced_table_schema: 'billing', referenced_table_name: 'invoice', referenced_column_name: 'id', update_rule: 'NO ACTION', delete_rule: 'SET DEFAULT' },
      ],
    });
    expect(onlyTable(buildMysqlSchema('mysql', rows, 'shop')).foreignKeys).toEqual([
      { name: 'fk_other', columns: ['ref'], referencedSchema: 'billing', referencedTable: 'invoice', referencedColumns: ['id'], onDelete: 'SET DEFAULT', onUpdate: 'NO ACTION' },
    ]);
  });

  it('keeps a composite foreign key’s columns in ordinal order', () => {
    const fk = (position: number, column: string, referenced: string) => ({
      table_name: 't', constraint_name: 'fk', column_name: column, ordinal_position: position, referenced_table_schema: 'shop',
      referenced_table_name: 'p', referenced_column_name: referenced, update_rule: 'CASCADE', delete_rule: 'CASCADE',
    });
    const rows = oneTable([{ column_name: 'x' }, { column_name: 'y' }], { foreignKeys: [fk(2, 'y', 'b'), fk(1, 'x', 'a')] });
    const [key] = onlyTable(buildMysqlSchema('mariadb', rows, 'shop')).foreignKeys;
    expect(key).toMatchObject({ columns: ['x', 'y'], referencedColumns: ['a', 'b'] });
  });

  it('rejects an unknown referential action, naming the foreign key', () => {
    const rows = oneTable([{ column_name: 'ref' }], {
      foreignKeys: [
        { table_name: 't', constraint_name: 'fk_odd', column_name: 'ref', ordinal_position: 1, referenced_table_schema: 'shop', referenced_table_name: 't', referenced_column_name: 'c0', update_rule: 'EXPLODE', delete_rule: 'CASCADE' },
      ],
    });
    expect(() => buildMysqlSchema('mysql', rows, 'shop')).toThrow(SchemaSyncError);
    expect(() => buildMysqlSchema('mysql', rows, 'shop')).toThrow(/fk_odd/);
  });

  it('reports charset and collation only where they differ from what a definition naming none gets', () => {
    const t = onlyTable(
      buildMysqlSchema(
        'mysql',
        oneTable([
          { column_type: 'varchar(5)', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_0900_ai_ci', charset_default_collation: 'utf8mb4_0900_ai_ci' },
          { column_type: 'varchar(5)', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_bin', charset_default_collation: 'utf8mb4_0900_ai_ci' },
          { column_type: 'varchar(5)', character_set_name: 'latin1', collation_name: 'latin1_swedish_ci', charset_default_collation: 'latin1_swedish_ci' },
          { column_type: 'varchar(5)', character_set_name: 'latin1', collation_name: 'latin1_bin', charset_default_collation: 'latin1_swedish_ci' },
        ]),
        'shop',
      ),
    );
    // Under the table's set the table's collation is the one inherited; under another set, that set's default. A
    // collation that is neither is stated alone: it names its set.
    expect(t.columns.map((c) => [c.charset, c.collation])).toEqual([
      [null, null],
      [null, 'utf8mb4_bin'],
      ['latin1', null],
      [null, 'latin1_bin'],
    ]);
  });

  it('only treats LONGTEXT + json_valid() named after the column as MariaDB JSON', () => {
    const rows = oneTable(
      [
        { column_name: 'doc', column_type: 'longtext', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_bin', charset_default_collation: 'utf8mb4_0900_ai_ci' },
        { column_name: 'other', column_type: 'longtext' },
        { column_name: 'small', column_type: 'text' },
      ],
      {
        checks: [
          { table_name: 't', constraint_name: 'doc', check_clause: 'json_valid(`doc`)' },
          // A user's named check on a LONGTEXT column stays a check, and the column stays LONGTEXT.
          { table_name: 't', constraint_name: 'chk_other_json', check_clause: 'json_valid(`other`)' },
          { table_name: 't', constraint_name: 'small', check_clause: 'json_valid(`small`)' },
        ],
      },
    );
    const t = onlyTable(buildMysqlSchema('mariadb', rows, 'shop'));
    expect(t.columns.map((c) => c.type.kind)).toEqual(['json', 'text', 'text']);
    expect(t.columns[0]).toMatchObject({ charset: null, collation: null });
    expect(t.checks.map((c) => c.name)).toEqual(['chk_other_json', 'small']);
  });

  it('with LEVEL (MariaDB 10.5.10+), goes by level and clause: a renamed JSON column keeps its old check name', () => {
    const rows = oneTable(
      [
        { column_name: 'body', column_type: 'longtext', character_set_name: 'utf8mb4', collation_name: 'utf8mb4_bin', charset_default_collation: 'utf8mb4_0900_ai_ci' },
        { column_name: 'doc', column_type: 'longtext' },
      ],
      {
        checks: [
          { table_name: 't', constraint_name: 'doc', check_clause: 'json_valid(`body`)', level: 'Column' },
          // A table-level json_valid() check is one the user wrote: the column stays LONGTEXT.
          { table_name: 't', constraint_name: 'doc_json', check_clause: 'json_valid(`doc`)', level: 'Table' },
        ],
      },
    );
    const t = onlyTable(buildMysqlSchema('mariadb', rows, 'shop'));
    expect(t.columns.map((c) => [c.name, c.type.kind])).toEqual([['body', 'json'], ['doc', 'text']]);
    expect(t.checks).toEqual([{ name: 'doc_json', expression: 'json_valid(`doc`)' }]);
  });

  it('reads values that MySQL 8 returns as binary buffers', () => {
    const rows = oneTable([{ column_type: Buffer.from('varchar(9)') as unknown as string, column_default: Buffer.from("'x'") as unknown as string }]);
    expect(onlyTable(buildMysqlSchema('mariadb', rows, 'shop')).columns[0]).toMatchObject({
      type: { kind: 'string', fixed: false, binary: false, length: 9 },
      default: { kind: 'literal', value: 'x' },
    });
  });
});

describe('joinForeignKeyRules', () => {
  const column = (table: string, constraint: string, position: number) => ({
    table_name: table, constraint_name: constraint, column_name: `c${position}`, ordinal_position: position,
    referenced_table_schema: 'shop', referenced_table_name: 'p', referenced_column_name: `r${position}`,
  });

  it('matches rules by table and constraint name, since MySQL names are unique per table only', () => {
    const joined = joinForeignKeyRules(
      [column('a', 'fk', 1), column('a', 'fk', 2), column('b', 'fk', 1)],
      [
        { table_name: 'b', constraint_name: 'fk', update_rule: 'NO ACTION', delete_rule: 'SET NULL' },
        { table_name: 'a', constraint_name: 'fk', update_rule: 'CASCADE', delete_rule: 'RESTRICT' },
      ],
    );
    expect(joined.map((row) => [row.table_name, row.column_name, row.update_rule, row.delete_rule])).toEqual([
      ['a', 'c1', 'CASCADE', 'RESTRICT'],
      ['a', 'c2', 'CASCADE', 'RESTRICT'],
      ['b', 'c1', 'NO ACTION', 'SET NULL'],
    ]);
  });

  it('leaves out a column whose constraint has no rules row, as the SQL join did', () => {
    expect(joinForeignKeyRules([column('a', 'gone', 1)], [])).toEqual([]);
  });
});
