import type { Change } from '../../change/change';
import type { Schema } from '../../model/schema';
import { tableKey } from '../../model/schema';

/**
 * The tables whose changes PostgreSQL refuses while a view reads them: a view pins the columns it selects (no DROP
 * COLUMN, no ALTER COLUMN TYPE under it, which an enum type's recreation and a generated column's re-creation also
 * run), and a table cannot be dropped under a view. The views over them are dropped before and created again after.
 * Known only per table, so a view is rebuilt even when the column it reads is not the one that changes.
 */
export function tablesPinnedByPostgresViews(changes: readonly Change[], before: Schema): Set<string> {
  const pinned = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'drop_column' || change.kind === 'drop_table') pinned.add(tableKey(change.table));
    else if (change.kind === 'alter_column' && (change.changed.includes('type') || change.changed.includes('computed'))) pinned.add(tableKey(change.table));
    else if (change.kind === 'alter_enum') {
      const typeName = change.from.schema === null ? change.from.name : `${change.from.schema}.${change.from.name}`;
      for (const table of before.tables) {
        if (table.columns.some((column) => JSON.stringify(column.type).includes(JSON.stringify(typeName)))) pinned.add(tableKey(table));
      }
    }
  }
  return pinned;
}
