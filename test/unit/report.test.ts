import chalk from 'chalk';
import type { Change } from '../../src/change/change';
import { CHANGE_KINDS } from '../../src/change/change';
import { diffSchemas } from '../../src/diff/diff-schemas';
import { normalizeSchema } from '../../src/model/normalize';
import type { Schema, View } from '../../src/model/schema';
import { buildDiffReport } from '../../src/report/diff-report';
import { renderHumanReport } from '../../src/report/human-report';
import {
  array,
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

const TARGET = 'postgres://localhost:5432/app';

function reportOf(actual: Schema, desired: Schema) {
  const { changes, suggestions } = diffSchemas(normalizeSchema(actual), normalizeSchema(desired));
  return buildDiffReport(actual.dialect, TARGET, changes, suggestions);
}

// A diff with something of everything: an enum, a new table, a dropped table, added / altered / dropped columns,
// an index, and a drop that looks like a rename.
const actual = schema('postgres', [
  table('users', [col('id', int()), col('email', varchar(255)), col('full_name', varchar(100))], { pk: ['id'] }),
  table('legacy', [col('id', int())]),
]);
const desired = schema(
  'postgres',
  [
    table('users', [col('id', int()), col('email', varchar(100)), col('display_name', varchar(100)), col('nickname', text(), { nullable: true })], {
      pk: ['id'],
      indexes: [index('IDX_users_email', ['email'])],
    }),
    table('posts', [col('id', int()), col('author_id', int())], { pk: ['id'], foreignKeys: [fk('FK_posts_author', ['author_id'], 'users', ['id'])] }),
  ],
  [pgEnum('mood', ['happy', 'sad'])],
);

const totals: View = { schema: null, name: 'totals', materialized: false, query: 'SELECT 1', recorded: true, reads: [] };
const metadataTable = { schema: null, name: 'typeorm_metadata' };

describe('buildDiffReport', () => {
  it('has the documented JSON shape', () => {
    const report = reportOf(actual, desired);
    expect(report).toEqual({
      dialect: 'postgres',
      target: TARGET,
      inSync: false,
      changes: [
        { kind: 'create_enum', table: null, object: 'mood', detail: 'create enum type mood (happy, sad)', destructive: false, guarded: false, phase: 'expand', phaseReason: 'a new enum type: nothing uses it yet' },
        { kind: 'create_table', table: 'posts', detail: 'create table with 2 columns, 1 foreign key', destructive: false, guarded: false, phase: 'expand', phaseReason: 'a new table: the old release does not use it' },
        {
          kind: 'add_column',
          table: 'users',
          column: 'display_name',
          detail: 'add column display_name varchar(100) NOT NULL',
          destructive: false,
          guarded: false,
          phase: 'contract',
          phaseReason: 'a NOT NULL column without a default: the old release inserts rows without it',
        },
        { kind: 'add_column', table: 'users', column: 'nickname', detail: 'add column nickname text NULL', destructive: false, guarded: false, phase: 'expand', phaseReason: 'a nullable column: the old release leaves it out' },
        {
          kind: 'alter_column',
          table: 'users',
          column: 'email',
          detail: 'alter column email: type varchar(255) -> varchar(100)',
          destructive: true,
          guarded: true,
          phase: 'contract',
          phaseReason: 'email becomes a type that may not hold what the old release writes',
        },
        {
          kind: 'create_index',
          table: 'users',
          object: 'IDX_users_email',
          detail: 'create index IDX_users_email (email)',
          destructive: false,
          guarded: false,
          phase: 'expand',
          phaseReason: 'an index: reads and writes go on as before',
        },
        {
          kind: 'drop_column',
          table: 'users',
          column: 'full_name',
          detail: 'drop column full_name varchar(100) NOT NULL (its values are lost)',
          destructive: true,
          guarded: true,
          phase: 'contract',
          phaseReason: 'drops a column the old release may still read or write',
          suggestion: 'looks like a rename to display_name: --rename users.full_name=display_name',
        },
        { kind: 'drop_table', table: 'legacy', detail: 'drop table (1 column and every row in it)', destructive: true, guarded: true, phase: 'contract', phaseReason: 'drops a table the old release may still use' },
      ],
      suggestions: [
        { table: { schema: null, name: 'users' }, from: 'full_name', to: 'display_name', hint: '--rename users.full_name=display_name' },
      ],
      unmanaged: [],
      summary: {
        total: 8,
        tables: 3,
        guarded: 3,
        destructive: 3,
        byKind: { create_enum: 1, create_table: 1, add_column: 2, alter_column: 1, create_index: 1, drop_column: 1, drop_table: 1 },
      },
    });
  });

  it('uses snake_case kinds and survives a JSON round trip unchanged', () => {
    const report = reportOf(actual, desired);
    for (const change of report.changes) expect(change.kind).toMatch(/^[a-z]+(_[a-z]+)+$/);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('is in sync with no changes', () => {
    const report = reportOf(actual, actual);
    expect(report).toEqual({
      dialect: 'postgres',
      target: TARGET,
      inSync: true,
      changes: [],
      suggestions: [],
      unmanaged: [],
      summary: { total: 0, tables: 0, guarded: 0, destructive: 0, byKind: {} },
    });
  });

  it('names schema-qualified tables schema.table', () => {
    const report = reportOf(schema('postgres', []), schema('postgres', [table('t', [col('id', int())], { schema: 'app' })]));
    expect(report.changes.map((change) => change.table)).toEqual(['app.t']);
  });

  it('attaches the suggestion to the drop only, never to the add', () => {
    const report = reportOf(actual, desired);
    expect(report.changes.filter((change) => change.suggestion !== undefined).map((change) => change.kind)).toEqual(['drop_column']);
  });

  // One line per change kind: the detail the report prints.
  const users = { schema: null, name: 'users' };
  const usersTable = table('users', [col('id', int())], { pk: ['id'], indexes: [index('IDX_a', ['id']), index('IDX_b', ['id'])] });
  const details: readonly (readonly [Change, string])[] = [
    [{ kind: 'create_table', table: table('t', [col('a', int())]) }, 'create table with 1 column'],
    [{ kind: 'create_table', table: usersTable }, 'create table with 1 column, 2 indexes'],
    [{ kind: 'drop_table', table: usersTable }, 'drop table (1 column and every row in it)'],
    [{ kind: 'rename_table', from: { schema: null, name: 'people' }, to: users }, 'rename table people to users'],
    [{ kind: 'rename_column', table: users, from: col('nick', int()), to: col('handle', int()) }, 'rename column nick to handle'],
    [{ kind: 'rename_index', table: users, from: index('IDX_a', ['a']), to: index('IDX_b', ['a']) }, 'rename index IDX_a to IDX_b'],
    [{ kind: 'rename_unique', table: users, from: unique('UQ_a', ['a']), to: unique('UQ_b', ['a']) }, 'rename unique constraint UQ_a to UQ_b'],
    [{ kind: 'rename_foreign_key', table: users, from: fk('FK_a', ['a'], 'o', ['id']), to: fk('FK_b', ['a'], 'o', ['id']) }, 'rename foreign key FK_a to FK_b'],
    [{ kind: 'add_column', table: users, column: col('n', decimal(10, 2), { default: literal('0') }) }, "add column n decimal(10,2) NOT NULL DEFAULT '0'"],
    [{ kind: 'add_column', table: users, column: col('at', timestamp(3), { nullable: true, default: expr('now()') }) }, 'add column at timestamp(3) NULL DEFAULT now()'],
    [{ kind: 'add_column', table: users, column: col('n', int(), { generation: 'identity-always' }) }, 'add column n int NOT NULL GENERATED ALWAYS AS IDENTITY'],
    [{ kind: 'add_column', table: users, column: col('tags', array(enumType(['a', 'b'], 'tag'))) }, "add column tags tag('a', 'b')[] NOT NULL"],
    [{ kind: 'drop_column', table: users, column: col('n', int({ unsigned: true })) }, 'drop column n int unsigned NOT NULL (its values are lost)'],
    [
      {
        kind: 'alter_column',
        table: users,
        from: col('s', varchar(10), { nullable: true }),
        to: col('s', text(), { default: literal("it's"), comment: 'c', generation: null }),
        changed: ['type', 'nullable', 'default', 'comment'],
      },
      `alter column s: type varchar(10) -> text; NULL -> NOT NULL; default none -> 'it''s'; comment none -> "c"`,
    ],
    [
      {
        kind: 'alter_column',
        table: users,
        from: col('s', text(), { charset: 'latin1' }),
        to: col('s', text(), { charset: 'utf8mb4', collation: 'utf8mb4_bin', generation: 'increment' }),
        changed: ['charset', 'collation', 'generation'],
      },
      'alter column s: charset latin1 -> utf8mb4; collation latin1 default -> utf8mb4_bin; generation none -> increment',
    ],
    [{ kind: 'alter_primary_key', table: users, from: { name: 'PK', columns: ['id'] }, to: { name: 'PK', columns: ['id', 'n'] } }, 'primary key (id) -> (id, n)'],
    [{ kind: 'alter_primary_key', table: users, from: null, to: { name: 'PK', columns: ['id'] } }, 'primary key (none) -> (id)'],
    [{ kind: 'create_index', table: users, index: index('IDX_x', ['a', 'b'], { unique: true, method: 'gin', where: 'a>0' }) }, 'create unique index IDX_x (a, b) USING gin WHERE a>0'],
    [{ kind: 'drop_index', table: users, index: index('IDX_x', ['a']) }, 'drop index IDX_x (a)'],
    [{ kind: 'add_unique', table: users, unique: unique('UQ_x', ['a', 'b']) }, 'add unique constraint UQ_x (a, b)'],
    [{ kind: 'drop_unique', table: users, unique: unique('UQ_x', ['a']) }, 'drop unique constraint UQ_x (a)'],
    [
      { kind: 'add_foreign_key', table: users, foreignKey: fk('FK_x', ['org_id'], 'orgs', ['id'], { onDelete: 'CASCADE', referencedSchema: 'app' }) },
      'add foreign key FK_x (org_id) -> app.orgs(id) ON DELETE CASCADE',
    ],
    [{ kind: 'drop_foreign_key', table: users, foreignKey: fk('FK_x', ['org_id'], 'orgs', ['id'], { onUpdate: 'SET NULL' }) }, 'drop foreign key FK_x (org_id) -> orgs(id) ON UPDATE SET NULL'],
    [{ kind: 'add_check', table: users, check: check('CHK_x', 'a>0') }, 'add check CHK_x (a>0)'],
    [{ kind: 'add_exclusion', table: users, exclusion: { name: 'EXC', expression: 'USING gist (during WITH &&)' } }, 'add exclusion constraint EXC (EXCLUDE USING gist (during WITH &&))'],
    [{ kind: 'drop_exclusion', table: users, exclusion: { name: 'EXC', expression: 'USING gist (during WITH &&)' } }, 'drop exclusion constraint EXC (EXCLUDE USING gist (during WITH &&))'],
    [{ kind: 'drop_check', table: users, check: check('CHK_x', 'a>0') }, 'drop check CHK_x (a>0)'],
    [{ kind: 'alter_table_comment', table: users, from: null, to: 'people' }, 'comment none -> "people"'],
    [{ kind: 'create_enum', enumType: pgEnum('mood', ['a', 'b']) }, 'create enum type mood (a, b)'],
    [{ kind: 'drop_enum', enumType: pgEnum('mood', ['a', 'b']) }, 'drop enum type mood (a, b)'],
    [{ kind: 'alter_enum', from: pgEnum('mood', ['a', 'b']), to: pgEnum('mood', ['a', 'c']) }, 'alter enum type mood: add values c; remove values b'],
    [{ kind: 'alter_enum', from: pgEnum('mood', ['a', 'b']), to: pgEnum('mood', ['b', 'a']) }, 'alter enum type mood: reorder values'],
    [{ kind: 'create_view', view: { ...totals, materialized: true } }, 'create materialized view totals'],
    [{ kind: 'drop_view', view: { ...totals, schema: 'app' } }, 'drop view app.totals'],
    [{ kind: 'replace_view', from: totals, to: { ...totals, query: 'SELECT 2' } }, 'replace view totals (its query changed)'],
    [{ kind: 'replace_view', from: { ...totals, recorded: false }, to: totals }, 'replace view totals (no record of the query it was made from)'],
    [{ kind: 'add_orm_record', table: metadataTable, record: { type: 'VIEW', database: null, schema: 'public', table: null, name: 'totals', value: 'SELECT 1' } }, 'record VIEW public.totals'],
    [
      { kind: 'remove_orm_record', table: metadataTable, record: { type: 'GENERATED_COLUMN', database: 'db', schema: 'public', table: 'orders', name: 'total', value: 'a * b' } },
      'forget GENERATED_COLUMN public.orders.total',
    ],
    [{ kind: 'copy_column', table: { schema: null, name: 'docs' }, from: 'title', to: 'headline', key: ['id'] }, 'copy title into headline where headline is NULL, in batches along id'],
    [{ kind: 'create_sync_trigger', table: { schema: null, name: 'docs' }, name: 'schema_sync_docs_title', from: 'title', to: 'headline' }, 'create trigger schema_sync_docs_title keeping title and headline in step'],
    [{ kind: 'drop_sync_trigger', table: { schema: null, name: 'docs' }, name: 'schema_sync_docs_title', from: 'title', to: 'headline' }, 'drop trigger schema_sync_docs_title that kept title and headline in step'],
  ];
  it.each(details.map(([change, detail]) => [change.kind, detail, change] as const))('%s: %s', (_kind, detail, change) => {
    expect(buildDiffReport('postgres', TARGET, [change], []).changes[0]?.detail).toBe(detail);
  });

  it('describes every change kind', () => {
    expect([...new Set(details.map(([change]) => change.kind))].sort()).toEqual([...CHANGE_KINDS].sort());
  });
});

describe('renderHumanReport', () => {
  let level: typeof chalk.level;
  beforeAll(() => {
    level = chalk.level;
    chalk.level = 0;
  });
  afterAll(() => {
    chalk.level = level;
  });

  it('groups changes by table, marks guarded changes and closes with a summary', () => {
    expect(renderHumanReport(reportOf(actual, desired), 'models/')).toBe(
      [
        'Models: models/',
        `Database: ${TARGET} (postgres)`,
        '',
        'schema',
        '  + create enum type mood (happy, sad) [expand]',
        '',
        'table legacy (not in models)',
        '  - drop table (1 column and every row in it) [contract] [guarded: destroys data; needs --drop]',
        '      contract: drops a table the old release may still use',
        '',
        'table posts (new)',
        '  + create table with 2 columns, 1 foreign key [expand]',
        '',
        'table users',
        '  + add column display_name varchar(100) NOT NULL [contract]',
        '      contract: a NOT NULL column without a default: the old release inserts rows without it',
        '  + add column nickname text NULL [expand]',
        '  ~ alter column email: type varchar(255) -> varchar(100) [contract] [guarded: destroys data; needs --drop]',
        '      contract: email becomes a type that may not hold what the old release writes',
        '  + create index IDX_users_email (email) [expand]',
        '  - drop column full_name varchar(100) NOT NULL (its values are lost) [contract] [guarded: destroys data; needs --drop]',
        '      contract: drops a column the old release may still read or write',
        '      looks like a rename to display_name: --rename users.full_name=display_name',
        '',
        '8 changes in 3 tables, 3 guarded (held back without --drop). Run `schema-sync sync` to generate a migration.',
      ].join('\n'),
    );
  });

  it('uses the singular for one change in one table and leaves out the guarded count when nothing is guarded', () => {
    const text = renderHumanReport(
      reportOf(schema('mysql', [table('t', [col('id', int())])]), schema('mysql', [table('t', [col('id', int()), col('n', int())])])),
      'models/',
    );
    expect(text.split('\n').slice(-4)).toEqual(['  + add column n int NOT NULL [contract]', '      contract: a NOT NULL column without a default: the old release inserts rows without it', '', '1 change in 1 table. Run `schema-sync sync` to generate a migration.']);
  });

  it('says in sync when nothing differs', () => {
    expect(renderHumanReport(reportOf(actual, actual), 'models/')).toBe(
      ['Models: models/', `Database: ${TARGET} (postgres)`, '', 'In sync: the database matches the models.'].join('\n'),
    );
  });

  it('lists objects the models leave alone once, before saying in sync', () => {
    const report = buildDiffReport('postgres', TARGET, [], [], [
      { kind: 'table', table: 'legacy_reports', name: 'legacy_reports', reason: '@Entity({ synchronize: false }) on LegacyReport' },
    ]);
    expect(report.inSync).toBe(true);
    expect(renderHumanReport(report, 'models/').split('\n').slice(3)).toEqual([
      'Not managed by the models (left alone):',
      '  table legacy_reports: @Entity({ synchronize: false }) on LegacyReport',
      '',
      'In sync: the database matches the models.',
    ]);
  });

  it('prints no escape codes at chalk level 0', () => {
    // eslint-disable-next-line no-control-regex
    expect(renderHumanReport(reportOf(actual, desired), 'models/')).not.toMatch(/\u001b\[/);
  });
});

describe('deferrable constraints in the report', () => {
  const parent = table('parents', [col('id', int())], { pk: ['id'] });
  const plain = fk('child_parent', ['parent_id'], 'parents', ['id']);
  const childOf = (foreignKey: typeof plain, uniqueDeferred: boolean) =>
    table('children', [col('id', int()), col('parent_id', int())], {
      pk: ['id'],
      foreignKeys: [foreignKey],
      uniques: [uniqueDeferred ? { ...unique('children_parent', ['parent_id']), deferrable: 'INITIALLY DEFERRED' as const } : unique('children_parent', ['parent_id'])],
    });
  it('says DEFERRABLE on a constraint that only changes when it is checked, so drop and add do not read the same', () => {
    const before = normalizeSchema(schema('postgres', [parent, childOf(plain, false)]));
    const after = normalizeSchema(schema('postgres', [parent, childOf({ ...plain, deferrable: 'INITIALLY IMMEDIATE' }, true)]));
    const details = buildDiffReport('postgres', TARGET, diffSchemas(before, after).changes, [], []).changes.map((change) => change.detail);
    expect(details).toEqual(
      expect.arrayContaining([
        'drop foreign key child_parent (parent_id) -> parents(id)',
        'add foreign key child_parent (parent_id) -> parents(id) DEFERRABLE INITIALLY IMMEDIATE',
        'drop unique constraint children_parent (parent_id)',
        'add unique constraint children_parent (parent_id) DEFERRABLE INITIALLY DEFERRED',
      ]),
    );
  });
});
