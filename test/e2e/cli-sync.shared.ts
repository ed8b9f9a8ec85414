/**
 * The daily workflow, end to end with the built CLI, on one database: empty -> generate -> apply -> in sync ->
 * edit the entities (add a column, widen a varchar, add an index, drop a column with --drop) -> generate -> apply ->
 * in sync -> roll both back -> the first schema again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { PgliteClient } from '../../src/connect/pglite-client';
import { diffSchemas } from '../../src/diff/diff-schemas';
import { introspect } from '../../src/introspect/introspect';
import { normalizeSchema } from '../../src/model/normalize';
import type { Schema } from '../../src/model/schema';
import { makeProject, removeProject, runCli, type CliRun } from '../support/cli';
import { runMigrationFile } from '../support/run-migration-file';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

/** The databases the workflow runs on. */
export type WorkflowTarget = 'postgres' | 'mariadb' | 'pglite';

interface SyncJson {
  file: string | null;
  verified: boolean;
  changes: string[];
  guarded: string[];
  warnings: string[];
}

function edit(project: string, file: string, from: string, to: string): void {
  const full = path.join(project, 'models', file);
  const text = fs.readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`models/${file} no longer contains ${JSON.stringify(from)}`);
  fs.writeFileSync(full, text.replace(from, to));
}

function json(run: CliRun): SyncJson {
  if (run.status !== 0) throw new Error(`schema-sync failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
  return JSON.parse(run.stdout) as SyncJson;
}

/** Defines the workflow suite for one database. */
export function defineWorkflow(target: WorkflowTarget): void {
  describe(`${target}: change an entity, generate, apply, roll back`, () => {
    let project: string;
    let database: ThrowawayDatabase | null = null;
    let urlArgs: string[] = [];

    const open = async (): Promise<DatabaseClient> => {
      if (target === 'pglite') return PgliteClient.open(path.join(project, '.schema-sync', 'pglite'));
      const url = (database as ThrowawayDatabase).url;
      return target === 'postgres' ? PgClient.connect(url, url) : MysqlClient.connect(url, url);
    };
    const withClient = async <T>(work: (client: DatabaseClient) => Promise<T>): Promise<T> => {
      const client = await open();
      try {
        return await work(client);
      } finally {
        await client.close();
      }
    };
    const snapshot = () => withClient(async (client) => normalizeSchema(await introspect(client)));
    const apply = (file: string, which: 'migrate' | 'rollback') => withClient((client) => runMigrationFile(client, path.join(project, file), which));
    // The files are run by hand (runMigrationFile), so the history never records them: --allow-unapplied.
    const sync = (...args: string[]) => json(runCli(['sync', '--json', '--allow-unapplied', '--project', project, ...urlArgs, ...args], { cwd: project }));
    const diffExit = () => runCli(['diff', '--exit-code', '--project', project, ...urlArgs], { cwd: project });

    beforeAll(async () => {
      project = makeProject('example-models');
      fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'rag-app', version: '1.0.0' }));
      if (target === 'postgres') database = await createPostgresDatabase('e2e_workflow');
      if (target === 'mariadb') database = await createMysqlDatabase('e2e_workflow');
      urlArgs = database === null ? [] : ['--url', database.url];
    });
    afterAll(async () => {
      await database?.drop();
      removeProject(project);
    });

    it('runs the whole workflow', async () => {
      // 1. Empty database: one verified migration creates everything, in the release folder of package.json.
      const first = sync();
      expect(first.verified).toBe(true);
      expect(first.file).toMatch(/^generated-migrations\/v1_0_0\/\d{14}_create_\w+\.ts$/);
      await apply(first.file as string, 'migrate');
      const v1: Schema = await snapshot();
      expect(diffExit().status).toBe(0);
      expect(sync().file).toBeNull();

      // 2. Edit the entities.
      edit(project, 'document.ts', "length: 127 })", "length: 255 })");
      edit(project, 'document.ts', '  @Column()\n  title!: string;', "  @Index('idx_documents_title')\n  @Column()\n  title!: string;\n\n  @Column({ type: 'varchar', length: 16, nullable: true })\n  language!: string | null;");
      edit(project, 'chunk.ts', "  @Column({ name: 'token_count', type: 'int' })\n  tokenCount!: number;\n", '');

      // 3. Without --drop the dropped column is held back and listed; the rest is generated.
      const second = sync('--release', '1.1.0');
      expect(second.file).toMatch(/^generated-migrations\/v1_1_0\//);
      expect(second.changes.sort()).toEqual([
        'documents: add column language varchar(16) NULL',
        'documents: alter column mime_type: type varchar(127) -> varchar(255)',
        'documents: create index idx_documents_title (title)',
      ]);
      expect(second.guarded).toEqual([expect.stringContaining('chunks: drop column token_count')]);
      await apply(second.file as string, 'migrate');
      expect(diffExit().status).toBe(2);
      // Only the held-back drop is left: nothing to write, but the database is not in sync, and the output says so.
      const heldOnly = runCli(['sync', '--allow-unapplied', '--project', project, ...urlArgs], { cwd: project });
      expect(heldOnly.stdout).not.toContain('In sync');
      expect(heldOnly.stdout).toContain('No migration written: the only difference is held back.');
      expect(heldOnly.stdout).toContain('held back (needs --drop): chunks: drop column token_count');

      // 4. With --drop the column goes too; then the database matches the models.
      const third = sync('--release', '1.1.0', '--drop');
      expect(third.changes).toEqual(['chunks: drop column token_count int NOT NULL (its values are lost)']);
      // The rollback re-adds the NOT NULL column with a value for the rows it will find, and says which.
      expect(third.warnings).toEqual([
        "rollback: column chunks.token_count comes back holding '0' in every row (chosen by schema-sync; sync --fill chunks.token_count=value picks another): its values are not restored",
      ]);
      await apply(third.file as string, 'migrate');
      expect(diffExit().status).toBe(0);

      // 5. Rolling both back, newest first, gives the first schema exactly (a re-added column comes back last,
      // and column order is not part of the schema the diff compares).
      await apply(third.file as string, 'rollback');
      await apply(second.file as string, 'rollback');
      expect(diffSchemas(await snapshot(), v1).changes).toEqual([]);
    }, 600_000); // eleven CLI runs, three of them verifying in a shadow database: slow on a busy 2-core machine
  });
}
