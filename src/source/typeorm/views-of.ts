import type { DataSource, EntityMetadata } from 'typeorm';
import type { Dialect, View } from '../../model/schema';
import { tableKey } from '../../model/schema';
import { SchemaSyncError, messageOf } from '../../util/errors';
import { indexesOf } from './from-entity-metadata';
import { ownSchema } from './own-schema';

/** What turning view entities into views needs. */
export interface ViewContext {
  readonly dialect: Dialect;
  readonly dataSource: DataSource;
  /** The schema views live in when they name none (PostgreSQL `public`, the connection's MySQL database); such views get `schema: null`. */
  readonly defaultSchema: string | null;
}

/**
 * The views of `@ViewEntity` classes TypeORM synchronizes. The query is the text TypeORM creates the view from and
 * records: the expression string trimmed, or the SQL of the query-builder function. Materialized only on PostgreSQL
 * (TypeORM creates a plain view elsewhere). What a view reads is known from `dependsOn` alone.
 */
export function viewsOf(views: readonly EntityMetadata[], all: readonly EntityMetadata[], context: ViewContext): View[] {
  return views.map((metadata) => {
    const schema = ownSchema(metadata, context.dialect, context.defaultSchema);
    const materialized = context.dialect === 'postgres' && metadata.tableMetadataArgs.materialized === true;
    // TypeORM indexes a materialized view only (createNewViewIndices); a plain view cannot have any.
    const indexes = materialized ? indexesOf(metadata, context.dialect) : [];
    return {
      ...(indexes.length === 0 ? {} : { indexes }),
      schema,
      name: metadata.tableName,
      materialized,
      query: queryOf(metadata, context.dataSource),
      recorded: true,
      reads: [...(metadata.dependsOn ?? [])].flatMap((dependency) => {
        const target = all.find((candidate) => candidate.target === dependency || candidate.name === dependency);
        return target === undefined ? [] : [tableKey({ schema: ownSchema(target, context.dialect, context.defaultSchema), name: target.tableName })];
      }),
    };
  });
}

function queryOf(metadata: EntityMetadata, dataSource: DataSource): string {
  const expression = metadata.expression;
  const where = `@ViewEntity ${metadata.targetName || metadata.name}`;
  if (typeof expression === 'string') return expression.trim();
  if (typeof expression !== 'function') throw new SchemaSyncError('MODEL_INVALID', `${where} has no expression (a SQL string or a query-builder function)`);
  try {
    return expression(dataSource).getQuery();
  } catch (error) {
    throw new SchemaSyncError('MODEL_INVALID', `${where}: its expression function failed: ${messageOf(error)}`, { cause: error });
  }
}
