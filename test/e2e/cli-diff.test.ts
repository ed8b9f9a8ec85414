import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeProject, removeProject, runCli } from '../support/cli';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

interface JsonReport {
  dialect: string;
  inSync: boolean;
  changes: { kind: string; table: string | null; guarded: boolean; destructive: boolean; detail: string }[];
  summary: { total: number; tables: number; guarded: number };
}

const MODEL_TABLES = [
  'chat_messages',
  'chat_sessions',
  'chunks',
  'documents',
  'knowledge_base_members',
  'knowledge_bases',
  'llm_models',
  'llm_providers',
  'processing_jobs',
  'provider_instances',
  'tenants',
  'users',
];

function parse(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

describe('schema-sync diff on a fresh project with the embedded database', () => {
  let project: string;
  beforeAll(() => {
    project = makeProject('example-models');
  });
  afterAll(() => removeProject(project));

  it('reports every model table as create_table and creates the database under .schema-sync/', () => {
    const run = runCli(['sync', '--diff', '--json', '--project', project]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = parse(run.stdout);
    expect(report.dialect).toBe('postgres');
    expect(report.inSync).toBe(false);
    const created = report.changes.filter((c) => c.kind === 'create_table').map((c) => c.table).sort();
    expect(created).toEqual(MODEL_TABLES);
    expect(report.changes.every((c) => !c.guarded)).toBe(true);
    expect(fs.existsSync(path.join(project, '.schema-sync', 'pglite'))).toBe(true);
  });

  it('exits 2 with --exit-code when there are differences, and prints a human summary without colour', () => {
    const run = runCli(['diff', '--exit-code', '--project', project]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('table documents (new)');
    expect(run.stdout).toMatch(/\d+ changes in 12 tables\. Run `schema-sync sync` to generate a migration\./);
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });
});

describe('schema-sync diff against servers', () => {
  let pg: ThrowawayDatabase;
  let maria: ThrowawayDatabase;
  beforeAll(async () => {
    pg = await createPostgresDatabase('e2e_diff');
    maria = await createMysqlDatabase('e2e_diff');
  });
  afterAll(async () => {
    await pg?.drop();
    await maria?.drop();
  });

  it('reads DATABASE_URL and reports create_table for every model on PostgreSQL', () => {
    const run = runCli(['diff', '--json'], { env: { DATABASE_URL: pg.url } });
    expect(run.status).toBe(0);
    const report = parse(run.stdout);
    expect(report.dialect).toBe('postgres');
    expect(report.changes.filter((c) => c.kind === 'create_table').map((c) => c.table).sort()).toEqual(MODEL_TABLES);
  });

  it('reads DATABASE_URL from the project .env file, and --url wins over it', () => {
    const project = makeProject('example-models');
    try {
      fs.writeFileSync(path.join(project, '.env'), `DATABASE_URL=${maria.url}\n`);
      const fromEnvFile = parse(runCli(['diff', '--json', '--project', project]).stdout);
      expect(fromEnvFile.dialect).toBe('mariadb');
      const fromFlag = parse(runCli(['diff', '--json', '--project', project, '--url', pg.url]).stdout);
      expect(fromFlag.dialect).toBe('postgres');
    } finally {
      removeProject(project);
    }
  });

  it('loads a model edited between runs anew, not from the transpile cache, and the same with the cache turned off', () => {
    const entity = (columns: string) =>
      `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n` +
      `@Entity('cached_things')\nexport class CachedThing {\n  @PrimaryGeneratedColumn() id!: number;\n${columns}}\n`;
    const project = makeProject({ 'models/thing.ts': entity('  @Column() name!: string;\n') });
    // A node_modules of its own (linking only what the model imports), so that its cache holds this test's entries alone.
    const shared = fs.realpathSync(path.join(project, 'node_modules'));
    fs.unlinkSync(path.join(project, 'node_modules'));
    for (const pkg of ['typeorm', 'reflect-metadata']) {
      fs.mkdirSync(path.join(project, 'node_modules'), { recursive: true });
      fs.symlinkSync(path.join(shared, pkg), path.join(project, 'node_modules', pkg), 'dir');
    }
    const cacheDir = path.join(project, 'node_modules', '.cache', 'orm-schema-sync', 'swc');
    const entries = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).flatMap((d) => fs.readdirSync(path.join(cacheDir, d))).length : 0);
    const created = (env: Record<string, string> = {}) => {
      const run = runCli(['diff', '--json', '--project', project, '--url', pg.url], { env });
      expect(run.status).toBe(0);
      return parse(run.stdout).changes.filter((c) => c.table === 'cached_things').map((c) => c.detail);
    };
    try {
      expect(created()).toEqual([expect.stringMatching(/\b2 columns\b/)]);
      expect(entries()).toBe(1);
      expect(created()).toEqual([expect.stringMatching(/\b2 columns\b/)]);
      fs.writeFileSync(path.join(project, 'models/thing.ts'), entity('  @Column() name!: string;\n  @Column() size!: number;\n'));
      expect(created()).toEqual([expect.stringMatching(/\b3 columns\b/)]);
      fs.writeFileSync(path.join(project, 'models/thing.ts'), entity('  @Column() size!: number;\n'));
      expect(created({ SCHEMA_SYNC_NO_CACHE: '1' })).toEqual([expect.stringMatching(/\b2 columns\b/)]);
      expect(entries()).toBe(2);
    } finally {
      removeProject(project);
    }
  });

  it('detects MariaDB from the server behind a mysql:// URL', () => {
    const run = runCli(['diff', '--json', '--url', maria.url]);
    expect(run.status).toBe(0);
    const report = parse(run.stdout);
    expect(report.dialect).toBe('mariadb');
    expect(report.changes.filter((c) => c.kind === 'create_table').map((c) => c.table).sort()).toEqual(MODEL_TABLES);
  });
});

describe('schema-sync errors', () => {
  it('names an unsupported URL scheme in one line, exit 1, no stack trace', () => {
    const run = runCli(['diff', '--url', 'sqlite://user:hunter2@localhost/app']);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('Unsupported database URL scheme "sqlite"');
    expect(run.stderr).not.toContain('hunter2');
    expect(run.stderr).toContain('***');
  });

  it('masks the password when MariaDB rejects the credentials', () => {
    const run = runCli(['diff', '--url', 'mysql://root:Sup3rSecret@127.0.0.1:3306/mysql']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Cannot connect to mysql://root:***@127.0.0.1:3306/mysql');
    expect(run.stderr).not.toContain('Sup3rSecret');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('says the host is unreachable, with the password masked', () => {
    const run = runCli(['diff', '--url', 'postgres://app:Pa55word@127.0.0.1:1/app']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Cannot connect to postgres://app:***@127.0.0.1:1/app: connection refused');
    expect(run.stderr).not.toContain('Pa55word');
  });

  it('shows the stack trace only with --verbose', () => {
    const run = runCli(['diff', '--verbose', '--url', 'postgres://app:Pa55word@127.0.0.1:1/app']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain('Pa55word');
  });

  it('names a model file that fails to load', () => {
    const project = makeProject({
      'models/good.ts': "import { Entity, PrimaryGeneratedColumn } from 'typeorm';\n@Entity() export class Good { @PrimaryGeneratedColumn() id!: number; }\n",
      'models/broken.ts': "import { Entity } from 'typeorm';\nthrow new Error('config missing: API_KEY');\n@Entity() export class Broken {}\n",
    });
    try {
      const run = runCli(['diff', '--project', project, '--embedded-dir', path.join(project, 'db')]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Cannot load model file models/broken.ts: config missing: API_KEY');
    } finally {
      removeProject(project);
    }
  });

  it('names the imported file at fault: a syntax error with its line, a throw by its name', () => {
    const project = makeProject({
      'models/a.ts': "import { Entity, PrimaryGeneratedColumn } from 'typeorm';\nimport { WIDTH } from './helper';\n@Entity() export class A { @PrimaryGeneratedColumn() id!: number; }\nexport const w = WIDTH;\n",
      'models/helper.ts': 'export const WIDTH = 3;\nexport const broken: number = ;\n',
    });
    try {
      const syntax = runCli(['diff', '--project', project, '--embedded-dir', path.join(project, 'db')]);
      expect(syntax.status).toBe(1);
      expect(syntax.stderr).toContain('Cannot load model file models/a.ts: TypeScript syntax error in models/helper.ts:2: Expression expected');
      fs.writeFileSync(path.join(project, 'models', 'helper.ts'), "export const WIDTH = 3;\nthrow new Error('no config');\n");
      const thrown = runCli(['diff', '--project', project, '--embedded-dir', path.join(project, 'db')]);
      expect(thrown.stderr).toContain('Cannot load model file models/a.ts: no config\n  at models/helper.ts:2:7\n  import chain: models/a.ts -> models/helper.ts');
      // --verbose prints the cause's stack; with Node's source maps on, at the line of the .ts source.
      const verbose = runCli(['diff', '--verbose', '--project', project, '--embedded-dir', path.join(project, 'db')], {
        env: { NODE_OPTIONS: '--enable-source-maps' },
      });
      expect(verbose.stderr).toMatch(/Caused by: Error: no config\n\s+at .*models[\\/]helper\.ts:2:7\)/);
    } finally {
      removeProject(project);
    }
  });

  it('says when no model files match', () => {
    const project = makeProject({ 'README.md': 'empty' });
    try {
      const run = runCli(['diff', '--project', project, '--models', 'entities/**/*.ts']);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('No model files match "entities/**/*.ts"');
    } finally {
      removeProject(project);
    }
  });

  it('rejects an unknown flag by name', () => {
    const run = runCli(['diff', '--dorp']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Unknown argument: dorp');
  });
});
