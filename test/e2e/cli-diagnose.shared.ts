/**
 * The diagnostics, end to end with the built CLI on a temporary copy of the example project:
 *  - `explain` on error texts produced live by the server (raw SQL and TypeORM's own repository queries), for a
 *    column missing with and without a pending migration, a column the database calls by another name, a missing
 *    table, an object that exists by now, and text that is no such error;
 *  - `stamp` on a database built by TypeORM's synchronize(), and its refusal when the database drifted;
 *  - `verify` and `status --exit-code`;
 *  - `doctor`, including a database user without DDL privileges;
 *  - `new-data-migration`: the file, its dry run, the backfill, its rollback.
 * One test file per dialect, because the entity files read SCHEMA_SYNC_DIALECT when their decorators run.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { DataSource } from 'typeorm';
import type { DatabaseClient, Row } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import type { MigrationContext } from '../../src/migrations/context';
import { loadModels, selectDialect, synchronizeThenLog } from '../integration/typeorm-sync-fixtures.shared';
import { makeProject, removeProject, REPO_ROOT, runCli, type CliRun } from '../support/cli';
import { createMysqlDatabase, createPostgresDatabase, MYSQL_URL, PG_URL, type ThrowawayDatabase } from '../support/servers';

/** The servers the diagnostics suites run on. */
export type DiagnoseTarget = 'postgres' | 'mariadb';

/** What `explain --json` prints. */
interface Explanation {
  missing: { kind: 'column' | 'table'; table: string | null; column?: string; flavour: 'mysql' | 'postgres' };
  entity: string | null;
  property: string | null;
  table: string | null;
  inModels: boolean;
  inDatabase: boolean;
  pendingMigration: string | null;
  cause: string;
  fix: string;
}

interface DoctorCheck {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

interface HistoryRow {
  id: string;
  status: string;
  done: number;
  total: number;
}

/** Defines the diagnostics suite for one server. Call it at the top of the test file, before anything loads models. */
export function defineDiagnoseSuite(target: DiagnoseTarget): void {
  selectDialect(target);
  const models = loadModels();
  const entity = (name: string): Function => {
    const found = models.find((model) => model.name === name);
    if (found === undefined) throw new Error(`no entity class ${name} in models/`);
    return found;
  };
  const pg = target === 'postgres';
  const flavour = pg ? 'postgres' : 'mysql';

  const createDatabase = (suite: string) => (pg ? createPostgresDatabase(suite) : createMysqlDatabase(suite));
  const open = (url: string): Promise<DatabaseClient> => (pg ? PgClient.connect(url, url) : MysqlClient.connect(url, url));
  const withDb = async <T>(url: string, work: (client: DatabaseClient) => Promise<T>): Promise<T> => {
    const client = await open(url);
    try {
      return await work(client);
    } finally {
      await client.close();
    }
  };
  const exec = (url: string, ...statements: string[]) => withDb(url, async (client) => {
    for (const sql of statements) await client.execute(sql);
  });
  /** The message of the error a statement raises on the live server. */
  const sqlError = (url: string, sql: string) => withDb(url, async (client) => {
    try {
      await client.query(sql);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`expected ${sql} to fail`);
  });
  const count = (url: string, sql: string) => withDb(url, async (client) => Number((await client.query<{ n: unknown }>(sql))[0]?.n));
  const history = (url: string) => withDb(url, async (client): Promise<HistoryRow[] | null> => {
    const exists = pg
      ? `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = 'schema_sync_history'`
      : `SELECT count(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'schema_sync_history'`;
    if (Number((await client.query<{ n: unknown }>(exists))[0]?.n) === 0) return null;
    const rows = await client.query<{ id: string; status: string; statements_done: unknown; statements_total: unknown }>('SELECT id, status, statements_done, statements_total FROM schema_sync_history ORDER BY id');
    return rows.map((row) => ({ id: row.id, status: row.status, done: Number(row.statements_done), total: Number(row.statements_total) }));
  });

  /** A database built by TypeORM's own synchronize() from the example models, as an application would have it. */
  const buildWithTypeorm = async (suite: string): Promise<ThrowawayDatabase> => {
    const database = await createDatabase(suite);
    const result = await synchronizeThenLog(target, database.url, models, pg ? { prepare: ['CREATE EXTENSION IF NOT EXISTS vector'] } : {});
    expect(result.pending).toEqual([]);
    return database;
  };
  /** The error TypeORM throws when the application runs a repository query (QueryFailedError, with its stack). */
  const typeormError = async (url: string, entityName: string): Promise<Error> => {
    const dataSource = new DataSource({ type: target, url, entities: models, synchronize: false, logging: false });
    await dataSource.initialize();
    try {
      await dataSource.getRepository(entity(entityName)).find({ take: 1 });
    } catch (error) {
      return error as Error;
    } finally {
      await dataSource.destroy();
    }
    throw new Error(`expected the ${entityName} query to fail`);
  };

  const newProject = (version: string): string => {
    const project = makeProject('example-models');
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'rag-app', version }));
    return project;
  };
  const cli = (project: string, url: string, ...args: string[]): CliRun => runCli([...args, '--project', project, '--url', url], { cwd: project });
  /** `explain --json`, the error text given as the argument, or on standard input with `{ stdin }`, or `{ file }`. */
  const explain = (project: string, url: string, text: string | { stdin: string } | { file: string }): Explanation => {
    const source = typeof text === 'string' ? [text] : 'file' in text ? ['--file', text.file] : [];
    const input = typeof text === 'object' && 'stdin' in text ? text.stdin : undefined;
    const run = runCli(['explain', ...source, '--json', '--project', project, '--url', url], { cwd: project, ...(input === undefined ? {} : { input }) });
    if (run.status !== 0) throw new Error(`explain exited ${run.status}:\n${run.stderr}\n${run.stdout}`);
    return JSON.parse(run.stdout) as Explanation;
  };
  /** Writes a migration with `sync` (no shadow round trip: not what these tests are about) and returns its id. */
  const generate = (project: string, url: string, ...args: string[]): { id: string; changes: string[] } => {
    const run = cli(project, url, 'sync', '--json', '--no-verify', ...args);
    if (run.status !== 0) throw new Error(`sync exited ${run.status}:\n${run.stderr}\n${run.stdout}`);
    const json = JSON.parse(run.stdout) as { file: string | null; changes: string[] };
    if (json.file === null) throw new Error('sync wrote no file');
    return { id: idOf(json.file), changes: json.changes };
  };
  const expectOk = (run: CliRun): CliRun => {
    if (run.status !== 0) throw new Error(`schema-sync exited ${run.status}:\n${run.stderr}\n${run.stdout}`);
    return run;
  };

  describe(`${target}: explain an error the application printed`, () => {
    let project: string;
    let database: ThrowawayDatabase;
    let url: string;

    beforeAll(async () => {
      project = newProject('1.0.0');
      database = await buildWithTypeorm('diag_explain');
      url = database.url;
    });
    afterAll(async () => {
      await database?.drop();
      removeProject(project);
    });

    it('a column in the models but not in the database: sync when no migration adds it, apply when one does, then "exists now"', async () => {
      await exec(url, 'ALTER TABLE chunks DROP COLUMN embedding');
      const fromTypeorm = await typeormError(url, 'Chunk');
      const fromSelect = await sqlError(url, 'SELECT embedding FROM chunks');
      const fromUpdate = await sqlError(url, 'UPDATE chunks SET embedding = NULL');
      // The texts as the servers word them (see test/unit/explain-parse.test.ts for every form).
      expect(fromTypeorm.name).toBe('QueryFailedError');
      if (pg) {
        expect([fromTypeorm.message, fromSelect, fromUpdate]).toEqual(['column Chunk.embedding does not exist', 'column "embedding" does not exist', 'column "embedding" of relation "chunks" does not exist']);
      } else {
        expect([fromTypeorm.message, fromSelect, fromUpdate]).toEqual([expect.stringMatching(/^Unknown column 'Chunk\.embedding' in '/), expect.stringMatching(/^Unknown column 'embedding' in '/), expect.stringMatching(/^Unknown column 'embedding' in '/)]);
      }

      // (b) No migration adds it: write one.
      for (const text of [fromTypeorm.stack ?? String(fromTypeorm), fromUpdate]) {
        const explanation = explain(project, url, text);
        expect(explanation).toMatchObject({ missing: { kind: 'column', column: 'embedding', flavour }, entity: 'Chunk', property: 'embedding', table: 'chunks', inModels: true, inDatabase: false, pendingMigration: null });
        expect(explanation.cause).toBe(`Chunk.embedding maps to column chunks.embedding, which ${url} does not have, and no migration adds it.`);
        expect(explanation.fix).toBe('schema-sync sync   # generate the migration, then: schema-sync apply');
      }

      // (a) A generated migration adds it but has not run: apply, and the migration and the property are named.
      const migration = generate(project, url, '--name', 'add_chunk_embedding');
      expect(migration.changes).toEqual([expect.stringMatching(/^chunks: add column embedding /)]);
      const human = cli(project, url, 'explain', String(fromTypeorm));
      expect(human.status).toBe(0);
      expect(human.stdout.split('\n')).toEqual([
        'Missing: column chunks.embedding (Chunk.embedding)',
        `In the models: yes   In the database: no   Pending migration: ${migration.id}`,
        `Cause: Chunk.embedding maps to column chunks.embedding, which ${url} does not have yet: migration ${migration.id} adds it but has not been applied.`,
        'Fix: schema-sync apply',
        '',
      ]);
      // Piped in, as `kubectl logs … | schema-sync explain` would.
      expect(explain(project, url, { stdin: `${fromUpdate}\n` })).toMatchObject({ pendingMigration: migration.id, fix: 'schema-sync apply', entity: 'Chunk', property: 'embedding' });

      // (e) Applied: the column exists now, so the error came from elsewhere. Read from a log file: the newest error.
      expectOk(cli(project, url, 'apply'));
      const log = path.join(project, 'app.log');
      fs.writeFileSync(log, ['starting', pg ? 'relation "sessions" does not exist' : "Table 'app.sessions' doesn't exist", `query failed: ${fromSelect}`, 'retrying'].join('\n'));
      const now = explain(project, url, { file: log });
      expect(now).toMatchObject({ inModels: true, inDatabase: true, pendingMigration: null, table: 'chunks' });
      expect(now.cause).toBe(`Column chunks.embedding exists in ${url} now: the error came from another database or from before a migration ran.`);
      expect(now.fix).toBe('schema-sync status   # check the application uses this database (DATABASE_URL)');
    });

    // Two MariaDB traps on the way. (1) A JSON column carries a column-level CHECK (json_valid(`embedding`)) whose
    // name stays `embedding` after RENAME COLUMN while its clause follows the new name: read by name alone,
    // `embeddings` looks like longtext plus a check, and the printed `sync --rename` adds `drop check embedding` and
    // fails its shadow round trip. (2) MariaDB 10.11 refuses `RENAME COLUMN embeddings TO embedding` with "Unknown
    // column 'embeddings' in 'CHECK'" once a query has named `Chunk.embedding` (the application's failing query, here
    // TypeORM's); CHANGE COLUMN with the full definition works.
    it('a column the database calls by another name: the --rename command, which then keeps the column', async () => {
      await exec(url, 'ALTER TABLE chunks RENAME COLUMN embedding TO embeddings');
      const error = await typeormError(url, 'Chunk');
      const explanation = explain(project, url, String(error));
      expect(explanation).toMatchObject({ entity: 'Chunk', property: 'embedding', table: 'chunks', inModels: true, inDatabase: false, pendingMigration: null });
      expect(explanation.cause).toBe(`Chunk.embedding is column embedding in the models, but ${url} calls it embeddings: the model and the database disagree on the name.`);
      expect(explanation.fix).toBe('schema-sync sync --rename chunks.embeddings=embedding --single-phase   # then: schema-sync apply');

      // The fix, run as printed, writes a rename (not a drop and an add), and applying it brings back the agreement.
      // It is run verbatim, so with the shadow round trip.
      const [command, ...args] = explanation.fix.split('#')[0]!.trim().split(/\s+/).slice(1);
      expect(command).toBe('sync');
      const before = migrationFiles(project);
      let clean = false;
      try {
        const renamed = cli(project, url, command!, ...args, '--json');
        const applied = cli(project, url, 'apply');
        const diff = cli(project, url, 'diff', '--exit-code');
        clean = diff.status === 0;
        expect({
          sync: renamed.status === 0 ? 0 : renamed.stderr,
          changes: renamed.status === 0 ? (JSON.parse(renamed.stdout) as { changes: string[] }).changes : null,
          apply: applied.status === 0 ? 0 : applied.stderr,
          diff: diff.status,
          drift: diff.stdout.split('\n').filter((line) => /^\s+[-+~] /.test(line)),
        }).toEqual({
          sync: 0,
          changes: [expect.stringMatching(/^chunks: rename column embeddings to embedding\b/)],
          apply: 0,
          diff: 0,
          drift: [],
        });
      } finally {
        if (!clean) {
          // The next tests start from the models' chunks table and no pending or failed migration.
          const applied = new Set((await history(url))?.filter((row) => row.status === 'applied').map((row) => `${row.id}.ts`));
          for (const file of migrationFiles(project)) if (!before.includes(file) && !applied.has(file)) fs.rmSync(path.join(project, 'generated-migrations', file));
          await exec(url, `DELETE FROM schema_sync_history WHERE status <> 'applied'`, 'DROP TABLE IF EXISTS chunks');
          expectOk(cli(project, url, 'sync', '--no-verify', '--name', 'recreate_chunks'));
          expectOk(cli(project, url, 'apply'));
        }
      }
    });

    it('a missing table: the table form on this server, then a pending migration, then "exists now"', async () => {
      await exec(url, 'DROP TABLE chunks');
      const fromTypeorm = await typeormError(url, 'Chunk');
      const texts = [String(fromTypeorm)];
      if (pg) {
        expect(fromTypeorm.message).toBe('relation "chunks" does not exist');
        const qualified = await sqlError(url, 'SELECT * FROM public.chunks');
        expect(qualified).toBe('relation "public.chunks" does not exist');
        texts.push(qualified);
      } else {
        expect(fromTypeorm.message).toBe(`Table '${database.name}.chunks' doesn't exist`);
        texts.push(await sqlError(url, 'SELECT * FROM chunks'));
      }
      for (const text of texts) {
        const explanation = explain(project, url, text);
        expect(explanation).toMatchObject({ missing: { kind: 'table', table: 'chunks', flavour }, entity: 'Chunk', property: null, table: 'chunks', inModels: true, inDatabase: false, pendingMigration: null });
        expect(explanation.cause).toBe(`Entity Chunk maps to table chunks, which ${url} does not have, and no migration creates it.`);
        expect(explanation.fix).toBe('schema-sync sync   # generate the migration, then: schema-sync apply');
      }
      // A column error on the missing table says the table is the problem.
      const ofMissingTable = explain(project, url, pg ? 'column "embedding" of relation "chunks" does not exist' : "Unknown column 'chunks.embedding' in 'SELECT'");
      expect(ofMissingTable.cause).toBe(`Table chunks itself is missing from ${url}.`);

      const migration = generate(project, url, '--name', 'create_chunks');
      const human = cli(project, url, 'explain', texts[1]!);
      expect(human.stdout.split('\n')).toEqual([
        'Missing: table chunks (Chunk)',
        `In the models: yes   In the database: no   Pending migration: ${migration.id}`,
        `Cause: Entity Chunk maps to table chunks, which ${url} does not have yet: migration ${migration.id} creates it but has not been applied.`,
        'Fix: schema-sync apply',
        '',
      ]);

      expectOk(cli(project, url, 'apply'));
      const now = explain(project, url, texts[0]!);
      expect(now).toMatchObject({ inDatabase: true, fix: 'schema-sync status   # check the application uses this database (DATABASE_URL)' });
      expect(now.cause).toBe(`Table chunks exists in ${url} now: the error came from another database or from before a migration ran.`);
    });

    it('text that is not a missing column or table: exit 1 and what it expected; on stdout nothing, or the error as JSON with --json', async () => {
      const unrelated = pg ? await sqlError(url, 'SELECT 1::vectorx') : await sqlError(url, 'ALTER TABLE documents DROP COLUMN nope');
      expect(unrelated).toBe(pg ? 'type "vectorx" does not exist' : "Can't DROP COLUMN `nope`; check that it exists");
      for (const args of [['connect ECONNREFUSED 127.0.0.1:5432'], ['connect ECONNREFUSED 127.0.0.1:5432', '--json'], [unrelated]]) {
        const run = cli(project, url, 'explain', ...args);
        const message = `Not an error schema-sync can explain: expected "Unknown column '…'", "Table '…' doesn't exist", "column … does not exist" or "relation … does not exist"`;
        expect(run.status).toBe(1);
        expect(run.stderr).toBe(`schema-sync: ${message}\n`);
        if (args.includes('--json')) expect(JSON.parse(run.stdout)).toEqual({ error: { code: 'BAD_ARGUMENT', message } });
        else expect(run.stdout).toBe('');
      }
    });

    // TypeORM's repository queries alias each table by its entity name (`"Document"."updated_at"`), and an
    // unqualified column (`SELECT updated_at …`) names no table at all. updated_at is declared by two entities
    // (ChatSession, Document): taking the first model table that declares the column (chat_sessions) would find it
    // there in the database and answer "Column chat_sessions.updated_at exists … now".
    it('a column several entities declare, behind TypeORM’s entity alias or unqualified: the table that lacks it', async () => {
      await exec(url, 'ALTER TABLE documents DROP COLUMN updated_at');
      try {
        const fromTypeorm = await typeormError(url, 'Document');
        expect(fromTypeorm.message).toMatch(pg ? /^column Document\.updated_at does not exist$/ : /^Unknown column 'Document\.updated_at' in '/);
        const fromSelect = await sqlError(url, 'SELECT id FROM documents WHERE updated_at IS NULL');
        // The entity an alias names comes before the table that lacks the column: ChatSession's table has it.
        const ofChatSession = pg ? 'column ChatSession.updated_at does not exist' : "Unknown column 'ChatSession.updated_at' in 'SELECT'";
        const answers = [fromTypeorm.stack ?? String(fromTypeorm), fromSelect, ofChatSession]
          .map((text) => explain(project, url, text))
          .map((e) => ({ table: e.table, entity: e.entity, property: e.property, inDatabase: e.inDatabase, fix: e.fix }));
        const expected = { table: 'documents', entity: 'Document', property: 'updatedAt', inDatabase: false, fix: 'schema-sync sync   # generate the migration, then: schema-sync apply' };
        expect(answers).toEqual([expected, expected, { table: 'chat_sessions', entity: 'ChatSession', property: 'updatedAt', inDatabase: true, fix: 'schema-sync status   # check the application uses this database (DATABASE_URL)' }]);
      } finally {
        await exec(url, pg ? 'ALTER TABLE documents ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()' : 'ALTER TABLE documents ADD COLUMN updated_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)');
      }
    });
  });

  describe(`${target}: stamp a database built by TypeORM synchronize(), verify, doctor`, () => {
    let project: string;
    let built: ThrowawayDatabase;
    let empty: ThrowawayDatabase;
    let drifted: ThrowawayDatabase;
    let migrationId: string;

    beforeAll(async () => {
      project = newProject('2.3.0');
      [built, drifted, empty] = [await buildWithTypeorm('diag_stamp'), await buildWithTypeorm('diag_drift'), await createDatabase('diag_empty')];
      // The migrations the project would have had from the start: generated against an empty database.
      const first = generate(project, empty.url);
      migrationId = first.id;
      expect(migrationId).toMatch(/^v2_3_0\/\d{14}_create_\w+$/);
    });
    afterAll(async () => {
      await Promise.all([built?.drop(), drifted?.drop(), empty?.drop()]);
      removeProject(project);
    });

    it('stamp records the migrations as applied without running them; then status, verify and apply agree', async () => {
      // Before: the schema matches, but the migration is pending.
      const before = cli(project, built.url, 'verify');
      expect(before.status).toBe(2);
      expect(before.stdout).toContain('0 applied, 1 pending.\nModels and database agree.');
      expect(await history(built.url)).toBeNull();

      const stamp = cli(project, built.url, 'stamp');
      expect({ status: stamp.status, stdout: stamp.stdout, stderr: stamp.stderr }).toEqual({
        status: 0,
        stdout: `Recorded 1 migration as applied without running them:\n  ${migrationId}\n`,
        stderr: '',
      });
      const rows = await history(built.url);
      expect(rows).toEqual([{ id: migrationId, status: 'applied', done: expect.any(Number), total: expect.any(Number) }]);
      expect(rows![0]!.done).toBe(rows![0]!.total);
      expect(rows![0]!.total).toBeGreaterThan(20); // every CREATE of the first migration, counted, none run
      // Stamped is applied, not an error: the row carries no error text.
      expect(await withDb(built.url, (client) => client.query('SELECT error FROM schema_sync_history'))).toEqual([{ error: null }]);

      const status = cli(project, built.url, 'status', '--exit-code', '--json');
      expect(status.status).toBe(0);
      const json = JSON.parse(status.stdout) as { migrations: { id: string; state: string }[]; drift: { inSync: boolean } };
      expect(json.migrations.map((m) => [m.id, m.state])).toEqual([[migrationId, 'applied']]);
      expect(json.drift.inSync).toBe(true);
      expect(cli(project, built.url, 'verify').status).toBe(0);
      expect(expectOk(cli(project, built.url, 'apply')).stdout).toBe(`Up to date: no pending migrations for ${built.url}.\n`);
      expect(expectOk(cli(project, built.url, 'stamp')).stdout).toBe('Nothing to stamp: every migration is already recorded.\n');
    });

    it('stamp refuses a database that drifted from the models and lists the differences, unless --force', async () => {
      await exec(drifted.url, pg ? 'ALTER TABLE documents ALTER COLUMN title TYPE varchar(100)' : 'ALTER TABLE documents MODIFY title varchar(100) NOT NULL');
      const refused = cli(project, drifted.url, 'stamp');
      expect({ status: refused.status, stdout: refused.stdout }).toEqual({ status: 1, stdout: '' });
      expect(refused.stderr).toBe(
        'schema-sync: Not stamping: the database does not match the models (1 difference):\n' +
          // TypeORM gives `@Column() title: string` no length on PostgreSQL, 255 on MySQL and MariaDB.
          `  - documents: alter column title: type varchar(100) -> ${pg ? 'varchar' : 'varchar(255)'}\n` +
          'Fix the drift first, or pass --force to record the migrations anyway.\n',
      );
      expect(await history(drifted.url)).toBeNull();

      const forced = cli(project, drifted.url, 'stamp', '--force', '--json');
      expect(forced.status).toBe(0);
      expect(JSON.parse(forced.stdout)).toEqual({ target: drifted.url, stamped: [migrationId] });
      expect(await history(drifted.url)).toEqual([expect.objectContaining({ id: migrationId, status: 'applied' })]);
      // Stamped, but still drifted: verify and status --exit-code say so with 2.
      const verify = cli(project, drifted.url, 'verify');
      expect(verify.status).toBe(2);
      expect(verify.stdout).toContain('1 applied, 0 pending.\nDrift: 1 difference between models and database in 1 table (schema-sync diff shows them).');
      expect(cli(project, drifted.url, 'status', '--exit-code').status).toBe(2);
    });

    it('doctor: every check passes on the adopted database', () => {
      const run = cli(project, built.url, 'doctor', '--json');
      expect(run.status).toBe(0);
      const { target: where, checks } = JSON.parse(run.stdout) as { target: string; checks: DoctorCheck[] };
      expect(where).toBe(built.url);
      const byName = Object.fromEntries(checks.map((check) => [check.name, check]));
      expect(Object.keys(byName).sort()).toEqual(pg ? ['connection', 'extension uuid-ossp', 'extension vector', 'migrations', 'models', 'privileges', 'verification shadow'] : ['catalog cache', 'connection', 'migrations', 'models', 'privileges']);
      if (pg) expect(byName['verification shadow']!.detail).toBe('the role may create a shadow database with every extension this database has');
      expect(checks.every((check) => check.status === 'ok' && check.fix === undefined)).toBe(true);
      expect(byName.connection!.detail).toMatch(pg ? new RegExp(`^${escape(built.url)}: postgres, PostgreSQL 15\\.\\d+`) : new RegExp(`^${escape(built.url)}: mariadb, 10\\.11\\.\\d+-MariaDB`));
      expect(byName.privileges!.detail).toEqual(pg ? 'user postgres can create objects in the current schema and can create schemas' : expect.stringMatching(/^user root@\S+ holds the DDL privileges migrations need$/));
      expect(byName.models!.detail).toBe('12 tables from the models; the database matches them');
      expect(byName.migrations!.detail).toBe('history table present; 1 applied, 0 pending');
      if (!pg) expect(byName['catalog cache']!.detail).toMatch(/^table_definition_cache \(\d+\) holds all 1[23] tables$/);
      if (pg) {
        expect(byName['extension vector']!.detail).toBe('installed (chunks.embedding is a vector column)');
        expect(byName['extension uuid-ossp']!.detail).toMatch(/^installed \(\w+\.id defaults to uuid_generate_v4\(\)\)$/);
      }

      const human = cli(project, built.url, 'doctor');
      expect(human.status).toBe(0);
      expect(human.stdout.split('\n').filter((line) => line !== '').map((line) => line.slice(0, 2))).toEqual(checks.map(() => '✓ '));
    });

    it('doctor: missing extensions it can create and a pending migration are warnings with their fix, exit 0', () => {
      const run = cli(project, empty.url, 'doctor', '--json');
      expect(run.status).toBe(0);
      const checks = (JSON.parse(run.stdout) as { checks: DoctorCheck[] }).checks;
      const byName = Object.fromEntries(checks.map((check) => [check.name, check]));
      expect(byName.models).toMatchObject({ status: 'warn', fix: 'schema-sync diff' });
      expect(byName.models!.detail).toMatch(/^12 tables from the models; \d+ differences from the database$/);
      expect(byName.migrations).toEqual({ name: 'migrations', status: 'warn', detail: 'no history table yet; 0 applied, 1 pending', fix: 'schema-sync apply' });
      if (pg) {
        expect(byName['extension vector']).toEqual({ name: 'extension vector', status: 'warn', detail: 'not installed yet; migrations create it, and this role may (superuser) (chunks.embedding is a vector column)', fix: 'CREATE EXTENSION IF NOT EXISTS "vector";' });
        expect(byName['extension uuid-ossp']).toMatchObject({ status: 'warn', fix: 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";' });
      }
      const human = cli(project, empty.url, 'doctor');
      expect(human.status).toBe(0);
      expect(human.stdout).toContain('! migrations: no history table yet; 0 applied, 1 pending\n    schema-sync apply');
    });

    it('doctor: a user who may only read fails the privileges check, with the GRANT that fixes it, exit 1', async () => {
      const user = `diag_ro_${randomBytes(4).toString('hex')}`;
      const password = `pw_${randomBytes(6).toString('hex')}`;
      const url = pg ? withUser(built.url, user, '') : withUser(built.url, user, password);
      if (pg) {
        await withDb(PG_URL, (admin) => admin.execute(`CREATE ROLE "${user}" LOGIN`));
        await exec(built.url, `GRANT SELECT ON ALL TABLES IN SCHEMA public TO "${user}"`);
      } else {
        await withDb(MYSQL_URL, async (admin) => {
          await admin.execute(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
          await admin.execute(`GRANT SELECT ON \`${built.name}\`.* TO '${user}'@'%'`);
        });
      }
      try {
        const run = cli(project, url, 'doctor', '--json');
        expect(run.status).toBe(1);
        expect(run.stdout).not.toContain(password);
        const byName = Object.fromEntries((JSON.parse(run.stdout) as { checks: DoctorCheck[] }).checks.map((check) => [check.name, check]));
        expect(byName.privileges).toEqual(
          pg
            ? { name: 'privileges', status: 'fail', detail: `user ${user} cannot create objects in the current schema`, fix: `GRANT CREATE ON SCHEMA public TO "${user}";` }
            : {
                name: 'privileges',
                status: 'fail',
                detail: `user ${user}@% lacks privileges migrations need: CREATE, ALTER, DROP, INDEX, REFERENCES`,
                fix: `GRANT CREATE, ALTER, DROP, INDEX, REFERENCES ON \`${built.name}\`.* TO '${user}'@'%';`,
              },
        );
        // The other checks still ran, as that user.
        expect(byName.connection!.status).toBe('ok');
        expect(byName.migrations).toMatchObject({ status: 'ok', detail: 'history table present; 1 applied, 0 pending' });
        const human = cli(project, url, 'doctor');
        expect(human.status).toBe(1);
        expect(human.stdout).toContain(`✗ privileges: ${byName.privileges!.detail}\n    ${byName.privileges!.fix}`);
        // The fix, run as printed by an administrator, is the one that was missing.
        await (pg ? exec(built.url, byName.privileges!.fix!) : withDb(MYSQL_URL, (admin) => admin.execute(byName.privileges!.fix!)));
        const fixed = cli(project, url, 'doctor', '--json');
        expect({ status: fixed.status, privileges: (JSON.parse(fixed.stdout) as { checks: DoctorCheck[] }).checks.find((check) => check.name === 'privileges')?.status }).toEqual({ status: 0, privileges: 'ok' });
      } finally {
        if (pg) {
          await exec(built.url, `DROP OWNED BY "${user}"`);
          await withDb(PG_URL, (admin) => admin.execute(`DROP ROLE "${user}"`));
        } else {
          await withDb(MYSQL_URL, (admin) => admin.execute(`DROP USER '${user}'@'%'`));
        }
      }
    });

    if (!pg) {
      // SHOW GRANTS lists the user's grants on every database: `ALL PRIVILEGES ON \`other\`.*` does not cover this
      // one, and `CREATE TEMPORARY TABLES` is not CREATE (test/unit/doctor-grants.test.ts has more forms).
      it('doctor: privileges on another database, or CREATE TEMPORARY TABLES, do not count', async () => {
        const user = `diag_ro_${randomBytes(4).toString('hex')}`;
        const password = `pw_${randomBytes(6).toString('hex')}`;
        await withDb(MYSQL_URL, async (admin) => {
          await admin.execute(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
          await admin.execute(`GRANT ALL PRIVILEGES ON \`${built.name}_other\`.* TO '${user}'@'%'`);
          await admin.execute(`GRANT SELECT, CREATE TEMPORARY TABLES ON \`${built.name}\`.* TO '${user}'@'%'`);
        });
        try {
          const run = cli(project, withUser(built.url, user, password), 'doctor', '--json');
          const privileges = (JSON.parse(run.stdout) as { checks: DoctorCheck[] }).checks.find((check) => check.name === 'privileges');
          expect({ status: run.status, privileges }).toEqual({
            status: 1,
            privileges: {
              name: 'privileges',
              status: 'fail',
              detail: `user ${user}@% lacks privileges migrations need: CREATE, ALTER, DROP, INDEX, REFERENCES`,
              fix: `GRANT CREATE, ALTER, DROP, INDEX, REFERENCES ON \`${built.name}\`.* TO '${user}'@'%';`,
            },
          });
        } finally {
          await withDb(MYSQL_URL, (admin) => admin.execute(`DROP USER '${user}'@'%'`));
        }
      });
    }
  });

  describe(`${target}: new-data-migration`, () => {
    let project: string;
    let database: ThrowawayDatabase;
    let url: string;
    const q = (name: string) => (pg ? `"${name}"` : `\`${name}\``);
    const nullLanguage = `SELECT count(*) AS n FROM documents WHERE language IS NULL`;

    beforeAll(async () => {
      project = newProject('1.4.0');
      // The template names only columns the models have: the entity declares the language column to backfill.
      const entityFile = path.join(project, 'models', 'document.ts');
      fs.writeFileSync(entityFile, fs.readFileSync(entityFile, 'utf8').replace('  @Column()\n  title!: string;', LANGUAGE_PROPERTY));
      database = await buildWithTypeorm('diag_data');
      url = database.url;
    });
    afterAll(async () => {
      await database?.drop();
      removeProject(project);
    });

    /** One tenant, one knowledge base and `n` documents with a NULL language, plus one (docs/0.txt) in English. */
    const seed = (n: number) => withDb(url, async (client) => {
      if (pg) {
        const tenant = (await client.query<{ id: string }>(`INSERT INTO tenants (name, slug) VALUES ('Acme', 'acme') RETURNING id`))[0]!.id;
        const kb = (await client.query<{ id: string }>(`INSERT INTO knowledge_bases (tenant_id, name) VALUES ($1, 'Handbook') RETURNING id`, [tenant]))[0]!.id;
        await client.query(
          `INSERT INTO documents (knowledge_base_id, file_path, title, mime_type, size_bytes, content_hash, version)
           SELECT $1, 'docs/' || g || '.txt', 'Doc ' || g, 'text/plain', 100, repeat('a', 64), 1 FROM generate_series(0, ${n}) g`,
          [kb],
        );
      } else {
        await client.query(`INSERT INTO tenants (id, name, slug) VALUES (UUID(), 'Acme', 'acme')`);
        const tenant = (await client.query<{ id: string }>(`SELECT id FROM tenants`))[0]!.id;
        await client.query(`INSERT INTO knowledge_bases (id, tenant_id, name) VALUES (UUID(), ?, 'Handbook')`, [tenant]);
        const kb = (await client.query<{ id: string }>(`SELECT id FROM knowledge_bases`))[0]!.id;
        await client.query(
          `INSERT INTO documents (id, knowledge_base_id, file_path, title, mime_type, size_bytes, content_hash, version)
           SELECT UUID(), ?, CONCAT('docs/', seq, '.txt'), CONCAT('Doc ', seq), 'text/plain', 100, REPEAT('a', 64), 1 FROM seq_0_to_${n}`,
          [kb],
        );
      }
      await client.query(`UPDATE documents SET language = 'en' WHERE file_path = 'docs/0.txt'`);
    });

    let file: string;
    let id: string;

    // On MariaDB and MySQL the template quotes identifiers with backticks inside the JavaScript template literals it
    // emits (`SELECT … FROM \`documents\` …`): unescaped, they would end each literal early and the file would not
    // compile.
    it('writes the file into the release folder: valid TypeScript, in the SQL of this server', async () => {
      const run = runCli(['new-data-migration', 'backfill_document_language', '--table', 'documents', '--column', 'language', '--value', 'und', '--project', project, '--url', url], { cwd: project });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      const match = /^Wrote (generated-migrations\/v1_4_0\/\d{14}_backfill_document_language\.ts): edit it, try it with `schema-sync apply --dry-run`, then apply\.\n$/.exec(run.stdout);
      expect(match).not.toBeNull();
      file = path.join(project, match![1]!);
      id = idOf(match![1]!);
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toContain('export const release = "1.4.0";');
      expect(text).toContain(`export const dialect = "${pg ? 'postgres' : 'mysql'}";`);
      expect(typecheck(file)).toEqual([]);
      // The SQL it sends, quoted for this server: the count of its dry run, and the UPDATE of its rollback.
      expect(await sqlOfTemplate(file, pg ? 'postgres' : 'mysql')).toEqual([
        `SELECT COUNT(*) AS n FROM ${q('documents')} WHERE ${q('language')} IS NULL`,
        `UPDATE ${q('documents')} SET ${q('language')} = NULL WHERE ${q('language')} = ${pg ? '$1' : '?'}`,
      ]);
    });

    it('apply --dry-run changes nothing; apply backfills every row in batches and records it; rollback undoes it', async () => {
      // The template is meant to be edited: smaller batches, so 250 rows take three rounds.
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toContain('const BATCH_SIZE = 1000;');
      fs.writeFileSync(file, text.replace('const BATCH_SIZE = 1000;', 'const BATCH_SIZE = 100;'));
      await exec(url, 'ALTER TABLE documents ADD COLUMN language varchar(16) NULL');
      await seed(250);
      expect(await count(url, nullLanguage)).toBe(250);

      const dry = cli(project, url, 'apply', '--dry-run');
      expect({ status: dry.status, stdout: dry.stdout }).toEqual({ status: 0, stdout: `-- ${id} (0 statements)\n\n` });
      // What the migration logs in its dry run is shown.
      expect(dry.stderr).toBe(`  ${id}: backfill_document_language: 250 rows to migrate\n`);
      expect(await count(url, nullLanguage)).toBe(250);
      expect(await history(url)).toBeNull();

      const run = expectOk(cli(project, url, 'apply'));
      expect(run.stdout).toMatch(new RegExp(`^✓ ${escape(id)} 0 statements, [\\d.]+ s\\nApplied 1 migration to `));
      expect(await count(url, nullLanguage)).toBe(0);
      expect(await count(url, `SELECT count(*) AS n FROM documents WHERE language = 'und'`)).toBe(250);
      expect(await count(url, `SELECT count(*) AS n FROM documents WHERE language = 'en'`)).toBe(1);
      expect(await history(url)).toEqual([{ id, status: 'applied', done: 0, total: 0 }]);

      const back = expectOk(cli(project, url, 'rollback'));
      expect(back.stdout).toBe(`↩ rolled back ${id} (0 statements)\n`);
      expect(await count(url, nullLanguage)).toBe(250);
      expect(await count(url, `SELECT count(*) AS n FROM documents WHERE language = 'en'`)).toBe(1);
      expect(await history(url)).toEqual([]);
    });

    // The usual order of work: add the column to the entity, `sync`, then `new-data-migration` to fill it. Both are
    // pending, and the data migration reads a column only the first one creates. `apply --dry-run` and `explain` run
    // every pending migration's migrate() in dry-run mode against the database as it is now, so the backfill's SELECT
    // fails with `column "language" does not exist`: the dry run notes it, naming the file, and goes on; `explain`
    // leaves that migration out. A real `apply` works.
    it('a backfill pending behind the migration that adds its column: dry run and explain still work', async () => {
      const second = newProject('1.5.0');
      const fresh = await buildWithTypeorm('diag_data2');
      try {
        const entityFile = path.join(second, 'models', 'document.ts');
        fs.writeFileSync(entityFile, fs.readFileSync(entityFile, 'utf8').replace('  @Column()\n  title!: string;', LANGUAGE_PROPERTY));
        const add = generate(second, fresh.url, '--name', 'add_documents_language');
        expect(add.changes).toEqual(['documents: add column language varchar(16) NULL']);
        const created = runCli(['new-data-migration', 'backfill_document_language', '--table', 'documents', '--column', 'language', '--value', 'und', '--project', second, '--url', fresh.url], { cwd: second });
        expect(created.status).toBe(0);
        const backfill = idOf(/(generated-migrations\/\S+\.ts)/.exec(created.stdout)![1]!);

        const dry = cli(second, fresh.url, 'apply', '--dry-run');
        const explained = cli(second, fresh.url, 'explain', pg ? 'column "language" does not exist' : "Unknown column 'language' in 'SELECT'", '--json');
        const json = explained.status === 0 ? (JSON.parse(explained.stdout) as Explanation & { notes: string[] }) : null;
        const outcome = {
          dryRunStatus: dry.status,
          dryRun: dry.stdout.split('\n').filter((line) => line.startsWith('--')),
          explainStatus: explained.status,
          explainStderr: explained.stderr,
          pendingMigration: json?.pendingMigration,
          notes: json?.notes,
        };
        const note = `cannot dry-run ${backfill}.ts: ${pg ? 'column "language" does not exist' : "Unknown column 'language' in 'WHERE'"}`;
        expect(outcome).toEqual({
          dryRunStatus: 0,
          dryRun: [`-- ${add.id} (1 statement)`, `-- ${note}`, '--   (it may read what an earlier pending migration creates; apply runs them in order)'],
          explainStatus: 0,
          explainStderr: '',
          pendingMigration: add.id,
          notes: [note],
        });

        expectOk(cli(second, fresh.url, 'apply'));
        expect(await history(fresh.url)).toEqual([expect.objectContaining({ id: add.id, status: 'applied' }), expect.objectContaining({ id: backfill, status: 'applied' })]);
        expect(cli(second, fresh.url, 'verify').status).toBe(0);
      } finally {
        await fresh.drop();
        removeProject(second);
      }
    });
  });
}

/** The document entity's title, followed by the nullable language column the data migrations backfill. */
const LANGUAGE_PROPERTY = "  @Column()\n  title!: string;\n\n  @Column({ type: 'varchar', length: 16, nullable: true })\n  language!: string | null;";

/** The migration files of a project, as `v1_0_0/2026…_x.ts`. */
function migrationFiles(project: string): string[] {
  const root = path.join(project, 'generated-migrations');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).flatMap((folder) => fs.readdirSync(path.join(root, folder)).map((file) => `${folder}/${file}`));
}

/** `generated-migrations/v1_0_0/2026…_x.ts` -> `v1_0_0/2026…_x`, the history id. */
function idOf(file: string): string {
  return file.replace(/^generated-migrations\//, '').replace(/\.ts$/, '');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function withUser(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}

/**
 * Loads a data migration file and records the SQL it sends: migrate() in a dry run (against a table with nothing left
 * to do), then rollback(). A file that does not compile throws here.
 */
async function sqlOfTemplate(file: string, dialect: 'postgres' | 'mysql'): Promise<string[]> {
  const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exports: Record<string, unknown> = {};
  new Function('exports', 'require', js)(exports, require);
  const sent: string[] = [];
  const context = (dryRun: boolean): MigrationContext => ({
    dialect,
    dryRun,
    execute: async (sql) => void sent.push(sql),
    query: async <T extends Row = Row>(sql: string) => {
      sent.push(sql);
      return [{ n: 0 }] as unknown as T[];
    },
    log: () => undefined,
  });
  await (exports.migrate as (db: MigrationContext) => Promise<void>)(context(true));
  await (exports.rollback as (db: MigrationContext) => Promise<void>)(context(false));
  return sent;
}

/** Type-checks a migration file as a strict user project would, with `orm-schema-sync` resolved to the built types. */
function typecheck(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    skipLibCheck: true,
    types: [],
    paths: { 'orm-schema-sync': [path.join(REPO_ROOT, 'dist', 'index.d.ts')] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file === undefined ? '' : `${path.basename(d.file.fileName)}: `}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}
