import type { Change, TableRef } from '../../change/change';
import type { RenderContext } from '../sql-dialect';
import { quoteMysqlList, quoteMysqlLiteral, quoteMysqlTable } from './quote';
import { mysqlColumnDefinition } from './render-column';
import { checkClause, foreignKeyClause, indexClause, keyChangeRepairs, tableBefore } from './render-constraint';

type ChangeOf<K extends Change['kind']> = Extract<Change, { readonly kind: K }>;

/**
 * create_table: one CREATE TABLE with the columns (comments inline), the primary key, unique keys and indexes inline
 * (MySQL has no separate index DDL to wait for), checks, ENGINE=InnoDB and the table comment. Character set and
 * collation are left to the database's defaults. Foreign keys, if any are still attached, follow as ALTER TABLE.
 */
export function createMysqlTable(change: ChangeOf<'create_table'>): readonly string[] {
  const table = change.table;
  const ref: TableRef = { schema: table.schema, name: table.name };
  const clauses = [
    ...table.columns.map((column) => mysqlColumnDefinition(ref, column)),
    ...(table.primaryKey === null ? [] : [`PRIMARY KEY (${quoteMysqlList(table.primaryKey.columns)})`]),
    ...table.uniques.map((unique) => indexClause(ref, { name: unique.name, columns: unique.columns, unique: true, where: null, method: null })),
    ...table.indexes.map((index) => indexClause(ref, index)),
    ...table.checks.map(checkClause),
  ];
  const comment = table.comment === null ? '' : ` COMMENT=${quoteMysqlLiteral(table.comment)}`;
  return [
    `CREATE TABLE ${quoteMysqlTable(ref)} (${clauses.join(', ')}) ENGINE=InnoDB${comment}`,
    ...table.foreignKeys.map((foreignKey) => `ALTER TABLE ${quoteMysqlTable(ref)} ADD ${foreignKeyClause(foreignKey)}`),
  ];
}

/** drop_table. */
export function dropMysqlTable(change: ChangeOf<'drop_table'>): readonly string[] {
  return [`DROP TABLE ${quoteMysqlTable(change.table)}`];
}

/** rename_table: RENAME TABLE also moves a table between databases; foreign keys follow it. */
export function renameMysqlTable(change: ChangeOf<'rename_table'>): readonly string[] {
  return [`RENAME TABLE ${quoteMysqlTable(change.from)} TO ${quoteMysqlTable(change.to)}`];
}

/** alter_table_comment: an empty comment is how MySQL removes one. */
export function alterMysqlTableComment(change: ChangeOf<'alter_table_comment'>): readonly string[] {
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} COMMENT = ${quoteMysqlLiteral(change.to ?? '')}`];
}

/**
 * alter_primary_key: DROP PRIMARY KEY and ADD PRIMARY KEY in one ALTER TABLE, with the repairs a key change needs
 * (render-constraint.ts keyChangeRepairs): a foreign key's own index added or dropped, AUTO_INCREMENT off or back on.
 */
export function alterMysqlPrimaryKey(change: ChangeOf<'alter_primary_key'>, context: RenderContext): readonly string[] {
  const clauses: string[] = [];
  if (change.from !== null) clauses.push('DROP PRIMARY KEY');
  if (change.to !== null) clauses.push(`ADD PRIMARY KEY (${quoteMysqlList(change.to.columns)})`);
  clauses.push(...keyChangeRepairs(tableBefore(context, change.table), change.from === null ? null : 'PRIMARY', change.to === null ? [] : [change.to.columns]));
  return clauses.length === 0 ? [] : [`ALTER TABLE ${quoteMysqlTable(change.table)} ${clauses.join(', ')}`];
}
