import type { Change, TableRef } from '../change/change';
import { diffColumn } from '../diff/diff-column';
import { diffTable } from '../diff/diff-table';
import { deepEqual } from '../model/compare';
import { tableKey, type ForeignKey } from '../model/schema';
import { SchemaSyncError } from '../util/errors';

/** A rename the user asked for: a table (`old=new`) or a column (`table.old=new`). */
export type RenameHint =
  | { readonly kind: 'table'; readonly from: string; readonly to: string }
  | { readonly kind: 'column'; readonly table: string; readonly from: string; readonly to: string };

/**
 * Parses `--rename` values: `old_table=new_table` or `table.old_column=new_column` (a table may be schema-qualified:
 * `audit.log.old=new` is a column, `audit.old=audit.new` a table in schema audit).
 */
export function parseRenameHint(text: string): RenameHint {
  const match = /^([^=]+)=([^=]+)$/.exec(text.trim());
  if (match === null) throw new SchemaSyncError('BAD_ARGUMENT', `--rename ${text}: expected old_table=new_table or table.old_column=new_column`);
  const left = (match[1] as string).trim();
  const right = (match[2] as string).trim();
  if (right.includes('.')) return { kind: 'table', from: left, to: right };
  const dot = left.lastIndexOf('.');
  if (dot < 0) return { kind: 'table', from: left, to: right };
  return { kind: 'column', table: left.slice(0, dot), from: left.slice(dot + 1), to: right };
}

/**
 * Turns the drop + add pairs named by hints into renames, followed by whatever else differs (type, default…)
 * as an alter. A hint that matches nothing is an error naming it: a typo must not silently become a drop.
 */
export function applyRenameHints(changes: readonly Change[], hints: readonly RenameHint[], mysqlFamily = false): Change[] {
  let result = [...changes];
  for (const hint of hints) result = hint.kind === 'table' ? renameTable(result, hint, mysqlFamily) : renameColumn(result, hint);
  return result;
}

function renameTable(changes: Change[], hint: Extract<RenameHint, { kind: 'table' }>, mysqlFamily: boolean): Change[] {
  const drop = changes.find((c): c is Extract<Change, { kind: 'drop_table' }> => c.kind === 'drop_table' && tableKey(c.table) === hint.from);
  const create = changes.find((c): c is Extract<Change, { kind: 'create_table' }> => c.kind === 'create_table' && tableKey(c.table) === hint.to);
  if (drop === undefined || create === undefined) {
    throw new SchemaSyncError(
      'BAD_ARGUMENT',
      `--rename ${hint.from}=${hint.to}: ${drop === undefined ? `no table "${hint.from}" is being dropped` : `no table "${hint.to}" is being created`}`,
    );
  }
  const from: TableRef = { schema: drop.table.schema, name: drop.table.name };
  const to: TableRef = { schema: create.table.schema, name: create.table.name };
  // Foreign keys that pointed at the old name follow the rename in the database, so their drop + re-add pairs
  // (same name, same definition once retargeted) go away; the renamed table is then compared like any other.
  const retarget = (foreignKey: ForeignKey): ForeignKey =>
    foreignKey.referencedSchema === from.schema && foreignKey.referencedTable === from.name
      ? { ...foreignKey, referencedSchema: to.schema, referencedTable: to.name }
      : foreignKey;
  const renamedActual = { ...drop.table, schema: to.schema, name: to.name, foreignKeys: drop.table.foreignKeys.map(retarget) };
  const rest = changes.filter((c) => c !== drop && c !== create);
  const followed = rest.filter(
    (c) =>
      !(c.kind === 'drop_foreign_key' &&
        rest.some((a) => a.kind === 'add_foreign_key' && tableKey(a.table) === tableKey(c.table) && deepEqual(a.foreignKey, retarget(c.foreignKey)))) &&
      !(c.kind === 'add_foreign_key' &&
        rest.some((d) => d.kind === 'drop_foreign_key' && tableKey(d.table) === tableKey(c.table) && deepEqual(c.foreignKey, retarget(d.foreignKey)))),
  );
  return [...followed, { kind: 'rename_table', from, to }, ...diffTable(renamedActual, create.table, mysqlFamily)];
}

function renameColumn(changes: Change[], hint: Extract<RenameHint, { kind: 'column' }>): Change[] {
  const inTable = (c: { table: TableRef }) => tableKey(c.table) === hint.table;
  const drop = changes.find((c): c is Extract<Change, { kind: 'drop_column' }> => c.kind === 'drop_column' && inTable(c) && c.column.name === hint.from);
  const add = changes.find((c): c is Extract<Change, { kind: 'add_column' }> => c.kind === 'add_column' && inTable(c) && c.column.name === hint.to);
  if (drop === undefined || add === undefined) {
    throw new SchemaSyncError(
      'BAD_ARGUMENT',
      `--rename ${hint.table}.${hint.from}=${hint.to}: ${drop === undefined ? `no column "${hint.from}" is being dropped from ${hint.table}` : `no column "${hint.to}" is being added to ${hint.table}`}`,
    );
  }
  const renamed = { ...drop.column, name: add.column.name };
  const changed = diffColumn(renamed, add.column);
  const follow: Change[] = changed.length > 0 ? [{ kind: 'alter_column', table: add.table, from: renamed, to: add.column, changed }] : [];
  return [...changes.filter((c) => c !== drop && c !== add), { kind: 'rename_column', table: add.table, from: drop.column, to: renamed }, ...follow];
}
