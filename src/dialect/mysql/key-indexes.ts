import type { ForeignKey, Index, Table } from '../../model/schema';

/*
 * Which indexes of a table InnoDB counts as keys: a foreign key needs one whose leading columns are its own, and an
 * AUTO_INCREMENT column needs one that it leads. The renderers use these to keep what the server holds in step with
 * the model while keys come and go.
 */

/** The name and columns of an index or unique key. */
export interface KeyIndex {
  readonly name: string;
  readonly columns: readonly string[];
}

/**
 * Whether an index can be a key: B-tree or hash over whole columns (FULLTEXT, SPATIAL and prefix indexes cannot serve
 * a foreign key).
 */
export function isKeyIndex(index: Index): boolean {
  const method = index.method === null || index.method.toLowerCase() === 'btree' || index.method.toLowerCase() === 'hash';
  return method && !(index.keys ?? []).some((key) => key.length !== null);
}

/** B-tree indexes and unique keys of a table. */
export function keyIndexes(table: Table): KeyIndex[] {
  return [...table.indexes.filter(isKeyIndex), ...table.uniques];
}

/** The column lists of every key index of a table, the primary key (`PRIMARY`) included, except `except`. */
export function servingKeys(table: Table, except: string | null): (readonly string[])[] {
  const primary = table.primaryKey === null || except === 'PRIMARY' ? [] : [table.primaryKey.columns];
  return [...primary, ...keyIndexes(table).filter((index) => index.name !== except).map((index) => index.columns)];
}

/** Whether an index on `columns` can serve the key: the key's columns lead it, in order. */
export function serves(columns: readonly string[], foreignKey: ForeignKey): boolean {
  return foreignKey.columns.length <= columns.length && foreignKey.columns.every((column, i) => columns[i] === column);
}

/** Whether a key index other than `except` has `column` first, which AUTO_INCREMENT needs on InnoDB. */
export function leadsAKey(table: Table, column: string, except: string | null = null): boolean {
  return servingKeys(table, except).some((columns) => columns[0] === column);
}
