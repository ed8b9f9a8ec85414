import * as path from 'node:path';
import type { DataSource, EntityMetadata } from 'typeorm';
import type { DatabaseCollations } from '../../dialect/mysql/database-collation';
import { typeSystemFor } from '../../dialect/type-systems';
import type { UnsynchronizedModel } from '../../diff/leave-alone';
import type { Dialect, Schema, Table } from '../../model/schema';
import { collectGarbage } from '../../util/collect-garbage';
import { SchemaSyncError } from '../../util/errors';
import { buildMetadata, createDataSource, TYPEORM_TYPE } from './build-metadata';
import { schemaFromEntityMetadata } from './from-entity-metadata';
import { leftAloneIndexesOf } from './left-alone-indexes';
import { ormMetadataTable, ormRecordsOf } from './orm-metadata';
import { ownSchema } from './own-schema';
import { viewsOf } from './views-of';
import type { LeftAloneIndexes } from '../../diff/unmanaged-indexes';
import { findEntityFiles, findModelFiles, loadEntityFiles, requireModelFile } from './load-entities';
import { precompileTypeScript, registerTypeScript } from './register-typescript';
import { designTypesAsTscEmits } from './tsc-design-types';
import { loadTypeormRuntime, type TypeormRuntime } from './typeorm-runtime';

/** Where the models come from: entity files matched by globs, or the user's own DataSource file. */
export type ModelSource =
  | { readonly kind: 'globs'; readonly globs: readonly string[] }
  /**
   * `entities`: globs (relative to the project folder) that replace the entities the DataSource lists, so that its
   * other settings (naming strategy, schema, table names) apply to other model files (compat's folder of old models).
   */
  | { readonly kind: 'data-source'; readonly file: string; readonly entities?: readonly string[] };

/** Options for loading the desired schema. */
export interface LoadModelsOptions {
  readonly projectDir: string;
  readonly source: ModelSource;
  /** The dialect of the database the models will be compared with. */
  readonly dialect: Dialect;
  /** The server's version string, so TypeORM picks the types it would pick when connected. */
  readonly serverVersion: string | null;
  /**
   * The database the models will live in: TypeORM's validator insists on one for MySQL, and TypeORM's rows about
   * generated columns name it on PostgreSQL.
   */
  readonly database?: string | null;
  /**
   * What that database (and any other a table lives in) gives a table's columns, so a column that states the same
   * reads as one that states none.
   */
  readonly databaseCollations?: DatabaseCollations | null;
  /** MySQL family: each character set's default collation on the server. */
  readonly charsetDefaults?: ReadonlyMap<string, string>;
}

/** What an entity is called in code, for messages that point at the model rather than the table. */
export interface EntitySummary {
  /** The class name (or the EntitySchema's target name). */
  readonly className: string;
  /** TypeORM's entity name, which it also uses as the query alias. */
  readonly name: string;
  readonly table: string;
  /** Property path of each database column, by column name. */
  readonly properties: ReadonlyMap<string, string>;
}

/**
 * The desired schema and what it was built from, as plain data. TypeORM's metadata is not kept: at 2,000 entities it
 * holds about 30 MB that the introspection that follows could otherwise reuse.
 */
export interface LoadedModels {
  readonly schema: Schema;
  readonly entities: readonly EntitySummary[];
  /** Model files read (empty when a DataSource file listed its entities as classes). */
  readonly files: readonly string[];
  readonly entityCount: number;
  /** Names of the tables TypeORM keeps for itself (migrations, metadata), as the DataSource configures them. */
  readonly ormTables: readonly string[];
  /** Entities and views marked `synchronize: false`. */
  readonly unsynchronized: readonly UnsynchronizedModel[];
  /** Indexes the models mark `synchronize: false`: the diff leaves them alone. */
  readonly leftAlone: readonly LeftAloneIndexes[];
  /** TypeORM's metadata table as TypeORM would create it, for a database that needs its rows and lacks it. */
  readonly ormMetadataTable: Table;
}

/**
 * Loads TypeORM entities and converts them to the desired schema for one dialect. Model files that pick
 * dialect-specific types read `SCHEMA_SYNC_DIALECT`, set here before they load.
 */
export async function loadModels(options: LoadModelsOptions): Promise<LoadedModels> {
  process.env.SCHEMA_SYNC_DIALECT ??= options.dialect;
  const models = await describeModels(options);
  // TypeORM's metadata died with describeModels' frame: collect it before the next stage allocates on top of it.
  collectGarbage();
  return models;
}

async function describeModels(options: LoadModelsOptions): Promise<LoadedModels> {
  const runtime = loadTypeormRuntime(options.projectDir);
  const { dataSource, entities, files } =
    options.source.kind === 'globs'
      ? await fromGlobs(runtime, options.source.globs, options)
      : await fromDataSourceFile(runtime, options.source.file, options, options.source.entities);
  // What compiling the model modules left behind, before TypeORM builds its metadata (6 MB off the peak at 2,000).
  collectGarbage();
  designTypesAsTscEmits(runtime);
  const { metadatas, unsynchronized, views, all } = await buildMetadata(runtime, dataSource, entities, { serverVersion: options.serverVersion, database: options.database ?? null });
  const schemaOption = (dataSource.options as { schema?: string }).schema;
  // Our default schema is introspection's (`public`): tables in the DataSource's `schema` are named with it. On MySQL
  // it is the connection's database: a table another database holds is named with that database.
  const defaultSchema = options.dialect === 'postgres' ? 'public' : options.database ?? null;
  // TypeORM creates its metadata table in the DataSource's schema.
  const metadataSchema = options.dialect === 'postgres' && schemaOption !== undefined && schemaOption !== '' && schemaOption !== defaultSchema ? schemaOption : undefined;
  const types = typeSystemFor(options.dialect);
  const tablesSchema = schemaFromEntityMetadata(metadatas, {
    dialect: options.dialect,
    types,
    runtime,
    dataSource,
    defaultSchema,
    databaseCollations: options.dialect === 'postgres' ? null : options.databaseCollations ?? null,
    charsetDefaults: options.charsetDefaults ?? new Map(),
  });
  const viewList = viewsOf(views, all, { dialect: options.dialect, dataSource, defaultSchema });
  const metadataTableName = ormTablesOf(dataSource)[1]!;
  const records = ormRecordsOf(tablesSchema.tables, viewList, { dialect: options.dialect, table: metadataTableName, defaultSchema, database: options.database ?? null });
  const schema: Schema = {
    ...tablesSchema,
    ...(viewList.length === 0 ? {} : { views: viewList }),
    ...(records.length === 0 ? {} : { ormMetadata: { table: metadataTableName, ...(metadataSchema === undefined ? {} : { schema: metadataSchema }), records } }),
  };
  return {
    schema,
    ormMetadataTable: { ...ormMetadataTable(metadataTableName, runtime, dataSource, types), schema: metadataSchema ?? null },
    entities: metadatas.map(summaryOf),
    files,
    entityCount: metadatas.length,
    ormTables: ormTablesOf(dataSource),
    unsynchronized: unsynchronized.map((metadata) => unsynchronizedModel(metadata, options.dialect, defaultSchema)),
    leftAlone: leftAloneIndexesOf(metadatas, options.dialect, defaultSchema),
  };
}

/**
 * The names a DataSource file gives TypeORM's own tables (`migrationsTableName`, `metadataTableName`), read without
 * loading its entities: a rollback, which knows no models, needs the metadata table's name.
 */
export function ormTableNamesOf(projectDir: string, file: string): { readonly migrations: string; readonly metadata: string; readonly metadataSchema?: string } {
  const runtime = loadTypeormRuntime(projectDir);
  const absolute = path.resolve(projectDir, file);
  registerTypeScript(path.dirname(absolute));
  const dataSource = Object.values(requireModelFile(absolute, projectDir)).find((value): value is DataSource => value instanceof runtime.typeorm.DataSource);
  if (dataSource === undefined) {
    throw new SchemaSyncError('MODEL_LOAD_FAILED', `${file} exports no TypeORM DataSource (export it, e.g. \`export default new DataSource({...})\`)`);
  }
  const [migrations, metadata] = ormTablesOf(dataSource);
  // TypeORM creates it in the DataSource's schema (PostgreSQL).
  const schema = dataSource.options.type === 'postgres' ? (dataSource.options as { schema?: string }).schema : undefined;
  return { migrations: migrations!, metadata: metadata!, ...(schema === undefined || schema === '' || schema === 'public' ? {} : { metadataSchema: schema }) };
}

/**
 * TypeORM's own tables: `migrations` and `typeorm_metadata` unless the DataSource renames them. A name given as
 * `schema.table` is matched by its table part.
 */
function ormTablesOf(dataSource: DataSource): string[] {
  const options = dataSource.options as { migrationsTableName?: string; metadataTableName?: string };
  return [options.migrationsTableName || 'migrations', options.metadataTableName || 'typeorm_metadata'].map((name) => name.split('.').pop() ?? name);
}

function unsynchronizedModel(metadata: EntityMetadata, dialect: Dialect, defaultSchema: string | null): UnsynchronizedModel {
  const kind = metadata.tableType === 'view' ? 'view' : 'table';
  const schema = ownSchema(metadata, dialect, defaultSchema);
  const decorator = kind === 'view' ? '@ViewEntity' : '@Entity';
  return { kind, schema, name: metadata.tableName, reason: `${decorator}({ synchronize: false }) on ${metadata.targetName || metadata.name}` };
}

function summaryOf(metadata: EntityMetadata): EntitySummary {
  return {
    className: metadata.targetName,
    name: metadata.name,
    table: metadata.tableName,
    properties: new Map(metadata.columns.map((column) => [column.databaseName, column.propertyPath])),
  };
}

/** The DataSource the metadata is built on, the entity classes and schemas it gets, and the files they came from. */
interface ModelSet {
  readonly dataSource: DataSource;
  readonly entities: readonly unknown[];
  readonly files: readonly string[];
}

async function fromGlobs(runtime: TypeormRuntime, globs: readonly string[], options: LoadModelsOptions): Promise<ModelSet> {
  const files = findModelFiles(globs, options.projectDir);
  if (files.length === 0) {
    throw new SchemaSyncError('NO_MODELS', `No model files match ${globs.map((glob) => `"${glob}"`).join(', ')} in ${options.projectDir}`);
  }
  registerTypeScript(options.projectDir);
  await precompileTypeScript(files, options.projectDir);
  const entities = loadEntityFiles(files, options.projectDir, entityTest(runtime));
  if (entities.length === 0) {
    throw new SchemaSyncError('NO_MODELS', `No TypeORM entities found in ${files.length} file(s) matching ${globs.join(', ')} (is @Entity() exported?)`);
  }
  const extra = options.dialect === 'postgres' ? {} : { database: options.database ?? 'schema_sync' };
  const targets = entities.map((entity) => entity.target);
  return { dataSource: createDataSource(runtime, options.dialect, targets, extra), entities: targets, files };
}

/** Loads a DataSource file (the `.ts` through our hook) and returns the DataSource it exports. */
function requireDataSource(projectDir: string, file: string): DataSource {
  const absolute = path.resolve(projectDir, file);
  registerTypeScript(path.dirname(absolute));
  const dataSource = Object.values(requireModelFile(absolute, projectDir)).find(isDataSource);
  if (dataSource === undefined) {
    throw new SchemaSyncError('MODEL_LOAD_FAILED', `${file} exports no TypeORM DataSource (export it, e.g. \`export default new DataSource({...})\`)`);
  }
  return dataSource;
}

/** A DataSource's `entities` as a list (TypeORM also takes an object of them), and the globs among them. */
function declaredEntities(declared: DataSource['options']['entities'] | readonly string[] | undefined): { listed: unknown[]; globs: string[] } {
  const listed = Array.isArray(declared) ? [...(declared as unknown[])] : Object.values((declared ?? {}) as Record<string, unknown>);
  return { listed, globs: listed.filter((entry): entry is string => typeof entry === 'string') };
}

/**
 * The files a DataSource file's `entities` globs match (`__dirname + '/**\/*.entity{.ts,.js}'`, or relative to the
 * project folder), as loading its models expands them. Entities it lists as classes or EntitySchemas are not among
 * them: the DataSource file imports those. Loads the DataSource file, and with it what it imports.
 */
export function dataSourceEntityFiles(projectDir: string, file: string): string[] {
  const { globs } = declaredEntities(requireDataSource(projectDir, file).options.entities);
  return globs.length === 0 ? [] : findEntityFiles(globs, projectDir);
}

async function fromDataSourceFile(runtime: TypeormRuntime, file: string, options: LoadModelsOptions, entityGlobs?: readonly string[]): Promise<ModelSet> {
  const absolute = path.resolve(options.projectDir, file);
  const dataSource = requireDataSource(options.projectDir, file);
  const family = (type: string) => (type === 'postgres' ? 'postgres' : type === 'mysql' || type === 'mariadb' ? 'mysql' : type);
  if (family(dataSource.options.type) !== family(TYPEORM_TYPE[options.dialect])) {
    throw new SchemaSyncError(
      'MODEL_INVALID',
      `The DataSource in ${file} is of type "${dataSource.options.type}", but the database is ${options.dialect}`,
    );
  }
  const { listed, globs } = declaredEntities(entityGlobs ?? dataSource.options.entities);
  const files = globs.length === 0 ? [] : findEntityFiles(globs, options.projectDir);
  // Entities from elsewhere than the DataSource's folder compile as the project folder's files do.
  if (entityGlobs !== undefined) registerTypeScript(options.projectDir);
  await precompileTypeScript(files, options.projectDir);
  const fromFiles = loadEntityFiles(files, options.projectDir, entityTest(runtime)).map((entity) => entity.target);
  const entities = [...listed.filter((entry) => typeof entry !== 'string'), ...fromFiles];
  if (entities.length === 0) {
    const where = globs.length === 0 ? 'lists no entities' : `lists entities as ${globs.map((glob) => `"${glob}"`).join(', ')}, which match ${files.length} file(s) and no entity`;
    throw new SchemaSyncError('NO_MODELS', `The DataSource in ${file} ${where}`, { details: { file } });
  }
  return { dataSource, entities, files: [absolute, ...files] };
}

/**
 * Tells entities among a file's exports: classes TypeORM registered as tables, and EntitySchemas. The registered
 * classes are kept in a set that catches up with TypeORM's table list (which only grows, as files load) on each call;
 * scanning the list for every export instead was quadratic (about 0.1 s at 2,000 models).
 */
function entityTest(runtime: TypeormRuntime): (value: unknown) => boolean {
  const tables = runtime.typeorm.getMetadataArgsStorage().tables;
  const targets = new Set<unknown>();
  let seen = 0;
  return (value) => {
    if (typeof value === 'function') {
      for (; seen < tables.length; seen++) targets.add(tables[seen]!.target);
      return targets.has(value);
    }
    return typeof value === 'object' && value !== null && (value as Record<string, unknown>)['@instanceof'] === Symbol.for('EntitySchema');
  };
}

function isDataSource(value: unknown): value is DataSource {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)['@instanceof'] === Symbol.for('DataSource');
}
