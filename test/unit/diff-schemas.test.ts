import type { Change, TableRef } from '../../src/change/change';
import { diffSchemas } from '../../src/diff/diff-schemas';
import type { RenameSuggestion } from '../../src/diff/renames';
import { normalizeSchema } from '../../src/model/normalize';
import type { Column, Schema, Table } from '../../src/model/schema';
import {
  array,
  bigint,
  check,
  col,
  decimal,
  enumType,
  expr,
  fk,
  index,
  int,
  literal,
  pgEnum,
  schema,
  table,
  text,
  timestamp,
  unique,
  varchar,
} from '../support/schema-builders';
import type { TableOptions } from '../support/schema-builders';

/** `{ schema, name }` of a table in a change. */
const ref = (name: string, schemaName: string | null = null): TableRef => ({ schema: schemaName, name });

const diff = (actual: Schema, desired: Schema) => diffSchemas(normalizeSchema(actual), normalizeSchema(desired));

// The shared starting point: users(id PK, email) on PostgreSQL.
const id = col('id', int());
const email = col('email', varchar(255));
const users = (extra: readonly Column[] = [], options: TableOptions = {}): Table =>
  table('users', [id, email, ...extra], { pk: ['id'], ...options });
const pg = (...tables: Table[]): Schema => schema('postgres', tables);
const my = (...tables: Table[]): Schema => schema('mysql', tables);

/** One column of `users` before and after: the expected change is a single alter_column with `changed`. */
function alterCase(
  name: string,
  from: Column,
  to: Column,
  changed: Extract<Change, { kind: 'alter_column' }>['changed'],
  dialect: 'postgres' | 'mysql' = 'postgres',
): DiffCase {
  const wrap = dialect === 'postgres' ? pg : my;
  return {
    name,
    actual: wrap(users([from])),
    desired: wrap(users([to])),
    expect: changed.length === 0 ? [] : [{ kind: 'alter_column', table: ref('users'), from, to, changed }],
  };
}

interface DiffCase {
  readonly name: string;
  readonly actual: Schema;
  readonly desired: Schema;
  readonly expect: readonly Change[];
}

const posts = (foreignKeys = [fk('FK_posts_author', ['author_id'], 'users', ['id'])]): Table =>
  table('posts', [col('id', int()), col('author_id', int())], { pk: ['id'], foreignKeys });

const cases: readonly DiffCase[] = [
  { name: 'identical schemas: no change', actual: pg(users()), desired: pg(users()), expect: [] },
  { name: 'create table', actual: pg(), desired: pg(users()), expect: [{ kind: 'create_table', table: users() }] },
  { name: 'drop table', actual: pg(users()), desired: pg(), expect: [{ kind: 'drop_table', table: users() }] },
  {
    name: 'schema-qualified table is a different table',
    actual: pg(users()),
    desired: pg(users([], { schema: 'app' })),
    expect: [
      { kind: 'create_table', table: users([], { schema: 'app' }) },
      { kind: 'drop_table', table: users() },
    ],
  },
  {
    name: 'add column',
    actual: pg(users()),
    desired: pg(users([col('bio', text(), { nullable: true })])),
    expect: [{ kind: 'add_column', table: ref('users'), column: col('bio', text(), { nullable: true }) }],
  },
  {
    name: 'drop column',
    actual: pg(users([col('bio', text(), { nullable: true })])),
    desired: pg(users()),
    expect: [{ kind: 'drop_column', table: ref('users'), column: col('bio', text(), { nullable: true }) }],
  },

  // alter_column, one aspect at a time.
  alterCase('type: varchar -> text', col('bio', varchar(255)), col('bio', text()), ['type']),
  alterCase('type: length varchar(255) -> varchar(50)', col('bio', varchar(255)), col('bio', varchar(50)), ['type']),
  alterCase('type: bounded varchar -> unbounded varchar', col('bio', varchar(255)), col('bio', varchar(null)), ['type']),
  alterCase('type: precision decimal(10,2) -> decimal(12,2)', col('price', decimal(10, 2)), col('price', decimal(12, 2)), ['type']),
  alterCase('type: scale decimal(10,2) -> decimal(10,4)', col('price', decimal(10, 2)), col('price', decimal(10, 4)), ['type']),
  alterCase('type: signed -> unsigned (mysql)', col('n', int()), col('n', int({ unsigned: true })), ['type'], 'mysql'),
  alterCase('type: int -> int[]', col('tags', int()), col('tags', array(int())), ['type']),
  alterCase('type: int[] -> bigint[]', col('tags', array(int())), col('tags', array(bigint())), ['type']),
  alterCase('type: timestamp precision', col('at', timestamp(3)), col('at', timestamp(6)), ['type']),
  alterCase('nullable: NOT NULL -> NULL', col('bio', text()), col('bio', text(), { nullable: true }), ['nullable']),
  alterCase('nullable: NULL -> NOT NULL', col('bio', text(), { nullable: true }), col('bio', text()), ['nullable']),
  alterCase('default: none -> literal', col('n', int()), col('n', int(), { default: literal('0') }), ['default']),
  alterCase('default: literal -> none', col('n', int(), { default: literal('0') }), col('n', int()), ['default']),
  alterCase('default: literal value changes', col('s', text(), { default: literal('a') }), col('s', text(), { default: literal('b') }), ['default']),
  alterCase(
    'default: literal "now()" is not the expression now()',
    col('at', timestamp(), { default: literal('now()') }),
    col('at', timestamp(), { default: expr('now()') }),
    ['default'],
  ),
  alterCase('default: expression changes', col('at', timestamp(), { default: expr('now()') }), col('at', timestamp(), { default: expr('clock_timestamp()') }), ['default']),
  alterCase('default: decimal 5 equals 5.00 after normalisation', col('p', decimal(10, 2), { default: literal('5.00') }), col('p', decimal(10, 2), { default: literal('5') }), []),
  alterCase('generation: none -> identity', col('n', int()), col('n', int(), { generation: 'identity-by-default' }), ['generation']),
  alterCase('generation: identity always -> by default', col('n', int(), { generation: 'identity-always' }), col('n', int(), { generation: 'identity-by-default' }), ['generation']),
  alterCase('comment: none -> text', col('bio', text()), col('bio', text(), { comment: 'about me' }), ['comment']),
  alterCase('comment: empty string is no comment', col('bio', text(), { comment: '' }), col('bio', text()), []),
  alterCase('charset: desired value differs', col('bio', text()), col('bio', text(), { charset: 'utf8mb4' }), ['charset'], 'mysql'),
  // Null is what a definition naming none gives (the table's), not "no opinion": a column left at latin1 under a
  // utf8mb4 table would refuse a foreign key to a column of the table's set.
  alterCase('charset: desired null is the table\'s, compared', col('bio', text(), { charset: 'latin1' }), col('bio', text()), ['charset'], 'mysql'),
  alterCase('charset: null on both sides is equal', col('bio', text()), col('bio', text()), [], 'mysql'),
  alterCase('collation: desired value differs', col('bio', text(), { collation: 'utf8mb4_bin' }), col('bio', text(), { collation: 'utf8mb4_general_ci' }), ['collation'], 'mysql'),
  alterCase('collation: desired null is the table\'s, compared', col('bio', text(), { collation: 'utf8mb4_bin' }), col('bio', text()), ['collation'], 'mysql'),
  alterCase(
    'collation: null under another set is that set\'s default, compared',
    col('bio', text(), { collation: 'latin1_bin' }),
    col('bio', text(), { charset: 'latin1' }),
    ['charset', 'collation'],
    'mysql',
  ),
  alterCase('on update: MySQL ON UPDATE expression', col('at', timestamp(6)), col('at', timestamp(6), { onUpdate: 'current_timestamp(6)' }), ['onUpdate'], 'mysql'),
  alterCase(
    'several aspects at once, in aspect order',
    col('bio', varchar(10), { nullable: true, comment: 'x' }),
    col('bio', text(), { default: literal('none'), comment: 'y', collation: 'C' }),
    ['type', 'nullable', 'default', 'comment', 'collation'],
  ),
  {
    name: 'a generated column has no default to compare',
    actual: pg(users([col('n', int(), { generation: 'increment', default: expr("nextval('users_n_seq'::regclass)") })])),
    desired: pg(users([col('n', int(), { generation: 'increment' })])),
    expect: [],
  },

  // Primary keys: columns compared, names never.
  {
    name: 'primary key columns change',
    actual: pg(users()),
    desired: pg(users([], { pk: ['id', 'email'] })),
    expect: [{ kind: 'alter_primary_key', table: ref('users'), from: { name: 'PK_users', columns: ['id'] }, to: { name: 'PK_users', columns: ['id', 'email'] } }],
  },
  {
    name: 'primary key removed',
    actual: pg(users()),
    desired: pg(users([], { pk: null })),
    expect: [{ kind: 'alter_primary_key', table: ref('users'), from: { name: 'PK_users', columns: ['id'] }, to: null }],
  },
  { name: 'primary key renamed only: no change', actual: pg(users()), desired: pg(users([], { pkName: 'users_pkey' })), expect: [] },

  // Indexes.
  {
    name: 'add index',
    actual: pg(users()),
    desired: pg(users([], { indexes: [index('IDX_email', ['email'])] })),
    expect: [{ kind: 'create_index', table: ref('users'), index: index('IDX_email', ['email']) }],
  },
  {
    name: 'drop index',
    actual: pg(users([], { indexes: [index('IDX_email', ['email'])] })),
    desired: pg(users()),
    expect: [{ kind: 'drop_index', table: ref('users'), index: index('IDX_email', ['email']) }],
  },
  {
    name: 'index redefined: same name, other columns',
    actual: pg(users([], { indexes: [index('IDX_x', ['email'])] })),
    desired: pg(users([], { indexes: [index('IDX_x', ['email', 'id'])] })),
    expect: [
      { kind: 'drop_index', table: ref('users'), index: index('IDX_x', ['email']) },
      { kind: 'create_index', table: ref('users'), index: index('IDX_x', ['email', 'id']) },
    ],
  },
  {
    name: 'index redefined: unique flag',
    actual: pg(users([], { indexes: [index('IDX_x', ['email'])] })),
    desired: pg(users([], { indexes: [index('IDX_x', ['email'], { unique: true })] })),
    expect: [
      { kind: 'drop_index', table: ref('users'), index: index('IDX_x', ['email']) },
      { kind: 'create_index', table: ref('users'), index: index('IDX_x', ['email'], { unique: true }) },
    ],
  },
  {
    name: 'index redefined: partial predicate (compared canonically)',
    actual: pg(users([], { indexes: [index('IDX_x', ['email'])] })),
    desired: pg(users([], { indexes: [index('IDX_x', ['email'], { where: '"email" IS NOT NULL' })] })),
    expect: [
      { kind: 'drop_index', table: ref('users'), index: index('IDX_x', ['email']) },
      // Changes carry the model's real SQL (it is rendered); only the comparison is canonical.
      { kind: 'create_index', table: ref('users'), index: index('IDX_x', ['email'], { where: '"email" IS NOT NULL' }) },
    ],
  },
  {
    name: 'index predicate in catalog spelling equals the model spelling',
    actual: pg(users([], { indexes: [index('IDX_x', ['email'], { where: "((email)::text = 'a'::text)" })] })),
    desired: pg(users([], { indexes: [index('IDX_x', ['email'], { where: `"email" = 'a'` })] })),
    expect: [],
  },
  {
    name: 'index method btree is the default',
    actual: pg(users([], { indexes: [index('IDX_x', ['email'], { method: 'btree' })] })),
    desired: pg(users([], { indexes: [index('IDX_x', ['email'])] })),
    expect: [],
  },
  {
    name: 'index that differs only by name is renamed, not dropped and created',
    actual: pg(users([], { indexes: [index('IDX_old_generated_name', ['email'], { unique: true })] })),
    desired: pg(users([], { indexes: [index('IDX_new_generated_name', ['email'], { unique: true })] })),
    expect: [
      {
        kind: 'rename_index',
        table: ref('users'),
        from: index('IDX_old_generated_name', ['email'], { unique: true }),
        to: index('IDX_new_generated_name', ['email'], { unique: true }),
      },
    ],
  },

  // Unique constraints.
  {
    name: 'add unique constraint (postgres)',
    actual: pg(users()),
    desired: pg(users([], { uniques: [unique('UQ_email', ['email'])] })),
    expect: [{ kind: 'add_unique', table: ref('users'), unique: unique('UQ_email', ['email']) }],
  },
  {
    name: 'drop unique constraint (postgres)',
    actual: pg(users([], { uniques: [unique('UQ_email', ['email'])] })),
    desired: pg(users()),
    expect: [{ kind: 'drop_unique', table: ref('users'), unique: unique('UQ_email', ['email']) }],
  },
  {
    name: 'unique constraint redefined (postgres)',
    actual: pg(users([], { uniques: [unique('UQ_x', ['email'])] })),
    desired: pg(users([], { uniques: [unique('UQ_x', ['email', 'id'])] })),
    expect: [
      { kind: 'drop_unique', table: ref('users'), unique: unique('UQ_x', ['email']) },
      { kind: 'add_unique', table: ref('users'), unique: unique('UQ_x', ['email', 'id']) },
    ],
  },
  {
    name: 'unique constraint that differs only by name is renamed',
    actual: pg(users([], { uniques: [unique('UQ_a', ['email'])] })),
    desired: pg(users([], { uniques: [unique('UQ_b', ['email'])] })),
    expect: [{ kind: 'rename_unique', table: ref('users'), from: unique('UQ_a', ['email']), to: unique('UQ_b', ['email']) }],
  },
  {
    name: 'mysql: a unique constraint is the unique index of the same name',
    actual: my(users([], { indexes: [index('UQ_email', ['email'], { unique: true })] })),
    desired: my(users([], { uniques: [unique('UQ_email', ['email'])] })),
    expect: [],
  },
  {
    name: 'mysql: a new unique constraint is created as a unique index',
    actual: my(users()),
    desired: my(users([], { uniques: [unique('UQ_email', ['email'])] })),
    expect: [{ kind: 'create_index', table: ref('users'), index: index('UQ_email', ['email'], { unique: true }) }],
  },

  // Foreign keys.
  {
    name: 'add foreign key',
    actual: pg(users(), posts([])),
    desired: pg(users(), posts()),
    expect: [{ kind: 'add_foreign_key', table: ref('posts'), foreignKey: fk('FK_posts_author', ['author_id'], 'users', ['id']) }],
  },
  {
    name: 'drop foreign key',
    actual: pg(users(), posts()),
    desired: pg(users(), posts([])),
    expect: [{ kind: 'drop_foreign_key', table: ref('posts'), foreignKey: fk('FK_posts_author', ['author_id'], 'users', ['id']) }],
  },
  {
    name: 'foreign key redefined: columns',
    actual: pg(users(), posts()),
    desired: pg(users(), posts([fk('FK_posts_author', ['id'], 'users', ['id'])])),
    expect: [
      { kind: 'drop_foreign_key', table: ref('posts'), foreignKey: fk('FK_posts_author', ['author_id'], 'users', ['id']) },
      { kind: 'add_foreign_key', table: ref('posts'), foreignKey: fk('FK_posts_author', ['id'], 'users', ['id']) },
    ],
  },
  {
    name: 'foreign key redefined: target table',
    actual: pg(users(), posts()),
    desired: pg(users(), posts([fk('FK_posts_author', ['author_id'], 'posts', ['id'])])),
    expect: [
      { kind: 'drop_foreign_key', table: ref('posts'), foreignKey: fk('FK_posts_author', ['author_id'], 'users', ['id']) },
      { kind: 'add_foreign_key', table: ref('posts'), foreignKey: fk('FK_posts_author', ['author_id'], 'posts', ['id']) },
    ],
  },
  {
    name: 'foreign key redefined: actions',
    actual: pg(users(), posts()),
    desired: pg(users(), posts([fk('FK_posts_author', ['author_id'], 'users', ['id'], { onDelete: 'CASCADE', onUpdate: 'SET NULL' })])),
    expect: [
      { kind: 'drop_foreign_key', table: ref('posts'), foreignKey: fk('FK_posts_author', ['author_id'], 'users', ['id']) },
      {
        kind: 'add_foreign_key',
        table: ref('posts'),
        foreignKey: fk('FK_posts_author', ['author_id'], 'users', ['id'], { onDelete: 'CASCADE', onUpdate: 'SET NULL' }),
      },
    ],
  },
  {
    name: 'foreign key that differs only by name is renamed',
    actual: pg(users(), posts()),
    desired: pg(users(), posts([fk('posts_author_id_fkey', ['author_id'], 'users', ['id'])])),
    expect: [
      {
        kind: 'rename_foreign_key',
        table: ref('posts'),
        from: fk('FK_posts_author', ['author_id'], 'users', ['id']),
        to: fk('posts_author_id_fkey', ['author_id'], 'users', ['id']),
      },
    ],
  },
  {
    name: 'postgres: RESTRICT is not NO ACTION',
    actual: pg(users(), posts()),
    desired: pg(users(), posts([fk('FK_posts_author', ['author_id'], 'users', ['id'], { onDelete: 'RESTRICT' })])),
    expect: [
      { kind: 'drop_foreign_key', table: ref('posts'), foreignKey: fk('FK_posts_author', ['author_id'], 'users', ['id']) },
      { kind: 'add_foreign_key', table: ref('posts'), foreignKey: fk('FK_posts_author', ['author_id'], 'users', ['id'], { onDelete: 'RESTRICT' }) },
    ],
  },
  {
    name: 'mysql: RESTRICT is NO ACTION',
    actual: my(users(), posts()),
    desired: my(users(), posts([fk('FK_posts_author', ['author_id'], 'users', ['id'], { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })])),
    expect: [],
  },

  // Checks.
  {
    name: 'add check',
    actual: pg(users()),
    desired: pg(users([], { checks: [check('CHK_id', '"id" > 0')] })),
    expect: [{ kind: 'add_check', table: ref('users'), check: check('CHK_id', '"id" > 0') }],
  },
  {
    name: 'drop check',
    actual: pg(users([], { checks: [check('CHK_id', '(id > 0)')] })),
    desired: pg(users()),
    expect: [{ kind: 'drop_check', table: ref('users'), check: check('CHK_id', '(id > 0)') }],
  },
  {
    name: 'check redefined',
    actual: pg(users([], { checks: [check('CHK_id', '(id > 0)')] })),
    desired: pg(users([], { checks: [check('CHK_id', '"id" > 1')] })),
    expect: [
      { kind: 'drop_check', table: ref('users'), check: check('CHK_id', '(id > 0)') },
      { kind: 'add_check', table: ref('users'), check: check('CHK_id', '"id" > 1') },
    ],
  },
  {
    name: 'check in catalog spelling equals the model spelling',
    actual: pg(users([], { checks: [check('CHK_email', "((email)::text <> ''::text)")] })),
    desired: pg(users([], { checks: [check('CHK_email', `"email" <> ''`)] })),
    expect: [],
  },

  // Table comment.
  {
    name: 'table comment set',
    actual: pg(users()),
    desired: pg(users([], { comment: 'people' })),
    expect: [{ kind: 'alter_table_comment', table: ref('users'), from: null, to: 'people' }],
  },
  {
    name: 'table comment changed',
    actual: pg(users([], { comment: 'people' })),
    desired: pg(users([], { comment: 'accounts' })),
    expect: [{ kind: 'alter_table_comment', table: ref('users'), from: 'people', to: 'accounts' }],
  },
  { name: 'empty table comment is no comment', actual: pg(users([], { comment: '' })), desired: pg(users()), expect: [] },

  // PostgreSQL enums: types are diffed on their own; columns only by the type's name.
  {
    name: 'postgres: create enum type',
    actual: schema('postgres', []),
    desired: schema('postgres', [], [pgEnum('mood', ['happy', 'sad'])]),
    expect: [{ kind: 'create_enum', enumType: pgEnum('mood', ['happy', 'sad']) }],
  },
  {
    name: 'postgres: drop enum type',
    actual: schema('postgres', [], [pgEnum('mood', ['happy', 'sad'])]),
    desired: schema('postgres', []),
    expect: [{ kind: 'drop_enum', enumType: pgEnum('mood', ['happy', 'sad']) }],
  },
  {
    name: 'postgres: enum value added',
    actual: schema('postgres', [], [pgEnum('mood', ['happy', 'sad'])]),
    desired: schema('postgres', [], [pgEnum('mood', ['happy', 'sad', 'meh'])]),
    expect: [{ kind: 'alter_enum', from: pgEnum('mood', ['happy', 'sad']), to: pgEnum('mood', ['happy', 'sad', 'meh']) }],
  },
  {
    name: 'postgres: enum value removed',
    actual: schema('postgres', [], [pgEnum('mood', ['happy', 'sad'])]),
    desired: schema('postgres', [], [pgEnum('mood', ['happy'])]),
    expect: [{ kind: 'alter_enum', from: pgEnum('mood', ['happy', 'sad']), to: pgEnum('mood', ['happy']) }],
  },
  {
    name: 'postgres: enum in another schema is another type',
    actual: schema('postgres', [], [pgEnum('mood', ['a'])]),
    desired: schema('postgres', [], [pgEnum('mood', ['a'], 'app')]),
    expect: [
      { kind: 'create_enum', enumType: pgEnum('mood', ['a'], 'app') },
      { kind: 'drop_enum', enumType: pgEnum('mood', ['a']) },
    ],
  },
  {
    name: 'postgres: enum column compared by type name only (values belong to alter_enum)',
    actual: schema('postgres', [users([col('mood', enumType(['happy', 'sad'], 'mood'))])], [pgEnum('mood', ['happy', 'sad'])]),
    desired: schema('postgres', [users([col('mood', enumType(['happy', 'sad', 'meh'], 'mood'))])], [pgEnum('mood', ['happy', 'sad', 'meh'])]),
    expect: [{ kind: 'alter_enum', from: pgEnum('mood', ['happy', 'sad']), to: pgEnum('mood', ['happy', 'sad', 'meh']) }],
  },
  {
    name: 'postgres: enum array column compared by type name only',
    actual: pg(users([col('moods', array(enumType(['a'], 'mood')))])),
    desired: pg(users([col('moods', array(enumType(['a', 'b'], 'mood')))])),
    expect: [],
  },
  alterCase('postgres: enum column moved to another type', col('mood', enumType(['a'], 'mood')), col('mood', enumType(['a'], 'feeling')), ['type']),
  alterCase('mysql: inline enum values compared: value added', col('mood', enumType(['a', 'b'])), col('mood', enumType(['a', 'b', 'c'])), ['type'], 'mysql'),
  alterCase('mysql: inline enum values compared: value removed', col('mood', enumType(['a', 'b'])), col('mood', enumType(['a'])), ['type'], 'mysql'),
  alterCase('mysql: inline enum values compared: reordered', col('mood', enumType(['a', 'b'])), col('mood', enumType(['b', 'a'])), ['type'], 'mysql'),

  // Own tables never appear.
  {
    name: 'the tool’s own tables are ignored',
    actual: pg(users(), table('schema_sync_history', [col('id', int())]), table('schema_sync_lock', [col('id', int())])),
    desired: pg(users()),
    expect: [],
  },
];

describe('diffSchemas', () => {
  it.each(cases)('$name', ({ actual, desired, expect: expected }) => {
    expect(diff(actual, desired).changes).toEqual(expected);
  });

  it('compares in both directions: the reverse diff has the inverse changes', () => {
    const a = pg(users());
    const b = pg(users([col('bio', text(), { nullable: true })], { indexes: [index('IDX_email', ['email'])] }));
    expect(diff(b, a).changes).toEqual([
      { kind: 'drop_index', table: ref('users'), index: index('IDX_email', ['email']) },
      { kind: 'drop_column', table: ref('users'), column: col('bio', text(), { nullable: true }) },
    ]);
  });
});

describe('diffSchemas: apply order', () => {
  // Everything at once: the order is create enums, create tables, columns, drops of keys, creates of keys, then
  // the drops of columns, tables and enums last. Within a kind, tables are in name order.
  const comments = table('comments', [col('id', int()), col('post_id', int())], {
    pk: ['id'],
    foreignKeys: [fk('FK_comments_post', ['post_id'], 'posts', ['id'])],
  });
  const archive = table('archive', [col('id', int())]);
  const actual = schema(
    'postgres',
    [archive, posts(), users([col('legacy', text())])],
    [pgEnum('old_mood', ['x'])],
  );
  const desiredPosts = table('posts', [col('id', int()), col('author_id', int()), col('title', text(), { nullable: true })], {
    pk: ['id'],
    indexes: [index('IDX_posts_author', ['author_id'])],
    foreignKeys: [fk('FK_posts_author', ['author_id'], 'users', ['id'], { onDelete: 'CASCADE' })],
  });
  const desired = schema(
    'postgres',
    [users([col('nickname', varchar(50), { nullable: true })], { comment: 'people' }), desiredPosts, comments],
    [pgEnum('mood', ['happy'])],
  );

  it('orders key drops first, creates before the keys that point at them, and data drops last', () => {
    expect(diff(actual, desired).changes).toEqual([
      { kind: 'create_enum', enumType: pgEnum('mood', ['happy']) },
      // Keys that could stand in the way of column changes go before them.
      { kind: 'drop_foreign_key', table: ref('posts'), foreignKey: fk('FK_posts_author', ['author_id'], 'users', ['id']) },
      { kind: 'create_table', table: comments },
      { kind: 'add_column', table: ref('posts'), column: col('title', text(), { nullable: true }) },
      { kind: 'add_column', table: ref('users'), column: col('nickname', varchar(50), { nullable: true }) },
      { kind: 'create_index', table: ref('posts'), index: index('IDX_posts_author', ['author_id']) },
      { kind: 'add_foreign_key', table: ref('posts'), foreignKey: fk('FK_posts_author', ['author_id'], 'users', ['id'], { onDelete: 'CASCADE' }) },
      { kind: 'alter_table_comment', table: ref('users'), from: null, to: 'people' },
      { kind: 'drop_column', table: ref('users'), column: col('legacy', text()) },
      { kind: 'drop_table', table: archive },
      { kind: 'drop_enum', enumType: pgEnum('old_mood', ['x']) },
    ]);
  });

  it('does not depend on the order tables are listed in', () => {
    const shuffled = { ...desired, tables: [...desired.tables].reverse() };
    expect(diff(actual, shuffled).changes).toEqual(diff(actual, desired).changes);
  });
});

describe('diffSchemas: rename suggestions', () => {
  interface RenameCase {
    readonly name: string;
    readonly actual: Schema;
    readonly desired: Schema;
    readonly expect: readonly RenameSuggestion[];
  }
  const renameCases: readonly RenameCase[] = [
    {
      name: 'one dropped and one added column of the same shape',
      actual: pg(users([col('full_name', varchar(100))])),
      desired: pg(users([col('display_name', varchar(100))])),
      expect: [{ table: ref('users'), from: 'full_name', to: 'display_name', hint: '--rename users.full_name=display_name' }],
    },
    {
      name: 'schema-qualified table: the hint names the schema',
      actual: pg(users([col('full_name', varchar(100))], { schema: 'app' })),
      desired: pg(users([col('display_name', varchar(100))], { schema: 'app' })),
      expect: [{ table: ref('users', 'app'), from: 'full_name', to: 'display_name', hint: '--rename app.users.full_name=display_name' }],
    },
    {
      name: 'nullability and comment do not prevent a suggestion',
      actual: pg(users([col('full_name', varchar(100), { nullable: true, comment: 'old' })])),
      desired: pg(users([col('display_name', varchar(100), { comment: 'new' })])),
      expect: [{ table: ref('users'), from: 'full_name', to: 'display_name', hint: '--rename users.full_name=display_name' }],
    },
    {
      name: 'two added candidates: no suggestion',
      actual: pg(users([col('full_name', varchar(100))])),
      desired: pg(users([col('display_name', varchar(100)), col('legal_name', varchar(100))])),
      expect: [],
    },
    {
      name: 'two dropped candidates: no suggestion',
      actual: pg(users([col('first_name', varchar(100)), col('last_name', varchar(100))])),
      desired: pg(users([col('display_name', varchar(100))])),
      expect: [],
    },
    {
      name: 'different type: no suggestion',
      actual: pg(users([col('full_name', varchar(100))])),
      desired: pg(users([col('display_name', varchar(200))])),
      expect: [],
    },
    {
      name: 'different default: no suggestion',
      actual: pg(users([col('score', int(), { default: literal('0') })])),
      desired: pg(users([col('points', int())])),
      expect: [],
    },
    {
      name: 'drop and add in different tables: no suggestion',
      actual: pg(users([col('full_name', varchar(100))]), posts()),
      desired: pg(users(), table('posts', [col('id', int()), col('author_id', int()), col('display_name', varchar(100))], { pk: ['id'], foreignKeys: posts().foreignKeys })),
      expect: [],
    },
  ];

  it.each(renameCases)('$name', ({ actual, desired, expect: expected }) => {
    expect(diff(actual, desired).suggestions).toEqual(expected);
  });

  it('a suggestion never turns the drop + add into a rename by itself', () => {
    const result = diff(pg(users([col('full_name', varchar(100))])), pg(users([col('display_name', varchar(100))])));
    expect(result.changes.map((change) => change.kind)).toEqual(['add_column', 'drop_column']);
  });
});
