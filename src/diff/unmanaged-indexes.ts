import type { TableRef } from '../change/change';
import type { Index, Schema, Table } from '../model/schema';
import { tableKey } from '../model/schema';
import type { UnmanagedObject } from './unmanaged';

/** Indexes of one table that the models declare as not theirs to manage. */
export interface LeftAloneIndexes {
  readonly table: TableRef;
  /** The index names; null for every index of the table. */
  readonly names: readonly string[] | null;
  /** Why, in the model's terms: `@Index({ synchronize: false }) on Article`. */
  readonly why: string;
}

/** Why an expression index the models do not declare is left alone. */
export const EXPRESSION_INDEX_REASON = 'expression index the models cannot express';

/**
 * Takes out of the live schema the indexes the models leave alone, so that no later stage (diff, plan, verification)
 * can change or drop them: an index of a table the models define, not declared by them under its name, that the
 * models mark as not theirs (`leftAlone`) or that has an expression key. Tables the models do not define keep their
 * indexes (they go with the table if it is dropped). Pure; both schemas normalised.
 */
export function setAsideUnmanagedIndexes(actual: Schema, desired: Schema, leftAlone: readonly LeftAloneIndexes[]): { actual: Schema; unmanaged: UnmanagedObject[] } {
  const desiredByKey = new Map(desired.tables.map((table) => [tableKey(table), table]));
  const unmanaged: UnmanagedObject[] = [];
  const tables = actual.tables.map((table) => {
    const key = tableKey(table);
    const model = desiredByKey.get(key);
    if (model === undefined) return table;
    const rules = leftAlone.filter((rule) => tableKey(rule.table) === key);
    const kept: Index[] = [];
    for (const index of table.indexes) {
      const reason = model.indexes.some((own) => own.name === index.name) ? null : reasonToLeaveAlone(index, table, rules);
      if (reason === null) kept.push(index);
      else unmanaged.push({ kind: 'index', table: key, name: index.name, reason });
    }
    return kept.length === table.indexes.length ? table : { ...table, indexes: kept };
  });
  return { actual: { ...actual, tables }, unmanaged };
}

function reasonToLeaveAlone(index: Index, table: Table, rules: readonly LeftAloneIndexes[]): string | null {
  const rule = rules.find((candidate) => candidate.names === null || candidate.names.includes(index.name));
  if (rule !== undefined) return rule.why;
  const columns = new Set(table.columns.map((column) => column.name));
  return index.columns.some((key) => !columns.has(key)) ? EXPRESSION_INDEX_REASON : null;
}
