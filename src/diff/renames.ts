import type { Change, TableRef } from '../change/change';
import { sameColumnShape } from '../model/compare';

/** A likely rename the diff noticed: never applied, only reported with the hint that would make it one. */
export interface RenameSuggestion {
  readonly table: TableRef;
  readonly from: string;
  readonly to: string;
  /** The hint that turns the drop + add into a rename (`--rename table.old=new`). */
  readonly hint: string;
}

/**
 * Pairs a dropped column with an added column of the same shape in the same table. Only one-to-one pairs are
 * suggested: with two candidates the guess would be a coin toss.
 */
export function suggestColumnRenames(changes: readonly Change[]): RenameSuggestion[] {
  const suggestions: RenameSuggestion[] = [];
  const drops = changes.filter((change): change is Extract<Change, { kind: 'drop_column' }> => change.kind === 'drop_column');
  const adds = changes.filter((change): change is Extract<Change, { kind: 'add_column' }> => change.kind === 'add_column');
  for (const drop of drops) {
    const sameTable = (change: { table: TableRef }) => change.table.schema === drop.table.schema && change.table.name === drop.table.name;
    const candidates = adds.filter((add) => sameTable(add) && sameColumnShape({ ...add.column, nullable: drop.column.nullable }, drop.column));
    if (candidates.length !== 1) continue;
    const add = candidates[0] as Extract<Change, { kind: 'add_column' }>;
    const competing = drops.filter((other) => sameTable(other) && sameColumnShape({ ...add.column, nullable: other.column.nullable }, other.column));
    if (competing.length !== 1) continue;
    const table = drop.table.schema === null ? drop.table.name : `${drop.table.schema}.${drop.table.name}`;
    suggestions.push({ table: drop.table, from: drop.column.name, to: add.column.name, hint: `--rename ${table}.${drop.column.name}=${add.column.name}` });
  }
  return suggestions;
}
