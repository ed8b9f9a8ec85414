import type { Change } from '../change/change';
import { inverseAll } from '../change/inverse';
import { isGuarded } from '../change/safety';
import { diffSchemas } from '../diff/diff-schemas';
import { suggestColumnRenames, type RenameSuggestion } from '../diff/renames';
import type { Schema } from '../model/schema';
import { expandTableKeys, orderForApply, rebuildForeignKeysOverColumnChanges } from './expand';
import { applyRenameHints, type RenameHint } from './renames';

/** What the user allowed. */
export interface PlanOptions {
  /** `--drop`: plan guarded (data-destroying) changes too. */
  readonly allowDrop: boolean;
  /** `--rename` hints. */
  readonly renames: readonly RenameHint[];
}

/** A migration before it is rendered: what runs, what was held back and why. */
export interface Plan {
  /** Changes to run, expanded (keys split from tables) and in apply order. */
  readonly forward: readonly Change[];
  /** The inverse of `forward`, in the order it must run. */
  readonly rollback: readonly Change[];
  /** Guarded changes left out because `--drop` was not given. */
  readonly held: readonly Change[];
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
  const kept = changes.filter((change) => !held.includes(change));
  const forward = orderForApply(rebuildForeignKeysOverColumnChanges(expandTableKeys(kept), desired));
  return { forward, rollback: rollbackOf(forward), held, likelyRenames };
}

/**
 * The inverse of `forward`, in reverse order, except that enum type changes go first, as they do in any plan
 * (orderForApply): a value the rollback adds back must exist before a default or table that uses it is restored.
 * They only touch types that exist on both sides and read the columns as they stand, so moving them is safe.
 */
function rollbackOf(forward: readonly Change[]): Change[] {
  const inverses = inverseAll(forward);
  return [...inverses.filter((change) => change.kind === 'alter_enum'), ...inverses.filter((change) => change.kind !== 'alter_enum')];
}
