import type { Change } from './change';
import { assertNever } from '../util/assert-never';

/**
 * The change that undoes `change`. Total because every drop carries what it drops; a rollback is
 * `forward.slice().reverse().map(inverse)`, rendered by the same dialect, never diffed separately.
 */
export function inverse(change: Change): Change {
  switch (change.kind) {
    case 'create_table':
      return { kind: 'drop_table', table: change.table };
    case 'drop_table':
      return { kind: 'create_table', table: change.table };
    case 'rename_table':
      return { kind: 'rename_table', from: change.to, to: change.from };
    case 'rename_column':
      return { kind: 'rename_column', table: change.table, from: change.to, to: change.from };
    case 'rename_index':
      return { kind: 'rename_index', table: change.table, from: change.to, to: change.from };
    case 'rename_unique':
      return { kind: 'rename_unique', table: change.table, from: change.to, to: change.from };
    case 'rename_foreign_key':
      return { kind: 'rename_foreign_key', table: change.table, from: change.to, to: change.from };
    case 'copy_column':
      // Undoing a copy fills the old column back from the new one where it is NULL (rows the new release wrote).
      return { kind: 'copy_column', table: change.table, from: change.to, to: change.from, key: change.key };
    case 'create_sync_trigger':
      return { ...change, kind: 'drop_sync_trigger' };
    case 'drop_sync_trigger':
      return { ...change, kind: 'create_sync_trigger' };
    case 'add_column':
      return { kind: 'drop_column', table: change.table, column: change.column };
    case 'drop_column':
      return { kind: 'add_column', table: change.table, column: change.column };
    case 'alter_column':
      return { kind: 'alter_column', table: change.table, from: change.to, to: change.from, changed: change.changed };
    case 'alter_primary_key':
      return { kind: 'alter_primary_key', table: change.table, from: change.to, to: change.from };
    case 'create_index':
      return { kind: 'drop_index', table: change.table, index: change.index };
    case 'drop_index':
      return { kind: 'create_index', table: change.table, index: change.index };
    case 'add_unique':
      return { kind: 'drop_unique', table: change.table, unique: change.unique };
    case 'drop_unique':
      return { kind: 'add_unique', table: change.table, unique: change.unique };
    case 'add_foreign_key':
      return { kind: 'drop_foreign_key', table: change.table, foreignKey: change.foreignKey };
    case 'drop_foreign_key':
      return { kind: 'add_foreign_key', table: change.table, foreignKey: change.foreignKey };
    case 'add_check':
      return { kind: 'drop_check', table: change.table, check: change.check };
    case 'drop_check':
      return { kind: 'add_check', table: change.table, check: change.check };
    case 'add_exclusion':
      return { kind: 'drop_exclusion', table: change.table, exclusion: change.exclusion };
    case 'drop_exclusion':
      return { kind: 'add_exclusion', table: change.table, exclusion: change.exclusion };
    case 'alter_table_comment':
      return { kind: 'alter_table_comment', table: change.table, from: change.to, to: change.from };
    case 'create_enum':
      return { kind: 'drop_enum', enumType: change.enumType };
    case 'drop_enum':
      return { kind: 'create_enum', enumType: change.enumType };
    case 'alter_enum':
      return { kind: 'alter_enum', from: change.to, to: change.from };
    case 'create_view':
      return { kind: 'drop_view', view: change.view };
    case 'drop_view':
      return { kind: 'create_view', view: change.view };
    case 'replace_view':
      return { kind: 'replace_view', from: change.to, to: change.from };
    case 'add_orm_record':
      return { kind: 'remove_orm_record', table: change.table, record: change.record };
    case 'remove_orm_record':
      return { kind: 'add_orm_record', table: change.table, record: change.record };
    default:
      return assertNever(change, 'change');
  }
}

/** The changes that undo a whole forward list, in the order they must run. */
export function inverseAll(changes: readonly Change[]): Change[] {
  return [...changes].reverse().map(inverse);
}
