import { isDeepStrictEqual } from 'node:util';
import type { DataSource, EntityMetadata } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions.js';
import type { DialectTypeSystem } from '../../dialect/dialect';
import { collationOfDatabase, statedAgainstDefaults, statedLikeTheCatalog, type DatabaseCollations } from '../../dialect/mysql/database-collation';
import { integerDisplay } from '../../dialect/mysql/types';
import type {
  CheckConstraint,
  Column,
  ColumnDefault,
  ColumnGeneration,
  ColumnType,
  ComputedColumn,
  Dialect,
  EnumType,
  Deferrable,
  ExclusionConstraint,
  ForeignKey,
  ForeignKeyAction,
  Index,
  PrimaryKey,
  Schema,
  Table,
  UniqueConstraint,
} from '../../model/schema';
import { SchemaSyncError } from '../../util/errors';
import { ownSchema } from './own-schema';
import type { TypeormRuntime } from './typeorm-runtime';

/** Everything the conversion needs besides the metadata itself. */
export interface ConversionContext {
  readonly dialect: Dialect;
  readonly types: DialectTypeSystem;
  readonly runtime: TypeormRuntime;
  readonly dataSource: DataSource;
  /**
   * Where tables live when an entity names no other place (PostgreSQL `public`, the connection's MySQL database); such
   * tables get `schema: null` (see ownSchema).
   */
  readonly defaultSchema: string | null;
  /** MySQL family: what the tables of each database get, when known (see statedAgainstDefaults). */
  readonly databaseCollations?: DatabaseCollations | null;
  /** MySQL family: each character set's default collation, as the server lists them. */
  readonly charsetDefaults?: ReadonlyMap<string, string>;
}

/**
 * Converts TypeORM's entity metadata into the neutral schema model. Column options go through TypeORM's own
 * `Table.create()` (the path `synchronize()` takes), so types, lengths and defaults are what TypeORM would create,
 * then through the dialect parser that also reads the catalog: both sides of the diff share one normaliser.
 */
export function schemaFromEntityMetadata(metadatas: readonly EntityMetadata[], context: ConversionContext): Schema {
  const enums = namedEnumsWithValues(metadatas, context);
  const tables = mergeSharedJunctionTables(
    metadatas.map((metadata) => tableFromMetadata(metadata, context, enums)),
    metadatas,
  );
  return {
    dialect: context.dialect,
    tables: [...tables].sort(byQualifiedName),
    enums: [...enums.values()].sort((a, b) => (a.schema ?? '').localeCompare(b.schema ?? '') || a.name.localeCompare(b.name)),
  };
}

/**
 * PostgreSQL enum types named by `enumName` with their labels, from the first column that gives labels. A column may
 * name the type without labels (`{ type: 'enum', enumName: 'x' }`): TypeORM then uses the type another column created.
 */
function namedEnumsWithValues(metadatas: readonly EntityMetadata[], context: ConversionContext): Map<string, EnumType> {
  const enums = new Map<string, EnumType>();
  if (context.dialect !== 'postgres') return enums;
  for (const metadata of metadatas) {
    const schema = ownSchema(metadata, context.dialect, context.defaultSchema);
    for (const column of metadata.columns) {
      const values = (column.enum ?? []).map(String);
      if (column.enumName === undefined || values.length === 0) continue;
      const key = qualified(schema, column.enumName);
      if (!enums.has(key)) enums.set(key, { schema, name: column.enumName, values });
    }
  }
  return enums;
}

function tableFromMetadata(metadata: EntityMetadata, context: ConversionContext, enums: Map<string, EnumType>): Table {
  const driver = context.dataSource.driver;
  const table = context.runtime.Table.create(metadata, driver);
  const schema = ownSchema(metadata, context.dialect, context.defaultSchema);
  const columns = table.columns.map((options) => columnFromOptions(options, metadata, schema, context, enums));
  return {
    schema,
    name: metadata.tableName,
    columns,
    primaryKey: primaryKeyOf(metadata, context),
    indexes: indexesOf(metadata, context.dialect),
    uniques: context.dialect === 'postgres' ? uniquesOf(metadata) : [],
    foreignKeys: foreignKeysOf(metadata, context),
    checks: checksOf(metadata, context),
    ...exclusionsOf(metadata, context),
    // TypeORM's MySQL driver writes a table comment raw, NUL and all, at CREATE TABLE; every other comment it strips.
    comment: context.dialect === 'postgres' ? commentOf(metadata.comment) : emptyToNull(metadata.comment),
  };
}

/**
 * TypeORM creates `@Check` constraints on PostgreSQL only: its schema builder skips them on the MySQL family
 * (`createNewChecks` returns early for `isMySQLFamily`), so a database TypeORM built has none there. Leaving them out
 * keeps "in sync with what synchronize() builds" true on MySQL and MariaDB, as TypeORM's own `migration:generate` does.
 */
function checksOf(metadata: EntityMetadata, context: ConversionContext): CheckConstraint[] {
  if (context.dialect !== 'postgres') return [];
  return metadata.checks.map((check): CheckConstraint => ({ name: check.name, expression: check.expression ?? '' })).sort(byName);
}

/** `@Exclusion` constraints, which TypeORM creates on PostgreSQL only; the key is left out when there are none. */
function exclusionsOf(metadata: EntityMetadata, context: ConversionContext): { exclusions?: ExclusionConstraint[] } {
  if (context.dialect !== 'postgres' || metadata.exclusions.length === 0) return {};
  return {
    exclusions: metadata.exclusions
      .map((exclusion): ExclusionConstraint => ({ name: exclusion.name, expression: exclusion.expression ?? '', ...deferrableOf(exclusion) }))
      .sort(byName),
  };
}

function columnFromOptions(
  options: TableColumnOptions,
  metadata: EntityMetadata,
  schema: string | null,
  context: ConversionContext,
  enums: Map<string, EnumType>,
): Column {
  const where = `${metadata.targetName || metadata.tableName}.${options.name}`;
  const generation = generationOf(options);
  const computed = computedOf(options, context);
  const type = columnTypeOf(options, metadata, schema, context, enums, where);
  return {
    name: options.name,
    type,
    nullable: options.isNullable === true && options.isPrimary !== true,
    default: defaultOf(options, statedDefaultOf(metadata, options.name), generation, context),
    generation,
    comment: commentOf(options.comment),
    ...statedCharset(options, schema, context),
    onUpdate: onUpdateOf(options, context),
    ...(computed === null ? {} : { computed }),
    ...displayOf(options, type, context),
  };
}

/**
 * TypeORM 0.3's `width` and `zerofill` on a MySQL-family integer column (TypeORM 1.x has neither option), kept for
 * rendering only (Column.display): TypeORM 0.3 compares them, so a column made without them stays a change for it.
 */
function displayOf(options: TableColumnOptions, type: ColumnType, context: ConversionContext): Pick<Column, 'display'> {
  const stated = options as TableColumnOptions & { readonly width?: number; readonly zerofill?: boolean };
  if (context.dialect === 'postgres' || type.kind !== 'integer' || (stated.width === undefined && stated.zerofill !== true)) return {};
  const display = integerDisplay(type.size, type.unsigned, stated.width ?? null, stated.zerofill === true);
  return display === undefined ? {} : { display };
}

/**
 * TypeORM's generated columns: on PostgreSQL only `generatedType: 'STORED'` makes one (it ignores `asExpression`
 * otherwise); on MySQL and MariaDB any `asExpression`, VIRTUAL unless STORED is asked for.
 */
function computedOf(options: TableColumnOptions, context: ConversionContext): ComputedColumn | null {
  const expression = options.asExpression;
  if (expression === undefined || expression === '') return null;
  if (context.dialect === 'postgres') return options.generatedType === 'STORED' ? { expression, stored: true } : null;
  return { expression, stored: options.generatedType === 'STORED' };
}

/** What the column states, against the defaults of the database its table lives in (`schema`: null for the connection's). */
function statedCharset(options: TableColumnOptions, schema: string | null, context: ConversionContext): Pick<Column, 'charset' | 'collation'> {
  const stated = statedLikeTheCatalog(options.charset ?? null, options.collation ?? null, context.charsetDefaults ?? new Map());
  const defaults = context.databaseCollations == null ? null : collationOfDatabase(context.databaseCollations, schema);
  return statedAgainstDefaults(stated.charset, stated.collation, defaults);
}

/** TypeORM writes `ON UPDATE` only on MySQL; the expression is canonicalised like a default. */
function onUpdateOf(options: TableColumnOptions, context: ConversionContext): string | null {
  if (context.dialect === 'postgres' || options.onUpdate === undefined || options.onUpdate === '') return null;
  const parsed = context.types.parseDefault(options.onUpdate);
  return parsed === null ? null : parsed.kind === 'expression' ? parsed.sql : parsed.value;
}

function generationOf(options: TableColumnOptions): ColumnGeneration | null {
  if (options.isGenerated !== true) return null;
  switch (options.generationStrategy) {
    case 'increment':
      return 'increment';
    case 'identity':
      return options.generatedIdentity === 'ALWAYS' ? 'identity-always' : 'identity-by-default';
    default:
      // uuid (a default expression or app-side value) and rowid produce no server-side generation.
      return null;
  }
}

/** The default as the entity states it, before TypeORM turns it into (unescaped) SQL text. */
function statedDefaultOf(metadata: EntityMetadata, databaseName: string): unknown {
  return metadata.columns.find((column) => column.databaseName === databaseName)?.default;
}

/**
 * Strings and JSON objects are taken from the entity's own value: TypeORM writes them as `'${value}'` without
 * doubling quotes, so its text for `it's` (or for `x'); DROP TABLE t; --`) is not the value any more.
 */
function defaultOf(options: TableColumnOptions, stated: unknown, generation: ColumnGeneration | null, context: ConversionContext): ColumnDefault | null {
  if (generation !== null) return null;
  if (typeof stated === 'string') return context.types.parseStatedString(asTypeormMeansIt(stated));
  if (isPlainObject(stated)) return context.types.parseStatedString(JSON.stringify(stated));
  if (options.default !== undefined && options.default !== null) return context.types.parseDefault(String(options.default));
  // TypeORM makes PostgreSQL generate uuid keys in the database; MySQL generates them in the application.
  if (options.isGenerated === true && options.generationStrategy === 'uuid' && context.dialect === 'postgres') {
    const uuidGenerator = (context.dataSource.driver as unknown as { uuidGenerator?: string }).uuidGenerator;
    return uuidGenerator === undefined ? null : context.types.parseDefault(uuidGenerator);
  }
  return null;
}

/**
 * TypeORM pastes a string default between quotes as it is, so entities TypeORM could create wrote quotes doubled
 * (`default: "it''s"` is the text it's in the database). Such a value means what TypeORM made of it; any other
 * (a lone quote, an injection) is taken as the text itself and quoted by the dialect.
 */
function asTypeormMeansIt(stated: string): string {
  return stated.includes("''") && /^(?:[^']|'')*$/.test(stated) ? stated.replace(/''/g, "'") : stated;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function columnTypeOf(
  options: TableColumnOptions,
  metadata: EntityMetadata,
  schema: string | null,
  context: ConversionContext,
  enums: Map<string, EnumType>,
  where: string,
): ColumnType {
  let type: ColumnType;
  if (options.type === 'enum' || options.type === 'simple-enum') {
    type = enumTypeOf(options, metadata, schema, context, enums, where);
  } else if (options.type === 'set' && context.dialect !== 'postgres') {
    // TypeORM's createFullType writes a bare `set`; the values live in the `enum` option, as for enums.
    type = { kind: 'set', values: (options.enum ?? []).map(String) };
  } else {
    const driver = context.dataSource.driver;
    const { TableColumn } = context.runtime.typeorm;
    // createFullType adds length/precision/scale the way the query runner writes them; arrays are handled below.
    const fullType = driver.createFullType(new TableColumn({ ...options, isArray: false }));
    // TypeORM writes `unsigned` on the MySQL family only; PostgreSQL has no such modifier.
    const unsigned = options.unsigned === true && context.dialect !== 'postgres';
    type = context.types.parseType(unsigned ? `${fullType} unsigned` : fullType);
  }
  if (type.kind === 'raw' && type.sql === '') {
    throw new SchemaSyncError('MODEL_INVALID', `Column ${where} has no database type TypeORM can map on ${context.dialect}`);
  }
  return options.isArray === true && context.dialect === 'postgres' ? { kind: 'array', element: type } : type;
}

function enumTypeOf(
  options: TableColumnOptions,
  metadata: EntityMetadata,
  schema: string | null,
  context: ConversionContext,
  enums: Map<string, EnumType>,
  where: string,
): ColumnType {
  const declared = (options.enum ?? []).map(String);
  const named = options.enumName === undefined ? undefined : enums.get(qualified(schema, options.enumName));
  const values = declared.length === 0 && named !== undefined ? named.values : declared;
  // PostgreSQL accepts an enum type with no labels (TypeORM creates one); MySQL's ENUM() is a syntax error there too.
  if (values.length === 0 && context.dialect !== 'postgres') {
    throw new SchemaSyncError('MODEL_INVALID', `Enum column ${where} has no values (MySQL and MariaDB cannot create ENUM())`);
  }
  if (context.dialect !== 'postgres') return { kind: 'enum', values, typeName: null };
  // The name TypeORM's PostgreSQL query runner gives an enum type (buildEnumName): table_column_enum, lower-cased column.
  const name = options.enumName ?? `${metadata.tableName}_${options.name.toLowerCase()}_enum`;
  const key = qualified(schema, name);
  const existing = enums.get(key);
  if (existing !== undefined && existing.values.join('\u0000') !== values.join('\u0000')) {
    throw new SchemaSyncError(
      'MODEL_INVALID',
      `Enum type "${key}" is declared with different values by ${where} (${values.join(', ')}) and another column (${existing.values.join(', ')})`,
    );
  }
  enums.set(key, { schema, name, values });
  return { kind: 'enum', values, typeName: key };
}

/**
 * The access method TypeORM creates an index with. On PostgreSQL it writes `USING gist` for a spatial index and
 * ignores `fulltext` (a plain btree index); MySQL and MariaDB have FULLTEXT and SPATIAL index kinds.
 */
function indexMethodOf(index: EntityMetadata['indices'][number], dialect: ConversionContext['dialect']): string | null {
  const type = (index as { type?: string }).type ?? null;
  if (dialect === 'postgres') return index.isSpatial ? 'gist' : type;
  return index.isFulltext ? 'fulltext' : index.isSpatial ? 'spatial' : type;
}

/** A comment as TypeORM writes it: without NUL characters, which neither server stores; empty means none. */
function commentOf(comment: string | undefined): string | null {
  return emptyToNull(comment?.replaceAll('\u0000', ''));
}

function qualified(schema: string | null, name: string): string {
  return schema === null ? name : `${schema}.${name}`;
}

function primaryKeyOf(metadata: EntityMetadata, context: ConversionContext): PrimaryKey | null {
  const columns = metadata.primaryColumns.map((column) => column.databaseName);
  if (columns.length === 0) return null;
  const given = metadata.primaryColumns[0]?.primaryKeyConstraintName;
  const name = context.dialect === 'postgres' ? given ?? context.dataSource.namingStrategy.primaryKeyName(metadata.tablePath, columns) : 'PRIMARY';
  return { name, columns };
}

/**
 * The indexes TypeORM synchronizes: none of an `@Entity({ synchronize: false })`, none marked `synchronize: false`.
 * One index declared twice alike (the same `@Index([...])` on the class twice: TypeORM names both the same and its
 * synchronize() fails on the second) is one index; two different indexes under one name are refused, naming both.
 */
export function indexesOf(metadata: EntityMetadata, dialect: ConversionContext['dialect']): Index[] {
  if (!metadata.synchronize) return [];
  const byIndexName = new Map<string, Index>();
  for (const declared of metadata.indices.filter((candidate) => candidate.synchronize)) {
    const method = indexMethodOf(declared, dialect);
    const index: Index = {
      name: declared.name,
      columns: declared.columns.map((column) => column.databaseName),
      unique: declared.isUnique,
      where: emptyToNull(declared.where),
      method: method === null || method.toLowerCase() === 'btree' ? null : method.toLowerCase(),
    };
    const earlier = byIndexName.get(index.name);
    if (earlier !== undefined && !isDeepStrictEqual(earlier, index)) {
      throw new SchemaSyncError(
        'MODEL_INVALID',
        `Entity ${metadata.name} (table "${metadata.tableName}") declares two different indexes named "${index.name}": (${earlier.columns.join(', ')}) and (${index.columns.join(', ')}); give one of them another name`,
      );
    }
    byIndexName.set(index.name, index);
  }
  return [...byIndexName.values()].sort(byName);
}

function uniquesOf(metadata: EntityMetadata): UniqueConstraint[] {
  return metadata.uniques
    .map((unique): UniqueConstraint => ({ name: unique.name, columns: unique.columns.map((column) => column.databaseName), ...deferrableOf(unique) }))
    .sort(byName);
}

function foreignKeysOf(metadata: EntityMetadata, context: ConversionContext): ForeignKey[] {
  return metadata.foreignKeys
    .map(
      (foreignKey): ForeignKey => ({
        name: foreignKey.name,
        columns: [...foreignKey.columnNames],
        referencedSchema: ownSchema(foreignKey.referencedEntityMetadata, context.dialect, context.defaultSchema),
        referencedTable: foreignKey.referencedEntityMetadata.tableName,
        referencedColumns: [...foreignKey.referencedColumnNames],
        onDelete: actionOf(foreignKey.onDelete),
        onUpdate: actionOf(foreignKey.onUpdate),
        ...(context.dialect === 'postgres' ? deferrableOf(foreignKey) : {}),
      }),
    )
    .sort(byName);
}

/**
 * A constraint's `deferrable` option as TypeORM writes it on PostgreSQL (`DEFERRABLE INITIALLY …`); TypeORM 0.3 has it
 * on uniques and foreign keys, 1.x on exclusions too.
 */
function deferrableOf(constraint: object): { deferrable?: Deferrable } {
  const deferrable = (constraint as { deferrable?: string }).deferrable?.toUpperCase();
  return deferrable === 'INITIALLY DEFERRED' || deferrable === 'INITIALLY IMMEDIATE' ? { deferrable } : {};
}

function actionOf(action: string | undefined): ForeignKeyAction {
  const upper = (action ?? 'NO ACTION').toUpperCase();
  switch (upper) {
    case 'NO ACTION':
    case 'RESTRICT':
    case 'CASCADE':
    case 'SET NULL':
    case 'SET DEFAULT':
      return upper;
    default:
      throw new SchemaSyncError('MODEL_INVALID', `Unknown foreign key action "${action}"`);
  }
}

/**
 * A ManyToMany with `@JoinTable` on both sides gives TypeORM two junction metadatas for one table, and a closure-table
 * tree with single-table inheritance one closure table per child entity. Its schema builder
 * creates the table from the first and, for the second, only adds what the first lacks (columns, indexes, foreign
 * keys, by name): the same is done here, with an entity declared for a junction's table as the base. Two entities on one
 * table stay an error, naming both.
 */
function mergeSharedJunctionTables(tables: readonly Table[], metadatas: readonly EntityMetadata[]): Table[] {
  const merged = new Map<string, { table: Table; owner: EntityMetadata }>();
  tables.forEach((table, i) => {
    const metadata = metadatas[i]!;
    const key = table.schema === null ? table.name : `${table.schema}.${table.name}`;
    const previous = merged.get(key);
    if (previous === undefined) {
      merged.set(key, { table, owner: metadata });
      return;
    }
    if (!isJunction(metadata) && !isJunction(previous.owner)) {
      throw new SchemaSyncError('MODEL_INVALID', `${describeOwner(previous.owner, metadatas)} and ${describeOwner(metadata, metadatas)} both map to table "${key}"`);
    }
    // An entity written for a @JoinTable's table (its own key, extra columns) is that table whichever comes first:
    // the junction only adds what the entity lacks. TypeORM's synchronize() fails on the two primary keys.
    const entityFirst = isJunction(previous.owner) && !isJunction(metadata);
    merged.set(
      key,
      entityFirst ? { table: withMissingParts(table, previous.table), owner: metadata } : { table: withMissingParts(previous.table, table), owner: previous.owner },
    );
  });
  return [...merged.values()].map((entry) => entry.table);
}

function isJunction(metadata: EntityMetadata): boolean {
  return metadata.tableType === 'junction' || metadata.tableType === 'closure-junction';
}

function withMissingParts(first: Table, second: Table): Table {
  const missing = <T extends { readonly name: string }>(have: readonly T[], more: readonly T[]) => [
    ...have,
    ...more.filter((item) => !have.some((existing) => existing.name === item.name)),
  ];
  return {
    ...first,
    columns: missing(first.columns, second.columns),
    indexes: missing(first.indexes, second.indexes).sort(byName),
    uniques: missing(first.uniques, second.uniques).sort(byName),
    foreignKeys: missing(first.foreignKeys, second.foreignKeys).sort(byName),
    checks: missing(first.checks, second.checks).sort(byName),
  };
}

/** An entity by class name; a junction table by the relation that declares it (TypeORM gives it no class name). */
function describeOwner(metadata: EntityMetadata, metadatas: readonly EntityMetadata[]): string {
  if (metadata.tableType === 'closure-junction') return `the closure table of ${metadata.parentClosureEntityMetadata?.targetName ?? metadata.tableName}`;
  if (metadata.tableType === 'junction') {
    const relation = metadatas.flatMap((owner) => owner.relations).find((candidate) => candidate.junctionEntityMetadata === metadata);
    return relation === undefined ? `the junction table of ${metadata.tableName}` : `the @JoinTable of ${relation.entityMetadata.targetName}.${relation.propertyPath}`;
  }
  return `entity ${metadata.targetName || metadata.name}`;
}

function emptyToNull(value: string | undefined | null): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function byQualifiedName(a: Table, b: Table): number {
  return (a.schema ?? '').localeCompare(b.schema ?? '') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
