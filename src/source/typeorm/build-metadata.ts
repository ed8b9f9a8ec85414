import type { DataSource, DataSourceOptions, EntityMetadata } from 'typeorm';
import type { Dialect } from '../../model/schema';
import { SchemaSyncError, messageOf } from '../../util/errors';
import { indexedMetadataArgs } from './indexed-metadata-args';
import type { TypeormRuntime } from './typeorm-runtime';

/** TypeORM's `type` option for each dialect: MariaDB must be `mariadb`, or TypeORM misreads its catalog (FACTS.md). */
export const TYPEORM_TYPE: Record<Dialect, 'postgres' | 'mysql' | 'mariadb'> = {
  postgres: 'postgres',
  mysql: 'mysql',
  mariadb: 'mariadb',
};

/** A DataSource whose metadata has been built without ever connecting. */
export interface BuiltMetadata {
  readonly dataSource: DataSource;
  /** Tables TypeORM would synchronize: entities and junction tables, not views or single-table children. */
  readonly metadatas: readonly EntityMetadata[];
  /** Tables and views marked `synchronize: false`: TypeORM never creates, alters or drops them. */
  readonly unsynchronized: readonly EntityMetadata[];
  /** View entities TypeORM synchronizes, in its creation order. */
  readonly views: readonly EntityMetadata[];
  /** Every entity metadata, for resolving what a view's `dependsOn` names. */
  readonly all: readonly EntityMetadata[];
}

/**
 * Builds TypeORM's entity metadata for a DataSource without connecting: the same builder and validator that
 * `DataSource.initialize()` runs, so names, junction tables and inheritance come out exactly as TypeORM makes them.
 */
export async function buildMetadata(
  runtime: TypeormRuntime,
  dataSource: DataSource,
  entities: readonly unknown[],
  connection: { readonly serverVersion: string | null; readonly database: string | null },
): Promise<BuiltMetadata> {
  primeDriver(dataSource, connection.serverVersion);
  defaultDatabase(dataSource, connection.database);
  let metadatas: EntityMetadata[];
  try {
    metadatas = await buildEntityMetadatas(runtime, dataSource, entities);
    new runtime.EntityMetadataValidator().validateMany(
      metadatas.filter((metadata) => metadata.tableType !== 'view'),
      dataSource.driver,
    );
  } catch (error) {
    throw new SchemaSyncError('MODEL_INVALID', `TypeORM rejected the models: ${messageOf(error)}`, { cause: error });
  }
  Object.assign(dataSource, { entityMetadatas: metadatas, entityMetadatasMap: new Map(metadatas.map((m) => [m.target, m])) });
  const synchronized = metadatas.filter((m) => m.synchronize && m.tableType !== 'entity-child' && m.tableType !== 'view');
  const unsynchronized = metadatas.filter((m) => !m.synchronize && m.tableType !== 'entity-child');
  const views = metadatas.filter((m) => m.synchronize && m.tableType === 'view');
  return { dataSource, metadatas: synchronized, unsynchronized, views, all: metadatas };
}

/**
 * What `ConnectionMetadataBuilder.buildEntityMetadatas` does, but for decorated classes over an index of the decorator
 * arguments ({@link indexedMetadataArgs}): TypeORM's own lookups make the build quadratic in the number of entities.
 * Entity schemas and directory globs take TypeORM's own path.
 */
async function buildEntityMetadatas(runtime: TypeormRuntime, dataSource: DataSource, entities: readonly unknown[]): Promise<EntityMetadata[]> {
  const classes = entities.filter((entity): entity is Function => typeof entity === 'function');
  if (classes.length !== entities.length) return new runtime.ConnectionMetadataBuilder(dataSource).buildEntityMetadatas([...entities] as never);
  const storage = indexedMetadataArgs(runtime.typeorm.getMetadataArgsStorage());
  return new runtime.EntityMetadataBuilder(dataSource, storage).build(classes);
}

/**
 * A MySQL DataSource may leave `database` to the connection (the URL gives it); TypeORM's validator insists on one
 * unless every entity names its own, so it gets the database the URL names, as connecting would give it.
 */
function defaultDatabase(dataSource: DataSource, database: string | null): void {
  if (dataSource.options.type !== 'mysql' && dataSource.options.type !== 'mariadb') return;
  const driver = dataSource.driver as unknown as { database?: string };
  if (driver.database === undefined || driver.database === '') driver.database = database ?? 'schema_sync';
}

/** Creates an unconnected DataSource for the given dialect and entities. */
export function createDataSource(runtime: TypeormRuntime, dialect: Dialect, entities: readonly unknown[], extra: Partial<DataSourceOptions> = {}): DataSource {
  const options = {
    ...extra,
    type: TYPEORM_TYPE[dialect],
    entities: [...entities],
  } as DataSourceOptions;
  return new runtime.typeorm.DataSource(options);
}

/**
 * TypeORM decides some types from the server version it reads on connect (MariaDB >= 10.7 has a native UUID type;
 * older MariaDB stores JSON as LONGTEXT). We never let TypeORM connect, since its `afterConnect` creates extensions,
 * so the version we read ourselves is handed to the driver the way `afterConnect` would.
 */
function primeDriver(dataSource: DataSource, serverVersion: string | null): void {
  if (serverVersion === null) return;
  const driver = dataSource.driver as unknown as { version?: string; uuidColumnTypeSuported?: boolean };
  const version = /(\d+\.\d+\.\d+)/.exec(serverVersion)?.[1];
  if (version === undefined) return;
  driver.version = version;
  if (dataSource.options.type === 'mariadb' && compareVersions(version, '10.7.0') >= 0) driver.uuidColumnTypeSuported = true;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
