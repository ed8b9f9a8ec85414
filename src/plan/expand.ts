import type { Change } from '../change/change';
import { CHANGE_KINDS, tableOf } from '../change/change';
import { compareText } from '../model/compare';
import { tableKey } from '../model/schema';

/**
 * Splits the foreign keys out of table creations and drops, so that every table exists before any key points at
 * it (cycles included) and keys are gone before their tables are dropped. Rendering only sees tables without keys.
 * A primary key change becomes a drop and an add, so the two can be ordered around column changes.
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
    if (change.kind === 'alter_primary_key' && change.from !== null && change.to !== null) {
      // Dropping the old key goes early (its columns may be about to become nullable), adding the new one late.
      return [
        { kind: 'alter_primary_key', table: change.table, from: change.from, to: null },
        { kind: 'alter_primary_key', table: change.table, from: null, to: change.to },
      ];
    }
    return [change];
  });
}

/** Sorts changes into apply order (by kind, then table), keeping the given order within a kind and table. */
export function orderForApply(changes: readonly Change[]): Change[] {
  const ranks = new Map(CHANGE_KINDS.map((kind, i) => [kind, i]));
  const dropsDone = ranks.get('drop_check') ?? 0;
  // A primary key drop ranks with the other key drops, ahead of the column changes it could block.
  const rankOf = (change: Change) => (change.kind === 'alter_primary_key' && change.to === null ? dropsDone + 0.5 : ranks.get(change.kind) ?? 0);
  return changes
    .map((change, i) => ({ change, i }))
    .sort((a, b) => {
      const ta = tableOf(a.change);
      const tb = tableOf(b.change);
      return (
        rankOf(a.change) - rankOf(b.change) ||
        compareText(ta === null ? '' : tableKey(ta), tb === null ? '' : tableKey(tb)) ||
        a.i - b.i
      );
    })
    .map(({ change }) => change);
}
