import type { Column } from '../../model/schema';

/**
 * The character set and collation a column gets when its definition names none: its table's, and a table's are its
 * database's when its CREATE TABLE names none.
 */
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

/** Every character set the server knows with its default collation (a few dozen rows). */
export const CHARSET_DEFAULTS_SQL = `SELECT CHARACTER_SET_NAME AS charset, DEFAULT_COLLATE_NAME AS collation FROM information_schema.CHARACTER_SETS`;

/**
 * What a model column states, in the introspector's form: a collation that is its character set's default reads as
 * the character set alone, and any other collation alone (it implies its character set). The catalog always knows
 * both, so without this a model naming `charset: 'cp852', collation: 'cp852_general_ci'` differed from what it built.
 */
export function statedLikeTheCatalog(
  charset: string | null,
  collation: string | null,
  charsetDefaults: ReadonlyMap<string, string>,
): { charset: string | null; collation: string | null } {
  if (collation === null) return { charset, collation };
  const owner = charset ?? [...charsetDefaults.entries()].find(([, defaultCollation]) => defaultCollation === collation)?.[0] ?? null;
  if (owner !== null && charsetDefaults.get(owner) === collation) return { charset: owner, collation: null };
  return { charset: null, collation };
}

/**
 * A column's character set and collation in the model's form (see Column): nothing when they are what `defaults`
 * give. The introspector applies it with the table's defaults; the model loader with the database's, which are the
 * table's for every table TypeORM or a migration creates (neither names a table character set). Without the latter,
 * a model that states the database's own collation was a change on every diff.
 */
export function statedAgainstDefaults(
  charset: string | null,
  collation: string | null,
  defaults: DatabaseCollation | null,
): Pick<Column, 'charset' | 'collation'> {
  if (defaults === null) return { charset, collation };
  if (collation !== null) return collation === defaults.collation ? { charset: null, collation: null } : { charset, collation };
  if (charset !== null && charset === defaults.charset && defaults.charsetDefaultCollation === defaults.collation) {
    return { charset: null, collation: null };
  }
  return { charset, collation };
}
