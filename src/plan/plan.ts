import type { Change } from '../change/change';
import { attachFills, type FillHint } from '../change/column-fill';
import { inverseAll } from '../change/inverse';
import { isGuarded } from '../change/safety';
import { diffSchemas } from '../diff/diff-schemas';
import { suggestColumnRenames, type RenameSuggestion } from '../diff/renames';
import type { Schema } from '../model/schema';
import { SchemaSyncError } from '../util/errors';
import { expandTableKeys, orderForApply, rebuildForeignKeysOverColumnChanges } from './expand';
import { applyRenameHints, type RenameHint } from './renames';
import { rebuildViews } from './views';

/** What the user allowed. */
export interface PlanOptions {
  /** `--drop`: plan guarded (data-destroying) changes too. */
  readonly allowDrop: boolean;
  /** `--rename` hints. */
  readonly renames: readonly RenameHint[];
  /** `--reorder-primary-keys`: plan a primary key whose columns differ only in order (it rewrites the table). */
  readonly reorderPrimaryKeys?: boolean;
  /** `--fill table.column=value`: what existing rows get in a NOT NULL column added without a default. */
  readonly fills?: readonly FillHint[];
}

/** A migration before it is rendered: what runs, what was held back and why. */
export interface Plan {
  /** Changes to run, expanded (keys split from tables) and in apply order. */
  readonly forward: readonly Change[];
  /** The inverse of `forward`, in the order it must run. */
  readonly rollback: readonly Change[];
  /** Guarded changes left out because `--drop` was not given. */
  readonly held: readonly Change[];
  /** Primary keys that differ only in column order, left out unless `reorderPrimaryKeys` asked for them. */
  readonly reorders: readonly Change[];
  /** Drops that look like renames; with `--drop` they are refused until a `--rename` hint (or `--force`) decides. */
  readonly likelyRenames: readonly RenameSuggestion[];
}

/**
 * Plans the changes that take `actual` towards `desired`. Pure. Renames come only from hints; guarded changes are
 * held back unless allowed; a dropped column that looks like a rename is reported so the caller can refuse it.
 */
export function planMigration(actual: Schema, desired: Schema, options: PlanOptions): Plan {
  const diff = diffSchemas(actual, desired);
  const changes = applyRenameHints(diff.changes, options.renames, actual.dialect !== 'postgres');
  const likelyRenames = suggestColumnRenames(changes);
  const held = options.allowDrop ? [] : changes.filter(isGuarded);
  const reorders = options.reorderPrimaryKeys === true ? [] : changes.filter(isPrimaryKeyReorder);
  const kept = changes.filter((change) => !held.includes(change) && !reorders.includes(change));
  const fills = options.fills ?? [];
  const used = new Set<FillHint>();
  const forward = attachFills(orderForApply(rebuildViews(rebuildForeignKeysOverColumnChanges(expandTableKeys(kept), desired), actual, desired)), fills, false, used);
  // A rollback that re-adds a dropped NOT NULL column runs on a table that has rows by then: it always gets a fill.
  const rollback = attachFills(rollbackOf(forward), fills, true, used);
  const unused = fills.filter((fill) => !used.has(fill));
  if (unused.length > 0) {
    const names = unused.map((fill) => `${fill.table}.${fill.column}`).join(', ');
    throw new SchemaSyncError('BAD_ARGUMENT', `--fill ${names}: no NOT NULL column without a default is added to an existing table there (by migrate or by rollback)`);
  }
  return { forward, rollback, held, reorders, likelyRenames };
}

/**
 * The inverse of `forward`, in reverse order, with two moves. Enum type changes go first, as they do in any plan
 * (orderForApply): a value the rollback adds back must exist before a default or table that uses it is restored; they
 * only touch types that exist on both sides and read the columns as they stand, so moving them is safe. Keys, indexes
 * and checks the rollback puts back go last: they name columns by their old names, which exist only once every rename
 * has been undone (an index on a renamed column, restored before the rename back, fails).
 */
export function rollbackOf(forward: readonly Change[]): Change[] {
  const inverses = inverseAll(forward);
  const enums = inverses.filter((change) => change.kind === 'alter_enum');
  const restored = inverses.filter(isRestoredKey);
  return [...enums, ...inverses.filter((change) => change.kind !== 'alter_enum' && !isRestoredKey(change)), ...restored];
}

/** An index, key or check a rollback creates again (the inverse of a drop in `forward`). */
function isRestoredKey(change: Change): boolean {
  switch (change.kind) {
    case 'create_index':
    case 'add_unique':
    case 'add_foreign_key':
    case 'add_check':
    case 'add_exclusion':
      return true;
    case 'alter_primary_key':
      return change.from === null;
    default:
      return false;
  }
}

/**
 * A primary key whose columns are the same set in another order. The index order matters to queries, but changing it
 * drops and re-creates the key (on MySQL a table rebuild), and TypeORM does not do it: so it is reported and planned
 * only on request.
 */
export function isPrimaryKeyReorder(change: Change): boolean {
  if (change.kind !== 'alter_primary_key' || change.from === null || change.to === null) return false;
  const from = change.from.columns;
  const to = change.to.columns;
  return from.length === to.length && from.every((column) => to.includes(column)) && from.some((column, i) => to[i] !== column);
}
