import type { DatabaseClient } from '../connect/client';
import { MysqlClient } from '../connect/mysql-client';
import { PgClient } from '../connect/pg-client';
import { PgliteClient } from '../connect/pglite-client';
import { pristineFingerprint, resetEmbedded } from '../connect/pglite-reset';
import { parseDatabaseUrl, withDatabase } from '../connect/url';
import { DATABASE_DEFAULTS_SQL } from '../dialect/mysql/database-collation';
import { quoteMysqlName } from '../dialect/mysql/quote';
import { quotePostgresIdentifier, quotePostgresLiteral } from '../dialect/postgres/quote';
import { SchemaSyncError, messageOf } from '../util/errors';
import { MYSQL_SHADOWS_SQL, RELEASE_SHADOW_LOCK_SQL, TAKE_SHADOW_LOCK_SQL } from '../dialect/mysql/stale-shadows';
import { POSTGRES_SHADOWS_SQL } from '../dialect/postgres/stale-shadows';
import { DATABASE_LOCALE_SQL } from '../dialect/postgres/shadow-template';
import { givenShadow } from './given-shadow';
import { postgresShadowSource } from './shadow-source';
import { newShadowName, staleShadowMinutes, staleShadows } from './shadow-name';

/** A scratch database that exists only for one verification, and is removed by `close()`. */
export interface ShadowDatabase {
  readonly client: DatabaseClient;
  /** What it is, for messages: `embedded PGlite (in memory)` or the masked URL of the temporary database. */
  readonly description: string;
  /** Why verification did not use the shadow it would have preferred, for the file's header. */
  readonly notes: readonly string[];
  close(): Promise<void>;
}

/**
 * Opens a shadow database of the live database's family: `given`, an empty database the caller made for this one use
 * (checked, used, left in place); else a temporary database on the live server (or on `shadowUrl`'s server), dropped
 * afterwards. For a PostgreSQL server that cannot create one (no CREATEDB), and for
 * the embedded database, it is an in-memory PGlite.
 *
 * Why the live server first: it has the same version and extensions as the database the migration will run on, and
 * creating a database takes a fraction of a second where PGlite needs about 5 s to start (initdb included) and, at
 * 1,000 tables, 800 MB of memory.
 */
export async function openShadow(live: DatabaseClient, liveUrl: string | undefined, shadowUrl: string | undefined, given?: string): Promise<ShadowDatabase> {
  if (given !== undefined) return givenShadow(live, given);
  if (shadowUrl !== undefined) return temporaryDatabase(shadowUrl, null);
  if (live.dialect === 'postgres') {
    if (liveUrl === undefined) return embeddedShadow([]);
    try {
      return await temporaryDatabase(liveUrl, live);
    } catch (error) {
      const reason = error instanceof SchemaSyncError ? error.message : messageOf(error);
      return embeddedShadow([`${reason}; verified in embedded PGlite instead (--shadow-url picks a server that allows it)`]);
    }
  }
  if (liveUrl === undefined) throw new SchemaSyncError('BAD_ARGUMENT', 'A MySQL shadow database needs the server URL: give --shadow-url');
  return temporaryDatabase(liveUrl, live);
}

/** An embedded shadow kept for the next verification of this process, with its fingerprint when fresh. */
interface SpareShadow {
  readonly client: PgliteClient;
  readonly pristine: string;
}

let spareShadow: Promise<SpareShadow | null> | null = null;
let keepShadows = false;

/**
 * From now on this process keeps an embedded shadow after its verification, emptied back to what it was when fresh
 * (resetEmbedded checks it: one that cannot be is closed), and hands it to the next one instead of starting PGlite
 * and running initdb again. With `prewarm`, the first one starts now, while the process waits for its work. For a
 * process that verifies many times (the conformance runner: each round trip verifies its migration and guards its
 * rollback). The CLI verifies once per run and does not call it. `loadDataDir` (a fresh data directory saved by
 * dumpDataDir) spares the prewarmed one its initdb.
 */
export function keepEmbeddedShadows(options: { readonly prewarm?: boolean; readonly loadDataDir?: Blob } = {}): void {
  keepShadows = true;
  if (options.prewarm === true && spareShadow === null) {
    spareShadow = (async () => {
      const client = await PgliteClient.open(null, undefined, options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir });
      return { client, pristine: await pristineFingerprint(client) };
    })().catch(() => null);
  }
}

async function embeddedShadow(notes: readonly string[]): Promise<ShadowDatabase> {
  const waiting = spareShadow;
  spareShadow = null;
  const spare = waiting === null ? null : await waiting;
  const client = spare?.client ?? (await PgliteClient.open(null));
  const pristine = spare?.pristine ?? (keepShadows ? await pristineFingerprint(client) : null);
  return {
    client,
    description: client.target,
    notes,
    async close() {
      if (pristine !== null && spareShadow === null && (await resetEmbedded(client, pristine))) {
        spareShadow = Promise.resolve({ client, pristine });
        return;
      }
      await client.close();
    },
  };
}

/**
 * Creates `schema_sync_shadow_<random>` through `admin` (the live connection; CREATE DATABASE works from any
 * database), or through a connection of its own to the server's `postgres` database when there is none.
 */
async function temporaryDatabase(serverUrl: string, admin: DatabaseClient | null): Promise<ShadowDatabase> {
  const parsed = parseDatabaseUrl(serverUrl);
  const postgres = parsed.scheme === 'postgres';
  const name = newShadowName();
  const url = withDatabase(serverUrl, name);
  const owned = admin === null;
  const server = admin ?? (postgres ? await PgClient.connect(withDatabase(serverUrl, 'postgres'), parsed.masked) : await MysqlClient.connect(toMysql(serverUrl), parsed.masked));
  const closeServer = async () => {
    if (owned) await server.close();
  };
  const quoted = postgres ? `"${name}"` : `\`${name}\``;
  await dropStaleShadows(server, postgres);
  // MySQL: held until the shadow is dropped, so a later run can tell a shadow left by a killed process.
  if (!postgres) await server.query(TAKE_SHADOW_LOCK_SQL, [name]);
  const releaseLock = async () => {
    if (!postgres) await server.query(RELEASE_SHADOW_LOCK_SQL, [name]).catch(() => undefined);
  };
  let template: string | null = null;
  const notes: string[] = [];
  if (postgres && admin !== null) {
    const source = await postgresShadowSource(admin, serverUrl);
    if (source.blocked.length > 0 && source.template === null) {
      throw new SchemaSyncError(
        'CONNECTION_FAILED',
        `The role may not create extension ${source.blocked.join(', ')} (untrusted; a superuser must) in a shadow database on ${parsed.masked}, and no template database has ${source.blocked.length === 1 ? 'it' : 'them'} ` +
          `(a superuser can make one: CREATE DATABASE schema_sync_template IS_TEMPLATE true, then CREATE EXTENSION ${source.blocked.join(', ')} in it)`,
      );
    }
    template = source.template;
    if (template !== null) notes.push(`shadow database made from template ${template}, which has extension ${source.blocked.join(', ')} that this role may not create`);
  }
  try {
    await server.execute(postgres ? await createPostgresDatabase(server, quoted, admin !== null, template) : await createMysqlDatabase(server, quoted, admin !== null));
  } catch (error) {
    await releaseLock();
    await closeServer();
    throw new SchemaSyncError('CONNECTION_FAILED', `Cannot create the shadow database ${name} on ${parsed.masked}: ${messageOf(error)} (give --shadow-url, or --no-verify)`, { cause: error });
  }
  const masked = parseDatabaseUrl(url).masked;
  let client: DatabaseClient;
  try {
    client = postgres ? await PgClient.connect(url, masked) : await MysqlClient.connect(toMysql(url), masked);
  } catch (error) {
    await server.execute(`DROP DATABASE IF EXISTS ${quoted}`).catch(() => undefined);
    await releaseLock();
    await closeServer();
    throw error;
  }
  return {
    client,
    description: masked,
    notes,
    async close() {
      await client.close();
      try {
        // Our only connection to it is closed; WITH (FORCE) (PostgreSQL 13+) is not needed.
        await server.execute(`DROP DATABASE IF EXISTS ${quoted}`);
        await releaseLock();
      } finally {
        await closeServer();
      }
    },
  };
}

/**
 * Drops the shadows earlier runs left behind (a process killed with -9 never drops its own), but only those it can
 * prove dead: older than SCHEMA_SYNC_STALE_SHADOW_MINUTES (default 10) and, on PostgreSQL, with no session connected;
 * on MySQL and MariaDB, with nobody holding its liveness lock (see MYSQL_SHADOWS_SQL). Best effort: a shadow another
 * role owns, or one a session joins meanwhile, is left for later.
 */
async function dropStaleShadows(server: DatabaseClient, postgres: boolean): Promise<void> {
  let shadows: { name: string; connections: number }[];
  try {
    shadows = postgres
      ? (await server.query<{ name: string; connections: unknown }>(POSTGRES_SHADOWS_SQL)).map((row) => ({ name: row.name, connections: Number(row.connections) }))
      : (await server.query<{ name: string; held: unknown }>(MYSQL_SHADOWS_SQL)).map((row) => ({ name: row.name, connections: Number(row.held) }));
  } catch {
    return;
  }
  for (const name of staleShadows(shadows, new Date(), staleShadowMinutes())) {
    if (postgres) {
      // Without FORCE: a session that connected since the check makes the drop fail, and the shadow stays.
      await server.execute(`DROP DATABASE IF EXISTS ${quotePostgresIdentifier(name)}`).catch(() => undefined);
    } else {
      await dropUnlockedMysqlShadow(server, name);
    }
  }
}

/** Drops a MySQL shadow only while holding its lock, so a run that takes it meanwhile keeps its shadow. */
async function dropUnlockedMysqlShadow(server: DatabaseClient, name: string): Promise<void> {
  const taken = await server.query<{ taken: unknown }>(TAKE_SHADOW_LOCK_SQL, [name]).catch(() => []);
  if (Number(taken[0]?.taken) !== 1) return;
  try {
    await server.execute(`DROP DATABASE IF EXISTS ${quoteMysqlName(name)}`).catch(() => undefined);
  } finally {
    await server.query(RELEASE_SHADOW_LOCK_SQL, [name]).catch(() => undefined);
  }
}

/**
 * A PostgreSQL shadow starts from template0, not template1 (where a DBA may have put tables the models do not
 * describe), with the live database's encoding and collation, which decide what a column's default collation is.
 */
async function createPostgresDatabase(server: DatabaseClient, quoted: string, serverIsLive: boolean, template: string | null): Promise<string> {
  // A template other than template0 fixes the encoding and collation itself (asking for others is an error).
  if (template !== null) return `CREATE DATABASE ${quoted} TEMPLATE ${quotePostgresIdentifier(template)}`;
  if (!serverIsLive) return `CREATE DATABASE ${quoted} TEMPLATE template0`;
  const rows = await server.query<{ encoding: string; collate: string; ctype: string }>(DATABASE_LOCALE_SQL);
  const live = rows[0];
  if (live === undefined) return `CREATE DATABASE ${quoted} TEMPLATE template0`;
  const literal = quotePostgresLiteral;
  return `CREATE DATABASE ${quoted} TEMPLATE template0 ENCODING ${literal(live.encoding)} LC_COLLATE ${literal(live.collate)} LC_CTYPE ${literal(live.ctype)}`;
}

/**
 * A MySQL shadow gets the live database's character set and collation: they are what its tables, and so every column
 * that names none, get.
 */
async function createMysqlDatabase(server: DatabaseClient, quoted: string, serverIsLive: boolean): Promise<string> {
  if (!serverIsLive) return `CREATE DATABASE ${quoted}`;
  const live = (await server.query<{ charset: unknown; collation: unknown }>(DATABASE_DEFAULTS_SQL))[0];
  const name = (value: unknown) => (typeof value === 'string' && /^\w+$/.test(value) ? value : null);
  const charset = name(live?.charset);
  const collation = name(live?.collation);
  return charset === null || collation === null ? `CREATE DATABASE ${quoted}` : `CREATE DATABASE ${quoted} CHARACTER SET ${charset} COLLATE ${collation}`;
}

function toMysql(url: string): string {
  return url.replace(/^mariadb:/, 'mysql:');
}
