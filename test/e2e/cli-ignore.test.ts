import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { makeProject, removeProject, runCli } from '../support/cli';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

const MODEL = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'notes' })
export class Note {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'text' })
  body!: string;
}
`;

interface JsonReport {
  inSync: boolean;
  changes: { kind: string; table: string | null }[];
}

describe('schema-sync diff leaves ignored and TypeORM-owned tables alone (CLI)', () => {
  let project: string;
  let database: ThrowawayDatabase;
  beforeAll(async () => {
    project = makeProject({ 'models/note.ts': MODEL });
    database = await createPostgresDatabase('cli_ignore');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)');
      await client.query('CREATE TABLE migrations (id serial PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)');
      await client.query('CREATE TABLE etl_staging_orders (id int)');
      await client.query('CREATE TABLE etl_staging_users (id int)');
    } finally {
      await client.end();
    }
  });
  afterAll(async () => {
    removeProject(project);
    await database?.drop();
  });

  const diff = (...extra: string[]) => runCli(['diff', '--json', '--project', project, '--url', database.url, ...extra]);

  it('reports the unlisted tables, but never TypeORM\'s migrations table', () => {
    const run = diff();
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.changes.map((c) => `${c.kind} ${c.table}`).sort()).toEqual(['drop_table etl_staging_orders', 'drop_table etl_staging_users']);
  });

  it('takes repeatable --ignore globs', () => {
    const run = diff('--ignore', 'etl_staging_o*', '--ignore', 'etl_staging_users');
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as JsonReport).inSync).toBe(true);
  });

  it('takes "ignore" from schema-sync.json', () => {
    fs.writeFileSync(path.join(project, 'schema-sync.json'), JSON.stringify({ ignore: ['etl_staging_*'] }));
    try {
      expect((JSON.parse(diff().stdout) as JsonReport).inSync).toBe(true);
    } finally {
      fs.rmSync(path.join(project, 'schema-sync.json'));
    }
  });

  it('refuses a pattern it cannot read, naming the flag and the pattern', () => {
    const run = diff('--ignore', 'models/*.ts');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--ignore "models/*.ts": "/" is not supported');
  });

  it('refuses a bad "ignore" setting, naming the file', () => {
    fs.writeFileSync(path.join(project, 'schema-sync.json'), JSON.stringify({ ignore: 'etl_*' }));
    try {
      const run = diff();
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/schema-sync\.json: "ignore" must be a list of strings/);
    } finally {
      fs.rmSync(path.join(project, 'schema-sync.json'));
    }
  });
});
