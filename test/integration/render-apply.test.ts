/**
 * The acceptance test of the SQL renderers, on PostgreSQL, PGlite and MariaDB: for every change kind, build a
 * starting schema S in an empty database from the rendered `diff(empty, S)`, apply the change's SQL and introspect
 * (it must be exactly `applyChanges(S, [change])`), then apply the inverse's SQL and introspect again (exactly S).
 */
import * as vm from 'node:vm';
import type { Change, TableRef } from '../../src/change/change';
import { applyChanges } from '../../src/change/apply-in-memory';
import { inverse } from '../../src/change/inverse';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { PgliteClient } from '../../src/connect/pglite-client';
import { diffColumn } from '../../src/diff/diff-column';
import { diffSchemas } from '../../src/diff/diff-schemas';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { introspect } from '../../src/introspect/introspect';
import { normalizeSchema } from '../../src/model/normalize';
import { canonicalExpression } from '../../src/model/normalize-expression';
import type { Column, Dialect, EnumType, Index, Schema, Table } from '../../src/model/schema';
import { expandTableKeys, orderForApply } from '../../src/plan/expand';
import {
  array,
  bigint,
  blob,
  bool,
  char,
  check,
  col,
  decimal,
  double,
  enumType,
  expr,
  fk,
  float,
  index,
  int,
  integer,
  json,
  jsonb,
  literal,
  pgEnum,
  raw,
  schema,
  set,
  smallint,
  table,
  temporal,
  text,
  timestamp,
  timestamptz,
  tinyint,
  unique,
  uuid,
  varbinary,
  varchar,
  vector,
} from '../support/schema-builders';
import { createMysqlDatabase, createPostgresDatabase } from '../support/servers';

type Target = 'postgres' | 'pglite' | 'mariadb';
type Family = 'postgres' | 'mysql';

/** One change applied to a starting schema; `tables` and `enums` are S. */
interface ApplyCase {
  readonly name: string;
  readonly tables: readonly Table[];
  readonly enums?: readonly EnumType[];
  readonly change: Change;
}

const ref = (name: string, schemaName: string | null = null): TableRef => ({ schema: schemaName, name });

/** An alter_column whose `changed` is what the diff would say. */
function alter(tableName: string, from: Column, to: Column): Change {
  return { kind: 'alter_column', table: ref(tableName), from, to, changed: diffColumn(from, to) };
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL cases (server and PGlite)

/** An index on email with a descending key and NULLS LAST (PostgreSQL key options that must survive a rename). */
const descEmail = (name: string): Index => ({ ...index(name, ['email']), keys: [{ opclass: null, descending: true, nulls: 'last', length: null }] });
/** A MySQL prefix-length index on email. */
const emailPrefix = (name: string): Index => ({ ...index(name, ['email']), keys: [{ opclass: null, descending: false, nulls: null, length: 10 }] });

const mood = pgEnum('mood', ['sad', 'ok', 'happy']);
const moodType = enumType(mood.values, 'mood');
const weird = pgEnum('weird "enum"', ["it's", 'a\\b', 'ünï'], 'audit');
const weirdType = enumType(weird.values, 'audit.weird "enum"');
const pgId = col('id', int(), { generation: 'increment' });
const pgUsers = (extra: readonly Column[] = [], options: Parameters<typeof table>[2] = {}): Table =>
  table('users', [pgId, col('email', varchar(255)), col('name', text(), { nullable: true }), ...extra], { pk: ['id'], ...options });
const pgPosts = table('posts', [col('id', bigint(), { generation: 'identity-always' }), col('author_id', int(), { nullable: true }), col('title', text())], {
  pk: ['id'],
});
const hostile = table(
  'order',
  [
    col('id', int()),
    col('select', text(), { nullable: true, comment: "a keyword, it's" }),
    col('we"ird', varchar(20), { default: literal(`it's a \\ back"slash`) }),
    col('café_ünïcode', text(), { nullable: true }),
  ],
  { pk: ['id'], pkName: 'order pk', comment: "Orders; it's hostile" },
);

const PG_FULL = table(
  'everything',
  [
    col('id', int(), { generation: 'increment' }),
    col('small_serial', smallint(), { generation: 'increment' }),
    col('big_identity', bigint(), { generation: 'identity-by-default' }),
    col('c_smallint', smallint(), { default: literal('-7') }),
    col('c_bigint', bigint(), { nullable: true }),
    col('c_numeric', decimal(10, 2), { default: literal('1.5') }),
    col('c_numeric_plain', decimal(), { nullable: true }),
    col('c_real', float(), { nullable: true }),
    col('c_double', double(), { default: literal('1e10') }),
    col('c_varchar', varchar(255), { default: literal("it's") }),
    col('c_varchar_unbounded', varchar(null), { nullable: true, collation: 'C' }),
    col('c_char', char(3), { default: literal('xyz') }),
    col('c_text', text(), { nullable: true, comment: 'free text' }),
    col('c_bytea', blob(), { nullable: true }),
    col('c_bool', bool(), { default: literal('true') }),
    col('c_date', temporal('date'), { default: expr('current_date') }),
    col('c_ts', timestamp(), { default: expr('now()') }),
    col('c_ts3', timestamptz(3), { nullable: true }),
    col('c_time', temporal('time'), { nullable: true }),
    col('c_timetz', temporal('timetz', 2), { nullable: true }),
    col('c_interval', temporal('interval'), { nullable: true }),
    col('c_json', json(), { default: literal('[1, 2]') }),
    col('c_jsonb', jsonb(), { default: literal('{"b": 1, "a": [true]}') }),
    col('c_uuid', uuid(), { default: expr('gen_random_uuid()') }),
    col('c_vector', vector(3), { nullable: true }),
    col('c_int_array', array(int()), { default: literal('{1,2}') }),
    col('c_text_array', array(text()), { nullable: true }),
    col('c_mood', moodType, { default: literal('ok') }),
    col('c_moods', array(moodType), { nullable: true }),
    col('c_weird', weirdType, { default: literal("it's") }),
    col('c_inet', raw('inet'), { nullable: true }),
    col('c_tsvector', raw('tsvector'), { nullable: true }),
  ],
  {
    pk: ['id'],
    uniques: [unique('everything_varchar_uq', ['c_varchar', 'c_char'])],
    checks: [check('everything_small_ck', 'c_smallint < 100')],
    indexes: [
      index('everything_ts_idx', ['c_ts', 'c_bool']),
      index('everything_jsonb_gin', ['c_jsonb'], { method: 'gin' }),
      index('everything_text_lower', ['lower(c_text)']),
      index('everything_partial', ['c_bigint'], { unique: true, where: 'c_bigint IS NOT NULL' }),
    ],
    comment: 'every type',
  },
);

const PG_CASES: readonly ApplyCase[] = [
  { name: 'create_table with every type and option', tables: [], enums: [mood, weird], change: { kind: 'create_table', table: PG_FULL } },
  { name: 'create_table with hostile names', tables: [], change: { kind: 'create_table', table: hostile } },
  {
    name: 'create_table in another schema with a foreign key attached',
    tables: [pgUsers()],
    change: {
      kind: 'create_table',
      table: table('events', [col('id', uuid()), col('user_id', int())], {
        schema: 'audit',
        pk: ['id'],
        foreignKeys: [fk('events_user_fk', ['user_id'], 'users', ['id'], { onDelete: 'CASCADE' })],
      }),
    },
  },
  { name: 'drop_table', tables: [pgUsers(), hostile], change: { kind: 'drop_table', table: hostile } },
  {
    name: 'rename_table in its schema, a foreign key pointing at it',
    tables: [pgUsers(), { ...pgPosts, foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'])] }],
    change: { kind: 'rename_table', from: ref('users'), to: ref('members') },
  },
  {
    name: 'rename_table into another schema',
    tables: [pgUsers(), { ...pgPosts, foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'])] }],
    change: { kind: 'rename_table', from: ref('users'), to: ref('people', 'audit') },
  },
  {
    name: 'add_column serial',
    tables: [table('t', [col('code', text())])],
    change: { kind: 'add_column', table: ref('t'), column: col('seq', bigint(), { generation: 'increment' }) },
  },
  {
    name: 'add_column nullable serial',
    tables: [table('t', [col('code', text())])],
    change: { kind: 'add_column', table: ref('t'), column: col('seq', int(), { generation: 'increment', nullable: true }) },
  },
  {
    name: 'add_column identity',
    tables: [pgUsers()],
    change: { kind: 'add_column', table: ref('users'), column: col('number', int(), { generation: 'identity-always' }) },
  },
  {
    name: 'add_column with a hostile literal default and comment',
    tables: [pgUsers()],
    change: {
      kind: 'add_column',
      table: ref('users'),
      column: col('motto', varchar(100), { default: literal(`it's \\n not a newline`), comment: `"quoted" 'comment'` }),
    },
  },
  {
    name: 'add_column of an enum array with a default',
    tables: [pgUsers()],
    enums: [mood],
    change: { kind: 'add_column', table: ref('users'), column: col('moods', array(moodType), { default: literal('{ok,happy}') }) },
  },
  {
    name: 'add_column of a hostile enum type in another schema',
    tables: [pgUsers()],
    enums: [weird],
    // An array default is compared as text, and PostgreSQL reprints it ('{"it''s"}' comes back as '{it''s}'): use one it keeps.
    change: { kind: 'add_column', table: ref('users'), column: col('weird', array(weirdType), { nullable: true, default: literal('{ünï}') }) },
  },
  {
    name: 'drop_column',
    tables: [pgUsers([col('legacy', text(), { nullable: true, comment: 'old' })])],
    change: { kind: 'drop_column', table: ref('users'), column: col('legacy', text(), { nullable: true, comment: 'old' }) },
  },
  {
    name: 'drop_column from the middle',
    tables: [pgUsers()],
    change: { kind: 'drop_column', table: ref('users'), column: col('email', varchar(255)) },
  },
  {
    name: 'rename_column used by an index, a unique and a foreign key',
    tables: [
      pgUsers([], { indexes: [index('users_email_idx', ['email'])], uniques: [unique('users_email_uq', ['email', 'id'])] }),
      { ...pgPosts, foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'])] },
    ],
    change: { kind: 'rename_column', table: ref('users'), from: pgId, to: { ...pgId, name: 'user id' } },
  },
  {
    name: 'rename_index of an index with key options',
    tables: [pgUsers([], { indexes: [descEmail('users_email_desc')] })],
    change: { kind: 'rename_index', table: ref('users'), from: descEmail('users_email_desc'), to: descEmail('IDX_users_email "desc"') },
  },
  {
    name: 'rename_unique',
    tables: [pgUsers([], { uniques: [unique('users_email_uq', ['email', 'id'])] })],
    change: { kind: 'rename_unique', table: ref('users'), from: unique('users_email_uq', ['email', 'id']), to: unique('UQ_users_email', ['email', 'id']) },
  },
  {
    name: 'rename_foreign_key',
    tables: [pgUsers(), { ...pgPosts, foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'])] }],
    change: { kind: 'rename_foreign_key', table: ref('posts'), from: fk('posts_author_fk', ['author_id'], 'users', ['id']), to: fk('FK_posts_author', ['author_id'], 'users', ['id']) },
  },
  {
    name: 'alter_column varchar length',
    tables: [pgUsers()],
    change: alter('users', col('email', varchar(255)), col('email', varchar(320))),
  },
  {
    name: 'alter_column int to bigint keeping a default',
    tables: [table('t', [col('n', int(), { default: literal('5') })])],
    change: alter('t', col('n', int(), { default: literal('5') }), col('n', bigint(), { default: literal('7') })),
  },
  {
    name: 'alter_column text to enum with a default',
    tables: [table('t', [col('state', text(), { default: literal('ok') })])],
    enums: [mood],
    change: alter('t', col('state', text(), { default: literal('ok') }), col('state', moodType, { default: literal('happy') })),
  },
  {
    name: 'alter_column int[] to bigint[]',
    tables: [table('t', [col('ns', array(int()), { nullable: true })])],
    change: alter('t', col('ns', array(int()), { nullable: true }), col('ns', array(bigint()), { nullable: true })),
  },
  {
    name: 'alter_column nullability and default',
    tables: [pgUsers()],
    change: alter('users', col('name', text(), { nullable: true }), col('name', text(), { default: literal('anon') })),
  },
  {
    name: 'alter_column literal default to expression',
    tables: [table('t', [col('at', timestamptz(), { default: literal('2020-01-01 00:00:00+00') })])],
    change: alter('t', col('at', timestamptz(), { default: literal('2020-01-01 00:00:00+00') }), col('at', timestamptz(), { default: expr('now()') })),
  },
  {
    name: 'alter_column plain to serial',
    tables: [table('t', [col('n', int(), { default: literal('0') })])],
    change: alter('t', col('n', int(), { default: literal('0') }), col('n', int(), { generation: 'increment' })),
  },
  {
    name: 'alter_column plain to identity',
    tables: [table('t', [col('n', bigint(), { nullable: true })])],
    change: alter('t', col('n', bigint(), { nullable: true }), col('n', bigint(), { generation: 'identity-always' })),
  },
  {
    name: 'alter_column identity always to by default',
    tables: [pgPosts],
    change: alter('posts', col('id', bigint(), { generation: 'identity-always' }), col('id', bigint(), { generation: 'identity-by-default' })),
  },
  {
    name: 'alter_column serial to identity',
    tables: [pgUsers()],
    change: alter('users', pgId, col('id', int(), { generation: 'identity-by-default' })),
  },
  {
    name: 'alter_column comment and collation',
    tables: [pgUsers()],
    change: alter('users', col('name', text(), { nullable: true }), col('name', text(), { nullable: true, comment: 'shown', collation: 'C' })),
  },
  {
    name: 'alter_primary_key to a composite key with a new name',
    tables: [table('t', [col('a', int()), col('b', text())], { pk: ['a'] })],
    change: { kind: 'alter_primary_key', table: ref('t'), from: { name: 'PK_t', columns: ['a'] }, to: { name: 't ab pk', columns: ['a', 'b'] } },
  },
  {
    name: 'alter_primary_key added',
    tables: [table('t', [col('a', int()), col('b', text())])],
    change: { kind: 'alter_primary_key', table: ref('t'), from: null, to: { name: 't_pkey', columns: ['b'] } },
  },
  {
    name: 'create_index unique',
    tables: [pgUsers()],
    change: { kind: 'create_index', table: ref('users'), index: index('users email', ['email', 'name'], { unique: true }) },
  },
  {
    name: 'create_index partial on an expression',
    tables: [pgUsers([col('deleted_at', timestamptz(), { nullable: true })])],
    change: { kind: 'create_index', table: ref('users'), index: index('users_live', ['lower(name)'], { where: 'deleted_at IS NULL' }) },
  },
  {
    name: 'drop_index gin',
    tables: [pgUsers([col('tags', array(text()), { nullable: true })], { indexes: [index('users_tags', ['tags'], { method: 'gin' })] })],
    change: { kind: 'drop_index', table: ref('users'), index: index('users_tags', ['tags'], { method: 'gin' }) },
  },
  {
    name: 'drop_index partial',
    tables: [pgUsers([], { indexes: [index('users_named', ['name'], { where: 'name IS NOT NULL' })] })],
    change: { kind: 'drop_index', table: ref('users'), index: index('users_named', ['name'], { where: 'name IS NOT NULL' }) },
  },
  {
    name: 'drop_index in another schema',
    tables: [table('log', [col('at', timestamp())], { schema: 'audit', indexes: [index('log_at', ['at'])] })],
    change: { kind: 'drop_index', table: ref('log', 'audit'), index: index('log_at', ['at']) },
  },
  { name: 'add_unique', tables: [pgUsers()], change: { kind: 'add_unique', table: ref('users'), unique: unique('users_email_uq', ['email']) } },
  {
    name: 'drop_unique',
    tables: [pgUsers([], { uniques: [unique('users_email_uq', ['email'])] })],
    change: { kind: 'drop_unique', table: ref('users'), unique: unique('users_email_uq', ['email']) },
  },
  {
    name: 'add_foreign_key with actions',
    tables: [pgUsers(), pgPosts],
    change: { kind: 'add_foreign_key', table: ref('posts'), foreignKey: fk('posts_author_fk', ['author_id'], 'users', ['id'], { onDelete: 'SET NULL', onUpdate: 'CASCADE' }) },
  },
  {
    name: 'drop_foreign_key self-referencing',
    tables: [table('node', [col('id', int()), col('parent_id', int(), { nullable: true })], { pk: ['id'], foreignKeys: [fk('node_parent_fk', ['parent_id'], 'node', ['id'])] })],
    change: { kind: 'drop_foreign_key', table: ref('node'), foreignKey: fk('node_parent_fk', ['parent_id'], 'node', ['id']) },
  },
  { name: 'add_check', tables: [pgUsers()], change: { kind: 'add_check', table: ref('users'), check: check('users_name_ck', "char_length(name) > 0 AND name <> 'x'") } },
  {
    name: 'drop_check (a simple expression)',
    tables: [pgUsers([col('age', int())], { checks: [check('users_age_ck', 'age >= 0')] })],
    change: { kind: 'drop_check', table: ref('users'), check: check('users_age_ck', 'age >= 0') },
  },
  {
    name: 'drop_check (a function call)',
    tables: [pgUsers([], { checks: [check('users_name_ck', 'char_length(name) > 0')] })],
    change: { kind: 'drop_check', table: ref('users'), check: check('users_name_ck', 'char_length(name) > 0') },
  },
  { name: 'alter_table_comment set', tables: [pgUsers()], change: { kind: 'alter_table_comment', table: ref('users'), from: null, to: "people's table" } },
  {
    name: 'alter_table_comment changed',
    tables: [pgUsers([], { comment: 'old' })],
    change: { kind: 'alter_table_comment', table: ref('users'), from: 'old', to: 'new' },
  },
  { name: 'create_enum', tables: [], change: { kind: 'create_enum', enumType: pgEnum('weird "enum"', ["it's", 'a b']) } },
  { name: 'create_enum in another schema', tables: [], change: { kind: 'create_enum', enumType: pgEnum('status', ['draft'], 'audit') } },
  { name: 'drop_enum', tables: [], enums: [mood], change: { kind: 'drop_enum', enumType: mood } },
  {
    name: 'alter_enum adding values at the start, middle and end',
    tables: [table('t', [col('m', moodType, { default: literal('ok') })])],
    enums: [mood],
    change: { kind: 'alter_enum', from: mood, to: pgEnum('mood', ['meh', 'sad', 'ok', 'fine', 'happy', 'ecstatic']) },
  },
  {
    name: 'alter_enum removing and reordering values, columns and arrays using it',
    tables: [
      table('t', [col('m', moodType, { default: literal('ok') }), col('ms', array(moodType), { default: literal('{sad}') }), col('plain', moodType, { nullable: true })]),
      table('u', [col('m', moodType, { nullable: true })], { schema: 'audit' }),
    ],
    enums: [mood],
    change: { kind: 'alter_enum', from: mood, to: pgEnum('mood', ['happy', 'ok', 'sad', 'new']) },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// MySQL / MariaDB cases

const myId = col('id', int({ unsigned: true }), { generation: 'increment' });
const myUsers = (extra: readonly Column[] = [], options: Parameters<typeof table>[2] = {}): Table =>
  table('users', [myId, col('email', varchar(255)), col('name', varchar(100), { nullable: true }), ...extra], { pk: ['id'], ...options });
const myPosts = table('posts', [col('id', int()), col('author_id', int({ unsigned: true }), { nullable: true }), col('title', text())], { pk: ['id'] });
const myHostile = table(
  'order',
  [
    col('id', int()),
    col('select', text(), { nullable: true, comment: "a keyword, it's \\ ok" }),
    col('we`ird"', varchar(20), { default: literal(`it's a \\ back"slash`) }),
    col('café_ünïcode', text(), { nullable: true }),
  ],
  { pk: ['id'], comment: "Orders; it's hostile \\" },
);

const MY_FULL = table(
  'everything',
  [
    myId,
    col('c_tinyint', tinyint(), { default: literal('-1') }),
    col('c_smallint', smallint({ unsigned: true }), { nullable: true }),
    col('c_mediumint', integer('medium'), { nullable: true }),
    col('c_bigint', bigint({ unsigned: true }), { default: literal('0') }),
    col('c_bool', bool(), { default: literal('true') }),
    col('c_decimal', decimal(10, 2, { unsigned: true }), { default: literal('1.50') }),
    col('c_float', float(), { nullable: true }),
    col('c_double', double(), { default: literal('1000') }),
    col('c_varchar', varchar(255), { default: literal("it's") }),
    col('c_latin', varchar(20), { nullable: true, charset: 'latin1', collation: 'latin1_bin' }),
    col('c_bin_collated', varchar(20), { nullable: true, collation: 'utf8mb4_bin' }),
    col('c_char', char(3), { default: literal('xyz') }),
    col('c_varbinary', varbinary(16), { nullable: true }),
    col('c_binary', { kind: 'string', fixed: true, binary: true, length: 4 }, { nullable: true }),
    col('c_tinytext', text('tiny'), { nullable: true }),
    col('c_text', text(), { default: literal('some text') }),
    col('c_mediumtext', text('medium'), { nullable: true }),
    col('c_longtext', text('long'), { nullable: true, comment: 'long one' }),
    col('c_blob', blob(), { nullable: true }),
    col('c_longblob', blob('long'), { nullable: true }),
    col('c_datetime', temporal('datetime', 6), { default: expr('current_timestamp(6)') }),
    col('c_timestamp', timestamp(), { nullable: true }),
    col('c_time', temporal('time', 3), { nullable: true }),
    col('c_date', temporal('date'), { default: expr('curdate()') }),
    col('c_year', temporal('year'), { nullable: true }),
    col('c_json', json(), { default: literal('{"a": [1, 2]}') }),
    col('c_uuid', uuid(), { default: expr('uuid()') }),
    col('c_enum', enumType(['a', "it's", 'back\\slash']), { default: literal("it's") }),
    col('c_set', set(['x', 'y']), { default: literal('x,y') }),
    col('c_bit', raw('bit(3)'), { nullable: true }),
  ],
  {
    pk: ['id'],
    uniques: [unique('everything_varchar_uq', ['c_varchar', 'c_char'])],
    checks: [check('everything_tiny_ck', 'c_tinyint < 100')],
    indexes: [index('everything_dt_idx', ['c_datetime', 'c_bool']), index('everything_ft', ['c_text'], { method: 'fulltext' })],
    comment: 'every type',
  },
);

const MY_CASES: readonly ApplyCase[] = [
  { name: 'create_table with every type and option', tables: [], change: { kind: 'create_table', table: MY_FULL } },
  { name: 'create_table with hostile names', tables: [], change: { kind: 'create_table', table: myHostile } },
  {
    name: 'create_table with a foreign key attached',
    tables: [myUsers()],
    change: {
      kind: 'create_table',
      table: table('events', [col('id', char(36)), col('user_id', int({ unsigned: true }))], {
        pk: ['id'],
        foreignKeys: [fk('events_user_fk', ['user_id'], 'users', ['id'], { onDelete: 'CASCADE' })],
      }),
    },
  },
  { name: 'drop_table', tables: [myUsers(), myHostile], change: { kind: 'drop_table', table: myHostile } },
  {
    name: 'rename_table, a foreign key pointing at it',
    tables: [myUsers(), { ...myPosts, foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'])] }],
    change: { kind: 'rename_table', from: ref('users'), to: ref('members') },
  },
  {
    name: 'add_column with a hostile literal default and comment',
    tables: [myUsers()],
    change: {
      kind: 'add_column',
      table: ref('users'),
      column: col('motto', varchar(100), { default: literal(`it's \\n not a newline`), comment: `"quoted" 'comment' \\` }),
    },
  },
  {
    name: 'add_column json with a default',
    tables: [myUsers()],
    change: { kind: 'add_column', table: ref('users'), column: col('prefs', json(), { default: literal('{}') }) },
  },
  {
    name: 'drop_column from the middle',
    tables: [myUsers()],
    change: { kind: 'drop_column', table: ref('users'), column: col('email', varchar(255)) },
  },
  {
    name: 'rename_column used by an index and a foreign key',
    tables: [myUsers([], { indexes: [index('users_email_idx', ['email'])] }), { ...myPosts, foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'])] }],
    change: { kind: 'rename_column', table: ref('users'), from: myId, to: { ...myId, name: 'user id' } },
  },
  {
    name: 'rename_index of a prefix-length index',
    tables: [myUsers([], { indexes: [emailPrefix('users_email_idx')] })],
    change: { kind: 'rename_index', table: ref('users'), from: emailPrefix('users_email_idx'), to: emailPrefix('IDX_users_email') },
  },
  {
    name: 'rename_foreign_key with the index InnoDB made for it',
    tables: [myUsers(), { ...myPosts, foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'])] }],
    change: { kind: 'rename_foreign_key', table: ref('posts'), from: fk('posts_author_fk', ['author_id'], 'users', ['id']), to: fk('FK_posts_author', ['author_id'], 'users', ['id']) },
  },
  {
    name: 'rename_foreign_key served by another index',
    tables: [myUsers(), { ...myPosts, indexes: [index('posts_author_id', ['author_id', 'id'])], foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'])] }],
    change: { kind: 'rename_foreign_key', table: ref('posts'), from: fk('posts_author_fk', ['author_id'], 'users', ['id']), to: fk('FK_posts_author', ['author_id'], 'users', ['id']) },
  },
  {
    name: 'alter_column type, default and comment together',
    tables: [myUsers()],
    change: alter('users', col('name', varchar(100), { nullable: true }), col('name', varchar(200), { default: literal('anon'), comment: 'shown' })),
  },
  {
    name: 'alter_column keeps an untouched collation',
    tables: [myUsers([col('code', varchar(10), { collation: 'utf8mb4_bin' })])],
    change: {
      kind: 'alter_column',
      table: ref('users'),
      from: col('code', varchar(10), { collation: 'utf8mb4_bin' }),
      to: col('code', varchar(10), { nullable: true, collation: 'utf8mb4_bin' }),
      changed: ['nullable'],
    },
  },
  {
    name: 'alter_column charset and collation',
    tables: [myUsers()],
    change: alter('users', col('name', varchar(100), { nullable: true }), col('name', varchar(100), { nullable: true, charset: 'latin1', collation: 'latin1_general_ci' })),
  },
  {
    name: 'alter_column enum values',
    tables: [table('t', [col('state', enumType(['a', 'b']), { default: literal('a') })])],
    change: alter('t', col('state', enumType(['a', 'b']), { default: literal('a') }), col('state', enumType(['b', 'a', "c'"]), { default: literal("c'") })),
  },
  {
    name: 'alter_column to auto increment',
    tables: [table('t', [col('id', bigint()), col('v', text())], { pk: ['id'] })],
    change: alter('t', col('id', bigint()), col('id', bigint(), { generation: 'increment' })),
  },
  {
    name: 'alter_column boolean default',
    tables: [table('t', [col('flag', bool(), { default: literal('false') })])],
    change: alter('t', col('flag', bool(), { default: literal('false') }), col('flag', bool(), { default: literal('true') })),
  },
  {
    name: 'alter_primary_key to a composite key',
    tables: [table('t', [col('a', int()), col('b', varchar(10))], { pk: ['a'] })],
    change: { kind: 'alter_primary_key', table: ref('t'), from: { name: 'PRIMARY', columns: ['a'] }, to: { name: 'PRIMARY', columns: ['a', 'b'] } },
  },
  {
    name: 'alter_primary_key that served a foreign key',
    tables: [myUsers(), table('p', [col('user_id', int({ unsigned: true })), col('b', int())], { pk: ['user_id'], foreignKeys: [fk('p_user_fk', ['user_id'], 'users', ['id'])] })],
    change: { kind: 'alter_primary_key', table: ref('p'), from: { name: 'PRIMARY', columns: ['user_id'] }, to: { name: 'PRIMARY', columns: ['b'] } },
  },
  {
    name: 'create_index unique with a hostile name',
    tables: [myUsers()],
    change: { kind: 'create_index', table: ref('users'), index: index('users `email`', ['email', 'name'], { unique: true }) },
  },
  {
    name: 'create_index on a foreign key that had its own index',
    tables: [myUsers(), { ...myPosts, foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'])] }],
    change: { kind: 'create_index', table: ref('posts'), index: index('posts_author_title', ['author_id', 'id']) },
  },
  {
    name: 'drop_index that served a foreign key',
    tables: [myUsers(), { ...myPosts, indexes: [index('posts_author', ['author_id'])], foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'])] }],
    change: { kind: 'drop_index', table: ref('posts'), index: index('posts_author', ['author_id']) },
  },
  {
    name: 'drop_index fulltext',
    tables: [myUsers([col('bio', text())], { indexes: [index('users_bio_ft', ['bio'], { method: 'fulltext' })] })],
    change: { kind: 'drop_index', table: ref('users'), index: index('users_bio_ft', ['bio'], { method: 'fulltext' }) },
  },
  { name: 'add_unique', tables: [myUsers()], change: { kind: 'add_unique', table: ref('users'), unique: unique('users_email_uq', ['email']) } },
  {
    name: 'drop_unique',
    tables: [myUsers([], { uniques: [unique('users_email_uq', ['email'])] })],
    change: { kind: 'drop_unique', table: ref('users'), unique: unique('users_email_uq', ['email']) },
  },
  {
    name: 'add_foreign_key with actions',
    tables: [myUsers(), myPosts],
    change: { kind: 'add_foreign_key', table: ref('posts'), foreignKey: fk('posts_author_fk', ['author_id'], 'users', ['id'], { onDelete: 'SET NULL', onUpdate: 'CASCADE' }) },
  },
  {
    name: 'drop_foreign_key with its own index',
    tables: [myUsers(), { ...myPosts, foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'])] }],
    change: { kind: 'drop_foreign_key', table: ref('posts'), foreignKey: fk('posts_author_fk', ['author_id'], 'users', ['id']) },
  },
  {
    name: 'drop_foreign_key served by another index',
    tables: [myUsers(), { ...myPosts, indexes: [index('posts_author', ['author_id', 'id'])], foreignKeys: [fk('posts_author_fk', ['author_id'], 'users', ['id'])] }],
    change: { kind: 'drop_foreign_key', table: ref('posts'), foreignKey: fk('posts_author_fk', ['author_id'], 'users', ['id']) },
  },
  { name: 'add_check', tables: [myUsers()], change: { kind: 'add_check', table: ref('users'), check: check('users_name_ck', "char_length(name) > 0 AND name <> 'x'") } },
  {
    name: 'drop_check (a simple expression)',
    tables: [myUsers([col('age', int())], { checks: [check('users_age_ck', 'age >= 0')] })],
    change: { kind: 'drop_check', table: ref('users'), check: check('users_age_ck', 'age >= 0') },
  },
  {
    name: 'drop_check (a function call)',
    tables: [myUsers([], { checks: [check('users_name_ck', 'char_length(name) > 0')] })],
    change: { kind: 'drop_check', table: ref('users'), check: check('users_name_ck', 'char_length(name) > 0') },
  },
  { name: 'alter_table_comment set', tables: [myUsers()], change: { kind: 'alter_table_comment', table: ref('users'), from: null, to: "people's \\ table" } },
];

// ---------------------------------------------------------------------------------------------------------------
// Harness

/** The PostgreSQL schemas the cases use besides public. */
const EXTRA_SCHEMAS = ['audit'];

interface Database {
  readonly client: DatabaseClient;
  /** Empties the database between cases. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

async function openDatabase(target: Target): Promise<Database> {
  if (target === 'mariadb') {
    const database = await createMysqlDatabase('render_apply');
    const client = await MysqlClient.connect(database.url, database.url);
    const name = `\`${database.name}\``;
    return {
      client,
      reset: () => client.execute(`DROP DATABASE ${name}; CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; USE ${name}`),
      async close() {
        await client.close();
        await database.drop();
      },
    };
  }
  const pgReset = (client: DatabaseClient) => async () => {
    const schemas = ['public', ...EXTRA_SCHEMAS];
    await client.execute(
      [...schemas.map((s) => `DROP SCHEMA IF EXISTS ${s} CASCADE`), ...schemas.map((s) => `CREATE SCHEMA ${s}`), 'CREATE EXTENSION IF NOT EXISTS vector SCHEMA public'].join('; '),
    );
  };
  if (target === 'pglite') {
    // PGlite loads its data bundle with import(), which jest's VM only allows under this node flag.
    if ((vm as { SourceTextModule?: unknown }).SourceTextModule === undefined) {
      throw new Error('PGlite under jest needs NODE_OPTIONS=--experimental-vm-modules (its loader uses dynamic import())');
    }
    const client = await PgliteClient.open(null);
    return { client, reset: pgReset(client), close: () => client.close() };
  }
  const database = await createPostgresDatabase('render_apply');
  const client = await PgClient.connect(database.url, database.url);
  return {
    client,
    reset: pgReset(client),
    async close() {
      await client.close();
      await database.drop();
    },
  };
}

/** Renders changes one by one against the schema as it stands before each, and runs every statement. */
async function run(client: DatabaseClient, before: Schema, changes: readonly Change[]): Promise<string[]> {
  const dialect = sqlDialectFor(client.dialect);
  const executed: string[] = [];
  let state = before;
  for (const change of changes) {
    for (const sql of dialect.render(change, { before: state })) {
      executed.push(sql);
      try {
        await client.execute(sql);
      } catch (error) {
        throw new Error(`${change.kind} failed at:\n${sql}\n${String(error)}\nafter:\n${executed.join(';\n')}`);
      }
    }
    state = applyChanges(state, [change]);
  }
  return executed;
}

/** Creates `target` in an empty database from the rendered `diff(empty, target)`, keys split out, in apply order. */
async function create(client: DatabaseClient, target: Schema): Promise<void> {
  const empty = schema(target.dialect, []);
  await run(client, empty, orderForApply(expandTableKeys(diffSchemas(normalizeSchema(empty), normalizeSchema(target)).changes)));
}

/**
 * The schema as the comparison sees it: normalised, checks and partial-index predicates reduced to their comparison
 * key (the catalog prints `(price > (0)::numeric)` for `price > 0`; idempotent, so it holds whether or not
 * normalizeSchema already did it), and columns by name when an add_column may have moved one to the end.
 */
function comparable(schema: Schema, columnsByName: boolean): Schema {
  const normalized = normalizeSchema(schema);
  const byName = (a: Column, b: Column) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    ...normalized,
    tables: normalized.tables.map((t) => ({
      ...t,
      columns: columnsByName ? [...t.columns].sort(byName) : t.columns,
      checks: t.checks.map((c) => ({ ...c, expression: canonicalExpression(c.expression) })),
      indexes: t.indexes.map((i) => ({ ...i, where: i.where === null ? null : canonicalExpression(i.where) })),
    })),
  };
}

async function read(client: DatabaseClient): Promise<Schema> {
  return introspect(client, { extraSchemas: EXTRA_SCHEMAS });
}

const TARGETS: readonly Target[] = ['postgres', 'pglite', 'mariadb'];

describe.each(TARGETS)('rendered changes on %s', (target) => {
  const family: Family = target === 'mariadb' ? 'mysql' : 'postgres';
  const cases = family === 'postgres' ? PG_CASES : MY_CASES;
  let database: Database;

  beforeAll(async () => {
    database = await openDatabase(target);
  });
  afterAll(async () => {
    await database?.close();
  });

  const migrateAndRollBack = async (testCase: ApplyCase): Promise<void> => {
    await database.reset();
    const client = database.client;
    const dialect: Dialect = client.dialect;
    const start = schema(dialect, testCase.tables, testCase.enums ?? []);

    // A: the starting schema, created by rendering its own diff from nothing.
    await create(client, start);
    expect(comparable(await read(client), false)).toEqual(comparable(start, false));

    // B: the change applied.
    const target = applyChanges(start, [testCase.change]);
    await run(client, start, [testCase.change]);
    expect(comparable(await read(client), false)).toEqual(comparable(target, false));

    // Back to A: the inverse applied. A dropped column comes back at the end of its table.
    const back = inverse(testCase.change);
    await run(client, target, [back]);
    expect(comparable(await read(client), back.kind === 'add_column')).toEqual(comparable(start, back.kind === 'add_column'));
  };

  if (family === 'postgres') {
    // Sequences are not part of the model, so the cases above cannot see them; the names alter_column relies on can.
    it('a serial sequence follows renames of its table and column, widens with its column and goes with its generation', async () => {
      await database.reset();
      const client = database.client;
      const start = schema('postgres', [pgUsers()]);
      await create(client, start);
      const renamed = { ...pgId, name: 'member id' };
      const widened = { ...renamed, type: bigint() };
      const sequenceOf = async (): Promise<unknown> =>
        (await client.query<{ seq: unknown }>(`SELECT pg_get_serial_sequence('members', 'member id') AS seq`))[0]?.seq;
      await run(client, start, [
        { kind: 'rename_table', from: ref('users'), to: ref('members') },
        { kind: 'rename_column', table: ref('members'), from: pgId, to: renamed },
        alter('members', renamed, widened),
      ]);
      expect(await sequenceOf()).toBe('public."members_member id_seq"');
      const types = await client.query<{ data_type: string }>(`SELECT data_type FROM information_schema.sequences WHERE sequence_name = 'members_member id_seq'`);
      expect(types.map((row) => row.data_type)).toEqual(['bigint']);
      const middle = applyChanges(start, [
        { kind: 'rename_table', from: ref('users'), to: ref('members') },
        { kind: 'rename_column', table: ref('members'), from: pgId, to: renamed },
      ]);
      await run(client, middle, [alter('members', widened, { ...widened, generation: null })]);
      expect(await sequenceOf()).toBeNull();
      expect(await client.query(`SELECT 1 FROM pg_catalog.pg_class WHERE relkind = 'S'`)).toEqual([]);
    });
  }

  if (family === 'mysql') {
    // InnoDB's own index of a foreign key and AUTO_INCREMENT's need for a leading key are not in the model: the
    // catalog is asked directly, after steps that each keep the server and the model in step.
    const indexNames = async (client: DatabaseClient, tableName: string): Promise<string[]> =>
      (
        await client.query<{ name: string }>(
          `SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = '${tableName}' ORDER BY index_name`,
        )
      ).map((row) => row.name);

    it('a foreign key\'s own index goes when another index serves the key, and comes back when none does', async () => {
      await database.reset();
      const client = database.client;
      const plain = index('users_ref_idx', ['ref']);
      const unique = index('users_ref_idx', ['ref'], { unique: true });
      const users = table('users', [col('id', int()), col('ref', int())], { pk: ['id'], indexes: [plain], foreignKeys: [fk('users_ref_fk', ['ref'], 'users', ['id'])] });
      const start = schema(client.dialect, [users]);
      await create(client, start);
      const steps: Change[] = [
        { kind: 'drop_index', table: ref('users'), index: plain },
        { kind: 'create_index', table: ref('users'), index: unique },
      ];
      await run(client, start, steps);
      expect(await indexNames(client, 'users')).toEqual(['PRIMARY', 'users_ref_idx']);
      const back = steps.map(inverse).reverse();
      await run(client, applyChanges(start, steps), back);
      expect(await indexNames(client, 'users')).toEqual(['PRIMARY', 'users_ref_idx']);
      await run(client, start, [steps[0] as Change]);
      expect(await indexNames(client, 'users')).toEqual(['PRIMARY', 'users_ref_fk']);
    });

    it('an AUTO_INCREMENT column goes without it while no key leads it, and gets it back with its key', async () => {
      await database.reset();
      const client = database.client;
      const id = col('id', int(), { generation: 'increment' });
      const start = schema(client.dialect, [table('users', [id, col('name', varchar(10))], { pk: ['id'] })]);
      await create(client, start);
      const steps: Change[] = [
        { kind: 'alter_primary_key', table: ref('users'), from: { name: null, columns: ['id'] }, to: null },
        alter('users', id, { ...id, type: bigint() }),
        { kind: 'alter_primary_key', table: ref('users'), from: null, to: { name: null, columns: ['id', 'name'] } },
      ];
      await run(client, start, steps);
      const after = applyChanges(start, steps);
      expect(comparable(await read(client), false)).toEqual(comparable(after, false));
      await run(client, after, steps.map(inverse).reverse());
      expect(comparable(await read(client), false)).toEqual(comparable(start, false));
    });
  }

  for (const testCase of cases) {
    const name = `${testCase.name}: migrate gives B, rollback gives A`;
    it(name, () => migrateAndRollBack(testCase));
  }
});
