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

/**
 * The names of the foreign keys InnoDB holds an index of its own for (named after the key, hidden by the
 * introspector): those that no key index of the table serves (other than `except`, with the column lists `added`
 * counted as serving), and that no longer foreign key of the table serves. Of keys whose columns lead one another,
 * the server keeps only the longest key's own index: it drops a shorter key's own index when a longer key arrives,
 * and makes none for a key that an existing one serves (TypeORM's functional/decorators/foreign-key: (cityId,
 * countryCode) and (cityId) on one table).
 */
export function foreignKeysWithOwnIndex(table: Table, except: string | null = null, added: readonly (readonly string[])[] = []): Set<string> {
  const serving = [...servingKeys(table, except), ...added];
  const unserved = table.foreignKeys.filter((foreignKey) => !serving.some((columns) => serves(columns, foreignKey)));
  return new Set(
    unserved
      .filter((foreignKey) => !table.foreignKeys.some((other) => other.columns.length > foreignKey.columns.length && serves(other.columns, foreignKey)))
      .map((foreignKey) => foreignKey.name),
  );
}

/** Whether InnoDB holds an index of its own for `foreignKey` (see foreignKeysWithOwnIndex). */
export function hasOwnIndex(table: Table, foreignKey: ForeignKey): boolean {
  return foreignKeysWithOwnIndex(table).has(foreignKey.name);
}

/** Whether a key index other than `except` has `column` first, which AUTO_INCREMENT needs on InnoDB. */
export function leadsAKey(table: Table, column: string, except: string | null = null): boolean {
  return servingKeys(table, except).some((columns) => columns[0] === column);
}
