/**
 * The applier as deploys run it: concurrent replicas, a killed run, a failing statement, tampered and missing
 * files, rollback, status, stamp and explain; all through the built CLI, on one database.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { PgliteClient } from '../../src/connect/pglite-client';
import { cliEnv, makeProject, removeProject, runCli, REPO_ROOT } from '../support/cli';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

/** The databases the applier suites run on. */
export type ApplyTarget = 'postgres' | 'mariadb' | 'pglite';

/** A hand-written migration file with the given statements in migrate and rollback. */
export function migrationSource(dialect: string, migrate: readonly string[], rollback: readonly string[]): string {
  const calls = (sqls: readonly string[]) => sqls.map((sql) => `  await db.execute(${JSON.stringify(sql)});`).join('\n');
  return `import type { MigrationContext } from 'orm-schema-sync';\nexport const release = '1.0.0';\nexport const dialect = '${dialect}';\nexport async function migrate(db: MigrationContext): Promise<void> {\n${calls(migrate)}\n}\nexport async function rollback(db: MigrationContext): Promise<void> {\n${calls(rollback)}\n}\n`;
}

interface Env {
  project: string;
  args: string[];
  open(): Promise<DatabaseClient>;
}

/** Defines the applier suite for one database. */
export function defineApplySuite(target: ApplyTarget): void {
  const dialect = target === 'mariadb' ? 'mariadb' : 'postgres';
  const q = (name: string) => (target === 'mariadb' ? `\`${name}\`` : `"${name}"`);
  const sleep = (seconds: number) => (target === 'mariadb' ? `SELECT SLEEP(${seconds})` : `SELECT pg_sleep(${seconds})`);

  let database: ThrowawayDatabase | null = null;
  let env: Env;

  const write = (id: string, migrate: readonly string[], rollback: readonly string[]) => {
    const file = path.join(env.project, 'generated-migrations', `${id}.ts`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, migrationSource(dialect, migrate, rollback));
    return file;
  };
  const cli = (...args: string[]) => runCli([...args, '--project', env.project, ...env.args], { cwd: env.project });
  const tables = async (): Promise<string[]> => {
    const client = await env.open();
    try {
      const sql = target === 'mariadb'
        ? `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1`
        : `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`;
      return (await client.query<{ t: string }>(sql)).map((r) => r.t);
    } finally {
      await client.close();
    }
  };
  const history = async (): Promise<{ id: string; status: string; statements_done: number }[]> => {
    const client = await env.open();
    try {
      return (await client.query<{ id: string; status: string; statements_done: number }>('SELECT id, status, statements_done FROM schema_sync_history ORDER BY id')).map((r) => ({
        id: r.id,
        status: r.status,
        statements_done: Number(r.statements_done),
      }));
    } finally {
      await client.close();
    }
  };

  beforeEach(async () => {
    const project = makeProject({ 'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }) });
    if (target === 'postgres') database = await createPostgresDatabase('e2e_apply');
    if (target === 'mariadb') database = await createMysqlDatabase('e2e_apply');
    const url = database?.url;
    env = {
      project,
      args: url === undefined ? [] : ['--url', url],
      open: () => {
        if (url === undefined) return PgliteClient.open(path.join(project, '.schema-sync', 'pglite'));
        return target === 'postgres' ? PgClient.connect(url, url) : MysqlClient.connect(url, url);
      },
    };
  });
  afterEach(async () => {
    await database?.drop();
    database = null;
    removeProject(env.project);
  });

  describe(`${target}: apply`, () => {
    it('applies pending migrations in release then timestamp order, once, and says so', async () => {
      write('v1_10_0/20260101000000_third', [`CREATE TABLE ${q('third')} (id int)`], [`DROP TABLE ${q('third')}`]);
      write('v1_2_0/20260101000000_first', [`CREATE TABLE ${q('first')} (id int)`], [`DROP TABLE ${q('first')}`]);
      write('v1_2_0/20260102000000_second', [`CREATE TABLE ${q('second')} (id int)`, `CREATE TABLE ${q('second_b')} (id int)`], [`DROP TABLE ${q('second_b')}`, `DROP TABLE ${q('second')}`]);
      const dry = cli('apply', '--dry-run');
      expect(dry.status).toBe(0);
      expect(dry.stdout.indexOf('v1_2_0/20260101000000_first')).toBeLessThan(dry.stdout.indexOf('v1_10_0/20260101000000_third'));
      expect(dry.stdout).toContain(`CREATE TABLE ${q('second_b')} (id int);`);
      expect(await tables()).not.toContain('first');

      const run = cli('apply');
      expect(run.stderr).toContain('applying v1_2_0/20260101000000_first (1 statement)');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/✓ v1_2_0\/20260102000000_second 2 statements, [\d.]+ s/);
      expect(await tables()).toEqual(expect.arrayContaining(['first', 'second', 'second_b', 'third']));
      expect((await history()).map((h) => [h.id, h.status])).toEqual([
        ['v1_10_0/20260101000000_third', 'applied'],
        ['v1_2_0/20260101000000_first', 'applied'],
        ['v1_2_0/20260102000000_second', 'applied'],
      ]);
      expect(cli('apply').stdout).toContain('Up to date');
    });

    it('says the migrations folder is missing instead of "Up to date"', async () => {
      const run = cli('apply', '--migrations-dir', 'no-such-folder');
      expect(run.stdout).not.toContain('Up to date');
      expect(run.stderr).toContain(`No migrations folder at ${path.join(env.project, 'no-such-folder')}`);
    });

    it('stops at --to, and status shows applied and pending with exit code 2', async () => {
      write('v1_0_0/20260101000000_a', [`CREATE TABLE ${q('a')} (id int)`], [`DROP TABLE ${q('a')}`]);
      write('v1_1_0/20260101000000_b', [`CREATE TABLE ${q('b')} (id int)`], [`DROP TABLE ${q('b')}`]);
      expect(cli('apply', '--to', '1.0.0').status).toBe(0);
      const status = cli('status', '--json', '--exit-code', '--models', 'none/*.ts');
      expect(status.status).toBe(1); // no models: status needs them for the drift check, and says so
      expect(status.stderr).toContain('No model files match "none/*.ts"');
      fs.mkdirSync(path.join(env.project, 'models'));
      fs.writeFileSync(path.join(env.project, 'models', 'a.ts'), "import { Entity, PrimaryColumn } from 'typeorm';\n@Entity('a') export class A { @PrimaryColumn('int') id!: number; }\n");
      const withModels = cli('status', '--json', '--exit-code');
      expect(withModels.status).toBe(2);
      const json = JSON.parse(withModels.stdout) as { migrations: { id: string; state: string }[] };
      expect(json.migrations.map((m) => [m.id, m.state])).toEqual([
        ['v1_0_0/20260101000000_a', 'applied'],
        ['v1_1_0/20260101000000_b', 'pending'],
      ]);
    });

    it('lets 8 concurrent appliers apply each migration exactly once, all exiting 0', async () => {
      // Each migration would fail if it ran twice (CREATE TABLE without IF NOT EXISTS).
      for (let i = 1; i <= 4; i++) write(`v1_0_0/2026010100000${i}_m${i}`, [`CREATE TABLE ${q(`t${i}`)} (id int)`, sleep(0.2)], [`DROP TABLE ${q(`t${i}`)}`]);
      const runs = await Promise.all(Array.from({ length: 8 }, () => spawnCli(['apply', '--project', env.project, ...env.args], env.project)));
      // On the embedded database a waiting process names the one holding it (one process at a time opens it).
      const waiting = (line: string) => /^schema-sync: the embedded database in .* is in use by process \d+; waiting for it/.test(line);
      for (const run of runs) expect({ status: run.status, stderr: run.stderr.split('\n').filter((l) => !l.startsWith('applying') && !waiting(l)).join('\n') }).toEqual({ status: 0, stderr: '' });
      if (target === 'pglite') expect(runs.some((run) => run.stderr.split('\n').some(waiting))).toBe(true);
      const appliedLines = runs.flatMap((run) => run.stdout.split('\n').filter((line) => line.startsWith('✓')));
      expect(appliedLines).toHaveLength(4);
      expect((await history()).map((h) => h.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    });

    it('resumes a run killed with SIGKILL, with nothing lost or applied twice', async () => {
      write('v1_0_0/20260101000000_slow', [`CREATE TABLE ${q('before_kill')} (id int)`, sleep(6), `CREATE TABLE ${q('after_kill')} (id int)`], [`DROP TABLE ${q('after_kill')}`, `DROP TABLE ${q('before_kill')}`]);
      // The server finishes the sleep of the killed session before it lets its lock go: 6 s keeps the wait short.
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'schema-sync.js'), 'apply', '--project', env.project, ...env.args], { cwd: env.project, env: cliEnv() });
      let progress = '';
      child.stderr.on('data', (chunk: Buffer) => (progress += chunk.toString()));
      await waitFor(async () => progress.includes('applying'), 60_000);
      await new Promise((resolve) => setTimeout(resolve, target === 'pglite' ? 2500 : 1500)); // inside the sleep
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      if (target === 'mariadb') {
        // DDL committed itself: the first statement is done and recorded, the run is marked as interrupted.
        expect(await history()).toEqual([{ id: 'v1_0_0/20260101000000_slow', status: 'running', statements_done: 1 }]);
      }
      const resumed = cli('apply');
      expect(resumed.status).toBe(0);
      if (target === 'mariadb') expect(resumed.stderr).toContain('resuming at 2');
      expect(await tables()).toEqual(expect.arrayContaining(['before_kill', 'after_kill']));
      expect((await history()).map((h) => h.status)).toEqual(['applied']);
    }, 300_000); // after a kill, the embedded database waits for the dead process’s lock to go stale (90 s)

    it('records a failing statement, and the next apply after the fix resumes there', async () => {
      write('v1_0_0/20260101000000_needs_fix', [`CREATE TABLE ${q('made')} (id int)`, `INSERT INTO ${q('lookup')} (id) VALUES (1)`, `CREATE TABLE ${q('after')} (id int)`], [`DROP TABLE ${q('after')}`, `DROP TABLE ${q('made')}`]);
      const failed = cli('apply');
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain('Migration v1_0_0/20260101000000_needs_fix: statement 2 of 3 failed');
      expect(failed.stderr).toContain(`INSERT INTO ${q('lookup')} (id) VALUES (1)`);
      if (target === 'mariadb') {
        expect(failed.stderr).toContain('Statements 1–1 are applied and recorded; after fixing the cause, apply again to resume at statement 2.');
        expect(await history()).toEqual([{ id: 'v1_0_0/20260101000000_needs_fix', status: 'failed', statements_done: 1 }]);
      } else {
        expect(failed.stderr).toContain('Nothing of it was applied (rolled back).');
        expect(await tables()).not.toContain('made');
      }
      const status = cli('status', '--json', '--models', 'generated-migrations/**/*.ts');
      expect(status.status).toBe(1);
      const client = await env.open();
      await client.execute(`CREATE TABLE ${q('lookup')} (id int)`);
      await client.close();
      const fixed = cli('apply');
      expect(fixed.status).toBe(0);
      if (target === 'mariadb') expect(fixed.stderr).toContain('resuming at 2');
      expect(await tables()).toEqual(expect.arrayContaining(['made', 'lookup', 'after']));
    });

    // PostgreSQL only: MySQL enums are column types, with no ALTER TYPE … ADD VALUE to commit first. Not registered at
    // all on MariaDB, rather than reported as skipped.
    const postgresOnly = target === 'mariadb' ? () => undefined : it;
    postgresOnly('commits the enum values a migration adds before the statements that use them, and runs them again after a failure', async () => {
      const sql = async (statement: string): Promise<string[]> => {
        const client = await env.open();
        try {
          return (await client.query<{ r: string }>(statement)).map((row) => row.r);
        } finally {
          await client.close();
        }
      };
      await sql(`CREATE TYPE "mood" AS ENUM ('a')`);
      // PostgreSQL refuses a value in the transaction that adds it ("unsafe use of new value"); the applier commits
      // the leading ADD VALUE IF NOT EXISTS statements first.
      write(
        'v1_0_0/20260101000000_moods',
        [`ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'b'`, `CREATE TABLE "feelings" (m "mood" DEFAULT 'b')`, `INSERT INTO "lookup" (id) VALUES (1)`],
        [`ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'c'`, `CREATE TABLE "rolled" (m "mood" DEFAULT 'c')`, `DROP TABLE "feelings"`],
      );
      const failed = cli('apply');
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain('statement 3 of 3 failed');
      expect(failed.stderr).toContain('Statements 1–1 (enum values, committed before the rest could use them) stay; the rest was rolled back.');
      expect(await tables()).not.toContain('feelings');
      expect(await sql(`SELECT enum_range(NULL::"mood")::text AS r`)).toEqual(['{a,b}']);
      expect(await history()).toEqual([{ id: 'v1_0_0/20260101000000_moods', status: 'failed', statements_done: 0 }]);

      await sql(`CREATE TABLE "lookup" (id int)`);
      const fixed = cli('apply');
      expect(fixed.stderr).not.toContain('failed');
      expect(fixed.status).toBe(0);
      expect(await tables()).toContain('feelings');
      expect(await history()).toEqual([{ id: 'v1_0_0/20260101000000_moods', status: 'applied', statements_done: 3 }]);

      expect(cli('rollback').status).toBe(0);
      expect(await tables()).toEqual(expect.arrayContaining(['rolled']));
      expect(await tables()).not.toContain('feelings');
      expect(await sql(`SELECT enum_range(NULL::"mood")::text AS r`)).toEqual(['{a,b,c}']);
      expect(await history()).toEqual([]);
    });

    it('stops on a changed or missing applied file unless --allow-changed', async () => {
      const file = write('v1_0_0/20260101000000_a', [`CREATE TABLE ${q('a')} (id int)`], [`DROP TABLE ${q('a')}`]);
      expect(cli('apply').status).toBe(0);
      fs.appendFileSync(file, '// edited after it was applied\n');
      write('v1_0_0/20260102000000_b', [`CREATE TABLE ${q('b')} (id int)`], [`DROP TABLE ${q('b')}`]);
      const changed = cli('apply');
      expect(changed.status).toBe(1);
      expect(changed.stderr).toContain('v1_0_0/20260101000000_a: applied, but the file changed since (checksum');
      expect(await tables()).not.toContain('b');
      expect(cli('apply', '--allow-changed').status).toBe(0);
      fs.rmSync(file);
      const missing = cli('apply');
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('v1_0_0/20260101000000_a: applied, but its file is gone from generated-migrations');
    });

    it('stops on a changed file under a migration that stopped halfway, unless --allow-changed', async () => {
      const id = 'v1_0_0/20260101000000_users';
      const table = `CREATE TABLE ${q('users')} (${q('id')} int, ${q('email')} varchar(50))`;
      const unique = `CREATE UNIQUE INDEX ${q('users_email')} ON ${q('users')} (${q('email')})`;
      write(id, [table, `INSERT INTO ${q('lookup')} (id) VALUES (1)`], [`DROP TABLE ${q('users')}`]);
      expect(cli('apply').status).toBe(1);
      // The fix a user tries: the file gains the unique index before the statement that failed.
      write(id, [table, unique, `INSERT INTO ${q('lookup')} (id) VALUES (1)`], [`DROP TABLE ${q('users')}`]);
      const client = await env.open();
      await client.execute(`CREATE TABLE ${q('lookup')} (id int)`);
      await client.close();
      const indexes = async () => {
        const c = await env.open();
        try {
          const rows = await c.query<{ n: unknown }>(target === 'mariadb' ? `SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'users_email'` : `SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'users_email'`);
          return Number(rows[0]?.n);
        } finally {
          await c.close();
        }
      };
      if (target === 'mariadb') {
        // Statement 1 of the old file is in the database: resuming by number would run the INSERT and never the index.
        const stopped = cli('apply');
        expect(stopped.status).toBe(1);
        expect(stopped.stderr).toContain(`${id}: failed after 1 of 2 statements, and the file changed since (checksum`);
        expect(await indexes()).toBe(0);
        const allowed = cli('apply', '--allow-changed');
        expect(allowed.status).toBe(0);
        expect(allowed.stderr).toContain('resuming at 2');
      } else {
        // The failed run rolled back whole: the edited file runs from the top, which is how a failure is fixed here.
        expect(cli('apply').status).toBe(0);
      }
      expect(await indexes()).toBe(1);
      expect(await history()).toEqual([{ id, status: 'applied', statements_done: 3 }]);
    });

    it('resolves a failed migration fixed by hand, and names what it cannot resolve', async () => {
      const id = 'v1_0_0/20260101000000_half';
      write(id, [`CREATE TABLE ${q('half')} (id int)`, `INSERT INTO ${q('lookup')} (id) VALUES (1)`], [`DROP TABLE ${q('half')}`]);
      write('v1_0_0/20260102000000_next', [`CREATE TABLE ${q('next')} (id int)`], [`DROP TABLE ${q('next')}`]);
      expect(cli('apply').status).toBe(1);
      const unknown = cli('resolve', 'no_such_migration', '--applied');
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain(`resolve no_such_migration: no migration of that id in the files or the history. Failed or interrupted: ${id}.`);
      const pending = cli('resolve', '20260102000000_next', '--applied');
      expect(pending.stderr).toContain('resolve v1_0_0/20260102000000_next: it is pending (never run); only a failed or interrupted migration is resolved.');
      expect(cli('resolve', id).stderr).toContain('--applied (finished by hand) or --rolled-back (undone by hand)');

      // The human finished it by hand (the insert goes elsewhere): resolve records it applied, apply goes on.
      const client = await env.open();
      if (target !== 'mariadb') await client.execute(`CREATE TABLE ${q('half')} (id int)`);
      await client.close();
      const resolved = cli('resolve', '20260101000000_half.ts', '--applied');
      expect(resolved.stderr).toBe('');
      expect(resolved.stdout).toContain(`✓ ${id}: recorded as applied (was failed at ${target === 'mariadb' ? 2 : 1}/2)`);
      expect(cli('resolve', id, '--rolled-back').stderr).toContain(`resolve ${id}: it is applied; only a failed or interrupted migration is resolved.`);
      expect(cli('apply').status).toBe(0);
      expect(await history()).toEqual([
        { id, status: 'applied', statements_done: 2 },
        { id: 'v1_0_0/20260102000000_next', status: 'applied', statements_done: 1 },
      ]);

      // A failed migration whose file is then deleted: apply names it and points to resolve instead of "applied".
      const gone = write('v1_0_0/20260103000000_gone', [`INSERT INTO ${q('lookup')} (id) VALUES (1)`], []);
      expect(cli('apply').status).toBe(1);
      fs.rmSync(gone);
      const blocked = cli('apply');
      expect(blocked.status).toBe(1);
      expect(blocked.stderr).toContain('v1_0_0/20260103000000_gone: failed with 0 of 1 statements applied, and its file is gone from generated-migrations: once the database is as it should be, run schema-sync resolve v1_0_0/20260103000000_gone --rolled-back (or --applied)');
      expect(cli('resolve', '20260103000000_gone', '--rolled-back').status).toBe(0);
      expect(cli('apply').stdout).toContain('Up to date');
    });

    it('names the file of a migration whose own code throws, and records it failed', async () => {
      const file = path.join(env.project, 'generated-migrations', 'v1_0_0', '20260101000000_throws.ts');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const source = (when: 'before' | 'after') =>
        `export async function migrate(db: { execute(sql: string): Promise<void>; dryRun: boolean }): Promise<void> {\n` +
        (when === 'after' ? `  await db.execute(${JSON.stringify(`CREATE TABLE ${q('made')} (id int)`)});\n  if (!db.dryRun) throw new Error('backfill source is empty');\n` : `  throw new Error('config value missing');\n`) +
        `}\nexport async function rollback(): Promise<void> {}\n`;
      fs.writeFileSync(file, source('before'));
      const before = cli('apply');
      expect(before.status).toBe(1);
      expect(before.stderr).toContain('Migration v1_0_0/20260101000000_throws: its migrate() in generated-migrations/v1_0_0/20260101000000_throws.ts threw: config value missing');
      expect(await history()).toEqual([{ id: 'v1_0_0/20260101000000_throws', status: 'failed', statements_done: 0 }]);
      fs.writeFileSync(file, source('after'));
      const after = cli('apply');
      expect(after.status).toBe(1);
      expect(after.stderr).toContain('its migrate() in generated-migrations/v1_0_0/20260101000000_throws.ts threw: backfill source is empty');
      expect(await history()).toEqual([{ id: 'v1_0_0/20260101000000_throws', status: 'failed', statements_done: target === 'mariadb' ? 1 : 0 }]);
    });

    it('records a rollback that fails halfway, shows it, and the next rollback after the fix resumes it', async () => {
      const id = 'v1_0_0/20260101000000_pair';
      write(id, [`CREATE TABLE ${q('a')} (id int)`, `CREATE TABLE ${q('b')} (id int)`], [`DROP TABLE ${q('b')}`, `INSERT INTO ${q('lookup')} (id) VALUES (1)`, `DROP TABLE ${q('a')}`]);
      expect(cli('apply').status).toBe(0);
      // --drop --force: the guard would otherwise stop it before it starts, in a copy of the schema.
      const failed = cli('rollback', '--drop', '--force');
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain(`Rollback of ${id}: statement 2 of 3 failed`);
      if (target === 'mariadb') {
        expect(failed.stderr).toContain('Statements 1–1 of the rollback are done and recorded (rollback-failed)');
        expect(await history()).toEqual([{ id, status: 'rollback-failed', statements_done: 1 }]);
        expect(await tables()).not.toContain('b');
        const apply = cli('apply');
        expect(apply.status).toBe(1);
        expect(apply.stderr).toContain(`${id}: rollback-failed, 1 of 3 rollback statements done`);
      } else {
        expect(failed.stderr).toContain('Nothing of the rollback took effect (rolled back); the migration stays applied.');
        expect(await history()).toEqual([{ id, status: 'applied', statements_done: 2 }]);
        expect(await tables()).toEqual(expect.arrayContaining(['a', 'b']));
      }
      const client = await env.open();
      await client.execute(`CREATE TABLE ${q('lookup')} (id int)`);
      await client.close();
      const resumed = cli('rollback');
      expect(resumed.stderr).toBe(`rolling back ${id} (3 statements${target === 'mariadb' ? ', resuming at 2' : ''}) …\n`);
      expect(resumed.status).toBe(0);
      expect(await history()).toEqual([]);
      expect(await tables()).not.toEqual(expect.arrayContaining(['a']));
      expect(await tables()).not.toEqual(expect.arrayContaining(['b']));
    });

    it('rolls back the newest migrations and forgets them', async () => {
      write('v1_0_0/20260101000000_a', [`CREATE TABLE ${q('a')} (id int)`], [`DROP TABLE ${q('a')}`]);
      write('v1_0_0/20260102000000_b', [`CREATE TABLE ${q('b')} (id int)`], [`DROP TABLE ${q('b')}`]);
      write('v1_0_0/20260103000000_c', [`CREATE TABLE ${q('c')} (id int)`], [`DROP TABLE ${q('c')}`]);
      expect(cli('apply').status).toBe(0);
      const dry = cli('rollback', '--steps', '2', '--dry-run');
      expect(dry.stdout).toContain(`-- rollback v1_0_0/20260103000000_c\nDROP TABLE ${q('c')};`);
      expect(await tables()).toContain('c');
      expect(cli('rollback', '--steps', '2').status).toBe(0);
      expect(await tables()).not.toEqual(expect.arrayContaining(['b']));
      expect((await history()).map((h) => h.id)).toEqual(['v1_0_0/20260101000000_a']);
      expect(cli('apply').status).toBe(0);
      expect(cli('rollback', '--to', '20260101000000_a').status).toBe(0);
      expect((await history()).map((h) => h.id)).toEqual(['v1_0_0/20260101000000_a']);
      expect(cli('rollback', '--steps', '0').stderr).toContain('--steps 0: must be a whole number of at least 1');
    });

    it('refuses a rollback that fails on a copy of the live schema, and the flags it names run it', async () => {
      write('v1_0_0/20260101000000_broken_rollback', [`CREATE TABLE ${q('kept')} (${q('id')} int PRIMARY KEY)`], [`CREATE INDEX ${q('kept_missing')} ON ${q('kept')} (${q('missing')})`]);
      expect(cli('apply').status).toBe(0);
      const refused = cli('rollback');
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('Not rolling back: statement 1 of the rollback fails on a copy of the live schema');
      expect(refused.stderr).toContain('(--drop --force runs the rollback without this check');
      expect(cli('rollback', '--force').stderr).toContain('fails on a copy of the live schema');
      const unchecked = cli('rollback', '--drop', '--force');
      expect(unchecked.stderr).not.toContain('fails on a copy of the live schema');
      expect(unchecked.status).toBe(1);
      expect(unchecked.stderr).toMatch(/missing/);
      // PostgreSQL undoes the failed rollback's transaction; MariaDB records where it stopped (nothing ran).
      expect((await history()).map((h) => [h.id, h.status, h.statements_done])).toEqual([['v1_0_0/20260101000000_broken_rollback', target === 'mariadb' ? 'rollback-failed' : 'applied', target === 'mariadb' ? 0 : 1]]);
      write('v1_0_0/20260101000000_broken_rollback', [`CREATE TABLE ${q('kept')} (${q('id')} int PRIMARY KEY)`], [`DROP TABLE ${q('kept')}`]);
      expect(cli('rollback', '--allow-changed').status).toBe(0);
      expect(await tables()).not.toContain('kept');
      fs.rmSync(path.join(env.project, 'generated-migrations', 'v1_0_0', '20260101000000_broken_rollback.ts'));
    });

    it('refuses a rollback that would lose data, with counts from the live rows, unless --drop or --force', async () => {
      const widen = target === 'mariadb' ? `ALTER TABLE ${q('items')} MODIFY ${q('name')} varchar(255) NULL` : `ALTER TABLE ${q('items')} ALTER COLUMN ${q('name')} TYPE varchar(255)`;
      const narrow = target === 'mariadb' ? `ALTER TABLE ${q('items')} MODIFY ${q('name')} varchar(10) NULL` : `ALTER TABLE ${q('items')} ALTER COLUMN ${q('name')} TYPE varchar(10)`;
      write('v1_0_0/20260101000000_items', [`CREATE TABLE ${q('items')} (${q('id')} int PRIMARY KEY, ${q('name')} varchar(10) NULL)`], [`DROP TABLE ${q('items')}`]);
      write('v1_0_0/20260102000000_widen', [widen, `ALTER TABLE ${q('items')} ADD ${q('note')} varchar(50) NULL`], [`ALTER TABLE ${q('items')} DROP COLUMN ${q('note')}`, narrow]);
      expect(cli('apply').status).toBe(0);
      // One connection per statement: the embedded database admits one process at a time, and the CLI is another.
      const sql = async (text: string) => {
        const client = await env.open();
        try {
          return await client.query<{ n: unknown }>(text);
        } finally {
          await client.close();
        }
      };
      {
        await sql(`INSERT INTO ${q('items')} (${q('id')}, ${q('name')}, ${q('note')}) VALUES (1, 'short', 'a'), (2, 'a name longer than ten', 'b'), (3, 'x', NULL)`);
        const dry = cli('rollback', '--dry-run');
        expect(dry.status).toBe(0);
        expect(dry.stdout).toContain('--   dropping column items.note destroys 2 non-null values (--drop)');
        expect(dry.stdout).toContain('--   narrowing items.name to 10 characters would cut 1 row holding longer values (--force)');

        const refused = cli('rollback');
        expect(refused.status).toBe(1);
        expect(refused.stderr).toContain('Not rolling back: it would lose data');
        expect(refused.stderr).toContain('dropping column items.note destroys 2 non-null values');
        expect(refused.stderr).toContain('or pass --drop and --force to roll back anyway');
        const onlyDrop = cli('rollback', '--drop');
        expect(onlyDrop.status).toBe(1);
        expect(onlyDrop.stderr).not.toContain('items.note');
        expect(onlyDrop.stderr).toContain('narrowing items.name to 10 characters would cut 1 row');
        expect((await history()).map((h) => [h.id, h.status])).toEqual([
          ['v1_0_0/20260101000000_items', 'applied'],
          ['v1_0_0/20260102000000_widen', 'applied'],
        ]);
        expect((await sql(`SELECT COUNT(*) AS n FROM ${q('items')} WHERE ${q('note')} IS NOT NULL`)).map((r) => Number(r.n))).toEqual([2]);

        await sql(`UPDATE ${q('items')} SET ${q('name')} = 'shortened' WHERE ${q('id')} = 2`);
        expect(cli('rollback', '--drop').status).toBe(0);
        const dropTable = cli('rollback');
        expect(dropTable.status).toBe(1);
        expect(dropTable.stderr).toContain('dropping table items destroys 3 rows');
        expect(await tables()).toContain('items');
        await sql(`DELETE FROM ${q('items')}`);
      }
      expect(cli('rollback').status).toBe(0);
      expect(await tables()).not.toContain('items');
    });
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('timed out waiting');
}

function spawnCli(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'schema-sync.js'), ...args], { cwd, env: cliEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}
