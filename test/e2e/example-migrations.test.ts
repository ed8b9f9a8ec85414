import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { makeProject, removeProject, REPO_ROOT, runCli } from '../support/cli';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

/**
 * The migrations committed under generated-migrations/ are what `sync` wrote for the example models. They must still
 * build exactly those models: a change to models/ without a new migration fails here, as it would in a user's CI.
 */
function exampleProject(): string {
  const project = makeProject('example-models');
  fs.copyFileSync(path.join(REPO_ROOT, 'schema-sync.json'), path.join(project, 'schema-sync.json'));
  fs.cpSync(path.join(REPO_ROOT, 'generated-migrations'), path.join(project, 'generated-migrations'), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(project, 'package.json'));
  return project;
}

function committedMigrationIds(): string[] {
  const root = path.join(REPO_ROOT, 'generated-migrations');
  return fs
    .readdirSync(root)
    .flatMap((release) => fs.readdirSync(path.join(root, release)).map((file) => `${release}/${file.replace(/\.ts$/, '')}`))
    .sort();
}

describe('the committed example migrations on PostgreSQL', () => {
  let db: ThrowawayDatabase;
  let project: string;
  beforeAll(async () => {
    db = await createPostgresDatabase('example_migrations');
    project = exampleProject();
  });
  afterAll(async () => {
    removeProject(project);
    await db.drop();
  });

  async function liveTables(): Promise<string[]> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const result = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
      return result.rows.map((row) => row.table_name);
    } finally {
      await client.end();
    }
  }

  it('exist', () => {
    expect(committedMigrationIds().length).toBeGreaterThan(0);
  });

  it('keep sync from writing a migration that would repeat them while they are not applied', () => {
    const [id] = committedMigrationIds();
    const refused = runCli(['sync', '--url', db.url], { cwd: project });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`No migration written: 1 migration is not applied to`);
    expect(refused.stderr).toContain(`${id} (pending)`);
    expect(refused.stderr).toContain('Run schema-sync apply first (or pass --allow-unapplied to write it anyway)');
    const json = runCli(['sync', '--json', '--url', db.url], { cwd: project });
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'UNAPPLIED_MIGRATIONS' } });
    const dryRun = runCli(['sync', '--dry-run', '--no-verify', '--url', db.url], { cwd: project });
    expect(dryRun.status).toBe(0);
    expect(dryRun.stderr).toContain('the migration below repeats its changes');
    expect(committedMigrationIds()).toEqual(fs.readdirSync(path.join(project, 'generated-migrations', 'v0_1_0')).map((file) => `v0_1_0/${file.replace(/\.ts$/, '')}`));
  });

  it('apply on an empty database to exactly the example models', async () => {
    const applied = runCli(['apply', '--url', db.url], { cwd: project });
    expect(applied.status).toBe(0);
    for (const id of committedMigrationIds()) expect(applied.stdout + applied.stderr).toContain(id);
    const diff = runCli(['diff', '--exit-code', '--url', db.url], { cwd: project });
    expect(diff.stdout).toContain('In sync: the database matches the models.');
    expect(diff.status).toBe(0);
    expect(await liveTables()).toEqual(expect.arrayContaining(['chat_messages', 'chunks', 'documents', 'users']));
    expect(runCli(['sync', '--url', db.url], { cwd: project }).stdout).toContain('In sync: no migration needed.');
  });

  it('roll back to an empty database', async () => {
    for (const _ of committedMigrationIds()) {
      const rolledBack = runCli(['rollback', '--url', db.url], { cwd: project });
      expect(rolledBack.status).toBe(0);
    }
    const left = (await liveTables()).filter((name) => !name.startsWith('schema_sync'));
    expect(left).toEqual([]);
  });
});

describe('the committed example migrations on the embedded database', () => {
  let project: string;
  beforeAll(() => {
    project = exampleProject();
  });
  afterAll(() => removeProject(project));

  it('apply to exactly the example models, as the quick start runs them', () => {
    const applied = runCli(['apply'], { cwd: project });
    expect(applied.status).toBe(0);
    const diff = runCli(['diff', '--exit-code'], { cwd: project });
    expect(diff.stdout).toContain('In sync: the database matches the models.');
    expect(diff.status).toBe(0);
  });
});
