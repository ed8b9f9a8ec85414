import type { Change } from './change';
import type { ColumnType } from '../model/schema';
import { assertNever } from '../util/assert-never';

const INTEGER_RANK = { tiny: 1, small: 2, medium: 3, int: 4, big: 5 } as const;
const TEXT_RANK = { tiny: 1, regular: 2, medium: 3, long: 4 } as const;

/** Whether every value of `from` fits `to` unchanged (a widening): the only type changes that cannot lose data. */
export function isWidening(from: ColumnType, to: ColumnType): boolean {
  // A signed source never fits an unsigned target: its negative values do not.
  if (isUnsigned(to) && !isUnsigned(from)) return false;
  if (from.kind === 'integer' && to.kind === 'integer') {
    if (from.unsigned === to.unsigned) return INTEGER_RANK[to.size] >= INTEGER_RANK[from.size];
    // Unsigned to signed fits only in a strictly larger type; signed to unsigned never fits (negatives).
    return from.unsigned && INTEGER_RANK[to.size] > INTEGER_RANK[from.size];
  }
  if (from.kind === 'integer' && to.kind === 'decimal') return to.precision === null || to.precision - (to.scale ?? 0) >= 20;
  if (from.kind === 'decimal' && to.kind === 'decimal') {
    if (to.precision === null) return true;
    if (from.precision === null) return false;
    return to.scale !== null && (from.scale ?? 0) <= to.scale && from.precision - (from.scale ?? 0) <= to.precision - to.scale;
  }
  if (from.kind === 'float' && to.kind === 'float') return from.size === 'single' || to.size === 'double';
  if (from.kind === 'string' && to.kind === 'string') {
    return from.binary === to.binary && (to.length === null || (from.length !== null && to.length >= from.length));
  }
  if (from.kind === 'string' && to.kind === 'text') return from.binary === to.binary;
  if (from.kind === 'text' && to.kind === 'text') return from.binary === to.binary && TEXT_RANK[to.size] >= TEXT_RANK[from.size];
  if (from.kind === 'enum' && to.kind === 'enum') return from.values.every((value) => to.values.includes(value));
  if (from.kind === 'vector' && to.kind === 'vector') return from.dimensions === to.dimensions;
  return false;
}

function isUnsigned(type: ColumnType): boolean {
  return (type.kind === 'integer' || type.kind === 'decimal' || type.kind === 'float') && type.unsigned;
}

/** Whether applying the change can destroy data that is in the database now. */
export function isDestructive(change: Change): boolean {
  switch (change.kind) {
    case 'drop_table':
    case 'drop_enum':
      return true;
    case 'drop_column':
      // A generated column's values are computed from the others: dropping it loses nothing the server cannot redo.
      return change.column.computed === undefined;
    case 'alter_enum':
      return change.from.values.some((value) => !change.to.values.includes(value));
    case 'alter_column':
      // A plain column turned generated is dropped and re-added: its own values go.
      if (change.changed.includes('computed') && change.from.computed === undefined) return true;
      return change.changed.includes('type') && !isWidening(change.from.type, change.to.type);
    case 'create_table':
    case 'rename_table':
    case 'rename_column':
    case 'rename_index':
    case 'rename_unique':
    case 'rename_foreign_key':
    case 'add_column':
    case 'alter_primary_key':
    case 'create_index':
    case 'drop_index':
    case 'add_unique':
    case 'drop_unique':
    case 'add_foreign_key':
    case 'drop_foreign_key':
    case 'add_check':
    case 'drop_check':
    case 'add_exclusion':
    case 'drop_exclusion':
    case 'alter_table_comment':
    case 'create_enum':
    case 'create_view':
    case 'replace_view':
    case 'add_orm_record':
    case 'remove_orm_record':
      return false;
    case 'drop_view':
      return false;
    case 'copy_column':
    case 'create_sync_trigger':
    case 'drop_sync_trigger':
      // The copy fills NULLs only; the trigger copies values between two columns that both stay.
      return false;
    default:
      return assertNever(change, 'change');
  }
}

/**
 * Whether the change is held back unless `--drop` is given: everything destructive. Dropping an index, key or check
 * loses no rows and can be undone from the model, so it is planned like any other change.
 */
export function isGuarded(change: Change): boolean {
  // A view the models no longer declare holds no rows, but something outside them may still read it. A view that
  // is replaced reaches the plan as replace_view and is not held.
  return isDestructive(change) || change.kind === 'drop_view';
}
