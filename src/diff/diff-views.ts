import type { Change, TableRef } from '../change/change';
import { comparableIndex, deepEqual } from '../model/compare';
import type { OrmRecord, Schema, View } from '../model/schema';
import { tableKey } from '../model/schema';

/**
 * Views to create, replace or drop. A view is compared by the query the models state against the one the ORM recorded
 * when it made the view (as TypeORM does): the server keeps a reformatted definition that no text of the models
 * matches. A live view nothing recorded is replaced, since its query cannot be compared; so is a materialized view
 * whose indexes differ (rare, and a rebuild keeps the plan to views as wholes).
 */
export function diffViews(actual: readonly View[], desired: readonly View[]): Change[] {
  const actualByKey = new Map(actual.map((view) => [tableKey(view), view]));
  const desiredKeys = new Set(desired.map(tableKey));
  const changes: Change[] = [];
  for (const view of desired) {
    const existing = actualByKey.get(tableKey(view));
    if (existing === undefined) changes.push({ kind: 'create_view', view });
    else if (!sameView(existing, view)) changes.push({ kind: 'replace_view', from: existing, to: view });
  }
  for (const view of actual) {
    if (!desiredKeys.has(tableKey(view))) changes.push({ kind: 'drop_view', view });
  }
  return changes;
}

/**
 * Whether a live view already is the desired one (TypeORM trims the expression before it compares or records it).
 * Recorded text and a server's definition never compare; two definitions (a copy checked against its original) do.
 */
export function sameView(actual: View, desired: View): boolean {
  return (
    actual.recorded === desired.recorded &&
    actual.materialized === desired.materialized &&
    actual.query.trim() === desired.query.trim() &&
    deepEqual((actual.indexes ?? []).map(comparableIndex), (desired.indexes ?? []).map(comparableIndex))
  );
}

/** The ORM's metadata rows to write and to remove: a row is one value, so a changed row is a removal and an addition. */
export function diffOrmRecords(actual: Schema, desired: Schema): Change[] {
  const table = desired.ormMetadata?.table ?? actual.ormMetadata?.table;
  if (table === undefined) return [];
  const ref: TableRef = { schema: desired.ormMetadata?.schema ?? actual.ormMetadata?.schema ?? null, name: table };
  const have = actual.ormMetadata?.records ?? [];
  const want = desired.ormMetadata?.records ?? [];
  return [
    ...missingFrom(want, have).map((record): Change => ({ kind: 'remove_orm_record', table: ref, record })),
    ...missingFrom(have, want).map((record): Change => ({ kind: 'add_orm_record', table: ref, record })),
  ];
}

/** The records of `from` that `other` lacks, counting duplicates (a row written twice is removed once per copy). */
function missingFrom(other: readonly OrmRecord[], from: readonly OrmRecord[]): OrmRecord[] {
  const unmatched = [...other];
  return from.filter((record) => {
    const i = unmatched.findIndex((candidate) => deepEqual(candidate, record));
    if (i < 0) return true;
    unmatched.splice(i, 1);
    return false;
  });
}
