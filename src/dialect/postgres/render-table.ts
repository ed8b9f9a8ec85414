import type { Change, TableRef } from '../../change/change';
import { deepEqual } from '../../model/compare';
import type { PrimaryKey, Table, UniqueConstraint } from '../../model/schema';
import { quotePostgresIdentifier, quotePostgresList, quotePostgresLiteral, quotePostgresTable } from './quote';
import type { RenderContext } from '../sql-dialect';
import { postgresColumnSql, renameSequence } from './render-column';
import { checkClause, createIndexSql, dropConstraint, exclusionClause, foreignKeyClause, tableBefore, uniqueClause } from './render-constraint';

type ChangeOf<K extends Change['kind']> = Extract<Change, { readonly kind: K }>;

/**
 * create_table: one CREATE TABLE with the columns, primary key, unique constraints and checks, then the comments, one
 * CREATE INDEX per index, and any foreign keys as ALTER TABLE (the planner normally splits them out beforehand, so
 * that every referenced table exists first).
 */
export function createPostgresTable(change: ChangeOf<'create_table'>): readonly string[] {
  const table = change.table;
  const ref: TableRef = { schema: table.schema, name: table.name };
  const columns = table.columns.map((column) => postgresColumnSql(ref, column));
  const { inline, added } = splitDuplicateUniques(table);
  const clauses = [
    ...columns.map((column) => column.definition),
    ...(table.primaryKey === null ? [] : [primaryKeyClause(ref, table.primaryKey)]),
    ...inline.map(uniqueClause),
    ...table.checks.map(checkClause),
    ...(table.exclusions ?? []).map(exclusionClause),
  ];
  return [
    `CREATE TABLE ${quotePostgresTable(ref)} (${clauses.join(', ')})`,
    ...added.map((unique) => `ALTER TABLE ${quotePostgresTable(ref)} ADD ${uniqueClause(unique)}`),
    ...(table.comment === null ? [] : [commentOnTable(ref, table.comment)]),
    ...columns.flatMap((column) => column.after),
    ...table.indexes.map((index) => createIndexSql(ref, index, table)),
    ...table.foreignKeys.map((foreignKey) => `ALTER TABLE ${quotePostgresTable(ref)} ADD ${foreignKeyClause(foreignKey)}`),
  ];
}

/**
 * CREATE TABLE silently keeps only the first of the key constraints (primary key first) that have the same columns in
 * the same order; ALTER TABLE ADD keeps each. Unique constraints that repeat the primary key's or an earlier
 * unique's columns are therefore added after the table.
 */
function splitDuplicateUniques(table: Table): { inline: UniqueConstraint[]; added: UniqueConstraint[] } {
  const seen = table.primaryKey === null ? [] : [table.primaryKey.columns];
  const inline: UniqueConstraint[] = [];
  const added: UniqueConstraint[] = [];
  for (const unique of table.uniques) {
    if (seen.some((columns) => deepEqual(columns, unique.columns))) {
      added.push(unique);
    } else {
      inline.push(unique);
      seen.push(unique.columns);
    }
  }
  return { inline, added };
}

/** drop_table: its indexes, constraints, comments and serial sequences go with it. */
export function dropPostgresTable(change: ChangeOf<'drop_table'>): readonly string[] {
  return [`DROP TABLE ${quotePostgresTable(change.table)}`];
}

/**
 * rename_table: SET SCHEMA moves it (with its indexes, constraints and owned sequences) when the schema changes, then
 * RENAME TO names it. Constraint and index names stay as they were, as the model expects; serial sequences are
 * renamed after the table, as SERIAL would have named them.
 */
export function renamePostgresTable(change: ChangeOf<'rename_table'>, context: RenderContext): readonly string[] {
  const { from, to } = change;
  const out: string[] = [];
  let current = from;
  if (from.schema !== to.schema) {
    out.push(`ALTER TABLE ${quotePostgresTable(current)} SET SCHEMA ${quotePostgresIdentifier(to.schema ?? 'public')}`);
    current = { schema: to.schema, name: from.name };
  }
  if (from.name !== to.name) {
    out.push(`ALTER TABLE ${quotePostgresTable(current)} RENAME TO ${quotePostgresIdentifier(to.name)}`);
    // Serial sequences moved with the table; their names follow it too (see renameSequence).
    const serials = tableBefore(context, from)?.columns.filter((column) => column.generation === 'increment') ?? [];
    out.push(...serials.map((column) => renameSequence(current, column.name, to.name, column.name)));
  }
  return out;
}

/** alter_table_comment. */
export function alterPostgresTableComment(change: ChangeOf<'alter_table_comment'>): readonly string[] {
  return [commentOnTable(change.table, change.to)];
}

/** alter_primary_key: drop the old constraint by name, add the new one under its own name. */
export function alterPostgresPrimaryKey(change: ChangeOf<'alter_primary_key'>): readonly string[] {
  const out: string[] = [];
  if (change.from !== null) out.push(dropConstraint(change.table, primaryKeyName(change.table, change.from)));
  if (change.to !== null) out.push(`ALTER TABLE ${quotePostgresTable(change.table)} ADD ${primaryKeyClause(change.table, change.to)}`);
  return out;
}

/** `COMMENT ON TABLE … IS '…'` (or `IS NULL`). */
function commentOnTable(table: TableRef, comment: string | null): string {
  return `COMMENT ON TABLE ${quotePostgresTable(table)} IS ${comment === null ? 'NULL' : quotePostgresLiteral(comment)}`;
}

function primaryKeyClause(table: TableRef, primaryKey: PrimaryKey): string {
  return `CONSTRAINT ${quotePostgresIdentifier(primaryKeyName(table, primaryKey))} PRIMARY KEY (${quotePostgresList(primaryKey.columns)})`;
}

/** The key's own name, or the one PostgreSQL gives an unnamed primary key (ignoring its 63-byte truncation). */
function primaryKeyName(table: TableRef, primaryKey: PrimaryKey): string {
  return primaryKey.name ?? `${table.name}_pkey`;
}
