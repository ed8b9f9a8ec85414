import type { Change, ColumnAspect } from '../../src/change/change';
import { CHANGE_KINDS } from '../../src/change/change';
import { isDestructive, isGuarded, isWidening } from '../../src/change/safety';
import type { ColumnType, OrmRecord, View } from '../../src/model/schema';
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
  fk,
  float,
  index,
  int,
  integer,
  json,
  jsonb,
  pgEnum,
  smallint,
  table,
  text,
  timestamp,
  tinyint,
  unique,
  uuid,
  varbinary,
  varchar,
  vector,
} from '../support/schema-builders';

const users = { schema: null, name: 'users' };

describe('isWidening', () => {
  const widening: readonly (readonly [string, ColumnType, ColumnType])[] = [
    ['int -> bigint', int(), bigint()],
    ['tinyint -> smallint', tinyint(), smallint()],
    ['int -> int (same type)', int(), int()],
    ['unsigned int -> bigint', int({ unsigned: true }), bigint()],
    ['unsigned int -> unsigned bigint', int({ unsigned: true }), bigint({ unsigned: true })],
    ['int -> unbounded numeric', int(), decimal()],
    ['bigint -> decimal(30,0)', bigint(), decimal(30, 0)],
    ['decimal(10,2) -> decimal(12,2)', decimal(10, 2), decimal(12, 2)],
    ['decimal(10,2) -> decimal(12,4)', decimal(10, 2), decimal(12, 4)],
    ['decimal(10,2) -> numeric', decimal(10, 2), decimal()],
    ['unsigned decimal(10,2) -> signed decimal(10,2)', decimal(10, 2, { unsigned: true }), decimal(10, 2)],
    ['unsigned float -> signed double', float({ unsigned: true }), double()],
    ['float -> double', float(), double()],
    ['double -> double', double(), double()],
    ['varchar(50) -> varchar(255)', varchar(50), varchar(255)],
    ['varchar(255) -> varchar(255)', varchar(255), varchar(255)],
    ['varchar(255) -> unbounded varchar', varchar(255), varchar(null)],
    ['char(10) -> varchar(10)', char(10), varchar(10)],
    ['varchar(255) -> text', varchar(255), text()],
    ['varbinary(16) -> blob', varbinary(16), blob()],
    ['text -> mediumtext', text(), text('medium')],
    ['enum (a, b) -> enum (a, b, c)', enumType(['a', 'b']), enumType(['a', 'b', 'c'])],
    ['vector(3) -> vector(3)', vector(3), vector(3)],
  ];
  it.each(widening)('%s widens', (_name, from, to) => {
    expect(isWidening(from, to)).toBe(true);
  });

  const narrowing: readonly (readonly [string, ColumnType, ColumnType])[] = [
    ['bigint -> int', bigint(), int()],
    ['signed int -> unsigned int', int(), int({ unsigned: true })],
    ['signed int -> unsigned bigint (negatives)', int(), bigint({ unsigned: true })],
    ['unsigned int -> signed int', int({ unsigned: true }), int()],
    ['int -> decimal(10,0)', int(), decimal(10, 0)],
    ['bigint -> decimal(20,2)', integer('big'), decimal(20, 2)],
    ['decimal(12,2) -> decimal(10,2)', decimal(12, 2), decimal(10, 2)],
    ['decimal(10,4) -> decimal(10,2)', decimal(10, 4), decimal(10, 2)],
    ['decimal(10,2) -> decimal(10,4) (fewer integer digits)', decimal(10, 2), decimal(10, 4)],
    ['numeric -> decimal(10,2)', decimal(), decimal(10, 2)],
    ['signed decimal -> unsigned decimal (negatives)', decimal(10, 2), decimal(10, 2, { unsigned: true })],
    ['signed double -> unsigned double (negatives)', double(), double({ unsigned: true })],
    ['signed int -> unsigned decimal(30,0) (negatives)', int(), decimal(30, 0, { unsigned: true })],
    ['double -> float', double(), float()],
    ['varchar(255) -> varchar(50)', varchar(255), varchar(50)],
    ['unbounded varchar -> varchar(255)', varchar(null), varchar(255)],
    ['varchar(16) -> varbinary(16)', varchar(16), varbinary(16)],
    ['text -> varchar(255)', text(), varchar(255)],
    ['mediumtext -> text', text('medium'), text()],
    ['text -> blob', text(), blob()],
    ['enum (a, b) -> enum (a)', enumType(['a', 'b']), enumType(['a'])],
    ['vector(3) -> vector(4)', vector(3), vector(4)],
    ['int -> varchar (different kinds)', int(), varchar(255)],
    ['json -> jsonb (different representation)', json(), jsonb()],
    ['uuid -> varchar(36)', uuid(), varchar(36)],
    ['boolean -> int', bool(), int()],
    ['int[] -> int', array(int()), int()],
    ['timestamp(6) -> timestamp(3)', timestamp(6), timestamp(3)],
  ];
  it.each(narrowing)('%s does not widen', (_name, from, to) => {
    expect(isWidening(from, to)).toBe(false);
  });
});

const reportView: View = { schema: null, name: 'report', materialized: false, query: 'SELECT 1', recorded: true, reads: [] };
const viewRecord: OrmRecord = { type: 'VIEW', database: null, schema: 'public', table: null, name: 'report', value: 'SELECT 1' };

describe('isDestructive / isGuarded', () => {
  const alter = (from: ColumnType, to: ColumnType, changed: readonly ColumnAspect[] = ['type']): Change => ({
    kind: 'alter_column',
    table: users,
    from: col('c', from),
    to: col('c', to),
    changed,
  });
  const usersTable = table('users', [col('id', int())], { pk: ['id'] });
  const idx = index('IDX_x', ['id']);
  const foreignKey = fk('FK_x', ['id'], 'other', ['id']);
  const mood = pgEnum('mood', ['happy', 'sad']);

  const cases: readonly (readonly [name: string, change: Change, destructive: boolean])[] = [
    ['create_table', { kind: 'create_table', table: usersTable }, false],
    ['drop_table', { kind: 'drop_table', table: usersTable }, true],
    ['add_column', { kind: 'add_column', table: users, column: col('c', int()) }, false],
    ['drop_column', { kind: 'drop_column', table: users, column: col('c', int()) }, true],
    ['rename_table', { kind: 'rename_table', from: { schema: null, name: 'people' }, to: users }, false],
    ['rename_column', { kind: 'rename_column', table: users, from: col('c', int()), to: col('d', int()) }, false],
    ['rename_index', { kind: 'rename_index', table: users, from: index('a', ['c']), to: index('b', ['c']) }, false],
    ['rename_unique', { kind: 'rename_unique', table: users, from: unique('a', ['c']), to: unique('b', ['c']) }, false],
    ['rename_foreign_key', { kind: 'rename_foreign_key', table: users, from: fk('a', ['c'], 'o', ['id']), to: fk('b', ['c'], 'o', ['id']) }, false],
    ['alter_column widening int -> bigint', alter(int(), bigint()), false],
    ['alter_column widening varchar(50) -> varchar(255)', alter(varchar(50), varchar(255)), false],
    ['alter_column narrowing varchar(255) -> varchar(50)', alter(varchar(255), varchar(50)), true],
    ['alter_column narrowing bigint -> int', alter(bigint(), int()), true],
    ['alter_column narrowing signed -> unsigned', alter(int(), int({ unsigned: true })), true],
    ['alter_column narrowing decimal signed -> unsigned', alter(decimal(10, 2), decimal(10, 2, { unsigned: true })), true],
    ['alter_column inline enum value removed', alter(enumType(['a', 'b']), enumType(['a'])), true],
    ['alter_column inline enum value added', alter(enumType(['a']), enumType(['a', 'b'])), false],
    [
      'alter_column nullable only',
      { kind: 'alter_column', table: users, from: col('c', int()), to: col('c', int(), { nullable: true }), changed: ['nullable'] },
      false,
    ],
    ['alter_column default only (type aspect not changed)', alter(int(), int(), ['default']), false],
    ['alter_primary_key', { kind: 'alter_primary_key', table: users, from: { name: 'PK', columns: ['id'] }, to: null }, false],
    ['create_index', { kind: 'create_index', table: users, index: idx }, false],
    ['drop_index', { kind: 'drop_index', table: users, index: idx }, false],
    ['add_unique', { kind: 'add_unique', table: users, unique: unique('UQ', ['id']) }, false],
    ['drop_unique', { kind: 'drop_unique', table: users, unique: unique('UQ', ['id']) }, false],
    ['add_foreign_key', { kind: 'add_foreign_key', table: users, foreignKey }, false],
    ['drop_foreign_key', { kind: 'drop_foreign_key', table: users, foreignKey }, false],
    ['add_check', { kind: 'add_check', table: users, check: check('CHK', 'id>0') }, false],
    ['add_exclusion', { kind: 'add_exclusion', table: users, exclusion: { name: 'EXC', expression: 'USING gist (during WITH &&)' } }, false],
    ['drop_exclusion', { kind: 'drop_exclusion', table: users, exclusion: { name: 'EXC', expression: 'USING gist (during WITH &&)' } }, false],
    ['drop_check', { kind: 'drop_check', table: users, check: check('CHK', 'id>0') }, false],
    ['alter_table_comment', { kind: 'alter_table_comment', table: users, from: 'a', to: null }, false],
    ['copy_column', { kind: 'copy_column', table: users, from: 'name', to: 'full_name', key: ['id'] }, false],
    ['create_sync_trigger', { kind: 'create_sync_trigger', table: users, name: 'schema_sync_users_name', from: 'name', to: 'full_name' }, false],
    ['drop_sync_trigger', { kind: 'drop_sync_trigger', table: users, name: 'schema_sync_users_name', from: 'name', to: 'full_name' }, false],
    ['create_enum', { kind: 'create_enum', enumType: mood }, false],
    ['drop_enum', { kind: 'drop_enum', enumType: mood }, true],
    ['alter_enum value added', { kind: 'alter_enum', from: mood, to: pgEnum('mood', ['happy', 'sad', 'meh']) }, false],
    ['alter_enum values reordered', { kind: 'alter_enum', from: mood, to: pgEnum('mood', ['sad', 'happy']) }, false],
    ['alter_enum value removed', { kind: 'alter_enum', from: mood, to: pgEnum('mood', ['happy']) }, true],
    ['create_view', { kind: 'create_view', view: reportView }, false],
    ['replace_view', { kind: 'replace_view', from: reportView, to: { ...reportView, query: 'SELECT 2' } }, false],
    ['add_orm_record', { kind: 'add_orm_record', table: { schema: null, name: 'typeorm_metadata' }, record: viewRecord }, false],
    ['remove_orm_record', { kind: 'remove_orm_record', table: { schema: null, name: 'typeorm_metadata' }, record: viewRecord }, false],
  ];

  it.each(cases.map(([name, change, destructive]) => [name, destructive, change] as const))('%s: destructive = guarded = %s', (_name, destructive, change) => {
    expect(isDestructive(change)).toBe(destructive);
    expect(isGuarded(change)).toBe(destructive);
  });

  it('holds back dropping a view the models no longer declare, though it destroys no rows', () => {
    const change: Change = { kind: 'drop_view', view: reportView };
    expect(isDestructive(change)).toBe(false);
    expect(isGuarded(change)).toBe(true);
  });

  it('covers every change kind', () => {
    const covered = new Set([...cases.map(([, change]) => change.kind), 'drop_view']);
    expect([...covered].sort()).toEqual([...CHANGE_KINDS].sort());
  });
});
