import type { Change } from '../change/change';
import { CHANGE_KINDS, tableOf } from '../change/change';
import { compareText } from '../model/compare';
import { tableKey } from '../model/schema';

/**
 * Splits the foreign keys out of table creations and drops, so that every table exists before any key points at
 * it (cycles included) and keys are gone before their tables are dropped. Rendering only sees tables without keys.
 */
export function expandTableKeys(changes: readonly Change[]): Change[] {
  return changes.flatMap((change): Change[] => {
    if (change.kind === 'create_table' && change.table.foreignKeys.length > 0) {
      const ref = { schema: change.table.schema, name: change.table.name };
      return [
        { kind: 'create_table', table: { ...change.table, foreignKeys: [] } },
        ...change.table.foreignKeys.map((foreignKey): Change => ({ kind: 'add_foreign_key', table: ref, foreignKey })),
      ];
    }
    if (change.kind === 'drop_table' && change.table.foreignKeys.length > 0) {
      const ref = { schema: change.table.schema, name: change.table.name };
      return [
        ...change.table.foreignKeys.map((foreignKey): Change => ({ kind: 'drop_foreign_key', table: ref, foreignKey })),
        { kind: 'drop_table', table: { ...change.table, foreignKeys: [] } },
      ];
    }
    return [change];
  });
}

/** Sorts changes into apply order (by kind, then table), keeping the given order within a kind and table. */
export function orderForApply(changes: readonly Change[]): Change[] {
  const rank = new Map(CHANGE_KINDS.map((kind, i) => [kind, i]));
  return changes
    .map((change, i) => ({ change, i }))
    .sort((a, b) => {
      const ta = tableOf(a.change);
      const tb = tableOf(b.change);
      return (
        (rank.get(a.change.kind) ?? 0) - (rank.get(b.change.kind) ?? 0) ||
        compareText(ta === null ? '' : tableKey(ta), tb === null ? '' : tableKey(tb)) ||
        a.i - b.i
      );
    })
    .map(({ change }) => change);
}
