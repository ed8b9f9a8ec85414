import type { Change } from '../../change/change';
import type { OrmRecord, View } from '../../model/schema';
import { quotePostgresIdentifier, quotePostgresLiteral, quotePostgresTable } from './quote';
import { createIndexSql } from './render-constraint';

type ChangeOf<K extends Change['kind']> = Extract<Change, { readonly kind: K }>;

/** create_view: the query as the models state it; a materialized view is filled as it is created, then indexed. */
export function createPostgresView(change: ChangeOf<'create_view'>): readonly string[] {
  return createViewSql(change.view);
}

/** drop_view: no CASCADE, so a dependent view the plan did not account for fails the migration instead of vanishing. */
export function dropPostgresView(change: ChangeOf<'drop_view'>): readonly string[] {
  return [dropViewSql(change.view)];
}

/** replace_view: planning splits it into a drop and a create; rendered as the same pair if it reaches here whole. */
export function replacePostgresView(change: ChangeOf<'replace_view'>): readonly string[] {
  return [dropViewSql(change.from), ...createViewSql(change.to)];
}

/** add_orm_record: one row of the ORM's metadata table, every value a literal. */
export function addPostgresOrmRecord(change: ChangeOf<'add_orm_record'>): readonly string[] {
  const columns = RECORD_COLUMNS.map(quotePostgresIdentifier).join(', ');
  const values = RECORD_COLUMNS.map((column) => literalOrNull(change.record[column])).join(', ');
  return [`INSERT INTO ${quotePostgresTable(change.table)} (${columns}) VALUES (${values})`];
}

/** remove_orm_record: deletes the rows equal to the record in every column (NULL matched as NULL). */
export function removePostgresOrmRecord(change: ChangeOf<'remove_orm_record'>): readonly string[] {
  const conditions = RECORD_COLUMNS.map((column) => {
    const value = change.record[column];
    return value === null ? `${quotePostgresIdentifier(column)} IS NULL` : `${quotePostgresIdentifier(column)} = ${quotePostgresLiteral(value)}`;
  });
  return [`DELETE FROM ${quotePostgresTable(change.table)} WHERE ${conditions.join(' AND ')}`];
}

const RECORD_COLUMNS = ['type', 'database', 'schema', 'table', 'name', 'value'] as const satisfies readonly (keyof OrmRecord)[];

function createViewSql(view: View): string[] {
  return [
    `CREATE ${view.materialized ? 'MATERIALIZED ' : ''}VIEW ${quotePostgresTable(view)} AS ${view.query}`,
    ...(view.indexes ?? []).map((index) => createIndexSql(view, index, undefined)),
  ];
}

function dropViewSql(view: View): string {
  return `DROP ${view.materialized ? 'MATERIALIZED ' : ''}VIEW ${quotePostgresTable(view)}`;
}

function literalOrNull(value: string | null): string {
  return value === null ? 'NULL' : quotePostgresLiteral(value);
}
