/**
 * `compat` on the embedded database, whose shadow is an in-memory PGlite: the example models' initial migration
 * applied and tagged, then an expand migration in the online form (CREATE INDEX CONCURRENTLY, which PGlite runs
 * plainly, as apply does there) and a contract one that drops a column the old models map.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeProject, removeProject, REPO_ROOT, runCli } from '../support/cli';
import { defineCompatDataSource } from './cli-compat.shared';

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

function migration(phase: 'expand' | 'contract', sql: string): string {
  return `export const release = '0.2.0';\nexport const dialect = 'postgres';\nexport const phase = '${phase}';\n\nexport async function migrate(db: { execute(sql: string): Promise<void> }): Promise<void> {\n  await db.execute(${JSON.stringify(sql)});\n}\n\nexport async function rollback(): Promise<void> {}\n`;
}

describe('pglite: compat --against the previous release', () => {
  let project: string;
  beforeAll(() => {
    project = makeProject('example-models');
    fs.cpSync(path.join(REPO_ROOT, 'generated-migrations'), path.join(project, 'generated-migrations'), { recursive: true });
    fs.writeFileSync(path.join(project, '.gitignore'), 'node_modules\n.schema-sync\n');
    git(project, 'init', '-q');
    git(project, 'add', '-A');
    git(project, 'commit', '-q', '-m', 'release 0.1.0');
    git(project, 'tag', 'v0.1.0');
    const applied = runCli(['apply', '--project', project], { cwd: project });
    if (applied.status !== 0) throw new Error(applied.stderr);
  });
  afterAll(() => removeProject(project));

  it('runs the online forms in the embedded shadow and names the contract migration that breaks the old models', () => {
    const folder = path.join(project, 'generated-migrations', 'v0_2_0');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, '20270101000001_index_title.ts'), migration('expand', 'CREATE INDEX CONCURRENTLY "idx_documents_title_v2" ON "documents" ("title")'));
    fs.writeFileSync(path.join(folder, '20270101000002_drop_token_count.ts'), migration('contract', 'ALTER TABLE "chunks" DROP COLUMN "token_count"'));
    const expand = runCli(['compat', '--against', 'v0.1.0', '--phase', 'expand', '--project', project], { cwd: project });
    expect(expand.stderr).not.toContain('schema-sync:');
    expect(expand.stdout).toContain('Compatible: the old release can run against this schema.');
    expect(expand.status).toBe(0);
    const contract = runCli(['compat', '--against', 'v0.1.0', '--phase', 'contract', '--project', project, '--json'], { cwd: project });
    expect(contract.status).toBe(2);
    expect((JSON.parse(contract.stdout) as { incompatibilities: unknown[] }).incompatibilities).toEqual([
      expect.objectContaining({ code: 'column-missing', entity: 'Chunk', property: 'tokenCount', table: 'chunks', column: 'token_count', migration: 'v0_2_0/20270101000002_drop_token_count' }),
    ]);
  });
});

defineCompatDataSource('pglite');
