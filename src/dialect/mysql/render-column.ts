import type { Change, TableRef } from '../../change/change';
import type { Column } from '../../model/schema';
import { SchemaSyncError } from '../../util/errors';
import type { RenderContext } from '../sql-dialect';
import { leadsAKey } from './key-indexes';
import { quoteMysqlLiteral, quoteMysqlName, quoteMysqlTable } from './quote';
import { renderMysqlDefault, renderMysqlType } from './render-type';

type ChangeOf<K extends Change['kind']> = Extract<Change, { readonly kind: K }>;

/**
 * The full definition of a column: type, character set and collation when set, NULL or NOT NULL (always spelled out:
 * a TIMESTAMP left unmarked may be made NOT NULL by the server), default, AUTO_INCREMENT and the inline comment.
 */
export function mysqlColumnDefinition(table: TableRef, column: Column): string {
  const culprit = `${table.name}.${column.name}`;
  if (column.generation === 'identity-always' || column.generation === 'identity-by-default') {
    throw new SchemaSyncError('UNSUPPORTED', `MySQL and MariaDB have no identity columns, only AUTO_INCREMENT (${culprit})`);
  }
  const parts = [quoteMysqlName(column.name), withDisplay(renderMysqlType(column.type, culprit), column)];
  // JSON's character set and collation are fixed by the server (MariaDB's LONGTEXT stand-in is utf8mb4_bin).
  if (column.type.kind !== 'json') {
    if (column.charset !== null) parts.push(`CHARACTER SET ${column.charset}`);
    if (column.collation !== null) parts.push(`COLLATE ${column.collation}`);
  }
  if (column.computed !== undefined) {
    // MariaDB takes no NULL/NOT NULL, default or AUTO_INCREMENT on a generated column.
    parts.push(`AS (${column.computed.expression}) ${column.computed.stored ? 'STORED' : 'VIRTUAL'}`);
    if (column.comment !== null) parts.push(`COMMENT ${quoteMysqlLiteral(column.comment)}`);
    return parts.join(' ');
  }
  parts.push(column.nullable ? 'NULL' : 'NOT NULL');
  if (column.generation === null && column.default !== null) parts.push(`DEFAULT ${renderMysqlDefault(column.default, column.type)}`);
  if (column.onUpdate !== null) parts.push(`ON UPDATE ${column.onUpdate}`);
  if (column.generation === 'increment') parts.push('AUTO_INCREMENT');
  if (column.comment !== null) parts.push(`COMMENT ${quoteMysqlLiteral(column.comment)}`);
  return parts.join(' ');
}

/** An integer type with its display width and ZEROFILL, where the model keeps them (Column.display). */
function withDisplay(typeSql: string, column: Column): string {
  if (column.display === undefined || column.type.kind !== 'integer') return typeSql;
  const [name, ...modifiers] = typeSql.split(' ');
  const width = column.display.width === null ? '' : `(${column.display.width})`;
  return [`${name}${width}`, ...modifiers, ...(column.display.zerofill ? ['zerofill'] : [])].join(' ');
}

/** add_column: the full definition, appended after the last column as the model expects. */
export function addMysqlColumn(change: ChangeOf<'add_column'>, context: RenderContext): readonly string[] {
  const column = asServerHoldsIt(change.table, change.column, context);
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} ADD COLUMN ${mysqlColumnDefinition(change.table, column)}`];
}

/** The column without AUTO_INCREMENT (which also has no default to render). */
export function withoutAutoIncrement(column: Column): Column {
  return { ...column, generation: null, default: column.generation === 'increment' ? null : column.default };
}

/**
 * The column as the server can hold it just before the change: InnoDB refuses AUTO_INCREMENT on a column that no
 * key leads, so the column goes without until its key arrives, whose renderer then adds AUTO_INCREMENT.
 */
function asServerHoldsIt(ref: TableRef, column: Column, context: RenderContext): Column {
  if (column.generation !== 'increment') return column;
  const table = context.before.tables.find((t) => t.schema === ref.schema && t.name === ref.name);
  return table === undefined || leadsAKey(table, column.name) ? column : withoutAutoIncrement(column);
}

/** drop_column. */
export function dropMysqlColumn(change: ChangeOf<'drop_column'>): readonly string[] {
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} DROP COLUMN ${quoteMysqlName(change.column.name)}`];
}

/**
 * rename_column: RENAME COLUMN (MySQL 8.0, MariaDB 10.5) keeps the definition, unlike CHANGE COLUMN. A JSON column is
 * the exception: on MariaDB it carries an automatic CHECK (json_valid(`col`)), and 10.11 refuses RENAME COLUMN with
 * "Unknown column '<old>' in 'CHECK'" once the table is cached after a query named the missing column; CHANGE COLUMN
 * with the full definition (`to` is `from` under the new name) renames it and its check together.
 */
export function renameMysqlColumn(change: ChangeOf<'rename_column'>): readonly string[] {
  const table = quoteMysqlTable(change.table);
  if (change.to.type.kind === 'json') return [`ALTER TABLE ${table} CHANGE COLUMN ${quoteMysqlName(change.from.name)} ${mysqlColumnDefinition(change.table, change.to)}`];
  return [`ALTER TABLE ${table} RENAME COLUMN ${quoteMysqlName(change.from.name)} TO ${quoteMysqlName(change.to.name)}`];
}

/**
 * alter_column: one MODIFY COLUMN with the complete `to` definition, since MODIFY replaces everything (a comment or
 * default left out is removed). That holds for the character set and collation too, and is what the model means by
 * null: with neither clause the column takes the table's set and collation, with CHARACTER SET x alone x's default
 * collation, and with COLLATE y alone y's set.
 */
export function alterMysqlColumn(change: ChangeOf<'alter_column'>, context: RenderContext): readonly string[] {
  // MODIFY cannot turn a stored column into a virtual one or a plain one into a generated one: the column is made again.
  if (change.changed.includes('computed')) {
    return [...dropMysqlColumn({ kind: 'drop_column', table: change.table, column: change.from }), ...addMysqlColumn({ kind: 'add_column', table: change.table, column: change.to }, context)];
  }
  const to = asServerHoldsIt(change.table, change.to, context);
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} MODIFY COLUMN ${mysqlColumnDefinition(change.table, to)}`];
}
