import type { Change } from '../change/change';
import { tablesPinnedByPostgresViews } from '../dialect/postgres/views-pinned';
import type { Schema, View } from '../model/schema';
import { tableKey } from '../model/schema';

/**
 * Turns each replaced view into a drop and a create, and adds a drop and a re-create of every live view that reads,
 * directly or through other views, a view that is dropped or a table the dialect will not change under a view. A
 * rebuilt view comes back as the models declare it, or as it is when they do not declare it (a drop held back).
 */
export function rebuildViews(changes: readonly Change[], actual: Schema, desired: Schema): Change[] {
  const expanded = changes.flatMap((change): Change[] =>
    change.kind === 'replace_view'
      ? [
          { kind: 'drop_view', view: change.from },
          { kind: 'create_view', view: change.to },
        ]
      : [change],
  );
  const dropped = new Set(expanded.flatMap((change) => (change.kind === 'drop_view' ? [tableKey(change.view)] : [])));
  const disturbed = new Set([...dropped, ...pinnedTables(expanded, actual)]);
  const desiredByKey = new Map((desired.views ?? []).map((view) => [tableKey(view), view]));
  const rebuilt: Change[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const view of actual.views ?? []) {
      const key = tableKey(view);
      if (dropped.has(key) || !view.reads.some((read) => disturbed.has(read))) continue;
      dropped.add(key);
      disturbed.add(key);
      grew = true;
      rebuilt.push({ kind: 'drop_view', view }, { kind: 'create_view', view: desiredByKey.get(key) ?? view });
    }
  }
  return [...expanded, ...rebuilt];
}

function pinnedTables(changes: readonly Change[], actual: Schema): Set<string> {
  return actual.dialect === 'postgres' ? tablesPinnedByPostgresViews(changes, actual) : new Set();
}

/**
 * How deep each view sits among the views the changes create or drop: 0 reads none of them, n + 1 reads one at
 * depth n. Creation goes up the depths and dropping down them. What a view reads is taken from both sides (the
 * models' `dependsOn`, the server's catalog), so an undeclared dependency the server knows still orders the drop.
 */
export function viewDepths(changes: readonly Change[]): Map<string, number> {
  const reads = new Map<string, Set<string>>();
  const note = (view: View) => {
    const key = tableKey(view);
    const set = reads.get(key) ?? new Set<string>();
    for (const read of view.reads) set.add(read);
    reads.set(key, set);
  };
  for (const change of changes) {
    if (change.kind === 'create_view' || change.kind === 'drop_view') note(change.view);
  }
  const depths = new Map<string, number>();
  const depthOf = (key: string, path: ReadonlySet<string>): number => {
    const known = depths.get(key);
    if (known !== undefined) return known;
    let depth = 0;
    for (const read of reads.get(key) ?? []) {
      // A cycle cannot be created anyway; cutting it keeps the order total.
      if (read !== key && reads.has(read) && !path.has(read)) depth = Math.max(depth, depthOf(read, new Set([...path, key])) + 1);
    }
    depths.set(key, depth);
    return depth;
  };
  for (const key of reads.keys()) depthOf(key, new Set());
  return depths;
}
