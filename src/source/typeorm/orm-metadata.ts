import type { DataSource } from 'typeorm';
import type { DialectTypeSystem } from '../../dialect/dialect';
import type { Column, Dialect, OrmRecord, Schema, Table, View } from '../../model/schema';
import type { TypeormRuntime } from './typeorm-runtime';

/** Where the records go and what the connection adds to them. */
export interface OrmMetadataContext {
  readonly dialect: Dialect;
  /** The metadata table's name (`metadataTableName`, `typeorm_metadata` by default), without a schema. */
  readonly table: string;
  /** PostgreSQL: the schema of objects that name none (`public`). */
  readonly defaultSchema: string | null;
  /** The database the connection uses (PostgreSQL's current_database(), the MySQL database). */
  readonly database: string | null;
}

/**
 * The rows TypeORM writes into its metadata table for what it synchronizes, column for column as its query runners
 * write them: a view's query (VIEW or MATERIALIZED_VIEW) and a generated column's expression (GENERATED_COLUMN; on
 * PostgreSQL only STORED ones, which are all it makes). TypeORM compares its models with these rows, so a database
 * without them is one TypeORM would rebuild.
 */
export function ormRecordsOf(tables: readonly Table[], views: readonly View[], context: OrmMetadataContext): OrmRecord[] {
  const postgres = context.dialect === 'postgres';
  // PostgreSQL rows name the schema (and, for columns, the database); MySQL rows name the database as the schema.
  const schemaOf = (schema: string | null) => (postgres ? schema ?? context.defaultSchema : context.database);
  const viewRecords = views.map(
    (view): OrmRecord => ({
      type: view.materialized ? 'MATERIALIZED_VIEW' : 'VIEW',
      database: null,
      schema: schemaOf(view.schema),
      table: null,
      name: view.name,
      value: view.query,
    }),
  );
  const columnRecords = tables.flatMap((table) =>
    table.columns.flatMap((column): OrmRecord[] =>
      column.computed === undefined
        ? []
        : [
            {
              type: 'GENERATED_COLUMN',
              database: postgres ? context.database : null,
              schema: schemaOf(table.schema),
              table: table.name,
              name: column.name,
              value: column.computed.expression,
            },
          ],
    ),
  );
  return [...viewRecords, ...columnRecords];
}

/**
 * The metadata table as TypeORM creates it (RdbmsSchemaBuilder.createTypeormMetadataTable): six columns of the
 * driver's own metadata types, `type` NOT NULL, no key. Built through the driver, so the types are what it writes.
 */
export function ormMetadataTable(name: string, runtime: TypeormRuntime, dataSource: DataSource, types: DialectTypeSystem): Table {
  const driver = dataSource.driver;
  const mapped = driver.mappedDataTypes as unknown as Record<string, string>;
  const column = (columnName: string, mappedType: string, nullable: boolean): Column => {
    const type = driver.normalizeType({ type: mapped[mappedType] as never });
    const fullType = driver.createFullType(new runtime.typeorm.TableColumn({ name: columnName, type }));
    return { name: columnName, type: types.parseType(fullType), nullable, default: null, generation: null, comment: null, charset: null, collation: null, onUpdate: null };
  };
  return {
    schema: null,
    name,
    columns: [
      column('type', 'metadataType', false),
      column('database', 'metadataDatabase', true),
      column('schema', 'metadataSchema', true),
      column('table', 'metadataTable', true),
      column('name', 'metadataName', true),
      column('value', 'metadataValue', true),
    ],
    primaryKey: null,
    indexes: [],
    uniques: [],
    foreignKeys: [],
    checks: [],
    comment: null,
  };
}

/** Whether the schema needs the metadata table: it has rows to keep. */
export function needsOrmMetadata(schema: Schema): boolean {
  return (schema.ormMetadata?.records.length ?? 0) > 0;
}
