import { History } from '../apply/history';
import { readMigrationStatuses } from '../apply/migration-status';
import type { DatabaseClient } from '../connect/client';
import { quoteMysqlLiteral, quoteMysqlName } from '../dialect/mysql/quote';
import type { ColumnType, Schema } from '../model/schema';
import type { ModelSource } from '../source/typeorm/load-models';
import type { TableGlob } from '../diff/table-glob';
import { extensionForType } from '../dialect/postgres/extension-types';
import { extensionCreators } from '../dialect/postgres/extension-creators';
import { postgresShadowSource } from '../verify/shadow-source';

export { extensionCreators };
import { computeDiff } from '../sync/compute-diff';
import { messageOf } from '../util/errors';
import { counted } from '../util/plural';

/** One line of the doctor's report. */
export interface DoctorCheck {
  readonly name: string;
  readonly status: 'ok' | 'warn' | 'fail';
  readonly detail: string;
  /** What to run or do when it is not ok. */
  readonly fix?: string;
}

/** Runs every check; a failing check never stops the others. */
export async function runDoctor(
  client: DatabaseClient,
  options: { projectDir: string; source: ModelSource; migrationsDir: string; ignore?: readonly TableGlob[]; url?: string },
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const version = await client.serverVersion();
  checks.push({ name: 'connection', status: 'ok', detail: `${client.target}: ${client.dialect}, ${version.split(' on ')[0] ?? version}` });
  checks.push(await attempt('privileges', () => privileges(client)));
  let desired: Schema | null = null;
  try {
    const outcome = await computeDiff(client, { projectDir: options.projectDir, source: options.source, ignore: options.ignore ?? [] });
    desired = outcome.desired;
    checks.push({
      name: 'models',
      status: outcome.diff.changes.length === 0 ? 'ok' : 'warn',
      detail: `${counted(outcome.models.entityCount, 'table')} from the models; ${outcome.diff.changes.length === 0 ? 'the database matches them' : `${counted(outcome.diff.changes.length, 'difference')} from the database`}`,
      ...(outcome.diff.changes.length === 0 ? {} : { fix: 'schema-sync diff' }),
    });
  } catch (error) {
    checks.push({ name: 'models', status: 'fail', detail: messageOf(error) });
  }
  if (client.dialect === 'postgres' && desired !== null) checks.push(...(await extensions(client, desired, version)));
  if (client.dialect === 'postgres' && !client.embedded && options.url !== undefined) {
    const url = options.url;
    checks.push(await attempt('verification shadow', () => shadowCheck(client, url)));
  }
  if (client.dialect !== 'postgres') checks.push(await attempt('catalog cache', () => mysqlCatalogCache(client)));
  checks.push(await attempt('migrations', () => migrationsCheck(client, options.migrationsDir)));
  return checks;
}

async function attempt(name: string, run: () => Promise<DoctorCheck>): Promise<DoctorCheck> {
  try {
    return await run();
  } catch (error) {
    return { name, status: 'fail', detail: messageOf(error) };
  }
}

async function privileges(client: DatabaseClient): Promise<DoctorCheck> {
  if (client.dialect === 'postgres') {
    const row = (await client.query<{ u: string; schema: string | null; s: boolean; d: boolean }>(
      `SELECT current_user AS u, current_schema() AS schema, has_schema_privilege(current_schema(), 'CREATE') AS s, has_database_privilege(current_database(), 'CREATE') AS d`,
    ))[0];
    const ok = row?.s === true;
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    return {
      name: 'privileges',
      status: ok ? 'ok' : 'fail',
      detail: `user ${row?.u ?? '?'} ${ok ? 'can' : 'cannot'} create objects in the current schema${row?.d === true ? ' and can create schemas' : ''}`,
      ...(ok ? {} : { fix: `GRANT CREATE ON SCHEMA ${row?.schema ?? 'public'} TO ${quote(row?.u ?? 'app')};` }),
    };
  }
  const who = (await client.query<{ name: unknown; account: unknown }>('SELECT DATABASE() AS name, CURRENT_USER() AS account'))[0];
  const database = String(who?.name ?? '');
  const grants = (await client.query('SHOW GRANTS')).map((row) => String(Object.values(row)[0] ?? ''));
  const held = new Set(grants.flatMap((grant) => mysqlPrivilegesOn(grant, database)));
  const missing = held.has('ALL PRIVILEGES') ? [] : MYSQL_DDL_PRIVILEGES.filter((p) => !held.has(p));
  // CURRENT_USER() is the account the server matched, `user@host`; the user name itself may contain an @.
  const account = String(who?.account ?? '');
  const at = account.lastIndexOf('@');
  const grantee = at < 0 ? '<user>' : `${quoteMysqlLiteral(account.slice(0, at))}@${quoteMysqlLiteral(account.slice(at + 1))}`;
  const on = database === '' ? '<database>' : quoteMysqlName(database);
  return {
    name: 'privileges',
    status: missing.length === 0 ? 'ok' : 'fail',
    detail: missing.length === 0 ? `user ${account} holds the DDL privileges migrations need` : `user ${account} lacks privileges migrations need: ${missing.join(', ')}`,
    ...(missing.length === 0 ? {} : { fix: `GRANT ${missing.join(', ')} ON ${on}.* TO ${grantee};` }),
  };
}

async function mysqlCatalogCache(client: DatabaseClient): Promise<DoctorCheck> {
  const row = (await client.query<{ tables: unknown; cache: unknown }>(
    'SELECT (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()) AS tables, @@table_definition_cache AS cache',
  ))[0];
  return catalogCacheCheck(Number(row?.tables ?? 0), Number(row?.cache ?? 0));
}

/**
 * MySQL and MariaDB answer information_schema.STATISTICS and KEY_COLUMN_USAGE by opening each table's definition;
 * with more tables than table_definition_cache holds (MariaDB's default is 400), every read reopens them. Measured on
 * MariaDB 10.11 at 2,000 tables: the index query took 700 ms with the default and 65 ms with the cache above the
 * table count; the whole introspection 1.1 s against 0.8 s.
 */
export function catalogCacheCheck(tables: number, cache: number): DoctorCheck {
  const name = 'catalog cache';
  if (tables <= cache) return { name, status: 'ok', detail: `table_definition_cache (${cache}) holds all ${counted(tables, 'table')}` };
  const enough = Math.max(2000, Math.ceil((tables * 1.25) / 100) * 100);
  return {
    name,
    status: 'warn',
    detail: `${counted(tables, 'table')} but table_definition_cache is ${cache}: reading the catalog reopens table definitions, which slows introspection (by about 40% at 2,000 tables)`,
    fix: `SET GLOBAL table_definition_cache = ${enough};   -- and table_definition_cache = ${enough} under [mysqld] in the server's configuration`,
  };
}

/** What migrations run on MySQL and MariaDB: CREATE/ALTER/DROP TABLE, indexes and foreign keys. */
const MYSQL_DDL_PRIVILEGES: readonly string[] = ['CREATE', 'ALTER', 'DROP', 'INDEX', 'REFERENCES'];

/**
 * The privileges one SHOW GRANTS line gives on every table of `database`: those granted ON *.* or ON `db`.* where
 * `db` (a LIKE pattern: `_` and `%` are wildcards unless escaped) matches it. Grants on other databases, on single
 * tables or columns, and role grants give none. Names are whole (`CREATE TEMPORARY TABLES` is not CREATE).
 */
export function mysqlPrivilegesOn(grant: string, database: string): string[] {
  const match = /^GRANT (.+?) ON (\*|`(?:[^`]|``)*`|[^\s.`]+)\.\* TO /i.exec(grant);
  if (match === null) return [];
  const target = match[2] as string;
  if (target !== '*' && !likePattern(target.startsWith('`') ? target.slice(1, -1).replace(/``/g, '`') : target).test(database)) return [];
  return (match[1] as string)
    .replace(/\([^)]*\)/g, '')
    .split(',')
    .map((privilege) => privilege.trim().replace(/\s+/g, ' ').toUpperCase())
    .map((privilege) => (privilege === 'ALL' ? 'ALL PRIVILEGES' : privilege));
}

/** A MySQL database-name pattern as a RegExp: `%` any run, `_` any one character, a backslash escapes the next. */
function likePattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) source += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

async function extensions(client: DatabaseClient, desired: Schema, version: string): Promise<DoctorCheck[]> {
  const needed = new Map<string, string>();
  for (const table of desired.tables) {
    for (const column of table.columns) {
      const forType = extensionForType(column.type);
      if (forType !== null) needed.set(forType, `${table.name}.${column.name} is a ${forType === 'vector' ? 'vector' : formatTypeName(column.type)} column`);
      const sql = column.default?.kind === 'expression' ? column.default.sql : '';
      if (/uuid_generate_v/.test(sql)) needed.set('uuid-ossp', `${table.name}.${column.name} defaults to ${sql}`);
      const major = Number(/PostgreSQL (\d+)/.exec(version)?.[1] ?? 99);
      if (/gen_random_uuid/.test(sql) && major < 13) needed.set('pgcrypto', `${table.name}.${column.name} defaults to ${sql}`);
    }
  }
  if (needed.size === 0) return [{ name: 'extensions', status: 'ok', detail: 'the models need no extension' }];
  const installed = new Set((await client.query<{ name: string }>('SELECT extname AS name FROM pg_extension')).map((r) => r.name));
  const available = new Set((await client.query<{ name: string }>('SELECT name FROM pg_available_extensions')).map((r) => r.name));
  const mayCreate = await extensionCreators(client);
  return [...needed.entries()].map(([name, why]): DoctorCheck => {
    if (installed.has(name)) return { name: `extension ${name}`, status: 'ok', detail: `installed (${why})` };
    if (available.has(name)) {
      const allowed = mayCreate(name);
      return allowed.may
        ? { name: `extension ${name}`, status: 'warn', detail: `not installed yet; migrations create it, and this role may (${allowed.why}) (${why})`, fix: `CREATE EXTENSION IF NOT EXISTS "${name}";` }
        : {
            name: `extension ${name}`,
            status: 'fail',
            detail: `not installed, and this role may not create it (${allowed.why}); the migration's CREATE EXTENSION would fail (${why})`,
            fix: `as a superuser: CREATE EXTENSION IF NOT EXISTS "${name}";`,
          };
    }
    return {
      name: `extension ${name}`,
      status: 'fail',
      detail: `not available on the server (${why})`,
      fix: name === 'vector' ? 'install pgvector for this server (Debian: postgresql-<major>-pgvector, or build it from source)' : `install the PostgreSQL contrib package that provides ${name}`,
    };
  });
}

async function migrationsCheck(client: DatabaseClient, migrationsDir: string): Promise<DoctorCheck> {
  const history = new History(client);
  const exists = await history.exists();
  const statuses = await readMigrationStatuses(history, migrationsDir);
  const count = (state: string) => statuses.filter((s) => s.state === state).length;
  // A `running` row with no applier holding the lock is one that was killed.
  const problems = (
    [
      ['failed', 'failed'],
      ['running', 'interrupted'],
      ['changed', 'changed since applied'],
      ['missing', 'applied but missing their file'],
    ] as const
  ).filter(([state]) => count(state) > 0);
  const bad = problems.length > 0;
  const pending = count('pending');
  return {
    name: 'migrations',
    status: bad ? 'fail' : pending > 0 ? 'warn' : 'ok',
    detail: `${exists ? 'history table present' : 'no history table yet'}; ${count('applied')} applied, ${pending} pending${problems.map(([state, words]) => `, ${count(state)} ${words}`).join('')}`,
    ...(bad ? { fix: 'schema-sync status' } : pending > 0 ? { fix: 'schema-sync apply' } : {}),
  };
}

/**
 * Whether `sync` can verify in a shadow database on this server: the role needs CREATEDB, and every extension the
 * live database has must be one it may create there (trusted) or come from a template database that has it.
 */
export async function shadowCheck(client: DatabaseClient, url: string): Promise<DoctorCheck> {
  const name = 'verification shadow';
  const fallback = 'verification falls back to the embedded PGlite (another PostgreSQL version; --shadow-url picks a server that allows it)';
  const [role] = await client.query<{ createdb: boolean; superuser: boolean }>('SELECT rolcreatedb AS createdb, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user');
  if (role?.createdb !== true && role?.superuser !== true) {
    return { name, status: 'warn', detail: `the role may not create databases: ${fallback}`, fix: 'ALTER ROLE <role> CREATEDB;   -- as a superuser' };
  }
  const source = await postgresShadowSource(client, url);
  if (source.blocked.length === 0) return { name, status: 'ok', detail: 'the role may create a shadow database with every extension this database has' };
  const extensions = source.blocked.join(', ');
  if (source.template !== null) return { name, status: 'ok', detail: `shadow databases are made from template ${source.template}, which has ${extensions} (the role may not create ${source.blocked.length === 1 ? 'it' : 'them'})` };
  return {
    name,
    status: 'warn',
    detail: `the role may not create extension ${extensions} (untrusted; only a superuser may) in a shadow database, and no template database has it: ${fallback}`,
    fix: `as a superuser: CREATE DATABASE schema_sync_template IS_TEMPLATE true;  then in it: CREATE EXTENSION ${source.blocked.map((e) => `"${e}"`).join(', ')};`,
  };
}

function formatTypeName(type: ColumnType): string {
  return type.kind === 'raw' ? type.sql : type.kind === 'array' ? `${formatTypeName(type.element)}[]` : type.kind;
}
