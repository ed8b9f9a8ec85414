import type { Change, ColumnAspect } from '../change/change';
import type { Column, OrmRecord, View } from '../model/schema';
import { assertNever } from '../util/assert-never';
import { formatColumn, formatDefault, formatDeferrable, formatForeignKey, formatIndex, formatType } from './format';

/** The report's view of one change: which column or object it touches and a one-line detail. */
export interface ChangeDescription {
  readonly column?: string;
  readonly object?: string;
  readonly detail: string;
}

/** Describes a change for people and for `--json`. */
export function describeChange(change: Change): ChangeDescription {
  switch (change.kind) {
    case 'create_table':
      return {
        detail: `create table with ${count(change.table.columns.length, 'column')}${change.table.indexes.length > 0 ? `, ${count(change.table.indexes.length, 'index', 'indexes')}` : ''}${change.table.foreignKeys.length > 0 ? `, ${count(change.table.foreignKeys.length, 'foreign key')}` : ''}`,
      };
    case 'drop_table':
      return { detail: `drop table (${count(change.table.columns.length, 'column')} and every row in it)` };
    case 'rename_table':
      return { detail: `rename table ${qualified(change.from)} to ${qualified(change.to)}` };
    case 'rename_column':
      return { column: change.to.name, detail: `rename column ${change.from.name} to ${change.to.name}` };
    case 'add_column':
      return { column: change.column.name, detail: `add column ${change.column.name} ${formatColumn(change.column)}` };
    case 'drop_column':
      return { column: change.column.name, detail: `drop column ${change.column.name} ${formatColumn(change.column)} (its values are lost)` };
    case 'alter_column':
      return { column: change.to.name, detail: `alter column ${change.to.name}: ${change.changed.map((aspect) => describeAspect(aspect, change.from, change.to)).join('; ')}` };
    case 'alter_primary_key':
      return { detail: `primary key (${change.from?.columns.join(', ') ?? 'none'}) -> (${change.to?.columns.join(', ') ?? 'none'})` };
    case 'create_index':
      return { object: change.index.name, detail: `create ${formatIndex(change.index)}` };
    case 'rename_index':
      return { object: change.to.name, detail: `rename index ${change.from.name} to ${change.to.name}` };
    case 'rename_unique':
      return { object: change.to.name, detail: `rename unique constraint ${change.from.name} to ${change.to.name}` };
    case 'rename_foreign_key':
      return { object: change.to.name, detail: `rename foreign key ${change.from.name} to ${change.to.name}` };
    case 'drop_index':
      return { object: change.index.name, detail: `drop ${formatIndex(change.index)}` };
    case 'add_unique':
      return { object: change.unique.name, detail: `add unique constraint ${change.unique.name} (${change.unique.columns.join(', ')})${formatDeferrable(change.unique.deferrable)}` };
    case 'drop_unique':
      return { object: change.unique.name, detail: `drop unique constraint ${change.unique.name} (${change.unique.columns.join(', ')})${formatDeferrable(change.unique.deferrable)}` };
    case 'add_foreign_key':
      return { object: change.foreignKey.name, detail: `add ${formatForeignKey(change.foreignKey)}` };
    case 'drop_foreign_key':
      return { object: change.foreignKey.name, detail: `drop ${formatForeignKey(change.foreignKey)}` };
    case 'add_check':
      return { object: change.check.name, detail: `add check ${change.check.name} (${change.check.expression})` };
    case 'drop_check':
      return { object: change.check.name, detail: `drop check ${change.check.name} (${change.check.expression})` };
    case 'add_exclusion':
      return { object: change.exclusion.name, detail: `add exclusion constraint ${change.exclusion.name} (EXCLUDE ${change.exclusion.expression})${formatDeferrable(change.exclusion.deferrable)}` };
    case 'drop_exclusion':
      return { object: change.exclusion.name, detail: `drop exclusion constraint ${change.exclusion.name} (EXCLUDE ${change.exclusion.expression})${formatDeferrable(change.exclusion.deferrable)}` };
    case 'alter_table_comment':
      return { detail: `comment ${quoteOrNone(change.from)} -> ${quoteOrNone(change.to)}` };
    case 'create_enum':
      return { object: change.enumType.name, detail: `create enum type ${change.enumType.name} (${change.enumType.values.join(', ')})` };
    case 'drop_enum':
      return { object: change.enumType.name, detail: `drop enum type ${change.enumType.name} (${change.enumType.values.join(', ')})` };
    case 'alter_enum': {
      const added = change.to.values.filter((value) => !change.from.values.includes(value));
      const removed = change.from.values.filter((value) => !change.to.values.includes(value));
      const parts = [];
      if (added.length > 0) parts.push(`add values ${added.join(', ')}`);
      if (removed.length > 0) parts.push(`remove values ${removed.join(', ')}`);
      if (parts.length === 0) parts.push('reorder values');
      return { object: change.to.name, detail: `alter enum type ${change.to.name}: ${parts.join('; ')}` };
    }
    case 'create_view':
      return { object: change.view.name, detail: `create ${viewKind(change.view)} ${qualified(change.view)}` };
    case 'drop_view':
      return { object: change.view.name, detail: `drop ${viewKind(change.view)} ${qualified(change.view)}` };
    case 'replace_view':
      return { object: change.to.name, detail: `replace ${viewKind(change.to)} ${qualified(change.to)} (${replacementReason(change.from, change.to)})` };
    case 'copy_column':
      return { column: change.to, detail: `copy ${change.from} into ${change.to} where ${change.to} is NULL, in batches along ${change.key.join(', ')}` };
    case 'create_sync_trigger':
      return { object: change.name, detail: `create trigger ${change.name} keeping ${change.from} and ${change.to} in step` };
    case 'drop_sync_trigger':
      return { object: change.name, detail: `drop trigger ${change.name} that kept ${change.from} and ${change.to} in step` };
    case 'add_orm_record':
      return { detail: `record ${formatRecord(change.record)}` };
    case 'remove_orm_record':
      return { detail: `forget ${formatRecord(change.record)}` };
    default:
      return assertNever(change, 'change');
  }
}

function viewKind(view: View): string {
  return view.materialized ? 'materialized view' : 'view';
}

function replacementReason(from: View, to: View): string {
  if (from.materialized !== to.materialized) return to.materialized ? 'now materialized' : 'no longer materialized';
  return from.recorded ? 'its query changed' : 'no record of the query it was made from';
}

function formatRecord(record: OrmRecord): string {
  const subject = [record.schema, record.table, record.name].filter((part) => part !== null).join('.');
  return `${record.type} ${subject}`;
}

/** A null character set is the table's, or on MySQL the one a stated collation names. */
function charsetOrDefault(column: Column): string {
  return column.charset ?? (column.collation === null ? 'table default' : `that of ${column.collation}`);
}

/** A null collation is the table's under the table's character set, else the default of the column's own set. */
function collationOrDefault(column: Column): string {
  return column.collation ?? (column.charset === null ? 'table default' : `${column.charset} default`);
}

function describeAspect(aspect: ColumnAspect, from: Column, to: Column): string {
  switch (aspect) {
    case 'type':
      return `type ${formatType(from.type)} -> ${formatType(to.type)}`;
    case 'nullable':
      return to.nullable ? 'NOT NULL -> NULL' : 'NULL -> NOT NULL';
    case 'default':
      return `default ${formatDefault(from.default)} -> ${formatDefault(to.default)}`;
    case 'generation':
      return `generation ${from.generation ?? 'none'} -> ${to.generation ?? 'none'}`;
    case 'comment':
      return `comment ${quoteOrNone(from.comment)} -> ${quoteOrNone(to.comment)}`;
    case 'charset':
      return `charset ${charsetOrDefault(from)} -> ${charsetOrDefault(to)}`;
    case 'collation':
      return `collation ${collationOrDefault(from)} -> ${collationOrDefault(to)}`;
    case 'onUpdate':
      return `on update ${from.onUpdate ?? 'none'} -> ${to.onUpdate ?? 'none'}`;
    case 'computed':
      return `generated ${formatComputed(from)} -> ${formatComputed(to)}`;
    default:
      return assertNever(aspect, 'column aspect');
  }
}

function formatComputed(column: Column): string {
  return column.computed === undefined ? 'none' : `AS (${column.computed.expression}) ${column.computed.stored ? 'STORED' : 'VIRTUAL'}`;
}

function qualified(table: { readonly schema: string | null; readonly name: string }): string {
  return table.schema === null ? table.name : `${table.schema}.${table.name}`;
}

function quoteOrNone(text: string | null): string {
  return text === null ? 'none' : JSON.stringify(text);
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
