import { Column, DataSource, Entity, getMetadataArgsStorage, PrimaryColumn, type EntityMetadata } from 'typeorm';
import { EntityMetadataBuilder } from 'typeorm/metadata-builder/EntityMetadataBuilder';
import { indexedMetadataArgs } from '../../src/source/typeorm/indexed-metadata-args';

process.env.SCHEMA_SYNC_DIALECT = 'postgres';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { featureEntities } = require('../fixtures/feature-entities') as { featureEntities: Function[] };

/** Every target the builder asks about: each class on its own, and each class with its parents (its inheritance tree). */
function targets(): unknown[] {
  const classes = [...new Set(getMetadataArgsStorage().tables.map((table) => table.target))];
  const trees = classes.filter((c): c is Function => typeof c === 'function').map((c) => {
    const tree: Function[] = [];
    for (let current: Function | null = c; current && current !== Function.prototype; current = Object.getPrototypeOf(current)) tree.push(current);
    return tree;
  });
  return [...classes, ...trees, 'NoSuchEntity'];
}

/** Multiple-table inheritance where the child overrides a column default (TypeORM's github-issues/10563). */
@Entity({ name: 'family_members' })
class FamilyMember {
  @PrimaryColumn() name!: string;
  @Column({ default: 'PERSON' }) kind!: string;
}

@Entity({ name: 'dogs' })
class Dog extends FamilyMember {
  @PrimaryColumn() declare name: string;
  @Column({ default: 'PET' }) declare kind: string;
}

describe('indexedMetadataArgs', () => {
  const storage = getMetadataArgsStorage();
  const view = indexedMetadataArgs(storage);

  it('answers every per-target lookup with the same entries, in the same order, as TypeORM', () => {
    const lookups = ['filterTables', 'filterColumns', 'filterRelations', 'filterRelationIds', 'filterIndices', 'filterForeignKeys', 'filterUniques',
      'filterChecks', 'filterExclusions', 'filterListeners', 'filterEmbeddeds', 'findTree', 'findInheritanceType', 'findDiscriminatorValue',
      'filterSingleTableChildren'] as const;
    expect(featureEntities.length).toBeGreaterThan(10);
    let nonEmpty = 0;
    for (const target of targets()) {
      for (const lookup of lookups) {
        const expected = (storage[lookup] as (t: unknown) => unknown).call(storage, target);
        expect([lookup, (view[lookup] as (t: unknown) => unknown).call(view, target)]).toEqual([lookup, expected]);
        if (Array.isArray(expected) ? expected.length > 0 : expected !== undefined) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(50);
  });

  it('finds the same generation, join table and join columns for every property', () => {
    const properties = [...storage.columns, ...storage.relations].map((args) => [args.target, args.propertyName] as const);
    for (const [target, property] of properties) {
      expect(view.findGenerated(target, property)).toBe(storage.findGenerated(target, property));
      expect(view.findJoinTable(target, property)).toBe(storage.findJoinTable(target, property));
      expect(view.filterJoinColumns(target, property)).toEqual(storage.filterJoinColumns(target, property));
    }
    expect(storage.generations.length).toBeGreaterThan(0);
    expect(storage.joinTables.length).toBeGreaterThan(0);
  });

  it('builds the same entity metadata as TypeORM over its own storage', () => {
    const dataSource = new DataSource({ type: 'postgres', entities: featureEntities });
    const summary = (metadatas: EntityMetadata[]) =>
      metadatas.map((m) => ({
        table: m.tablePath,
        type: m.tableType,
        columns: m.columns.map((c) => [c.databaseName, String(c.type), c.isGenerated, c.generationStrategy, c.isPrimary, c.isNullable, String(c.default)]),
        indices: m.indices.map((i) => [i.name, i.columns.map((c) => c.databaseName), i.isUnique]),
        uniques: m.uniques.map((u) => [u.name, u.columns.map((c) => c.databaseName)]),
        checks: m.checks.map((c) => [c.name, c.expression]),
        foreignKeys: m.foreignKeys.map((f) => [f.name, f.referencedTablePath, f.onDelete]),
      }));
    const expected = summary(new EntityMetadataBuilder(dataSource, storage).build(featureEntities));
    expect(summary(new EntityMetadataBuilder(dataSource, view).build(featureEntities))).toEqual(expected);
    expect(expected.length).toBeGreaterThanOrEqual(featureEntities.length);
  });

  it('keeps the decorators\' arguments as they were: a child\'s default never becomes its parent\'s, however often it builds', () => {
    const dataSource = new DataSource({ type: 'postgres', entities: [FamilyMember, Dog] });
    const defaults = () =>
      new EntityMetadataBuilder(dataSource, indexedMetadataArgs(storage))
        .build([FamilyMember, Dog])
        .map((metadata) => [metadata.tableName, metadata.findColumnWithPropertyName('kind')?.default]);
    const expected = [
      ['family_members', 'PERSON'],
      ['dogs', 'PET'],
    ];
    expect(defaults()).toEqual(expected);
    expect(defaults()).toEqual(expected);
    expect(storage.columns.find((args) => args.target === FamilyMember && args.propertyName === 'kind')?.options.default).toBe('PERSON');
  });
});
