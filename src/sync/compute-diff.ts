import type { DatabaseClient } from '../connect/client';
import { SchemaSyncError } from '../util/errors';
import { readMysqlCollations } from '../dialect/mysql/database-collation';
import { diffSchemas, type SchemaDiff } from '../diff/diff-schemas';
import { leaveAlone } from '../diff/leave-alone';
import { setAsideUnmanagedIndexes } from '../diff/unmanaged-indexes';
import { withDeclaredIndexes, type DeclaredIndex } from '../source/declared-indexes';
import type { TableGlob } from '../diff/table-glob';
import { introspect } from '../introspect/introspect';
import { declaredOpclasses, postgresDefaultOpclasses, withoutDefaultOpclasses } from '../introspect/postgres/default-opclasses';
import { postgresCurrentDatabase } from '../introspect/postgres/introspect-postgres';
import { withServerSpelledDefaults } from './server-spelled-defaults';
import { normalizeSchema } from '../model/normalize';
import type { Schema, TableSize } from '../model/schema';
import { loadModels, type LoadedModels, type LoadModelsOptions, type ModelSource } from '../source/typeorm/load-models';

/** Wall time of each stage in milliseconds, and the catalog queries introspection issued. */
export interface StageTimings {
  readonly loadModelsMs: number;
  readonly introspectMs: number;
  readonly diffMs: number;
  readonly catalogQueries: number;
}

/** Everything one `sync --diff` learned. */
export interface DiffOutcome {
  readonly desired: Schema;
  readonly actual: Schema;
  readonly diff: SchemaDiff;
  readonly models: LoadedModels;
  readonly timings: StageTimings;
  /** The server's version string, for the lock and rewrite facts. */
  readonly serverVersion: string;
  /** Each live table's size from the catalog, by tableKey (read in the same catalog queries). */
  readonly tableSizes: Readonly<Record<string, TableSize>>;
}

/** Options for computing a diff against an open database. */
export interface ComputeDiffOptions {
  readonly projectDir: string;
  readonly source: ModelSource;
  /** Tables the user excludes (`schema-sync.json` "ignore", `--ignore`): never reported, changed or dropped. */
  readonly ignore?: readonly TableGlob[];
  /** Indexes declared in schema-sync.json, added to the models' tables. */
  readonly indexes?: readonly DeclaredIndex[];
}

/** The pipeline: load models for the server's dialect, introspect the database, normalise both, diff. */
export async function computeDiff(client: DatabaseClient, options: ComputeDiffOptions): Promise<DiffOutcome> {
  const server = await modelLoadContext(client);
  const { serverVersion, database } = server;
  const t0 = performance.now();
  const models = await loadModels({ projectDir: options.projectDir, source: options.source, ...server.load });
  const t1 = performance.now();
  const before = client.statementCount;
  const extraSchemas = [
    ...models.schema.tables.map((table) => table.schema),
    ...models.schema.enums.map((enumType) => enumType.schema),
    ...(models.schema.views ?? []).map((view) => view.schema),
  ].filter((schema): schema is string => schema !== null);
  const ormMetadataTable = models.ormMetadataTable.name;
  const ormMetadataSchema = models.ormMetadataTable.schema ?? undefined;
  const metadataScope = ormMetadataSchema === undefined ? { ormMetadataTable } : { ormMetadataTable, ormMetadataSchema };
  const actualRaw = await introspect(client, database === null ? { extraSchemas, ...metadataScope } : { extraSchemas, database, ...metadataScope });
  const catalogQueries = client.statementCount - before;
  const t2 = performance.now();
  const declared = withDeclaredIndexes(models.schema, options.indexes ?? []);
  const defaultOpclasses = client.dialect === 'postgres' ? await postgresDefaultOpclasses(client, declaredOpclasses(declared)) : new Set<string>();
  const modelSchema = normalizeSchema(withoutDefaultOpclasses(declared, defaultOpclasses));
  const { actual, unmanaged: unmanagedIndexes } = setAsideUnmanagedIndexes(normalizeSchema(actualRaw), modelSchema, models.leftAlone);
  const scoped = leaveAlone(actual, modelSchema, {
    ormTables: new Set(models.ormTables),
    ignore: options.ignore ?? [],
    unsynchronized: models.unsynchronized,
    ormMetadataTable: models.ormMetadataTable,
  });
  const desired = await withServerSpelledDefaults(client, actual, scoped.desired);
  const found = diffSchemas(actual, desired);
  const diff = { ...found, unmanaged: [...scoped.unmanaged, ...unmanagedIndexes, ...found.unmanaged] };
  const t3 = performance.now();
  return {
    desired,
    actual,
    diff,
    models,
    serverVersion,
    tableSizes: actualRaw.tableSizes ?? {},
    timings: { loadModelsMs: t1 - t0, introspectMs: t2 - t1, diffMs: t3 - t2, catalogQueries },
  };
}

/** What loading models for a database needs to know about it, and its server version and (MySQL) database name. */
export interface ModelLoadContext {
  readonly serverVersion: string;
  /** The MySQL database the connection uses; null on PostgreSQL. */
  readonly database: string | null;
  readonly load: Omit<LoadModelsOptions, 'projectDir' | 'source'>;
}

/** Reads what loadModels needs from the database the models will be compared with. */
export async function modelLoadContext(client: DatabaseClient): Promise<ModelLoadContext> {
  const serverVersion = await client.serverVersion();
  const mysql = client.dialect === 'postgres' ? null : await readMysqlCollations(client);
  const database = mysql?.database ?? null;
  if (mysql !== null && database === null) throw new SchemaSyncError('BAD_URL', `${client.target} names no database: add one to the URL path (mysql://user@host/dbname)`);
  // TypeORM's rows about generated columns name the PostgreSQL database too.
  const modelDatabase = client.dialect === 'postgres' ? await postgresCurrentDatabase(client) : database;
  return {
    serverVersion,
    database,
    load: {
      dialect: client.dialect,
      serverVersion,
      database: modelDatabase,
      databaseCollations: mysql?.collations ?? null,
      charsetDefaults: mysql?.charsetDefaults ?? new Map(),
    },
  };
}
