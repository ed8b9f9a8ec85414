import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { causeOfChange, causeOfMessage } from '../../src/conformance/causes';
import { checkoutTsconfig } from '../../src/conformance/checkout-tsconfig';
import { redirectedRequest, type ModuleRedirects } from '../../src/conformance/module-redirects';
import type { ScenarioResult } from '../../src/conformance/scenario';
import { renderSummaryTable, summarize, summarizePhases } from '../../src/conformance/summary';
import { findCheckoutScenarios, runsOn } from '../../src/conformance/typeorm-checkout';
import { col, table } from '../support/schema-builders';

describe('conformance harness: failure causes', () => {
  it('groups messages that differ only in names, numbers, paths and URLs', () => {
    const a = causeOfMessage('Entities "Cat" and "Dog" both map to table "animal" in /tmp/x/entity/Cat.ts line 12');
    const b = causeOfMessage("Entities 'Node' and 'Leaf' both map to table 'tree' in /work/y/Leaf.ts line 3");
    expect(a).toBe(b);
    expect(causeOfMessage('failed on postgres://u@h:5432/db (in memory): boom')).toBe('failed on <url>: boom');
  });

  it('names a column change by the aspects that differ', () => {
    const from = col('title', { kind: 'string', fixed: false, binary: false, length: 10 });
    const to = { ...from, nullable: false };
    expect(causeOfChange({ kind: 'alter_column', table: { schema: null, name: 't' }, from, to, changed: ['type', 'nullable'] })).toBe('alter_column (nullable, type)');
    expect(causeOfChange({ kind: 'drop_table', table: table('t', [from]) })).toBe('drop_table');
  });
});

describe('conformance harness: module redirects', () => {
  const redirects: ModuleRedirects = {
    typeormFolders: ['/co/src'],
    typeormMain: '/ref/node_modules/typeorm/index.js',
    aliases: [{ pattern: '@app/*', targets: ['/nowhere/src/*'] }],
    compiledRoot: '/out',
    sourceRoot: '/nowhere',
  };

  it("sends imports of a TypeORM checkout's src/ and bare `typeorm` to the reference TypeORM", () => {
    expect(redirectedRequest('../../../../src', '/co/test/functional/a/entity/Post.ts', redirects)).toBe(redirects.typeormMain);
    expect(redirectedRequest('../../../../src/decorator/entity/Entity', '/co/test/functional/a/entity/Post.ts', redirects)).toBe(redirects.typeormMain);
    expect(redirectedRequest('typeorm', '/anywhere/x.ts', redirects)).toBe(redirects.typeormMain);
  });

  it('leaves other imports, and aliases outside the compiled build, to Node', () => {
    expect(redirectedRequest('./Category', '/co/test/functional/a/entity/Post.ts', redirects)).toBeNull();
    expect(redirectedRequest('../../../../srcx', '/co/test/functional/a/entity/Post.ts', redirects)).toBeNull();
    expect(redirectedRequest('@app/user', '/nowhere/src/post.ts', redirects)).toBeNull();
  });

  it('resolves a tsconfig paths alias to the compiled file inside the build', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-conf-alias-'));
    try {
      fs.mkdirSync(path.join(root, 'out', 'src', 'users'), { recursive: true });
      fs.writeFileSync(path.join(root, 'out', 'src', 'users', 'user.js'), '');
      const withBuild: ModuleRedirects = { ...redirects, aliases: [{ pattern: '@app/*', targets: [path.join(root, 'src', '*')] }], compiledRoot: path.join(root, 'out'), sourceRoot: root };
      expect(redirectedRequest('@app/users/user', path.join(root, 'out', 'src', 'post.js'), withBuild)).toBe(path.join(root, 'out', 'src', 'users', 'user.js'));
      expect(redirectedRequest('@app/users/user.js', path.join(root, 'out', 'src', 'post.js'), withBuild)).toBe(path.join(root, 'out', 'src', 'users', 'user.js'));
      expect(redirectedRequest('@app/users/missing', path.join(root, 'out', 'src', 'post.js'), withBuild)).toBeNull();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('conformance harness: scenarios of a TypeORM checkout', () => {
  let checkout: string;
  beforeAll(() => {
    checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-conf-checkout-'));
    const write = (file: string, content: string) => {
      fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
      fs.writeFileSync(path.join(checkout, file), content);
    };
    write('src/index.ts', '');
    write('test/functional/a/entity/Post.ts', 'export class Post {}');
    write('test/functional/a/a.test.ts', 'createTestingConnections({ enabledDrivers: ["postgres"] })');
    write('test/functional/b/nested/entity/User.ts', 'export class User {}');
    write('test/functional/b/nested/entity/entity/Deep.ts', 'export class Deep {}');
    write('test/functional/b/nested/spec.ts', 'enabledDrivers: ["mysql", "mssql"]');
    write('test/github-issues/7/entity/Cat.ts', 'export class Cat {}');
    write('test/github-issues/8/entity/README.md', 'no entities');
  });
  afterAll(() => fs.rmSync(checkout, { recursive: true, force: true }));

  it('finds one scenario per entity/ folder with the drivers its spec files enable', () => {
    const scenarios = findCheckoutScenarios(checkout);
    expect(scenarios.map((scenario) => [scenario.id, scenario.drivers, scenario.entityFiles.map((file) => path.basename(file))])).toEqual([
      ['functional/a', ['postgres'], ['Post.ts']],
      ['functional/b/nested', ['mssql', 'mysql'], ['User.ts', 'Deep.ts']],
      ['github-issues/7', [], ['Cat.ts']],
    ]);
    const [a, b, c] = scenarios;
    expect([runsOn(a!, 'postgres'), runsOn(a!, 'pglite'), runsOn(a!, 'mariadb')]).toEqual([true, true, false]);
    expect([runsOn(b!, 'postgres'), runsOn(b!, 'mariadb')]).toEqual([false, true]);
    expect([runsOn(c!, 'postgres'), runsOn(c!, 'mariadb')]).toEqual([true, true]);
  });

  it('refuses a folder that is not a TypeORM checkout, naming it', () => {
    expect(() => findCheckoutScenarios(path.join(checkout, 'test'))).toThrow(/not a TypeORM checkout/);
  });
});

describe('conformance harness: summary', () => {
  const base = { dialect: 'postgres' as const, ms: 1 };
  const results: ScenarioResult[] = [
    { ...base, id: 'a', typeorm: { status: 'clean', entities: 2 }, ours: [{ mode: 'ts', status: 'in-sync' }], roundTrip: { status: 'clean', statements: 3 } },
    { ...base, id: 'b', typeorm: { status: 'clean', entities: 1 }, ours: [{ mode: 'ts', status: 'changes', changes: [{ cause: 'drop_table', detail: 'x' }, { cause: 'drop_table', detail: 'y' }] }], roundTrip: { status: 'failed', stage: 'apply', cause: 'apply: boom', detail: 'boom' } },
    { ...base, id: 'c', typeorm: { status: 'unclean', entities: 1, pending: ['ALTER TABLE'] }, ours: [{ mode: 'ts', status: 'in-sync' }], roundTrip: null },
    { ...base, id: 'd', typeorm: { status: 'clean', entities: 0 }, ours: [{ mode: 'ts', status: 'in-sync' }], roundTrip: null },
    { ...base, id: 'e', typeorm: { status: 'error', error: 'harness: timed out after 9 s' }, ours: [], roundTrip: null },
    { ...base, id: 'f', typeorm: { status: 'error', error: 'TypeORM cannot build the scenario: x' }, ours: [], roundTrip: null },
  ];

  it('counts only scenarios TypeORM leaves clean with tables, and groups failures once per scenario', () => {
    const [summary] = summarize(results);
    expect(summary).toMatchObject({ scenarios: 6, clean: 2, typeormUnclean: 1, noTables: 1, typeormFails: 1, harnessFailures: 1, inSync: { ts: 1 }, roundTrips: 1 });
    expect(summary!.failures.map((group) => [group.where, group.cause, group.count, group.example])).toEqual([
      ['harness', 'harness: timed out after N s', 1, 'e'],
      ['ours (ts)', 'drop_table', 1, 'b'],
      ['round trip', 'apply: boom', 1, 'b'],
    ]);
    expect(renderSummaryTable([summary!])).toContain('1 (50.0%)');
  });
});

describe('conformance harness: the checkout\'s tsconfig.json', () => {
  it('leaves a checkout alone when every base its tsconfig.json extends is there, and names a tsconfig it cannot parse', () => {
    const checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-checkout-'));
    try {
      fs.writeFileSync(
        path.join(checkout, 'tsconfig.json'),
        '{\n  // as TypeORM writes it, and a list as TypeScript 5 allows\n  "extends": ["./base.json", "@tsconfig/node20/tsconfig.json"],\n}\n',
      );
      fs.writeFileSync(path.join(checkout, 'base.json'), '{}');
      fs.mkdirSync(path.join(checkout, 'node_modules', '@tsconfig', 'node20'), { recursive: true });
      fs.writeFileSync(path.join(checkout, 'node_modules', '@tsconfig', 'node20', 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }');
      const log: string[] = [];
      expect(checkoutTsconfig(checkout, (line) => log.push(line))).toBe(path.join(checkout, 'tsconfig.json'));
      expect(log).toEqual([]);
      fs.writeFileSync(path.join(checkout, 'tsconfig.json'), '{ "extends": ');
      expect(() => checkoutTsconfig(checkout, () => undefined)).toThrow(path.join(checkout, 'tsconfig.json'));
    } finally {
      fs.rmSync(checkout, { recursive: true, force: true });
    }
  });
});

describe("conformance harness: where a run's time went", () => {
  it('sums each phase over the scenarios that measured it, puts the unmeasured rest under other, and lists the largest first', () => {
    const base = { dialect: 'postgres' as const, typeorm: { status: 'clean' as const, entities: 1 }, ours: [], roundTrip: null };
    const results: ScenarioResult[] = [
      { ...base, id: 'a', ms: 10_000, phases: { 'create databases': 1_000, 'round trip: sync': 6_000 } },
      { ...base, id: 'b', ms: 5_000, phases: { 'create databases': 2_000, 'our diff (ts)': 2_500 } },
      { ...base, id: 'older runner', ms: 9_000 },
    ];
    expect(summarizePhases(results)).toEqual([
      { phase: 'round trip: sync', totalMs: 6_000, scenarios: 1 },
      { phase: 'other', totalMs: 3_500, scenarios: 2 },
      { phase: 'create databases', totalMs: 3_000, scenarios: 2 },
      { phase: 'our diff (ts)', totalMs: 2_500, scenarios: 1 },
    ]);
  });
});
