import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeProject, removeProject, REPO_ROOT, runCli } from '../support/cli';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

/**
 * Entity sets in the shapes real TypeORM projects have, which load under tsc/ts-node: each must load here unchanged.
 * The built CLI runs as a child process, as a user runs it (jest's own transform would hide the loader).
 */

interface JsonChange {
  kind: string;
  table: string | null;
  detail: string;
}

interface JsonReport {
  changes: JsonChange[];
}

function createdTables(stdout: string): string[] {
  return (JSON.parse(stdout) as JsonReport).changes
    .filter((change) => change.kind === 'create_table')
    .map((change) => change.table ?? '')
    .sort();
}

const ENTITY_IMPORTS = "import { Column, Entity, ManyToOne, OneToMany, OneToOne, JoinColumn, PrimaryGeneratedColumn } from 'typeorm';\n";

/** A ring of files, each importing the next, with relations typed by the other class and no Relation<> wrapper. */
function importRing(size: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < size; i++) {
    const next = (i + 1) % size;
    const previous = (i + size - 1) % size;
    files[`models/node-${i}.entity.ts`] =
      ENTITY_IMPORTS +
      `import { Node${next} } from './node-${next}.entity';\n` +
      `import { Node${previous} } from './node-${previous}.entity';\n` +
      `@Entity()\nexport class Node${i} {\n` +
      `  @PrimaryGeneratedColumn() id!: number;\n` +
      `  @Column() label!: string;\n` +
      `  @ManyToOne(() => Node${next}, (n) => n.previous, { nullable: true }) next!: Node${next};\n` +
      `  @OneToMany(() => Node${previous}, (n) => n.next) previous!: Node${previous}[];\n` +
      `}\n`;
  }
  return files;
}

describe('loading entity files the way tsc does', () => {
  let database: ThrowawayDatabase;
  beforeAll(async () => {
    database = await createPostgresDatabase('loader_shapes');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('loads a 50-file import cycle with class-typed relations, and its migration applies and leaves nothing to do', () => {
    const project = makeProject(importRing(50));
    try {
      const diff = runCli(['diff', '--json', '--url', database.url, '--project', project]);
      expect(diff.stderr).toBe('');
      expect(diff.status).toBe(0);
      const tables = createdTables(diff.stdout);
      expect(tables).toHaveLength(50);
      expect(tables).toContain('node49');
      const report = JSON.parse(diff.stdout) as JsonReport;
      expect(report.changes.filter((change) => change.detail.includes('1 foreign key'))).toHaveLength(50);
      const sync = runCli(['sync', '--url', database.url, '--project', project, '--release', '1.0.0']);
      expect(sync.stderr).toBe('');
      expect(sync.status).toBe(0);
      expect(runCli(['apply', '--url', database.url, '--project', project]).status).toBe(0);
      const after = runCli(['diff', '--exit-code', '--url', database.url, '--project', project]);
      expect(after.status).toBe(0);
      const rollback = runCli(['rollback', '--url', database.url, '--project', project]);
      // Only the progress line rollback prints as each migration's rollback starts.
      expect(rollback.stderr).toMatch(/^rolling back v\S+ \(\d+ statements?\) …\n$/);
      expect(rollback.status).toBe(0);
    } finally {
      removeProject(project);
    }
  });

  it('resolves NodeNext .js specifiers, tsconfig paths through extends, barrels, export default, lazy relations and enum-typed columns', () => {
    const project = makeProject({
      'tsconfig.base.json':
        '{\n  // comments and trailing commas, as tsc accepts\n  "compilerOptions": { "baseUrl": ".", "paths": { "@shared/*": ["src/shared/*"] }, },\n}\n',
      'tsconfig.json': '{ "extends": "./tsconfig.base.json", "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext" } }\n',
      'src/shared/base.ts':
        "import { CreateDateColumn, PrimaryGeneratedColumn } from 'typeorm';\n" +
        'export abstract class Base { @PrimaryGeneratedColumn() id!: number; @CreateDateColumn() createdAt!: Date; }\n' +
        "export enum Role { Admin = 'admin', Member = 'member' }\nexport enum Level { Low, High }\n",
      'src/entities/index.ts': "export * from './user.entity.js';\nexport * from './post.entity.js';\nexport { default as Profile } from './profile.entity.js';\n",
      'src/entities/user.entity.ts':
        ENTITY_IMPORTS +
        "import { Base, Level, Role } from '@shared/base.js';\nimport { Post } from './post.entity.js';\nimport Profile from './profile.entity.js';\n" +
        '@Entity()\nexport class User extends Base {\n  @Column() role!: Role;\n  @Column() level!: Level;\n' +
        '  @OneToMany(() => Post, (post) => post.author) posts!: Post[];\n' +
        '  @OneToOne(() => Profile, (profile) => profile.user) @JoinColumn() profile!: Profile;\n}\n',
      'src/entities/post.entity.ts':
        ENTITY_IMPORTS +
        "import { Base } from '@shared/base.js';\nimport { User } from './index.js';\n" +
        '@Entity()\nexport class Post extends Base {\n  @Column() title!: string;\n  @ManyToOne(() => User, (user) => user.posts) author!: Promise<User>;\n}\n',
      'src/entities/profile.entity.ts':
        ENTITY_IMPORTS +
        "import { Base } from '../shared/base.js';\nimport { User } from './user.entity.js';\n" +
        '@Entity()\nexport default class Profile extends Base {\n  @Column() bio!: string;\n  @OneToOne(() => User, (user) => user.profile) user!: User;\n}\n',
    });
    try {
      const run = runCli(['diff', '--json', '--url', database.url, '--project', project, '--models', 'src/entities/*.ts']);
      expect(run.stderr).toBe('');
      expect(createdTables(run.stdout)).toEqual(['post', 'profile', 'user']);
      // tsc types `role: Role` (a string enum) as String and `level: Level` (a numeric one) as Number.
      const file = runCli(['sync', '--dry-run', '--no-verify', '--release', '1.0.0', '--url', database.url, '--project', project, '--models', 'src/entities/*.ts']);
      expect(file.status).toBe(0);
      expect(file.stdout).toContain('"role" varchar NOT NULL');
      expect(file.stdout).toContain('"level" integer NOT NULL');
    } finally {
      removeProject(project);
    }
  });

  it('loads EntitySchema definitions and compiled dist/**/*.entity.js files like their .ts sources', () => {
    const sources = {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'es2021', module: 'commonjs', experimentalDecorators: true, emitDecoratorMetadata: true, outDir: 'dist', rootDir: 'src', strict: true, skipLibCheck: true },
        include: ['src'],
      }),
      'src/tag.entity.ts':
        ENTITY_IMPORTS +
        '@Entity()\nexport class Tag {\n  @PrimaryGeneratedColumn() id!: number;\n  @Column({ length: 40 }) name!: string;\n}\n',
      'src/article.entity.ts':
        "import { EntitySchema } from 'typeorm';\n" +
        "export interface Article { id: number; title: string; author: Author }\nexport interface Author { id: number; name: string }\n" +
        "export const Author = new EntitySchema<Author>({\n  name: 'Author',\n  columns: { id: { type: Number, primary: true, generated: true }, name: { type: String } },\n});\n" +
        "export const Article = new EntitySchema<Article>({\n  name: 'Article',\n  tableName: 'articles',\n" +
        "  columns: { id: { type: Number, primary: true, generated: true }, title: { type: String, length: 200 } },\n" +
        "  relations: { author: { type: 'many-to-one', target: 'Author' } },\n});\n",
    };
    const project = makeProject(sources);
    try {
      const fromTs = runCli(['diff', '--json', '--url', database.url, '--project', project, '--models', 'src/**/*.entity.ts']);
      expect(fromTs.stderr).toBe('');
      expect(createdTables(fromTs.stdout)).toEqual(['articles', 'author', 'tag']);
      const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(fs.existsSync(path.join(project, 'dist', 'tag.entity.js'))).toBe(true);
      const fromJs = runCli(['diff', '--json', '--url', database.url, '--project', project, '--models', 'dist/**/*.entity.js']);
      expect(fromJs.stderr).toBe('');
      expect(JSON.parse(fromJs.stdout)).toEqual(JSON.parse(fromTs.stdout));
    } finally {
      removeProject(project);
    }
  });

  it('expands the entity globs of a DataSource file, and takes the database of a MySQL DataSource from --url', async () => {
    const project = makeProject({
      'src/entities/a.entity.ts':
        ENTITY_IMPORTS + "import { B } from './b.entity';\n@Entity()\nexport class A { @PrimaryGeneratedColumn() id!: number; @ManyToOne(() => B) b!: B; }\n",
      'src/entities/b.entity.ts':
        ENTITY_IMPORTS + "import { A } from './a.entity';\n@Entity()\nexport class B { @PrimaryGeneratedColumn() id!: number; @OneToMany(() => A, (a) => a.b) as!: A[]; }\n",
      'src/entities/not-an-entity.ts': 'export const unrelated = 1;\n',
      'src/pg-data-source.ts':
        "import { DataSource } from 'typeorm';\nexport const AppDataSource = new DataSource({ type: 'postgres', entities: [__dirname + '/entities/**/*.entity{.ts,.js}'] });\n",
      'src/maria-data-source.ts':
        "import { DataSource } from 'typeorm';\nexport default new DataSource({ type: 'mariadb', host: 'db.internal', entities: ['src/entities/*.entity.ts'] });\n",
    });
    const maria = await createMysqlDatabase('loader_datasource');
    try {
      const pg = runCli(['diff', '--json', '--url', database.url, '--project', project, '--data-source', 'src/pg-data-source.ts']);
      expect(pg.stderr).toBe('');
      expect(createdTables(pg.stdout)).toEqual(['a', 'b']);
      const mysql = runCli(['diff', '--json', '--url', maria.url, '--project', project, '--data-source', 'src/maria-data-source.ts']);
      expect(mysql.stderr).toBe('');
      expect(createdTables(mysql.stdout)).toEqual(['a', 'b']);
    } finally {
      await maria.drop();
      removeProject(project);
    }
  });

  it('names the line, the import chain and what to change when a file cannot load, on stderr and as JSON', () => {
    const project = makeProject({
      'models/index.ts': "export * from './animal';\nexport * from './dog';\n",
      'models/animal.ts':
        ENTITY_IMPORTS + "import { Dog } from './index';\n@Entity()\nexport class Animal {\n  @PrimaryGeneratedColumn() id!: number;\n  @OneToMany(() => Dog, (dog) => dog.parent) dogs!: Dog[];\n}\n",
      'models/dog.ts': ENTITY_IMPORTS + "import { Animal } from './index';\n\n@Entity()\nexport class Dog extends Animal {\n  @ManyToOne(() => Animal) parent!: Animal;\n}\n",
    });
    try {
      const run = runCli(['diff', '--url', database.url, '--project', project]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Cannot load model file models/animal.ts: Class extends value undefined is not a constructor or null');
      expect(run.stderr).toContain('\n  at models/dog.ts:5:');
      expect(run.stderr).toContain('\n  import chain: models/animal.ts -> models/index.ts -> models/dog.ts');
      expect(run.stderr).toMatch(/\n {2}hint: a class extends one imported from a file that has not finished loading/);
      const json = runCli(['diff', '--json', '--url', database.url, '--project', project]);
      expect(json.status).toBe(1);
      const { error } = JSON.parse(json.stdout) as { error: Record<string, unknown> };
      expect(error).toMatchObject({
        code: 'MODEL_LOAD_FAILED',
        file: 'models/animal.ts',
        reason: 'Class extends value undefined is not a constructor or null',
        importChain: ['models/animal.ts', 'models/index.ts', 'models/dog.ts'],
      });
      expect(String(error.at)).toMatch(/^models\/dog\.ts:5:\d+$/);
    } finally {
      removeProject(project);
    }
  });

  it('points a missing module at the line that imports it, and a bad URL failure is JSON too with --json', () => {
    const project = makeProject({
      'models/zoo.ts': ENTITY_IMPORTS + "import { keeper } from '@app/keeper';\n@Entity()\nexport class Zoo { @PrimaryGeneratedColumn() id!: number; @Column() name: string = keeper; }\n",
    });
    try {
      const run = runCli(['diff', '--url', database.url, '--project', project]);
      expect(run.stderr).toContain("Cannot load model file models/zoo.ts: Cannot find module '@app/keeper'");
      expect(run.stderr).toContain('\n  at models/zoo.ts:2:');
      expect(run.stderr).toContain('compilerOptions.paths');
      const badUrl = runCli(['diff', '--json', '--url', 'postgres://app:Sekr3t@127.0.0.1:1/app', '--project', project]);
      expect(badUrl.status).toBe(1);
      const { error } = JSON.parse(badUrl.stdout) as { error: { code: string; message: string } };
      expect(error.code).toBe('CONNECTION_FAILED');
      expect(badUrl.stdout + badUrl.stderr).not.toContain('Sekr3t');
    } finally {
      removeProject(project);
    }
  });

  it('gives enum members written as template literals with escapes the labels tsc gives them', () => {
    const project = makeProject({
      'models/glyph.ts':
        ENTITY_IMPORTS +
        'export enum Escape { Backslash = "\\\\", Quote = \'"\', Both = `\\\\"`, Tab = `a\\tb` }\n' +
        "@Entity()\nexport class Glyph { @PrimaryGeneratedColumn() id!: number; @Column({ type: 'enum', enum: Escape }) escape!: Escape; }\n",
    });
    try {
      const run = runCli(['diff', '--json', '--url', database.url, '--project', project]);
      expect(run.stderr).toBe('');
      const created = (JSON.parse(run.stdout) as JsonReport).changes.find((change) => change.kind === 'create_enum');
      // tsc's labels: \, ", \" and a<tab>b (SWC before 1.16 escaped the template literal's backslash twice).
      expect(created?.detail).toBe('create enum type glyph_escape_enum (\\, ", \\", a\tb)');
    } finally {
      removeProject(project);
    }
  });
});
