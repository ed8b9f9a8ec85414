import { checkCompatibility, type OldRelease } from '../../src/compat/check-compat';
import { attribute, migrationsForPhase, type PendingMigration } from '../../src/compat/run-compat';
import { compareTypes } from '../../src/compat/type-widening';
import type { ColumnType, Table } from '../../src/model/schema';
import { bigint, char, col, decimal, double, enumType, float, int, jsonb, json, literal, smallint, schema, table, text, timestamp, timestamptz, uuid, varchar, array, set } from '../support/schema-builders';

describe('compareTypes: what the old code may still write and read', () => {
  const cases: [string, ColumnType, ColumnType, string][] = [
    ['same', varchar(100), varchar(100), 'same'],
    ['longer varchar', varchar(100), varchar(150), 'wider'],
    ['unbounded varchar', varchar(100), varchar(null), 'wider'],
    ['varchar to text', varchar(100), text(), 'wider'],
    ['shorter varchar', varchar(100), varchar(50), 'narrower'],
    ['text to varchar', text(), varchar(1000), 'narrower'],
    ['char to longer varchar', char(10), varchar(20), 'wider'],
    ['varchar to char', varchar(10), char(10), 'changed'],
    ['int to bigint', int(), bigint(), 'wider'],
    ['bigint to int', bigint(), int(), 'narrower'],
    ['signed to unsigned', int(), int({ unsigned: true }), 'narrower'],
    ['unsigned smallint to signed int', smallint({ unsigned: true }), int(), 'wider'],
    ['unsigned int to signed int', int({ unsigned: true }), int(), 'narrower'],
    ['int to varchar', int(), varchar(20), 'changed'],
    ['more digits, same scale', decimal(10, 2), decimal(12, 2), 'wider'],
    ['more scale, same integer digits', decimal(10, 2), decimal(12, 4), 'wider'],
    ['more scale, fewer integer digits', decimal(10, 2), decimal(10, 4), 'narrower'],
    ['float to double', float(), double(), 'wider'],
    ['double to float', double(), float(), 'narrower'],
    ['timestamp precision up', timestamp(3), timestamp(6), 'wider'],
    ['timestamp precision down', timestamp(6), timestamp(3), 'narrower'],
    ['timestamp to timestamptz', timestamp(), timestamptz(), 'changed'],
    ['json to jsonb', json(), jsonb(), 'wider'],
    ['uuid to varchar(36)', uuid(), varchar(36), 'wider'],
    ['uuid to varchar(20)', uuid(), varchar(20), 'changed'],
    ['enum values appended', enumType(['a', 'b']), enumType(['a', 'b', 'c']), 'wider'],
    ['enum to varchar holding its labels', enumType(['short', 'longest']), varchar(7), 'wider'],
    ['enum to varchar too short', enumType(['short', 'longest']), varchar(6), 'narrower'],
    ['array element widened', array(varchar(10)), array(varchar(20)), 'wider'],
  ];
  it.each(cases)('%s', (_name, from, to, verdict) => {
    expect(compareTypes(from, to).verdict).toBe(verdict);
  });

  it('names the enum and set values that are gone', () => {
    expect(compareTypes(enumType(['a', 'b', 'c'], 't'), enumType(['a', 'c'], 't'))).toEqual({ verdict: 'narrower', removedValues: ['b'] });
    expect(compareTypes(set(['x', 'y']), set(['y']))).toEqual({ verdict: 'narrower', removedValues: ['x'] });
  });
});

describe('checkCompatibility', () => {
  const authors = (columns = [col('id', int(), { generation: 'increment' }), col('name', varchar(100)), col('bio', text(), { nullable: true })]): Table =>
    table('authors', columns, { pk: ['id'] });
  const old: OldRelease = {
    schema: schema('postgres', [authors(), table('posts', [col('id', int(), { generation: 'increment' }), col('views', int(), { default: literal('0') })], { pk: ['id'] })]),
    entities: [
      { className: 'Author', name: 'Author', table: 'authors', properties: new Map([['id', 'id'], ['name', 'name'], ['bio', 'biography']]) },
      { className: 'Post', name: 'Post', table: 'posts', properties: new Map([['id', 'id'], ['views', 'views']]) },
    ],
  };

  it('finds nothing when the new schema only adds', () => {
    const now = schema('postgres', [
      authors([...authors().columns, col('nickname', varchar(40), { nullable: true }), col('rank', int(), { default: literal('1') })]),
      ...old.schema.tables.slice(1),
      table('tags', [col('id', int())]),
    ]);
    expect(checkCompatibility(old, now)).toEqual([]);
  });

  it('names entity, property and column for each way the old code breaks', () => {
    const now = schema('postgres', [
      table('authors', [col('id', int(), { generation: 'increment' }), col('name', varchar(50)), col('bio', text()), col('slug', varchar(40))], { pk: ['id'] }),
      table('posts', [col('id', int()), col('views', int())], { pk: ['id'] }),
    ]);
    expect(checkCompatibility(old, now).map((i) => [i.code, i.entity, i.property, i.column])).toEqual([
      ['type-narrowed', 'Author', 'name', 'name'],
      ['column-now-not-null', 'Author', 'biography', 'bio'],
      ['not-null-without-default', 'Author', null, 'slug'],
      ['default-removed', 'Post', 'id', 'id'],
      ['default-removed', 'Post', 'views', 'views'],
    ]);
  });

  it('names the likely new name of a column that is gone, when one new column has its type', () => {
    const now = schema('postgres', [authors([authors().columns[0]!, col('full_name', varchar(100)), col('bio', text(), { nullable: true })]), old.schema.tables[1] as Table]);
    expect(checkCompatibility(old, now).map((i) => i.detail)).toEqual([
      'column name no longer exists (dropped or renamed: to full_name?)',
      "column full_name is NOT NULL without a default, and the old code's INSERTs leave it out",
    ]);
  });

  it('reports a table that is gone, renamed or not', () => {
    const now = schema('postgres', [table('writers', authors().columns, { pk: ['id'] }), old.schema.tables[1] as Table]);
    expect(checkCompatibility(old, now)).toEqual([
      { code: 'table-missing', entity: 'Author', property: null, table: 'authors', column: null, detail: 'table authors no longer exists (dropped or renamed)' },
    ]);
  });
});

describe('attribute', () => {
  const missing = { code: 'table-missing' as const, entity: 'Comment', property: null, table: 'comments', column: null, detail: '' };
  const narrowed = { code: 'type-narrowed' as const, entity: 'Author', property: 'name', table: 'authors', column: 'name', detail: '' };

  it('ties each incompatibility to the migration from which on it holds', () => {
    // Before any migration the table is missing (a fresh database), m1 creates it, m3 drops it; m2 narrows a column.
    const found = [[missing], [], [narrowed], [narrowed, missing]];
    expect(attribute(found, ['m1', 'm2', 'm3']).map((f) => [f.code, f.migration])).toEqual([
      ['type-narrowed', 'm2'],
      ['table-missing', 'm3'],
    ]);
  });

  it('says null when the database already had it', () => {
    expect(attribute([[missing], [missing]], ['m1'])).toEqual([{ ...missing, migration: null }]);
  });
});

describe('migrationsForPhase', () => {
  const m = (id: string, phase?: 'expand' | 'contract'): PendingMigration => ({ id, file: { id, phase: phase ?? null } as PendingMigration['file'] });
  const ids = (list: readonly PendingMigration[]) => list.map((migration) => migration.id);
  const pending = [m('a', 'expand'), m('b', 'expand'), m('c', 'contract'), m('d', 'expand')];

  it('expand: the expand migrations; contract: everything up to the last contract one; none: all', () => {
    expect(ids(migrationsForPhase(pending.slice(0, 3), 'expand'))).toEqual(['a', 'b']);
    expect(ids(migrationsForPhase(pending, 'contract'))).toEqual(['a', 'b', 'c']);
    expect(ids(migrationsForPhase(pending, undefined))).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(migrationsForPhase([m('a'), m('b')], 'contract'))).toEqual([]);
  });

  it('stops expand at a migration of another phase, or of none, before the last expand one', () => {
    expect(() => migrationsForPhase(pending, 'expand')).toThrow('compat --phase expand: c comes before the pending expand migrations and is a contract migration');
    expect(() => migrationsForPhase([m('x'), m('y', 'expand')], 'expand')).toThrow('x comes before the pending expand migrations and declares no phase');
  });
});
