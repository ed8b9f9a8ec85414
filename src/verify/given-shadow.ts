import type { DatabaseClient } from '../connect/client';
import { MysqlClient } from '../connect/mysql-client';
import { PgClient } from '../connect/pg-client';
import { parseDatabaseUrl } from '../connect/url';
import { DATABASE_DEFAULTS_SQL } from '../dialect/mysql/database-collation';
import { MYSQL_USER_OBJECTS_SQL } from '../dialect/mysql/stale-shadows';
import { DATABASE_LOCALE_SQL, EXTRA_SCHEMAS_SQL, INSTALLED_EXTENSIONS_SQL, USER_OBJECTS_SQL } from '../dialect/postgres/shadow-template';
import { SchemaSyncError } from '../util/errors';
import type { ShadowDatabase } from './shadow';

/**
 * A shadow database the caller made for one verification (the conformance runner creates them ahead of need, since
 * CREATE and DROP DATABASE cost more than a small scenario's checks). It is used as the shadow this tool would have
 * made, so it must be one: on the live database's server family, empty (no table, view, sequence, type, routine,
 * extension or schema of its own: the verification copies the live schema into it and compares), and with the live
 * database's encoding and collation (PostgreSQL) or character set and collation (MySQL), which decide what a column
 * that names none gets. Closing it closes the connection only: the caller drops it.
 */
export async function givenShadow(live: DatabaseClient, url: string): Promise<ShadowDatabase> {
  const parsed = parseDatabaseUrl(url);
  const postgres = live.dialect === 'postgres';
  if (live.embedded || (parsed.scheme === 'postgres') !== postgres) {
    throw new SchemaSyncError('BAD_ARGUMENT', `The shadow database given (${parsed.masked}) is not on a server of the live database's kind (${live.embedded ? 'embedded PGlite' : live.dialect})`);
  }
  const client = postgres ? await PgClient.connect(url, parsed.masked) : await MysqlClient.connect(url.replace(/^mariadb:/, 'mysql:'), parsed.masked);
  try {
    const problems = postgres ? await postgresProblems(live, client) : await mysqlProblems(live, client);
    if (problems.length > 0) {
      throw new SchemaSyncError('BAD_ARGUMENT', `The shadow database given (${parsed.masked}) cannot stand for a new one: ${problems.join('; ')} (give an empty database made for this one use)`);
    }
  } catch (error) {
    await client.close();
    throw error;
  }
  return { client, description: parsed.masked, notes: [], close: () => client.close() };
}

async function postgresProblems(live: DatabaseClient, shadow: DatabaseClient): Promise<string[]> {
  const problems: string[] = [];
  const objects = Number((await shadow.query<{ n: unknown }>(USER_OBJECTS_SQL))[0]?.n ?? 0);
  if (objects > 0) problems.push(`it holds ${objects} table(s), view(s), sequence(s) or type(s)`);
  const extensions = (await shadow.query<{ name: string }>(INSTALLED_EXTENSIONS_SQL)).map((row) => row.name);
  if (extensions.length > 0) problems.push(`it has extension ${extensions.join(', ')}`);
  const schemas = (await shadow.query<{ name: string }>(EXTRA_SCHEMAS_SQL)).map((row) => row.name);
  if (schemas.length > 0) problems.push(`it has schema ${schemas.join(', ')}`);
  problems.push(...sameSettings(await shadow.query(DATABASE_LOCALE_SQL), await live.query(DATABASE_LOCALE_SQL), ['encoding', 'collate', 'ctype']));
  return problems;
}

async function mysqlProblems(live: DatabaseClient, shadow: DatabaseClient): Promise<string[]> {
  const problems: string[] = [];
  const objects = Number((await shadow.query<{ n: unknown }>(MYSQL_USER_OBJECTS_SQL))[0]?.n ?? 0);
  if (objects > 0) problems.push(`it holds ${objects} table(s), view(s) or routine(s)`);
  problems.push(...sameSettings(await shadow.query(DATABASE_DEFAULTS_SQL), await live.query(DATABASE_DEFAULTS_SQL), ['charset', 'collation']));
  return problems;
}

/** Each setting that differs between the two databases' rows, as `its collate is C, the live database's en_US.UTF-8`. */
function sameSettings(shadowRows: readonly Record<string, unknown>[], liveRows: readonly Record<string, unknown>[], keys: readonly string[]): string[] {
  const shadow = shadowRows[0] ?? {};
  const live = liveRows[0] ?? {};
  return keys.filter((key) => String(shadow[key]) !== String(live[key])).map((key) => `its ${key} is ${String(shadow[key])}, the live database's ${String(live[key])}`);
}
