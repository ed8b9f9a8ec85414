import type { Column } from '../../model/schema';

/** The character set and collation a table of the database gets when its CREATE TABLE names none. */
export interface DatabaseCollation {
  readonly charset: string;
  readonly collation: string;
  /** The default collation of that character set: what `CHARACTER SET <charset>` alone gives a column. */
  readonly charsetDefaultCollation: string | null;
}

/** The current database's defaults, read in the query that also names the database. */
export const DATABASE_DEFAULTS_SQL = `SELECT DATABASE() AS db,
       @@character_set_database AS charset,
       @@collation_database AS collation,
       (SELECT DEFAULT_COLLATE_NAME FROM information_schema.CHARACTER_SETS
         WHERE CHARACTER_SET_NAME = @@character_set_database) AS charset_default_collation`;

/**
 * A model column's character set and collation as the introspector states a live one: nothing when they are what a
 * table of this database gives its columns (TypeORM's and our CREATE TABLE name no table character set). Without
 * this, a model that states the database's own collation was a change on every diff, since the catalog's column
 * reads as the table's.
 */
export function statedAgainstDatabase(
  charset: string | null,
  collation: string | null,
  database: DatabaseCollation | null,
): Pick<Column, 'charset' | 'collation'> {
  if (database === null) return { charset, collation };
  if (collation !== null) return collation === database.collation ? { charset: null, collation: null } : { charset, collation };
  if (charset !== null && charset === database.charset && database.charsetDefaultCollation === database.collation) {
    return { charset: null, collation: null };
  }
  return { charset, collation };
}
