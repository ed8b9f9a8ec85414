import type { Change } from '../../change/change';
import type { OrmRecord, View } from '../../model/schema';
import { SchemaSyncError } from '../../util/errors';
import { quoteMysqlLiteral, quoteMysqlName, quoteMysqlTable } from './quote';

type ChangeOf<K extends Change['kind']> = Extract<Change, { readonly kind: K }>;

/** create_view: the query as the models state it. MySQL and MariaDB have no materialized views. */
export function createMysqlView(change: ChangeOf<'create_view'>): readonly string[] {
  return [createViewSql(change.view)];
}

/** drop_view. */
export function dropMysqlView(change: ChangeOf<'drop_view'>): readonly string[] {
  return [dropViewSql(change.view)];
}

/** replace_view: planning splits it into a drop and a create; rendered as the same pair if it reaches here whole. */
export function replaceMysqlView(change: ChangeOf<'replace_view'>): readonly string[] {
  return [dropViewSql(change.from), createViewSql(change.to)];
}

/** add_orm_record: one row of the ORM's metadata table, every value a literal. */
export function addMysqlOrmRecord(change: ChangeOf<'add_orm_record'>): readonly string[] {
  const columns = RECORD_COLUMNS.map(quoteMysqlName).join(', ');
  const values = RECORD_COLUMNS.map((column) => literalOrNull(change.record[column])).join(', ');
  return [`INSERT INTO ${quoteMysqlTable(change.table)} (${columns}) VALUES (${values})`];
}

/** remove_orm_record: deletes the rows equal to the record in every column (NULL matched as NULL). */
export function removeMysqlOrmRecord(change: ChangeOf<'remove_orm_record'>): readonly string[] {
  const conditions = RECORD_COLUMNS.map((column) => {
    const value = change.record[column];
    return value === null ? `${quoteMysqlName(column)} IS NULL` : `${quoteMysqlName(column)} = ${quoteMysqlLiteral(value)}`;
  });
  return [`DELETE FROM ${quoteMysqlTable(change.table)} WHERE ${conditions.join(' AND ')}`];
}

const RECORD_COLUMNS = ['type', 'database', 'schema', 'table', 'name', 'value'] as const satisfies readonly (keyof OrmRecord)[];

function createViewSql(view: View): string {
  if (view.materialized) {
    throw new SchemaSyncError('UNSUPPORTED', `View ${view.name} is materialized, which MySQL and MariaDB do not have`);
  }
  return `CREATE VIEW ${quoteMysqlTable(view)} AS ${view.query}`;
}

function dropViewSql(view: View): string {
  return `DROP VIEW ${quoteMysqlTable(view)}`;
}

function literalOrNull(value: string | null): string {
  return value === null ? 'NULL' : quoteMysqlLiteral(value);
}
