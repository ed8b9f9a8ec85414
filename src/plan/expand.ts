import type { Change, ColumnAspect, TableRef } from '../change/change';
import { CHANGE_KINDS, tableOf } from '../change/change';
import { compareText } from '../model/compare';
import type { Schema } from '../model/schema';
import { tableKey } from '../model/schema';
import { viewDepths } from './views';

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

/** The column aspects a foreign key is checked against: its columns and the ones they reference must agree in them. */
const KEY_ASPECTS: readonly ColumnAspect[] = ['type', 'charset', 'collation'];

/**
 * Adds a drop and a re-add of every foreign key of `desired` whose columns, on either side, change type, character
 * set or collation (keys already dropped or added are left alone), so the key is away while its columns change one
 * at a time: MariaDB refuses to change a column a key uses, PostgreSQL refuses unless the two types compare.
 */
export function rebuildForeignKeysOverColumnChanges(changes: readonly Change[], desired: Schema): Change[] {
  const columnKey = (table: TableRef, column: string) => `${tableKey(table)}\u0000${column}`;
  const altered = new Set(
    changes.flatMap((change) =>
      change.kind === 'alter_column' && change.changed.some((aspect) => KEY_ASPECTS.includes(aspect)) ? [columnKey(change.table, change.to.name)] : [],
    ),
  );
  if (altered.size === 0) return [...changes];
  const touched = new Set(
    changes.flatMap((change) =>
      change.kind === 'drop_foreign_key' || change.kind === 'add_foreign_key' ? [columnKey(change.table, change.foreignKey.name)] : [],
    ),
  );
  const rebuilt = desired.tables.flatMap((table) => {
    const ref: TableRef = { schema: table.schema, name: table.name };
    return table.foreignKeys
      .filter((foreignKey) => {
        const referenced: TableRef = { schema: foreignKey.referencedSchema, name: foreignKey.referencedTable };
        return (
          !touched.has(columnKey(ref, foreignKey.name)) &&
          (foreignKey.columns.some((column) => altered.has(columnKey(ref, column))) ||
            foreignKey.referencedColumns.some((column) => altered.has(columnKey(referenced, column))))
        );
      })
      .flatMap((foreignKey): Change[] => [
        { kind: 'drop_foreign_key', table: ref, foreignKey },
        { kind: 'add_foreign_key', table: ref, foreignKey },
      ]);
  });
  return [...changes, ...rebuilt];
}

/** An existing column that stops being generated (AUTO_INCREMENT, identity) or is generated another way. */
function takesGenerationOff(change: Change): boolean {
  return change.kind === 'alter_column' && change.from.generation !== null && change.from.generation !== change.to.generation;
}

/** Sorts changes into apply order (by kind, then table), keeping the given order within a kind and table. */
export function orderForApply(changes: readonly Change[]): Change[] {
  const ranks = new Map(CHANGE_KINDS.map((kind, i) => [kind, i]));
  const depths = viewDepths(changes);
  // Views are created up their dependency depths and dropped down them.
  const depthOf = (change: Change) =>
    change.kind === 'create_view' ? depths.get(tableKey(change.view)) ?? 0 : change.kind === 'drop_view' ? -(depths.get(tableKey(change.view)) ?? 0) : 0;
  const dropsDone = ranks.get('drop_check') ?? 0;
  const columnsAdded = ranks.get('add_column') ?? 0;
  const rankOf = (change: Change) => {
    // A primary key drop ranks with the other key drops, ahead of the column changes it could block.
    if (change.kind === 'alter_primary_key' && change.to === null) return dropsDone + 0.5;
    // A table holds one AUTO_INCREMENT column on MySQL and MariaDB: when it moves, it leaves its old column first.
    if (takesGenerationOff(change)) return columnsAdded - 0.5;
    return ranks.get(change.kind) ?? 0;
  };
  return changes
    .map((change, i) => ({ change, i }))
    .sort((a, b) => {
      const ta = tableOf(a.change);
      const tb = tableOf(b.change);
      return (
        rankOf(a.change) - rankOf(b.change) ||
        depthOf(a.change) - depthOf(b.change) ||
        compareText(ta === null ? '' : tableKey(ta), tb === null ? '' : tableKey(tb)) ||
        a.i - b.i
      );
    })
    .map(({ change }) => change);
}
