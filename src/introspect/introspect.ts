import type { DatabaseClient } from '../connect/client';
import type { Schema } from '../model/schema';
import { introspectMysql } from './mysql/introspect-mysql';
import { introspectPostgres } from './postgres/introspect-postgres';

/** Which parts of the database to read. */
export interface IntrospectScope {
  /**
   * PostgreSQL schemas beyond `public` that the models use (e.g. `audit`); on MySQL, the other databases of the server
   * the models name (`@Entity({ database })`), whose tables come qualified by database.
   */
  readonly extraSchemas?: readonly string[];
  /** The MySQL database to read, when the caller already knows it (saves a `SELECT DATABASE()`). */
  readonly database?: string;
  /** The ORM's metadata table (TypeORM's `typeorm_metadata` or its configured name), whose rows are read if it exists. */
  readonly ormMetadataTable?: string;
  /** PostgreSQL: the schema of that table when not `public` (TypeORM creates it in the DataSource's `schema`). */
  readonly ormMetadataSchema?: string;
}

/** Reads the live schema with a fixed number of catalog queries, whatever the table count. */
export async function introspect(client: DatabaseClient, scope: IntrospectScope = {}): Promise<Schema> {
  if (client.dialect === 'postgres') {
    const schemas = [...new Set(['public', ...(scope.extraSchemas ?? []), ...(scope.ormMetadataSchema === undefined ? [] : [scope.ormMetadataSchema])])];
    return introspectPostgres(client, {
      schemas,
      ...(scope.ormMetadataTable === undefined ? {} : { ormMetadataTable: scope.ormMetadataTable }),
      ...(scope.ormMetadataSchema === undefined ? {} : { ormMetadataSchema: scope.ormMetadataSchema }),
    });
  }
  return introspectMysql(client, {
    ...(scope.database === undefined ? {} : { database: scope.database }),
    ...(scope.extraSchemas === undefined ? {} : { otherDatabases: scope.extraSchemas }),
    ...(scope.ormMetadataTable === undefined ? {} : { ormMetadataTable: scope.ormMetadataTable }),
  });
}
