import type { Change, TableRef } from '../../change/change';
import { diffColumn } from '../../diff/diff-column';
import type { Column, ColumnType } from '../../model/schema';
import { SchemaSyncError } from '../../util/errors';
import { quoteMysqlLiteral, quoteMysqlName, quoteMysqlTable } from './quote';
import { renderMysqlDefault, renderMysqlType } from './render-type';

type ChangeOf<K extends Change['kind']> = Extract<Change, { readonly kind: K }>;

/**
 * The full definition of a column: type, character set and collation when set, NULL or NOT NULL (always spelled out:
 * a TIMESTAMP left unmarked may be made NOT NULL by the server), default, AUTO_INCREMENT and the inline comment.
 * `charset` and `collation` default to the column's own; ALTER passes the ones to keep.
 */
export function mysqlColumnDefinition(table: TableRef, column: Column, charset = column.charset, collation = column.collation): string {
  const culprit = `${table.name}.${column.name}`;
  if (column.generation === 'identity-always' || column.generation === 'identity-by-default') {
    throw new SchemaSyncError('UNSUPPORTED', `MySQL and MariaDB have no identity columns, only AUTO_INCREMENT (${culprit})`);
  }
  const parts = [quoteMysqlName(column.name), renderMysqlType(column.type, culprit)];
  // JSON's character set and collation are fixed by the server (MariaDB's LONGTEXT stand-in is utf8mb4_bin).
  if (column.type.kind !== 'json') {
    if (charset !== null) parts.push(`CHARACTER SET ${charset}`);
    if (collation !== null) parts.push(`COLLATE ${collation}`);
  }
  parts.push(column.nullable ? 'NULL' : 'NOT NULL');
  if (column.generation === null && column.default !== null) parts.push(`DEFAULT ${renderMysqlDefault(column.default, column.type)}`);
  if (column.onUpdate !== null) parts.push(`ON UPDATE ${column.onUpdate}`);
  if (column.generation === 'increment') parts.push('AUTO_INCREMENT');
  if (column.comment !== null) parts.push(`COMMENT ${quoteMysqlLiteral(column.comment)}`);
  return parts.join(' ');
}

/** add_column: the full definition, appended after the last column as the model expects. */
export function addMysqlColumn(change: ChangeOf<'add_column'>): readonly string[] {
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} ADD COLUMN ${mysqlColumnDefinition(change.table, change.column)}`];
}

/** drop_column. */
export function dropMysqlColumn(change: ChangeOf<'drop_column'>): readonly string[] {
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} DROP COLUMN ${quoteMysqlName(change.column.name)}`];
}

/** rename_column: RENAME COLUMN (MySQL 8.0, MariaDB 10.5) keeps the definition, unlike CHANGE COLUMN. */
export function renameMysqlColumn(change: ChangeOf<'rename_column'>): readonly string[] {
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} RENAME COLUMN ${quoteMysqlName(change.from.name)} TO ${quoteMysqlName(change.to.name)}`];
}

/**
 * alter_column: one MODIFY COLUMN with the complete `to` definition, since MODIFY replaces everything (a comment or
 * default left out is removed). A character set or collation the change does not touch is carried over from `from`:
 * `to` holds null for "inherit", and MODIFY without one would reset the column to the table's.
 */
export function alterMysqlColumn(change: ChangeOf<'alter_column'>): readonly string[] {
  const { table, from, to } = change;
  const aspects = new Set([...change.changed, ...diffColumn(from, to)]);
  // What is carried over from `from` only makes sense while the type still has a character set.
  const keeps = carriesCharset(to.type);
  const collation = aspects.has('collation') ? to.collation : keeps ? from.collation : null;
  // A new collation names its own character set, which may not be the old one.
  const charset = aspects.has('charset') ? to.charset : keeps && !(aspects.has('collation') && to.collation !== null) ? from.charset : null;
  return [`ALTER TABLE ${quoteMysqlTable(table)} MODIFY COLUMN ${mysqlColumnDefinition(table, to, charset, collation)}`];
}

/** Whether a type has a character set at all (a number or a binary string has none to carry over). */
function carriesCharset(type: ColumnType): boolean {
  switch (type.kind) {
    case 'string':
    case 'text':
      return !type.binary;
    case 'enum':
    case 'set':
    case 'raw':
      return true;
    default:
      return false;
  }
}
