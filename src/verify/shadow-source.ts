import type { DatabaseClient } from '../connect/client';
import { PgClient } from '../connect/pg-client';
import { parseDatabaseUrl, withDatabase } from '../connect/url';
import { extensionCreators } from '../dialect/postgres/extension-creators';
import { INSTALLED_EXTENSIONS_SQL, TEMPLATE_DATABASES_SQL, USER_OBJECTS_SQL } from '../dialect/postgres/shadow-template';

/** Where a PostgreSQL shadow database can come from, for the role connected to the live database. */
export interface PostgresShadowSource {
  /** Extensions of the live database this role may not create in a new database (untrusted, not a superuser). */
  readonly blocked: readonly string[];
  /** A template database that already has them and nothing else; null when none is needed or none was found. */
  readonly template: string | null;
}

/**
 * A shadow made from template0 gets the live database's extensions by replaying CREATE EXTENSION, which a role with
 * CREATEDB may do only for trusted extensions (citext, hstore, ltree, cube…) in a database it owns, not for pgvector.
 * For those it looks for a template database (IS_TEMPLATE, connections allowed) that already has them and holds no
 * table, view or type of its own, which a DBA can make once: CREATE DATABASE t IS_TEMPLATE true; CREATE EXTENSION
 * vector in it.
 */
export async function postgresShadowSource(live: DatabaseClient, serverUrl: string): Promise<PostgresShadowSource> {
  const mayCreate = await extensionCreators(live);
  const installed = (await live.query<{ name: string }>(INSTALLED_EXTENSIONS_SQL)).map((row) => row.name);
  // In its own shadow the role is the owner, so has CREATE there: only "untrusted" stands in the way.
  const blocked = installed.filter((name) => !mayCreate(name).may && !mayCreate(name).why.startsWith('trusted'));
  if (blocked.length === 0) return { blocked, template: null };
  for (const { name } of await live.query<{ name: string }>(TEMPLATE_DATABASES_SQL)) {
    if (await templateFits(serverUrl, name, blocked)) return { blocked, template: name };
  }
  return { blocked, template: null };
}

async function templateFits(serverUrl: string, name: string, needed: readonly string[]): Promise<boolean> {
  const url = withDatabase(serverUrl, name);
  let client: PgClient | null = null;
  try {
    client = await PgClient.connect(url, parseDatabaseUrl(url).masked);
    const has = new Set((await client.query<{ name: string }>(INSTALLED_EXTENSIONS_SQL)).map((row) => row.name));
    const own = Number((await client.query<{ n: unknown }>(USER_OBJECTS_SQL))[0]?.n ?? 1);
    return own === 0 && needed.every((extension) => has.has(extension));
  } catch {
    return false;
  } finally {
    await client?.close();
  }
}
