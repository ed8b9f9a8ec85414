/**
 * `compat --against <ref>` end to end with the built CLI: a project in a git repository of its own, release 1.0.0
 * tagged and applied; an additive release the old models survive; then hand-written contract migrations that each break
 * the old models one way, and the report naming entity, property, column and migration for each.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeProject, removeProject, runCli, type CliRun } from '../support/cli';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

type Server = 'postgres' | 'mariadb';

const STATUS = `export enum AuthorStatus {
  Active = 'active',
  Banned = 'banned',
  Pending = 'pending',
}
`;

const AUTHOR = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AuthorStatus } from '../shared/status';

@Entity('authors')
export class Author {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'email_address', type: 'varchar', length: 200 })
  email!: string;

  @Column({ type: 'enum', enum: AuthorStatus, default: AuthorStatus.Active })
  status!: AuthorStatus;
}
`;

const POST = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('posts')
export class Post {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 255 })
  title!: string;

  @Column({ type: 'int', default: 0 })
  views!: number;
}
`;

const COMMENT = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('comments')
export class Comment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'text' })
  body!: string;
}
`;

/** What the next release adds: a nullable column, a column with a default, a wider varchar, a table. */
const AUTHOR_V2 = AUTHOR.replace("length: 100 })", "length: 150 })").replace(
  '  @Column({ type: \'enum\'',
  "  @Column({ type: 'varchar', length: 40, nullable: true })\n  nickname!: string | null;\n\n  @Column({ type: 'int', default: 1 })\n  rank!: number;\n\n  @Column({ type: 'enum'",
);
const TAG = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('tags')
export class Tag {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 50 })
  label!: string;
}
`;

/** Hand-written contract migrations, each breaking the old models one way, per server. */
const CONTRACT: Record<Server, Record<string, string>> = {
  postgres: {
    '20270101000001_drop_email': 'ALTER TABLE "authors" DROP COLUMN "email_address"',
    '20270101000002_narrow_name': 'ALTER TABLE "authors" ALTER COLUMN "name" TYPE varchar(50)',
    '20270101000003_add_slug': 'ALTER TABLE "posts" ADD COLUMN "slug" varchar(40) NOT NULL',
    '20270101000004_drop_pending':
      'ALTER TABLE "authors" ALTER COLUMN "status" DROP DEFAULT;\n' +
      "CREATE TYPE \"authors_status_enum_new\" AS ENUM ('active', 'banned');\n" +
      'ALTER TABLE "authors" ALTER COLUMN "status" TYPE "authors_status_enum_new" USING "status"::text::"authors_status_enum_new";\n' +
      'DROP TYPE "authors_status_enum";\n' +
      'ALTER TYPE "authors_status_enum_new" RENAME TO "authors_status_enum";\n' +
      'ALTER TABLE "authors" ALTER COLUMN "status" SET DEFAULT \'active\'',
    '20270101000005_drop_comments': 'DROP TABLE "comments"',
  },
  mariadb: {
    '20270101000001_drop_email': 'ALTER TABLE `authors` DROP COLUMN `email_address`',
    '20270101000002_narrow_name': 'ALTER TABLE `authors` MODIFY `name` varchar(50) NOT NULL',
    '20270101000003_add_slug': 'ALTER TABLE `posts` ADD COLUMN `slug` varchar(40) NOT NULL',
    '20270101000004_drop_pending': "ALTER TABLE `authors` MODIFY `status` enum('active','banned') NOT NULL DEFAULT 'active'",
    '20270101000005_drop_comments': 'DROP TABLE `comments`',
  },
};

/** A release split into phases, as sync writes it: the expand half adds, the contract half drops what the old models read. */
const PHASED: Record<Server, { expand: string; contract: string }> = {
  postgres: { expand: 'ALTER TABLE "authors" ADD COLUMN "email_v2" varchar(320)', contract: 'ALTER TABLE "authors" DROP COLUMN "email_address"' },
  mariadb: { expand: 'ALTER TABLE `authors` ADD COLUMN `email_v2` varchar(320) NULL', contract: 'ALTER TABLE `authors` DROP COLUMN `email_address`' },
};

function migrationFile(server: Server, statements: string, phase?: 'expand' | 'contract'): string {
  return withPhase(plainMigrationFile(server, statements), phase);
}

function withPhase(file: string, phase: 'expand' | 'contract' | undefined): string {
  return phase === undefined ? file : file.replace(`export const dialect`, `export const phase = "${phase}";\nexport const dialect`);
}

function plainMigrationFile(server: Server, statements: string): string {
  const calls = statements
    .split(';\n')
    .map((sql) => `  await db.execute(${JSON.stringify(sql)});`)
    .join('\n');
  return `export const release = '1.2.0';\nexport const dialect = '${server}';\n\nexport async function migrate(db: { execute(sql: string): Promise<void> }): Promise<void> {\n${calls}\n}\n\nexport async function rollback(): Promise<void> {\n  throw new Error('not reversible');\n}\n`;
}

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

interface CompatJson {
  compatible: boolean;
  migrations: string[];
  incompatibilities: { code: string; entity: string; property: string | null; table: string; column: string | null; migration: string | null; detail: string }[];
}

function parsed(run: CliRun, exit: number): CompatJson {
  if (run.status !== exit) throw new Error(`expected exit ${exit}, got ${run.status}:\n${run.stderr}\n${run.stdout}`);
  return JSON.parse(run.stdout) as CompatJson;
}

/** Defines the compat suite for one server. */
export function defineCompat(server: Server): void {
  describe(`${server}: compat --against the previous release`, () => {
    let project: string;
    let database: ThrowawayDatabase;
    let url: string[];
    const cli = (...args: string[]) => runCli([...args, '--project', project, ...url], { cwd: project });

    beforeAll(async () => {
      project = makeProject({
        'package.json': JSON.stringify({ name: 'blog', version: '1.0.0' }),
        'shared/status.ts': STATUS,
        'models/author.ts': AUTHOR,
        'models/post.ts': POST,
        'models/comment.ts': COMMENT,
        '.gitignore': 'node_modules\n.schema-sync\n',
      });
      database = server === 'postgres' ? await createPostgresDatabase('e2e_compat') : await createMysqlDatabase('e2e_compat');
      url = ['--url', database.url];
      git(project, 'init', '-q');
      git(project, 'add', '-A');
      git(project, 'commit', '-q', '-m', 'release 1.0.0');
      git(project, 'tag', 'v1.0.0');
      const first = cli('sync', '--release', '1.0.0', '--json');
      expect(first.status).toBe(0);
      expect(cli('apply').status).toBe(0);
    });
    afterAll(async () => {
      await database?.drop();
      removeProject(project);
    });

    it('passes the old models against an additive release, and names what each contract migration breaks', () => {
      // Release 1.1.0 only adds: the old models keep working.
      fs.writeFileSync(path.join(project, 'models', 'author.ts'), AUTHOR_V2);
      fs.writeFileSync(path.join(project, 'models', 'tag.ts'), TAG);
      const additive = cli('sync', '--release', '1.1.0', '--json');
      expect(additive.status).toBe(0);
      // What sync wrote for it passes lint as well, judged against the live catalog.
      const written = (JSON.parse(additive.stdout) as { file: string }).file;
      const linted = runCli(['lint', written, ...url], { cwd: project });
      expect(linted.stdout).toContain('0 errors, 0 warnings, 0 notes in 1 file');
      expect(linted.status).toBe(0);
      const ok = parsed(cli('compat', '--against', 'v1.0.0', '--json'), 0);
      expect(ok.compatible).toBe(true);
      expect(ok.migrations).toEqual([expect.stringMatching(/^v1_1_0\/\d{14}_\w+$/)]);
      expect(ok.incompatibilities).toEqual([]);
      const human = cli('compat', '--against', 'v1.0.0');
      expect(human.status).toBe(0);
      expect(human.stdout).toContain('Compatible: the old release can run against this schema.');

      // Release 1.2.0 contracts, one break per migration.
      const folder = path.join(project, 'generated-migrations', 'v1_2_0');
      fs.mkdirSync(folder, { recursive: true });
      for (const [name, sql] of Object.entries(CONTRACT[server])) fs.writeFileSync(path.join(folder, `${name}.ts`), migrationFile(server, sql));
      const broken = parsed(cli('compat', '--against', 'v1.0.0', '--json'), 2);
      expect(broken.compatible).toBe(false);
      expect(broken.migrations).toHaveLength(6);
      const summary = broken.incompatibilities.map((i) => ({ code: i.code, entity: i.entity, property: i.property, table: i.table, column: i.column, migration: i.migration }));
      expect(summary.sort((a, b) => (a.migration ?? '').localeCompare(b.migration ?? ''))).toEqual([
        { code: 'column-missing', entity: 'Author', property: 'email', table: 'authors', column: 'email_address', migration: 'v1_2_0/20270101000001_drop_email' },
        { code: 'type-narrowed', entity: 'Author', property: 'name', table: 'authors', column: 'name', migration: 'v1_2_0/20270101000002_narrow_name' },
        { code: 'not-null-without-default', entity: 'Post', property: null, table: 'posts', column: 'slug', migration: 'v1_2_0/20270101000003_add_slug' },
        { code: 'enum-value-removed', entity: 'Author', property: 'status', table: 'authors', column: 'status', migration: 'v1_2_0/20270101000004_drop_pending' },
        { code: 'table-missing', entity: 'Comment', property: null, table: 'comments', column: null, migration: 'v1_2_0/20270101000005_drop_comments' },
      ]);
      expect(broken.incompatibilities.find((i) => i.code === 'enum-value-removed')?.detail).toContain("'pending'");
      expect(broken.incompatibilities.find((i) => i.code === 'type-narrowed')?.detail).toContain('varchar(100) -> varchar(50)');

      const text = cli('compat', '--against', 'v1.0.0');
      expect(text.status).toBe(2);
      expect(text.stdout).toContain('Author.email (authors.email_address) [column-missing]');
      expect(text.stdout).toContain('by v1_2_0/20270101000001_drop_email');
      expect(text.stdout).toContain('5 incompatibilities');

      // The live database was not touched: the migrations still pending are all there.
      expect(cli('status', '--json').stdout).toContain('"pending"');
    });

    it('checks the expand phase alone, and the contract phase after it', () => {
      const dir = path.join(project, 'phased-migrations', 'v1_3_0');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, '20270201000001_add_email_v2.ts'), migrationFile(server, PHASED[server].expand, 'expand'));
      fs.writeFileSync(path.join(dir, '20270201000002_drop_email.ts'), migrationFile(server, PHASED[server].contract, 'contract'));
      const phased = (...args: string[]) => cli('compat', '--against', 'v1.0.0', '--migrations-dir', 'phased-migrations', '--json', ...args);
      const expand = parsed(phased('--phase', 'expand'), 0) as CompatJson & { phase: string };
      expect(expand.phase).toBe('expand');
      expect(expand.migrations).toEqual(['v1_3_0/20270201000001_add_email_v2']);
      const contract = parsed(phased('--phase', 'contract'), 2);
      expect(contract.migrations).toEqual(['v1_3_0/20270201000001_add_email_v2', 'v1_3_0/20270201000002_drop_email']);
      expect(contract.incompatibilities.map((i) => [i.code, i.entity, i.property, i.column, i.migration])).toEqual([['column-missing', 'Author', 'email', 'email_address', 'v1_3_0/20270201000002_drop_email']]);
      // A contract migration before the expand ones: apply --phase expand would stop there, and so does compat.
      fs.writeFileSync(path.join(dir, '20270201000000_drop_first.ts'), migrationFile(server, PHASED[server].contract, 'contract'));
      const stopped = phased('--phase', 'expand');
      expect(stopped.status).toBe(1);
      expect(stopped.stdout).toContain('v1_3_0/20270201000000_drop_first comes before the pending expand migrations and is a contract migration');
    });

    it('reads the old models from a folder too, and fails on an unknown ref with exit 1', () => {
      const old = path.join(project, 'old-models');
      fs.mkdirSync(old, { recursive: true });
      fs.writeFileSync(path.join(old, 'post.ts'), POST);
      const folder = parsed(cli('compat', '--against', 'old-models', '--json'), 2);
      expect(folder.incompatibilities.map((i) => [i.code, i.entity, i.column])).toEqual([['not-null-without-default', 'Post', 'slug']]);
      const unknown = cli('compat', '--against', 'no-such-release');
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain('--against no-such-release: no such folder, and no commit of that name');
    });
  });
}

const DATA_SOURCE = (entities: string) => `import 'reflect-metadata';
import { DataSource, DefaultNamingStrategy } from 'typeorm';

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Tables are prefixed and columns snake_cased: what the models map depends on this file. */
class AppNaming extends DefaultNamingStrategy {
  tableName(className: string, customName: string | undefined): string {
    return \`app_\${customName ?? snake(className)}\`;
  }
  columnName(propertyName: string, customName: string | undefined, prefixes: string[]): string {
    return customName ?? snake([...prefixes, propertyName].join('_'));
  }
}

export default new DataSource({
  type: process.env.SCHEMA_SYNC_DIALECT === 'postgres' ? 'postgres' : 'mariadb',
  url: process.env.DATABASE_URL,
  entities: [\`\${__dirname}/${entities}/*.ts\`],
  namingStrategy: new AppNaming(),
});
`;

const CUSTOMER = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class Customer {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  fullName!: string;

  @Column({ type: 'int', default: 0 })
  loyaltyPoints!: number;
}
`;

/**
 * `compat --data-source`: the old release's models load through the DataSource file as it was at the ref (its entity
 * globs, its naming strategy), or through today's file over a folder of old model files. Today's file points its
 * globs elsewhere, so loading the old release with it would find nothing.
 */
export function defineCompatDataSource(server: Server | 'pglite'): void {
  describe(`${server}: compat --against with --data-source`, () => {
    let project: string;
    let database: ThrowawayDatabase | null = null;
    let url: string[] = [];
    const cli = (...args: string[]) => runCli([...args, '--project', project, '--data-source', 'src/data-source.ts', ...url], { cwd: project });

    beforeAll(async () => {
      project = makeProject({
        'package.json': JSON.stringify({ name: 'shop', version: '1.0.0' }),
        'src/data-source.ts': DATA_SOURCE('entities'),
        'src/entities/customer.ts': CUSTOMER,
        '.gitignore': 'node_modules\n.schema-sync\n',
      });
      if (server !== 'pglite') {
        database = server === 'postgres' ? await createPostgresDatabase('e2e_compat_ds') : await createMysqlDatabase('e2e_compat_ds');
        url = ['--url', database.url];
      }
      git(project, 'init', '-q');
      git(project, 'add', '-A');
      git(project, 'commit', '-q', '-m', 'release 1.0.0');
      git(project, 'tag', 'v1.0.0');
      const first = cli('sync', '--release', '1.0.0', '--json');
      if (first.status !== 0) throw new Error(first.stderr + first.stdout);
      const applied = cli('apply');
      if (applied.status !== 0) throw new Error(applied.stderr + applied.stdout);
      // Today's release keeps its entities elsewhere, and its DataSource says so.
      fs.renameSync(path.join(project, 'src', 'entities'), path.join(project, 'src', 'domain'));
      fs.writeFileSync(path.join(project, 'src', 'data-source.ts'), DATA_SOURCE('domain'));
      const folder = path.join(project, 'generated-migrations', 'v1_1_0');
      fs.mkdirSync(folder, { recursive: true });
      const drop = server === 'mariadb' ? 'ALTER TABLE `app_customer` DROP COLUMN `full_name`' : 'ALTER TABLE "app_customer" DROP COLUMN "full_name"';
      fs.writeFileSync(path.join(folder, '20270301000001_drop_full_name.ts'), migrationFile(server === 'mariadb' ? 'mariadb' : 'postgres', drop));
    });
    afterAll(async () => {
      await database?.drop();
      removeProject(project);
    });

    it('loads the old models with the DataSource file as it was at the ref, and names the column its naming strategy gave', () => {
      const found = parsed(cli('compat', '--against', 'v1.0.0', '--json'), 2);
      expect(found.incompatibilities.map((i) => [i.code, i.entity, i.property, i.table, i.column, i.migration])).toEqual([
        ['column-missing', 'Customer', 'fullName', 'app_customer', 'full_name', 'v1_1_0/20270301000001_drop_full_name'],
      ]);
    });

    it("loads a folder of old model files with today's DataSource", () => {
      fs.mkdirSync(path.join(project, 'old-entities'), { recursive: true });
      fs.writeFileSync(path.join(project, 'old-entities', 'customer.ts'), CUSTOMER);
      const found = parsed(cli('compat', '--against', 'old-entities', '--json'), 2);
      expect(found.incompatibilities.map((i) => [i.code, i.entity, i.table, i.column])).toEqual([['column-missing', 'Customer', 'app_customer', 'full_name']]);
      const missing = runCli(['compat', '--against', 'v1.0.0', '--project', project, '--data-source', 'src/nowhere.ts', ...url], { cwd: project });
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('--data-source src/nowhere.ts is not in v1.0.0 (');
    });
  });
}
