import { History } from '../apply/history';
import { findMigrationFiles } from '../apply/migration-files';
import { migrationStatuses } from '../apply/migration-status';
import type { DatabaseClient } from '../connect/client';
import type { ColumnType, Schema } from '../model/schema';
import type { ModelSource } from '../source/typeorm/load-models';
import { computeDiff } from '../sync/compute-diff';
import { messageOf } from '../util/errors';

/** One line of the doctor's report. */
export interface DoctorCheck {
  readonly name: string;
  readonly status: 'ok' | 'warn' | 'fail';
  readonly detail: string;
  /** What to run or do when it is not ok. */
  readonly fix?: string;
}

/** Runs every check; a failing check never stops the others. */
export async function runDoctor(client: DatabaseClient, options: { projectDir: string; source: ModelSource; migrationsDir: string }): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const version = await client.serverVersion();
  checks.push({ name: 'connection', status: 'ok', detail: `${client.target}: ${client.dialect}, ${version.split(' on ')[0] ?? version}` });
  checks.push(await attempt('privileges', () => privileges(client)));
  let desired: Schema | null = null;
  try {
    const outcome = await computeDiff(client, { projectDir: options.projectDir, source: options.source });
    desired = outcome.desired;
    checks.push({
      name: 'models',
      status: outcome.diff.changes.length === 0 ? 'ok' : 'warn',
      detail: `${outcome.models.entityCount} tables from the models; ${outcome.diff.changes.length === 0 ? 'the database matches them' : `${outcome.diff.changes.length} difference(s) from the database`}`,
      ...(outcome.diff.changes.length === 0 ? {} : { fix: 'schema-sync diff' }),
    });
  } catch (error) {
    checks.push({ name: 'models', status: 'fail', detail: messageOf(error) });
  }
  if (client.dialect === 'postgres' && desired !== null) checks.push(...(await extensions(client, desired, version)));
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
    const row = (await client.query<{ u: string; s: boolean; d: boolean }>(
      `SELECT current_user AS u, has_schema_privilege(current_schema(), 'CREATE') AS s, has_database_privilege(current_database(), 'CREATE') AS d`,
    ))[0];
    const ok = row?.s === true;
    return {
      name: 'privileges',
      status: ok ? 'ok' : 'fail',
      detail: `user ${row?.u ?? '?'} ${ok ? 'can' : 'cannot'} create objects in the current schema${row?.d === true ? ' and can create schemas' : ''}`,
      ...(ok ? {} : { fix: `GRANT CREATE ON SCHEMA public TO "${row?.u ?? 'app'}";` }),
    };
  }
  const grants = (await client.query('SHOW GRANTS')).map((row) => String(Object.values(row)[0] ?? ''));
  const needed = ['CREATE', 'ALTER', 'DROP', 'INDEX', 'REFERENCES'];
  const all = grants.some((g) => /GRANT ALL PRIVILEGES ON (\*|`[^`]+`)\.\*/i.test(g));
  const missing = all ? [] : needed.filter((p) => !grants.some((g) => new RegExp(`\\b${p}\\b`, 'i').test(g.split(' ON ')[0] ?? '')));
  return {
    name: 'privileges',
    status: missing.length === 0 ? 'ok' : 'fail',
    detail: missing.length === 0 ? 'the user holds the DDL privileges migrations need' : `missing privileges: ${missing.join(', ')}`,
    ...(missing.length === 0 ? {} : { fix: `GRANT ${missing.join(', ')} ON <database>.* TO <user>;` }),
  };
}

async function extensions(client: DatabaseClient, desired: Schema, version: string): Promise<DoctorCheck[]> {
  const needed = new Map<string, string>();
  const uses = (type: ColumnType): boolean => type.kind === 'vector' || (type.kind === 'array' && uses(type.element));
  for (const table of desired.tables) {
    for (const column of table.columns) {
      if (uses(column.type)) needed.set('vector', `${table.name}.${column.name} is a vector column`);
      const sql = column.default?.kind === 'expression' ? column.default.sql : '';
      if (/uuid_generate_v/.test(sql)) needed.set('uuid-ossp', `${table.name}.${column.name} defaults to ${sql}`);
      const major = Number(/PostgreSQL (\d+)/.exec(version)?.[1] ?? 99);
      if (/gen_random_uuid/.test(sql) && major < 13) needed.set('pgcrypto', `${table.name}.${column.name} defaults to ${sql}`);
    }
  }
  if (needed.size === 0) return [{ name: 'extensions', status: 'ok', detail: 'the models need no extension' }];
  const installed = new Set((await client.query<{ name: string }>('SELECT extname AS name FROM pg_extension')).map((r) => r.name));
  const available = new Set((await client.query<{ name: string }>('SELECT name FROM pg_available_extensions')).map((r) => r.name));
  return [...needed.entries()].map(([name, why]): DoctorCheck => {
    if (installed.has(name)) return { name: `extension ${name}`, status: 'ok', detail: `installed (${why})` };
    if (available.has(name)) return { name: `extension ${name}`, status: 'warn', detail: `not installed yet; migrations create it (${why})`, fix: `CREATE EXTENSION IF NOT EXISTS "${name}";` };
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
  const statuses = migrationStatuses(findMigrationFiles(migrationsDir), await history.all());
  const count = (state: string) => statuses.filter((s) => s.state === state).length;
  const bad = count('failed') + count('running') + count('changed') + count('missing');
  const pending = count('pending');
  return {
    name: 'migrations',
    status: bad > 0 ? 'fail' : pending > 0 ? 'warn' : 'ok',
    detail: `${exists ? 'history table present' : 'no history table yet'}; ${count('applied')} applied, ${pending} pending${bad > 0 ? `, ${bad} failed/interrupted/changed/missing` : ''}`,
    ...(bad > 0 ? { fix: 'schema-sync status' } : pending > 0 ? { fix: 'schema-sync apply' } : {}),
  };
}
