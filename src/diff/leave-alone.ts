import type { ColumnType, EnumType, OrmMetadata, OrmRecord, Schema, Table } from '../model/schema';
import { tableKey } from '../model/schema';
import type { TableGlob } from './table-glob';
import type { UnmanagedObject } from './unmanaged';

/** A table or view the models declare but mark `synchronize: false`. */
export interface UnsynchronizedModel {
  readonly kind: 'table' | 'view';
  readonly schema: string | null;
  readonly name: string;
  readonly reason: string;
}

/** What the diff must not touch. */
export interface LeaveAloneRules {
  /** Tables the ORM itself keeps (TypeORM's migrations and metadata tables, under their configured names). */
  readonly ormTables: ReadonlySet<string>;
  /** The user's exclusions (`schema-sync.json` "ignore", `--ignore`). */
  readonly ignore: readonly TableGlob[];
  readonly unsynchronized: readonly UnsynchronizedModel[];
  /** The ORM's metadata table as the ORM would create it, for a database that needs its rows and lacks it. */
  readonly ormMetadataTable?: Table;
}

/**
 * Makes the desired schema hold, for every object that is not ours to manage, exactly what the database has: the
 * diff then finds nothing to change or drop there, and the shadow database used for verification still gets those
 * tables (a managed table's foreign key may point at one). Pure.
 *
 * An ORM table is left alone only when no model declares a table of that name; a model always wins.
 */
export function leaveAlone(actual: Schema, desired: Schema, rules: LeaveAloneRules): { desired: Schema; unmanaged: UnmanagedObject[] } {
  const unsynchronizedKeys = new Set(rules.unsynchronized.map(tableKey));
  const ignored = (table: Table) => rules.ignore.some((glob) => glob.matches(table));
  const declared = new Set(desired.tables.map(tableKey));
  const managed = desired.tables.filter((table) => !ignored(table) && !unsynchronizedKeys.has(tableKey(table)));
  const adopted = actual.tables.filter(
    (table) => ignored(table) || unsynchronizedKeys.has(tableKey(table)) || (rules.ormTables.has(table.name) && !declared.has(tableKey(table))),
  );
  const isLeftAlone = (object: { schema: string | null; name: string }) => ignored(object as Table) || unsynchronizedKeys.has(tableKey(object));
  const managedViews = (desired.views ?? []).filter((view) => !isLeftAlone(view));
  const adoptedViews = (actual.views ?? []).filter(isLeftAlone);
  const views = [...managedViews, ...adoptedViews];
  const ormMetadata = recordsFor(actual, desired, [...adopted, ...adoptedViews]);
  const metadataTable = missingMetadataTable(actual, desired, ormMetadata, rules.ormMetadataTable);
  const tables = [...managed, ...adopted, ...metadataTable].sort((a, b) => compareText(a.schema ?? '', b.schema ?? '') || compareText(a.name, b.name));
  const { views: _views, ormMetadata: _records, ...rest } = desired;
  return {
    desired: {
      ...rest,
      tables,
      enums: enumsFor(managed, adopted, desired.enums, actual.enums),
      ...(views.length === 0 ? {} : { views }),
      ...(ormMetadata === undefined ? {} : { ormMetadata }),
    },
    unmanaged: rules.unsynchronized.map((model) => ({ kind: model.kind, table: tableKey(model), name: model.name, reason: model.reason })),
  };
}

/**
 * The models' metadata rows, plus the live rows about objects left alone (the ORM wrote them; they are not ours to
 * remove). A row names its object by schema (which may spell out the default one) and table or name.
 */
function recordsFor(actual: Schema, desired: Schema, adopted: readonly { schema: string | null; name: string }[]): OrmMetadata | undefined {
  const table = desired.ormMetadata?.table ?? actual.ormMetadata?.table;
  if (table === undefined) return undefined;
  const about = (record: OrmRecord) => (object: { schema: string | null; name: string }) =>
    (record.table ?? record.name) === object.name && (object.schema === null || object.schema === record.schema);
  const kept = (actual.ormMetadata?.records ?? []).filter((record) => adopted.some(about(record)));
  const schema = desired.ormMetadata?.schema ?? actual.ormMetadata?.schema;
  return { table, ...(schema === undefined ? {} : { schema }), records: [...(desired.ormMetadata?.records ?? []), ...kept] };
}

/** The metadata table to create: rows are to be written and neither the database nor the models have the table. */
function missingMetadataTable(actual: Schema, desired: Schema, metadata: OrmMetadata | undefined, shape: Table | undefined): Table[] {
  if (metadata === undefined || metadata.records.length === 0 || shape === undefined) return [];
  const exists = (table: Table) => table.schema === (metadata.schema ?? null) && table.name === metadata.table;
  return actual.tables.some(exists) || desired.tables.some(exists) ? [] : [{ ...shape, name: metadata.table }];
}

/** The desired enum types still used by a managed table, and the live ones an adopted table uses. */
function enumsFor(managed: readonly Table[], adopted: readonly Table[], desired: readonly EnumType[], actual: readonly EnumType[]): EnumType[] {
  const usedByManaged = enumNamesUsedBy(managed);
  const usedByAdopted = enumNamesUsedBy(adopted);
  const kept = desired.filter((enumType) => usedByManaged.has(enumKey(enumType)));
  const keptKeys = new Set(kept.map(enumKey));
  const live = actual.filter((enumType) => usedByAdopted.has(enumKey(enumType)) && !keptKeys.has(enumKey(enumType)));
  return [...kept, ...live].sort((a, b) => compareText(enumKey(a), enumKey(b)));
}

function enumNamesUsedBy(tables: readonly Table[]): Set<string> {
  const names = new Set<string>();
  for (const table of tables) {
    for (const column of table.columns) {
      const typeName = enumTypeName(column.type);
      if (typeName !== null) names.add(typeName);
    }
  }
  return names;
}

function enumTypeName(type: ColumnType): string | null {
  if (type.kind === 'array') return enumTypeName(type.element);
  return type.kind === 'enum' ? type.typeName : null;
}

function enumKey(enumType: EnumType): string {
  return enumType.schema === null ? enumType.name : `${enumType.schema}.${enumType.name}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
