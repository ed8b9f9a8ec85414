/**
 * `sync` writes PostgreSQL's online forms for tables that exist (CREATE INDEX CONCURRENTLY, foreign keys and checks
 * NOT VALID + VALIDATE, SET NOT NULL through a validated check), the shadow verifies them, `apply` runs them and
 * `rollback` undoes them; `--offline` writes the plain forms. Runs the built CLI (npm run build) on rows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PgClient } from '../../src/connect/pg-client';
import { makeProject, removeProject, runCli } from '../support/cli';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

jest.setTimeout(300_000);

const team = `import { Entity, PrimaryColumn } from 'typeorm';

@Entity('teams')
export class Team {
  @PrimaryColumn({ type: 'int' })
  id!: number;
}
`;

const note = (v2: boolean) => `import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Team } from './team';

@Entity('notes')
${v2 ? `@Check('notes_id_positive', '"id" > 0')\n` : ''}export class Note {
  @PrimaryColumn({ type: 'int' })
  id!: number;

${v2 ? "  @Index('notes_title')\n" : ''}  @Column({ type: 'varchar', length: 100, nullable: ${v2 ? 'false' : 'true'} })
  title!: string;

  @Column({ type: 'int', nullable: true })
  team_id!: number | null;
${v2 ? "\n  @ManyToOne(() => Team)\n  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'notes_team' })\n  team!: Team | null;\n" : ''}}
`;

let database: ThrowawayDatabase;
let project: string;
const cli = (...args: string[]) => runCli([...args, '--project', project, '--url', database.url], { cwd: project });
async function query<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
  const client = await PgClient.connect(database.url, database.url);
  try {
    return await client.query<T>(sql);
  } finally {
    await client.close();
  }
}
const migrationText = (): string => {
  const dir = path.join(project, 'generated-migrations');
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('_online.ts'));
  expect(files).toHaveLength(1);
  return fs.readFileSync(path.join(dir, files[0] as string), 'utf8');
};
const removeMigration = () => {
  const dir = path.join(project, 'generated-migrations');
  for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) if (f.endsWith('_online.ts')) fs.rmSync(path.join(dir, f));
};

beforeAll(async () => {
  database = await createPostgresDatabase('pgonline_cli');
  project = makeProject({ 'models/team.ts': team, 'models/note.ts': note(false), 'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }) });
  expect(cli('sync', '--name', 'base').status).toBe(0);
  expect(cli('apply').status).toBe(0);
  await query('INSERT INTO teams SELECT g FROM generate_series(1, 10) g');
  await query("INSERT INTO notes SELECT g, 'n' || g, 1 + g % 10 FROM generate_series(1, 5000) g");
});
afterAll(async () => {
  await database?.drop();
  if (project !== undefined) removeProject(project);
});

test('sync writes the online forms for existing tables; the shadow verifies them; apply and rollback run them', async () => {
  fs.writeFileSync(path.join(project, 'models', 'note.ts'), note(true));
  const written = cli('sync', '--name', 'online', '--single-phase');
  expect(written.stderr + written.stdout).not.toMatch(/error/i);
  expect(written.status).toBe(0);
  const text = migrationText();
  expect(text).toContain('CREATE INDEX CONCURRENTLY "notes_title" ON "notes"');
  expect(text).toContain('ADD CONSTRAINT "notes_team" FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION NOT VALID');
  expect(text).toContain('ALTER TABLE "notes" VALIDATE CONSTRAINT "notes_team"');
  expect(text).toContain('CHECK ("title" IS NOT NULL) NOT VALID');
  // The rollback drops the index concurrently too: the table exists before and after.
  expect(text).toContain('DROP INDEX CONCURRENTLY "notes_title"');

  const applied = cli('apply');
  expect(applied.stderr + applied.stdout).toContain('✓');
  expect(applied.status).toBe(0);
  expect(await query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'notes_title'::regclass`)).toEqual([{ valid: true }]);
  expect(await query(`SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'notes'::regclass AND contype IN ('f', 'c') ORDER BY 1`)).toEqual([
    { conname: 'notes_id_positive', convalidated: true },
    { conname: 'notes_team', convalidated: true },
  ]);
  expect(await query(`SELECT is_nullable FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'title'`)).toEqual([{ is_nullable: 'NO' }]);
  expect(cli('sync', '--diff').stdout).toMatch(/in sync|no changes/i);

  const undone = cli('rollback');
  expect(undone.status).toBe(0);
  expect(await query(`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'notes_title'`)).toEqual([{ n: 0 }]);
  expect(await query(`SELECT is_nullable FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'title'`)).toEqual([{ is_nullable: 'YES' }]);
});

test('--offline writes the plain forms', () => {
  removeMigration();
  const written = cli('sync', '--name', 'online', '--single-phase', '--offline');
  expect(written.status).toBe(0);
  const text = migrationText();
  expect(text).not.toContain('CONCURRENTLY');
  expect(text).not.toContain('NOT VALID');
  expect(text).toContain('CREATE INDEX "notes_title" ON "notes"');
});

test('a unique key on an existing table is built CONCURRENTLY and attached USING INDEX; a duplicate stops it cleanly, named; rollback drops it', async () => {
  removeMigration();
  const unique = note(false).replace("import { Check,", "import { Unique, Check,").replace("@Entity('notes')\n", "@Entity('notes')\n@Unique('notes_title_key', ['title'])\n");
  fs.writeFileSync(path.join(project, 'models', 'note.ts'), unique);
  const written = cli('sync', '--name', 'online', '--single-phase');
  expect(written.status).toBe(0);
  const text = migrationText();
  expect(text).toContain('CREATE UNIQUE INDEX CONCURRENTLY "notes_title_key" ON "notes" ("title")');
  expect(text).toContain('ALTER TABLE "notes" ADD CONSTRAINT "notes_title_key" UNIQUE USING INDEX "notes_title_key"');
  expect(text).toContain('ALTER TABLE "notes" DROP CONSTRAINT "notes_title_key"');

  // A duplicate written after sync checked the rows: the build is refused, the key named, and nothing is left.
  await query("INSERT INTO notes VALUES (5001, 'n42', 1)");
  const refused = cli('apply');
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toContain('could not create unique index "notes_title_key"');
  expect(refused.stderr).toContain('Key (title)=(n42) is duplicated.');
  expect(await query(`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'notes_title_key'`)).toEqual([{ n: 0 }]);
  expect(await query(`SELECT count(*)::int AS n FROM pg_constraint WHERE conname = 'notes_title_key'`)).toEqual([{ n: 0 }]);

  await query('DELETE FROM notes WHERE id = 5001');
  const applied = cli('apply');
  expect(applied.status).toBe(0);
  expect(await query(`SELECT c.contype, i.indisvalid AS valid FROM pg_constraint c JOIN pg_index i ON i.indexrelid = c.conindid WHERE c.conname = 'notes_title_key'`)).toEqual([{ contype: 'u', valid: true }]);
  expect(await query(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'notes'`)).toEqual([{ n: 2 }]);
  expect(cli('sync', '--diff').stdout).toMatch(/in sync|no changes/i);

  expect(cli('rollback').status).toBe(0);
  expect(await query(`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'notes_title_key'`)).toEqual([{ n: 0 }]);
});
