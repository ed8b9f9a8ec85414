import type { DatabaseClient } from '../../connect/client';
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

/**
 * The current database's defaults, read in the query that also names the database, and the server's (what a
 * `CREATE DATABASE` naming none gives: a migration creates another database that way).
 */
export const DATABASE_DEFAULTS_SQL = `SELECT DATABASE() AS db,
       @@character_set_database AS charset,
       @@collation_database AS collation,
       @@character_set_server AS server_charset,
       @@collation_server AS server_collation`;

/**
 * Every database with its character set and collation (kind 'database'), and every character set the server knows
 * with its default collation (kind 'charset'): a few dozen rows, in one query. Every text is converted to one
 * character set, so that the UNION never has two collations to choose from (MySQL 8's catalog names databases in
 * another collation than character sets).
 */
export const CHARSETS_AND_DATABASES_SQL = `SELECT 'database' AS kind, CONVERT(SCHEMA_NAME USING utf8mb4) AS name,
       CONVERT(DEFAULT_CHARACTER_SET_NAME USING utf8mb4) AS charset, CONVERT(DEFAULT_COLLATION_NAME USING utf8mb4) AS collation
  FROM information_schema.SCHEMATA
UNION ALL
SELECT 'charset', CONVERT(CHARACTER_SET_NAME USING utf8mb4), CONVERT(CHARACTER_SET_NAME USING utf8mb4), CONVERT(DEFAULT_COLLATE_NAME USING utf8mb4)
  FROM information_schema.CHARACTER_SETS`;

/**
 * What the tables of each database get: another database's own defaults when it exists, else the server's (the
 * migration creates it naming none); the connection's database is `home`.
 */
export interface DatabaseCollations {
  readonly home: DatabaseCollation | null;
  readonly others: ReadonlyMap<string, DatabaseCollation>;
  readonly server: DatabaseCollation | null;
}

/**
 * The connection's database (null when the URL names none) and what every database's tables get, with each
 * character set's default collation: two queries.
 */
export async function readMysqlCollations(
  client: DatabaseClient,
): Promise<{ database: string | null; collations: DatabaseCollations; charsetDefaults: ReadonlyMap<string, string> }> {
  type Row = { db: unknown; charset: unknown; collation: unknown; server_charset: unknown; server_collation: unknown };
  const current = (await client.query<Row>(DATABASE_DEFAULTS_SQL))[0];
  const listed = await client.query<{ kind: unknown; name: unknown; charset: unknown; collation: unknown }>(CHARSETS_AND_DATABASES_SQL);
  const charsetDefaults = new Map(listed.filter((row) => row.kind === 'charset').map((row) => [String(row.name), String(row.collation)]));
  const defaults = (charset: unknown, collation: unknown): DatabaseCollation | null =>
    charset == null || collation == null ? null : { charset: String(charset), collation: String(collation), charsetDefaultCollation: charsetDefaults.get(String(charset)) ?? null };
  const database = current?.db == null ? null : String(current.db);
  const others = new Map<string, DatabaseCollation>();
  for (const row of listed) {
    const found = row.kind === 'database' && String(row.name) !== database ? defaults(row.charset, row.collation) : null;
    if (found !== null) others.set(String(row.name), found);
  }
  return { database, collations: { home: defaults(current?.charset, current?.collation), others, server: defaults(current?.server_charset, current?.server_collation) }, charsetDefaults };
}

/** The defaults of the database a table lives in (`null`: the connection's). */
export function collationOfDatabase(collations: DatabaseCollations, database: string | null): DatabaseCollation | null {
  if (database === null) return collations.home;
  return collations.others.get(database) ?? collations.server;
}

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
