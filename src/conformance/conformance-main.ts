import * as fs from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import yargs from 'yargs';
import { messageOf } from '../util/errors';
import { checkoutTsconfig } from './checkout-tsconfig';
import { compileLikeTsc } from './compile-like-tsc';
import { defaultJsonLines, printRun, progressLine } from './report-run';
import { runScenarios, type PlannedScenario } from './run-scenarios';
import type { LoadMode, ScenarioResult } from './scenario';
import { DatabaseFactory, MEASURED_DIALECTS, scratchFolder, serverUrlsFromEnvironment, type MeasuredDialect } from './throwaway-database';
import { findCheckoutScenarios, runsOn, type CheckoutScenario } from './typeorm-checkout';
import { referenceTypeorm } from './reference-typeorm';

interface ConformanceArgs {
  readonly typeorm?: string;
  readonly 'from-results'?: string[];
  readonly resume?: string;
  readonly dialect: MeasuredDialect[];
  readonly 'round-trip': boolean;
  readonly jobs: number;
  readonly filter?: string[];
  readonly runtime?: string;
  readonly load: LoadMode[];
  readonly out?: string;
  readonly timeout: number;
  readonly verify: boolean;
}

/**
 * `npm run conformance -- --typeorm <checkout>`: TypeORM's own test suite as our conformance suite. Each `entity/`
 * folder is one scenario: TypeORM's synchronize() on a fresh database, TypeORM's own log() (not empty: TypeORM's bug,
 * counted apart), then our diff; with --round-trip, our sync → apply → both sides empty → rollback → nothing left.
 * The checkout is the user's; nothing of it is copied into this repository.
 */
export async function conformanceMain(argv: readonly string[]): Promise<number> {
  const args = (await yargs([...argv])
    .scriptName('npm run conformance --')
    .option('typeorm', { type: 'string', describe: 'A TypeORM checkout (git clone of typeorm/typeorm at some tag)' })
    .option('resume', { type: 'string', describe: 'A JSON lines file of an earlier run cut short: its scenarios are kept, not run again' })
    .option('from-results', { type: 'string', array: true, describe: 'Print the tables of earlier runs (their JSON lines files) instead of running' })
    .option('dialect', { type: 'string', array: true, choices: MEASURED_DIALECTS, default: ['postgres'], describe: 'Databases to measure on' })
    .option('round-trip', { type: 'boolean', default: false, describe: 'Also: empty database → sync → apply → diff and log() empty → rollback → nothing left' })
    .option('jobs', { type: 'number', default: 2, describe: 'Scenarios at a time, each on databases of its own' })
    .option('filter', { type: 'string', array: true, describe: 'Only scenarios whose folder contains one of these strings' })
    .option('runtime', { type: 'string', describe: 'A folder with node_modules/typeorm: the TypeORM that runs the scenarios (default: the one this project has)' })
    .option('load', { type: 'string', array: true, choices: ['ts', 'js'], default: ['ts', 'js'], describe: 'How our diff loads the entities: the .ts as users do, the tsc build, or both' })
    .option('out', { type: 'string', describe: 'JSON lines file (default: in the system temporary folder)' })
    .option('timeout', { type: 'number', default: 240, describe: 'Seconds before a scenario is killed' })
    .option('verify', { type: 'boolean', default: true, describe: "Verify each generated migration in a shadow database, as sync does (--no-verify skips it)" })
    .check((parsed) => parsed.typeorm !== undefined || parsed['from-results'] !== undefined || 'Give --typeorm <checkout> (or --from-results <file.jsonl>)')
    .strict()
    .help()
    .parseAsync()) as unknown as ConformanceArgs;
  if (args['from-results'] !== undefined) {
    const earlier = args['from-results'].flatMap((file) => readResults(file));
    printRun(earlier, null, earlier.reduce((sum, result) => sum + result.ms, 0) / args.jobs, args.jobs);
    return 0;
  }
  const checkout = path.resolve(args.typeorm!);
  const tsconfig = checkoutTsconfig(checkout, (line) => process.stderr.write(`${line}\n`));
  const runtime = referenceTypeorm(args.runtime);
  const all = findCheckoutScenarios(checkout);
  const earlier = args.resume === undefined ? [] : readResults(args.resume).filter((result) => args.dialect.includes(result.dialect));
  const done = new Set(earlier.map((result) => `${result.dialect}\0${result.id}`));
  const chosen = args.filter === undefined ? all : all.filter((scenario) => args.filter!.some((part) => scenario.id.includes(part)));
  const scratch = scratchFolder('orm-schema-sync-conformance');
  const started = performance.now();
  process.stderr.write(`${chosen.length} of ${all.length} scenarios; TypeORM ${runtime.version} (${runtime.main}); compiling with tsc…\n`);
  const build = compileLikeTsc({
    rootDir: checkout,
    files: [...new Set(chosen.flatMap((scenario) => scenario.entityFiles))],
    outDir: path.join(scratch, 'tsc'),
    // As TypeORM compiles its tests, and as our loader reads the .ts files (strictNullChecks decides design types).
    tsconfig,
    resolveFrom: [],
    typeormFolders: [path.join(checkout, 'src')],
    typeormTypes: runtime.types,
  });
  process.stderr.write(`compiled with TypeScript ${build.typescriptVersion} in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  const projectDir = path.join(scratch, 'project');
  fs.mkdirSync(path.join(projectDir, 'node_modules'), { recursive: true });
  const results: ScenarioResult[] = [...earlier];
  if (earlier.length > 0) process.stderr.write(`${earlier.length} scenario result(s) kept from ${args.resume}\n`);
  const jsonLines = args.out ?? defaultJsonLines('conformance');
  for (const dialect of args.dialect) {
    const planned = chosen.filter((scenario) => runsOn(scenario, dialect) && !done.has(`${dialect}\0${scenario.id}`)).map((scenario) => plan(scenario, dialect, { checkout, build, runtime, projectDir, args }));
    const factory = await DatabaseFactory.open(dialect, serverUrlsFromEnvironment(), path.join(scratch, `db-${dialect}`));
    try {
      const out = `${jsonLines}.${dialect}`;
      results.push(...(await runScenarios(planned, factory, { jobs: args.jobs, roundTrip: args['round-trip'], timeoutMs: args.timeout * 1000, jsonLines: out, scratchDir: path.join(scratch, dialect), onResult: progressLine })));
    } finally {
      factory.close();
    }
  }
  fs.writeFileSync(jsonLines, results.map((result) => JSON.stringify(result)).join('\n') + '\n');
  for (const dialect of args.dialect) fs.rmSync(`${jsonLines}.${dialect}`, { force: true });
  printRun(results, jsonLines, performance.now() - started, args.jobs);
  fs.rmSync(scratch, { recursive: true, force: true });
  return 0;
}

/** The results in a JSON lines file; a run cut short leaves whole lines, and a torn last line is skipped. */
function readResults(file: string): ScenarioResult[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as ScenarioResult];
    } catch {
      return [];
    }
  });
}

interface PlanContext {
  readonly checkout: string;
  readonly build: ReturnType<typeof compileLikeTsc>;
  readonly runtime: ReturnType<typeof referenceTypeorm>;
  readonly projectDir: string;
  readonly args: ConformanceArgs;
}

function plan(scenario: CheckoutScenario, dialect: MeasuredDialect, context: PlanContext): PlannedScenario {
  const entityDir = path.join(scenario.folder, 'entity');
  const compiledEntityDir = context.build.compiledPath(entityDir);
  const tsGlob = `${fg.escapePath(entityDir)}/**/*.ts`;
  const jsGlob = `${fg.escapePath(compiledEntityDir)}/**/*.js`;
  const ours = context.args.load.map((mode) => ({ mode, source: { kind: 'globs' as const, globs: [mode === 'ts' ? tsGlob : jsGlob] } }));
  return {
    id: scenario.id,
    dialect,
    projectDir: context.projectDir,
    ours,
    typeorm: { kind: 'entities', entities: [`${compiledEntityDir}/**/*.js`] },
    typeormMain: context.runtime.main,
    redirects: {
      typeormFolders: [path.join(context.checkout, 'src'), context.build.compiledPath(path.join(context.checkout, 'src'))],
      typeormMain: context.runtime.main,
      aliases: [],
      compiledRoot: null,
      sourceRoot: null,
    },
    verify: context.args.verify,
  };
}

if (require.main === module) {
  conformanceMain(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`conformance: ${messageOf(error)}\n`);
      process.exitCode = 1;
    },
  );
}
