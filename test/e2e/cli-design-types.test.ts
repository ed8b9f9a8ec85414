import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeProject, removeProject, REPO_ROOT, runCli } from '../support/cli';
import { createPostgresDatabase } from '../support/servers';

/**
 * SWC compiles one file at a time: by itself it emits Object as the `design:type` of a property typed by a type alias,
 * a literal union or (without strictNullChecks) `string | null`, where tsc emits String. The loader must give what
 * tsc gives, so each case here is compiled by the real tsc and compared with what the loader's hook produces.
 */

const TYPES_FILE =
  "export type ImportedId = string;\nexport type ImportedCount = number;\nexport type ImportedMaybe = string | null;\n" +
  "export enum ImportedStatus { Open = 'open', Closed = 'closed' }\nexport class ImportedClass { x = 1; }\n" +
  "export type { ImportedId as RenamedId };\nexport type Branded = string & { readonly __brand: 'Branded' };\n";

const BARREL_FILE = "export * from './types';\n";

/** Property annotations, with the local declarations they need; one decorated property each. */
const SHAPES: readonly string[] = [
  'Id', 'IdOfId', 'Role', 'Maybe', 'ImportedId', 'ImportedCount', 'ImportedMaybe', 'RenamedId', 'Branded', 'BarrelId',
  'ImportedStatus', 'ImportedStatus | null', 'ImportedClass', 'ImportedClass | null', 'TypeOnlyClass', 'Level', 'Level.High',
  'string | null', 'string | undefined', 'number | null', 'boolean | null', 'Date | null', 'string[] | null',
  "'a' | 'b'", "'a' | 'b' | null", '1 | 2', 'true | false', "'a' | 1", 'Id | null', 'Role | null', 'Generic<string>',
  'NumberOrNull', 'Flag', 'DateAlias', 'List', 'Shape', 'Date', 'Buffer', 'string[]', 'Array<number>', 'readonly string[]',
  '[string, number]', 'Promise<ImportedClass>', 'Record<string, unknown>', 'Partial<Shape>', 'bigint', 'unknown', 'any',
  'object', 'null', 'never | string', '`id-${string}`', '(string)', 'string | number', 'Map<string, number>', 'T',
  'NonNullable<Maybe>', 'Wrapped<number>',
];

function shapesFile(): string {
  const properties = SHAPES.map((shape, index) => `  @Meta() p${index}!: ${shape};\n`).join('');
  return (
    "import 'reflect-metadata';\n" +
    "import { ImportedId, ImportedCount, ImportedMaybe, ImportedStatus, ImportedClass, RenamedId, Branded } from './types';\n" +
    "import type { ImportedClass as TypeOnlyClass } from './types';\nimport { ImportedId as BarrelId } from './barrel';\n" +
    'const Meta = (): PropertyDecorator => () => undefined;\n' +
    "type Id = string;\ntype IdOfId = Id;\ntype Role = 'admin' | 'user';\ntype Maybe = string | null;\ntype Generic<T> = T | null;\n" +
    'type NumberOrNull = Generic<number>;\ntype Flag = boolean;\ntype DateAlias = Date;\ntype List = string[];\n' +
    'interface Shape { a: string }\nenum Level { Low, High }\ntype Wrapped<T = string> = T extends number ? T : T;\n' +
    `export class Shapes<T> {\n${properties}  @Meta() untyped = false;\n  @Meta() 'quoted-untyped' = 1;\n}\n`
  );
}

/** Prints `{ p0: "String", … }` for the class the given module exports, compiled by tsc or loaded through the hook. */
const DUMP_SCRIPT =
  "const [entry, hook] = process.argv.slice(2);\nif (hook) require(hook).registerTypeScript(process.cwd());\nrequire('reflect-metadata');\n" +
  'const { Shapes } = require(entry);\nconst names = {};\n' +
  "for (const key of [...Array(200).keys()].map((i) => 'p' + i).concat(['untyped', 'quoted-untyped'])) {\n" +
  "  if (!Reflect.hasMetadata('design:type', Shapes.prototype, key)) continue;\n" +
  "  const type = Reflect.getMetadata('design:type', Shapes.prototype, key);\n  names[key] = type === undefined ? 'void 0' : type.name;\n}\n" +
  'process.stdout.write(JSON.stringify(names));\n';

function compileWithTsc(project: string): void {
  const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
}

function dump(project: string, entry: string, hook: string | null): Record<string, string> {
  const env = { ...process.env, SCHEMA_SYNC_NO_CACHE: '1', JEST_WORKER_ID: undefined, NODE_OPTIONS: undefined };
  const run = spawnSync(process.execPath, ['dump.js', entry, ...(hook === null ? [] : [hook])], { cwd: project, encoding: 'utf8', env });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as Record<string, string>;
}

function tsconfig(strict: boolean, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    compilerOptions: { target: 'es2021', module: 'commonjs', experimentalDecorators: true, emitDecoratorMetadata: true, outDir: 'dist', rootDir: 'src', strict, skipLibCheck: true, types: ['node'], ...extra },
    include: ['src'],
  });
}

const HOOK = path.join(REPO_ROOT, 'dist', 'source', 'typeorm', 'register-typescript.js');

describe('design:type as tsc emits it', () => {
  it.each([
    ['strict', tsconfig(true)],
    ['without strictNullChecks', tsconfig(false)],
    ['strict, but strictNullChecks turned off', tsconfig(true, { strictNullChecks: false })],
  ])('gives every property shape the design:type tsc gives it (%s)', (_name, config) => {
    const project = makeProject({ 'tsconfig.json': config, 'src/types.ts': TYPES_FILE, 'src/barrel.ts': BARREL_FILE, 'src/shapes.ts': shapesFile(), 'dump.js': DUMP_SCRIPT });
    try {
      compileWithTsc(project);
      const byTsc = dump(project, './dist/shapes.js', null);
      expect(Object.keys(byTsc)).toHaveLength(SHAPES.length + 2);
      const byLoader = dump(project, './src/shapes.ts', HOOK);
      const properties = [...SHAPES.map((shape, index) => [shape, `p${index}`]), ['no annotation', 'untyped'], ['no annotation, quoted name', 'quoted-untyped']];
      const differences = properties.map(([shape, key]) => ({ shape, tsc: byTsc[key!], loader: byLoader[key!] })).filter((row) => row.tsc !== row.loader);
      expect(differences).toEqual([]);
    } finally {
      removeProject(project);
    }
  });
});

const ENTITY_IMPORTS = "import { Column, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';\n";

/** Entities whose column types TypeORM infers from design:type: aliases, unions, enums, Date, Buffer, lazy relations. */
function entityFiles(strict: boolean): Record<string, string> {
  const nullable = strict ? '' : "  @Column({ nullable: true }) nickname!: string | null;\n  @Column({ nullable: true }) score!: number | undefined;\n  @Column({ nullable: true }) seenAt!: Date | null;\n";
  return {
    'tsconfig.json': tsconfig(strict),
    'src/kinds.ts': "export type Sku = string;\nexport type Quantity = number;\nexport type SkuAlias = Sku;\nexport enum Tier { Gold = 'gold', Silver = 'silver' }\n",
    'src/product.entity.ts':
      ENTITY_IMPORTS +
      "import { Sku, Quantity, SkuAlias, Tier } from './kinds';\nimport { Shelf } from './shelf.entity';\n" +
      "type Colour = 'red' | 'green';\ntype Active = boolean;\ntype Code = string & { readonly __code: true };\n" +
      '@Entity()\nexport class Product {\n  @PrimaryColumn() sku!: Sku;\n  @Column() alias!: SkuAlias;\n  @Column() quantity!: Quantity;\n' +
      "  @Column() colour!: Colour;\n  @Column() active!: Active;\n  @Column() code!: Code;\n  @Column({ type: 'enum', enum: Tier }) tier!: Tier;\n" +
      "  @Column() madeAt!: Date;\n  @Column({ type: 'bytea' }) photo!: Buffer;\n  @Column() size!: 1 | 2 | 3;\n" +
      nullable +
      '  @ManyToOne(() => Shelf, (shelf) => shelf.products) shelf!: Promise<Shelf>;\n}\n',
    'src/shelf.entity.ts':
      ENTITY_IMPORTS +
      "import { Product } from './product.entity';\nimport type { Quantity } from './kinds';\n" +
      "@Entity()\nexport class Shelf {\n  @PrimaryGeneratedColumn() id!: number;\n  @Column() capacity!: Quantity;\n" +
      "  @OneToOne(() => Product) @JoinColumn() featured!: Product;\n  products!: Promise<Product[]>;\n}\n",
  };
}

describe('entities loaded from .ts and from their tsc build', () => {
  it.each([
    ['strict', true],
    ['without strictNullChecks', false],
  ])('build the same schema (%s)', async (_name, strict) => {
    const project = makeProject(entityFiles(strict));
    const database = await createPostgresDatabase(`corpus_design_types_${strict ? 'strict' : 'loose'}`);
    try {
      const fromTs = ['--url', database.url, '--project', project, '--models', 'src/**/*.entity.ts'];
      const fromJs = ['--url', database.url, '--project', project, '--models', 'dist/**/*.entity.js'];
      compileWithTsc(project);
      const planFromTs = runCli(['diff', '--json', ...fromTs]);
      expect(planFromTs.stderr).toBe('');
      expect(JSON.parse(planFromTs.stdout)).toEqual(JSON.parse(runCli(['diff', '--json', ...fromJs]).stdout));
      // The report names no column types: the schema the .ts files build must be the one the tsc build asks for.
      expect(runCli(['sync', ...fromTs, '--release', '1.0.0'])).toMatchObject({ status: 0, stderr: '' });
      expect(runCli(['apply', ...fromTs]).status).toBe(0);
      const againstTsc = runCli(['diff', '--exit-code', ...fromJs]);
      expect(againstTsc.stdout).toMatch(/in sync/i);
      expect(againstTsc.status).toBe(0);
      // A cached compile of product.entity.ts read Quantity from kinds.ts: a change there must reach it.
      const kinds = path.join(project, 'src', 'kinds.ts');
      fs.writeFileSync(kinds, fs.readFileSync(kinds, 'utf8').replace('type Quantity = number', 'type Quantity = string'));
      const changed = JSON.parse(runCli(['diff', '--json', ...fromTs]).stdout) as { changes: { table: string | null; detail: string }[] };
      expect(changed.changes.map((change) => `${change.table}: ${change.detail}`)).toEqual(expect.arrayContaining([expect.stringMatching(/^product: .*quantity/), expect.stringMatching(/^shelf: .*capacity/)]));
    } finally {
      await database.drop();
      removeProject(project);
    }
  });
});
