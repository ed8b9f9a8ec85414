import type { DatabaseClient } from '../connect/client';
import { quoteMysqlName } from '../dialect/mysql/quote';
import { RELEASE_SHADOW_LOCK_SQL, TAKE_SHADOW_LOCK_SQL } from '../dialect/mysql/stale-shadows';
import type { Schema } from '../model/schema';
import { SchemaSyncError, messageOf } from '../util/errors';
import { newShadowName } from './shadow-name';

/*
 * On MySQL and MariaDB a table of another database (`@Entity({ database: 'other' })`) is named `other`.`t` in the
 * migration, and another database is server-wide: run as written in a shadow database on the same server, such a
 * statement would create, alter or drop the real `other`.`t`. Verification and the rollback guard therefore move
 * those tables into throwaway stand-in databases (renameSchemas for the model, standInStatements for a file's SQL),
 * and refuse any statement that still names a real one. PostgreSQL's schemas live inside the shadow
 * database and need none of this.
 */

/** Throwaway databases standing in, for one verification, for the other databases of the server a migration names. */
export interface StandIns {
  /** Each real database's stand-in; empty when the migration names none (and always on PostgreSQL). */
  readonly renamed: ReadonlyMap<string, string>;
  /** What the migration file's header says about them. */
  readonly notes: readonly string[];
  /** Drops the stand-ins. */
  close(): Promise<void>;
}

const NO_STAND_INS: StandIns = { renamed: new Map(), notes: [], close: async () => undefined };

/** The character set and collation of the named databases that exist (one catalog query). */
const DATABASE_DEFAULTS_OF_SQL = `SELECT SCHEMA_NAME AS name, DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation
  FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?)`;

/**
 * Creates a stand-in for every other database the schemas' tables and views live in, named like a shadow database
 * (so a run killed meanwhile leaves nothing stale-shadow clean-up misses) and holding the shadow liveness lock, with
 * the real database's character set and collation when it exists (what its tables' columns get), else the server's.
 */
export async function openStandIns(live: DatabaseClient, shadow: DatabaseClient, databases: readonly string[]): Promise<StandIns> {
  if (live.dialect === 'postgres' || databases.length === 0) return NO_STAND_INS;
  const defaults = await live.query<{ name: unknown; charset: unknown; collation: unknown }>(DATABASE_DEFAULTS_OF_SQL, [databases]);
  const renamed = new Map<string, string>();
  // On the shadow's server, through its connection: that is where the shadow's statements will look for them.
  const close = async () => {
    // The shadow's own tables may hold foreign keys into a stand-in, which would block its drop; the shadow goes next.
    if (renamed.size > 0) await shadow.execute('SET SESSION foreign_key_checks = 0').catch(() => undefined);
    for (const standIn of renamed.values()) {
      await shadow.execute(`DROP DATABASE IF EXISTS ${quoteMysqlName(standIn)}`).catch(() => undefined);
      await shadow.query(RELEASE_SHADOW_LOCK_SQL, [standIn]).catch(() => undefined);
    }
  };
  try {
    for (const database of databases) {
      const standIn = newShadowName();
      await shadow.query(TAKE_SHADOW_LOCK_SQL, [standIn]);
      renamed.set(database, standIn);
      await shadow.execute(`CREATE DATABASE ${quoteMysqlName(standIn)}${defaultsClause(defaults.find((row) => String(row.name) === database))}`);
    }
  } catch (error) {
    await close();
    throw new SchemaSyncError('CONNECTION_FAILED', `Cannot create a stand-in database for the tables of ${databases.map(quoteMysqlName).join(', ')} on ${shadow.target}: ${messageOf(error)}`, { cause: error });
  }
  const notes = [...renamed].map(([database, standIn]) => `the tables of database ${quoteMysqlName(database)} were verified in a stand-in database, ${standIn}, dropped afterwards`);
  return { renamed, notes, close };
}

/** The other databases (MySQL) or schemas the schemas' tables and views live in, sorted. */
export function qualifiersOf(schemas: readonly Schema[]): string[] {
  return [...new Set(schemas.flatMap((schema) => [...schema.tables, ...(schema.views ?? [])].flatMap((object) => (object.schema === null ? [] : [object.schema]))))].sort();
}

/** A file's statements with every `database`. the renderer wrote naming a stood-in database naming its stand-in. */
export function standInStatements(statements: readonly string[], renamed: ReadonlyMap<string, string>): string[] {
  return statements.map((statement) => {
    let moved = statement;
    for (const [database, standIn] of renamed) moved = moved.split(`${quoteMysqlName(database)}.`).join(`${quoteMysqlName(standIn)}.`);
    return moved;
  });
}

/** ` CHARACTER SET x COLLATE y` of an existing database; nothing (the server's defaults) for one that does not exist yet. */
function defaultsClause(found: { charset: unknown; collation: unknown } | undefined): string {
  const name = (value: unknown) => (typeof value === 'string' && /^\w+$/.test(value) ? value : null);
  const charset = name(found?.charset);
  const collation = name(found?.collation);
  return charset === null || collation === null ? '' : ` CHARACTER SET ${charset} COLLATE ${collation}`;
}

/** Refuses statements about to run in a shadow that still name one of `databases` (the real ones stood in for). */
export function refuseNamingDatabases(databases: readonly string[], statements: readonly string[], what: string, escape: string): void {
  for (const [i, statement] of statements.entries()) {
    const named = databases.find((database) => namesDatabase(statement, database));
    if (named === undefined) continue;
    throw new SchemaSyncError(
      'UNSUPPORTED',
      `${what}: statement ${i + 1} names database ${quoteMysqlName(named)}, which a shadow database on this server cannot stand in for ` +
        `(running it there would change the real one):\n  ${statement}\n(${escape})`,
    );
  }
}

/** The server's databases other than the connection's and the system ones: one catalog query. */
const OTHER_DATABASES_SQL = `SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA
 WHERE SCHEMA_NAME <> DATABASE() AND SCHEMA_NAME NOT IN ('information_schema', 'performance_schema', 'mysql', 'sys')`;

/**
 * The other databases of the server a file's MySQL statements name (quoted as the renderer writes them, or bare as a
 * hand-written file may): they need stand-ins before the statements run in a shadow database.
 */
export async function databasesNamedIn(client: DatabaseClient, statements: readonly string[]): Promise<string[]> {
  if (client.dialect === 'postgres') return [];
  const databases = (await client.query<{ name: unknown }>(OTHER_DATABASES_SQL)).map((row) => String(row.name));
  return databases.filter((database) => statements.some((statement) => namesDatabase(statement, database))).sort();
}

function namesDatabase(statement: string, database: string): boolean {
  if (statement.includes(`${quoteMysqlName(database)}.`)) return true;
  const bare = database.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w\`$])${bare}\\s*\\.\\s*[\`\\w]`).test(statement);
}
