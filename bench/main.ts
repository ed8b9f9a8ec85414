import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createBenchDatabase, dropBenchDatabase, type BenchDatabase, type ServerUrls } from './databases';
import { generateProject, removeProject, REPO_ROOT, type GeneratedProject } from './generate-entities';
import { measureFloor } from './measure-floor';
import { measureOurs, type OursSample } from './measure-ours';
import { measureSync } from './measure-sync';
import { runTypeorm } from './measure-typeorm';
import { parseBenchOptions, UsageError, USAGE, type BenchDialect, type BenchOptions } from './options';
import { profileOurs } from './profile';
import { formatMs, renderStageTable, renderSyncTable, renderTargets, renderTimeTable } from './report';
import { rotate } from './stats';
import { summarize, type CaseSamples, type CaseSummary, type Scenario } from './summarize';
import { evaluateTargets, type TargetResult } from './targets';

/** Everything one bench run measured, for callers (the smoke test) and --json-out. */
export interface BenchResult {
  readonly options: BenchOptions;
  readonly cases: readonly CaseSamples[];
  readonly summaries: readonly CaseSummary[];
  readonly targets: readonly TargetResult[];
  /** Sizes that could not be measured (a failed build, or our diff not in sync), with the reason. */
  readonly failures: readonly string[];
  /** The report exactly as printed. */
  readonly report: string;
}

/** Where progress and the report go; the smoke test passes its own to keep jest's output quiet. */
export type Print = (line: string) => void;

type Contender = 'ours' | 'typeorm' | 'floor';
const CONTENDERS: readonly Contender[] = ['ours', 'typeorm', 'floor'];

/** Runs every (dialect, size) and prints the tables and targets. */
export async function runBench(options: BenchOptions, print: Print = (line) => process.stdout.write(`${line}\n`)): Promise<BenchResult> {
  const built = builtAt(options.cliRoot);
  const stale = options.cliRoot === REPO_ROOT ? staleBuildWarning(built) : `measuring the build in ${options.cliRoot}`;
  if (stale !== null) print(stale);
  const cases: CaseSamples[] = [];
  const failures: string[] = [];
  for (const dialect of options.dialects) {
    for (const tables of options.tables) {
      // One size failing (say, our diff not in sync) must not throw away the others' half hour of samples.
      try {
        cases.push(...(await benchSize(dialect, tables, options, print, failures)));
      } catch (error) {
        const failure = `${dialect} at ${tables} tables: ${error instanceof Error ? error.message : String(error)}`;
        print(`FAILED ${failure}`);
        failures.push(failure);
      }
    }
  }
  const summaries = cases.map(summarize);
  const targets = evaluateTargets(summaries, options.dialects);
  const rebuilt = builtAt(options.cliRoot) !== built ? 'WARNING: dist/ was rebuilt during this run, so the samples mix two builds: run again' : null;
  const notes = [stale, rebuilt, ...failures.map((failure) => `FAILED ${failure}`)].filter((note): note is string => note !== null);
  const report = renderReport(options, summaries, targets, notes);
  print(report);
  if (options.jsonOut !== null) fs.writeFileSync(options.jsonOut, JSON.stringify({ options, cases, summaries, targets, failures }, null, 2));
  return { options, cases, summaries, targets, failures, report };
}

/** The command line entry: `npm run bench -- …`. Resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message === '' ? '' : `${message}\n\n`}${USAGE}\n`);
    return error instanceof UsageError && message === '' ? 0 : 1;
  }
  const result = await runBench(options);
  return result.failures.length === 0 ? 0 : 1;
}

/** When dist/ was built; compared at the end, because a rebuild in the middle of a run would mix two versions. */
function builtAt(cliRoot: string): number {
  const entry = path.join(cliRoot, 'dist', 'cli', 'main.js');
  if (!fs.existsSync(entry)) throw new Error('dist/ is missing: run `npm run build` first (the bench measures the built CLI)');
  return fs.statSync(entry).mtimeMs;
}

/** The bench measures dist/ (bin/ runs it): say so when src/ has been edited since the last build. */
function staleBuildWarning(built: number): string | null {
  const src = path.join(REPO_ROOT, 'src');
  const newer = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts') && fs.statSync(path.join(src, file)).mtimeMs > built);
  return newer.length === 0 ? null : `note: ${newer.length} file(s) in src/ are newer than dist/; this measures dist/ as last built (npm run build)`;
}

/** One dialect at one size: generate, build with TypeORM, check, then measure every contender `runs` times. */
async function benchSize(dialect: BenchDialect, tables: number, options: BenchOptions, print: Print, failures: string[]): Promise<CaseSamples[]> {
  const urls: ServerUrls = { pgUrl: options.pgUrl, mysqlUrl: options.mysqlUrl };
  print(`\n## ${dialect}, ${tables} tables`);
  const project = generateProject(dialect, tables);
  const databases: BenchDatabase[] = [];
  try {
    const inSync = await createBenchDatabase(dialect, urls, tables, 'sync');
    databases.push(inSync);
    const empty = options.skipEmpty ? null : await createBenchDatabase(dialect, urls, tables, 'empty');
    if (empty !== null) databases.push(empty);
    const build = await runTypeorm(options.cliRoot, 'synchronize', dialect, project, inSync.url);
    print(`built ${inSync.name} with TypeORM synchronize() in ${formatMs(build.wallMs)}`);
    await checkAgreement(options.cliRoot, project, tables, inSync, empty);
    const scenarios: Array<readonly [Scenario, BenchDatabase]> = [['in-sync', inSync]];
    if (empty !== null) scenarios.push(['empty', empty]);
    const cases = scenarios.map(([scenario]): CaseSamples => ({ dialect, tables, scenario, ours: [], typeorm: [], floor: [], sync: [] }));
    for (let run = 0; run < options.runs; run++) {
      for (const [index, [scenario, database]] of scenarios.entries()) {
        await measureOnce(options.cliRoot, cases[index]!, project, database, run);
        print(progressLine(cases[index]!, scenario, run, options.runs));
      }
    }
    const emptyCase = cases.find((c) => c.scenario === 'empty');
    if (empty !== null && emptyCase !== undefined) {
      // `sync` failing (a verification that fails, say) is reported as such; the diff samples above still count.
      await measureSyncRuns(options, emptyCase, project, empty, print).catch((error: unknown) => {
        const failure = `sync on ${dialect} at ${tables} tables: ${error instanceof Error ? error.message : String(error)}`;
        print(`FAILED ${failure}`);
        failures.push(failure);
      });
    }
    if (options.cpuProfDir !== null) print(await profileOurs(options.cliRoot, project, inSync.url, options.cpuProfDir, `${dialect}-${tables}`));
    return cases;
  } finally {
    if (!options.keep) {
      for (const database of databases) await dropBenchDatabase(database, urls);
      removeProject(project);
    } else {
      print(`kept ${project.dir} and ${databases.map((d) => d.name).join(', ')}`);
    }
  }
}

/**
 * Before timing anything: our diff must find TypeORM's own schema exactly in sync, and every table missing from the
 * empty database. These runs also warm the server's caches and the file system for what follows.
 */
async function checkAgreement(cliRoot: string, project: GeneratedProject, tables: number, inSync: BenchDatabase, empty: BenchDatabase | null): Promise<void> {
  assertInSync(await measureOurs(cliRoot, project, inSync.url), inSync);
  if (empty === null) return;
  const fresh = await measureOurs(cliRoot, project, empty.url);
  if (fresh.inSync || fresh.createTables !== tables) {
    throw new Error(`schema-sync on the empty ${empty.name} reported ${fresh.createTables} create_table changes, expected ${tables}`);
  }
}

function assertInSync(sample: OursSample, database: BenchDatabase): void {
  if (!sample.inSync) throw new Error(`schema-sync reports ${sample.changes} change(s) on ${database.name}, which TypeORM synchronize() built: expected inSync: true. First changes:\n  ${sample.firstChanges.join('\n  ')}`);
}

/** One run of the three contenders, in an order that rotates with the run so none is always first. */
async function measureOnce(cliRoot: string, samples: CaseSamples, project: GeneratedProject, database: BenchDatabase, run: number): Promise<void> {
  for (const contender of rotate(CONTENDERS, run)) {
    if (contender === 'ours') {
      const sample = await measureOurs(cliRoot, project, database.url);
      if (samples.scenario === 'in-sync') assertInSync(sample, database);
      samples.ours.push(sample);
    } else if (contender === 'typeorm') {
      samples.typeorm.push(await runTypeorm(cliRoot, 'log', samples.dialect, project, database.url));
    } else {
      samples.floor.push(await measureFloor(cliRoot, samples.dialect, database.url, database.name));
    }
  }
}

/**
 * `sync` writing the first migration for the empty database, after the other runs because it takes much longer:
 * verified (the default) and with --no-verify, alternating, so the cost of the shadow round trip shows on its own.
 */
async function measureSyncRuns(options: BenchOptions, samples: CaseSamples, project: GeneratedProject, empty: BenchDatabase, print: Print): Promise<void> {
  for (let run = 0; run < options.syncRuns; run++) {
    for (const verify of rotate([true, false], run)) {
      const sample = await measureSync(options.cliRoot, project, empty.url, verify);
      samples.sync.push(sample);
      print(
        `sync ${run + 1}/${options.syncRuns}${verify ? '' : ' --no-verify'}: ${formatMs(sample.wallMs)} (CPU ${formatMs(sample.cpuMs)}, ` +
          `peak RSS ${(sample.maxRssKb / 1024).toFixed(0)} MB, ${sample.changes} changes, ${(sample.fileBytes / 2 ** 20).toFixed(1)} MB file${sample.verified ? ', verified' : ''})`,
      );
    }
  }
}

function progressLine(samples: CaseSamples, scenario: Scenario, run: number, runs: number): string {
  const ours = samples.ours[run]!;
  const typeorm = samples.typeorm[run]!;
  const floor = samples.floor[run]!;
  return (
    `run ${run + 1}/${runs} ${scenario}: ours ${formatMs(ours.wallMs)} (CPU ${formatMs(ours.cpuMs)}; introspect ${formatMs(ours.introspectMs)}, diff ${formatMs(ours.diffMs)}), ` +
    `TypeORM ${formatMs(typeorm.wallMs)} (CPU ${formatMs(typeorm.cpuMs)}; log() ${formatMs(typeorm.schemaBuilderMs)}, ${typeorm.schemaBuilderQueries} queries), floor ${formatMs(floor.ms)}`
  );
}

/** The final report: the command, the machine, both tables and the targets. */
function renderReport(options: BenchOptions, summaries: readonly CaseSummary[], targets: readonly TargetResult[], notes: readonly string[]): string {
  const command = `npm run bench -- --dialect ${options.dialects.join(',')} --tables ${options.tables.join(',')} --runs ${options.runs}${options.skipEmpty ? ' --skip-empty' : ''}${options.syncRuns === 1 ? '' : ` --sync-runs ${options.syncRuns}`}${options.cliRoot === REPO_ROOT ? '' : ` --cli-root ${options.cliRoot}`}`;
  const cpus = os.cpus();
  return [
    '',
    `# orm-schema-sync bench: ${command}`,
    `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}; medians of ${options.runs} run(s), peak RSS = max`,
    ...notes,
    '',
    renderTimeTable(summaries),
    '',
    renderStageTable(summaries),
    '',
    ...(summaries.some((s) => s.sync !== null) ? [renderSyncTable(summaries), ''] : []),
    renderTargets(targets),
  ].join('\n');
}
