import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import yargs from 'yargs';
import type { ModelSource } from '../source/typeorm/load-models';
import { SchemaSyncError, messageOf } from '../util/errors';
import { compileLikeTsc, readProjectLayout, type ProjectLayout, type TscBuild } from './compile-like-tsc';
import { corpusRow, renderCorpusTable } from './corpus-table';
import { entityFilesOfDataSource } from './data-source-entity-files';
import { referenceTypeorm } from './reference-typeorm';
import { defaultJsonLines, printRun, progressLine } from './report-run';
import { runScenarios, type PlannedScenario } from './run-scenarios';
import type { LoadMode, ScenarioResult, TypeormEntities } from './scenario';
import { DatabaseFactory, MEASURED_DIALECTS, scratchFolder, serverUrlsFromEnvironment, type MeasuredDialect } from './throwaway-database';

interface CorpusArgs {
  readonly project: string;
  readonly dialect: MeasuredDialect[];
  readonly 'data-source'?: string;
  readonly entities?: string[];
  readonly load: LoadMode[];
  readonly out?: string;
  readonly timeout: number;
  readonly verify: boolean;
  readonly commit?: string;
}

/**
 * Where the project's tsc build goes while the run lasts: beside the project's own `outDir` (at its depth, so paths
 * relative to the build such as `__dirname + '/../../assets'` lead where they do in the user's build), else inside the
 * project; inside it either way, so its imports find its own node_modules.
 */
const BUILD_FOLDER = '.schema-sync-corpus-tsc';

/**
 * `npm run corpus -- <project>`: a user's real TypeORM project, with its own node_modules and its own TypeORM, through
 * (a) TypeORM synchronize() on a fresh database → TypeORM's log() empty → our diff empty, and (b) an empty database →
 * our sync → apply → our diff and TypeORM's log() empty → rollback → nothing left.
 */
export async function corpusMain(argv: readonly string[]): Promise<number> {
  const args = (await yargs([...argv])
    .scriptName('npm run corpus --')
    .command('$0 <project>', 'Measure one TypeORM project', (command) =>
      command.positional('project', { type: 'string', demandOption: true, describe: 'The project directory (with its node_modules installed)' }),
    )
    .option('dialect', { type: 'string', array: true, choices: MEASURED_DIALECTS, default: ['postgres'], describe: 'Databases to measure on' })
    .option('data-source', { type: 'string', describe: "The project's DataSource file (.ts), relative to the project" })
    .option('entities', { type: 'string', array: true, describe: 'Entity file globs (.ts), relative to the project' })
    .option('load', { type: 'string', array: true, choices: ['ts', 'js'], default: ['ts', 'js'], describe: 'How our diff loads the entities: the .ts as users do, the tsc build, or both' })
    .option('out', { type: 'string', describe: 'JSON lines file (default: in the system temporary folder)' })
    .option('timeout', { type: 'number', default: 600, describe: 'Seconds before a run is killed' })
    .option('verify', { type: 'boolean', default: true, describe: 'Verify the generated migration in a shadow database, as sync does (--no-verify skips it)' })
    .option('commit', { type: 'string', describe: "The project's commit, for the table (default: the git checkout's HEAD, when the project is one)" })
    .strict()
    .help()
    .parseAsync()) as unknown as CorpusArgs;
  const started = performance.now();
  const jsonLines = args.out ?? defaultJsonLines(`corpus-${path.basename(path.resolve(args.project))}`);
  const results = await measureProject({ ...args, project: args.project, jsonLines, onResult: progressLine });
  printRun(results, jsonLines, performance.now() - started, 1);
  process.stdout.write(details(results));
  const project = fs.realpathSync(path.resolve(args.project));
  const row = { project: path.basename(project), commit: args.commit ?? gitCommit(project), typeorm: referenceTypeorm(project).version };
  process.stdout.write(`\n${renderCorpusTable(results.map((result) => corpusRow(row, result)))}\n`);
  return 0;
}

/** What to measure of one project. */
export interface MeasureProjectOptions {
  readonly project: string;
  readonly dialect: readonly MeasuredDialect[];
  readonly 'data-source'?: string;
  readonly entities?: readonly string[];
  readonly load: readonly LoadMode[];
  readonly timeout: number;
  readonly verify: boolean;
  readonly jsonLines: string | null;
  readonly onResult?: (result: ScenarioResult, done: number, total: number) => void;
}

/** Runs the agreement check and the round trip for one project on each dialect; one result per dialect. */
export async function measureProject(options: MeasureProjectOptions): Promise<ScenarioResult[]> {
  const folder = path.resolve(options.project);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new SchemaSyncError('BAD_ARGUMENT', `${options.project}: no such project folder`);
  const project = fs.realpathSync(folder);
  const runtime = referenceTypeorm(project);
  process.stderr.write(`${path.basename(project)}: TypeORM ${runtime.version}\n`);
  const scratch = scratchFolder('orm-schema-sync-corpus');
  let build: TscBuild | null = null;
  try {
    build = await buildProject(project, options);
    const results: ScenarioResult[] = [];
    for (const dialect of options.dialect) {
      const factory = await DatabaseFactory.open(dialect, serverUrlsFromEnvironment(), path.join(scratch, `db-${dialect}`));
      try {
        const planned = plan(project, dialect, build, runtime.main, options);
        const runOptions = { jobs: 1, roundTrip: true, timeoutMs: options.timeout * 1000, jsonLines: null, scratchDir: path.join(scratch, dialect), ...(options.onResult ? { onResult: options.onResult } : {}) };
        results.push(...(await runScenarios([planned], factory, runOptions)));
      } finally {
        factory.close();
      }
    }
    if (options.jsonLines !== null) fs.writeFileSync(options.jsonLines, results.map((result) => JSON.stringify(result)).join('\n') + '\n');
    return results;
  } finally {
    if (build !== null) fs.rmSync(build.outDir, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The project's tsc build, as its own `tsc` would emit the files the measurement loads: the entity files (the
 * `--entities` matches, or the DataSource file and the files its `entities` globs match) and what they import. The
 * rest of the project (its API, its tests, its migrations) is not compiled: on a project of thousands of files that
 * is most of the build's time. The caller removes `outDir`.
 */
export async function buildProject(project: string, options: Pick<MeasureProjectOptions, 'data-source' | 'entities' | 'dialect'>): Promise<TscBuild> {
  const tsconfigFile = path.join(project, 'tsconfig.json');
  const tsconfig = fs.existsSync(tsconfigFile) ? tsconfigFile : null;
  const layout = buildLayout(project, readProjectLayout(tsconfig, [project]));
  // Before the entries are listed: a glob over the project would match an earlier build's files.
  fs.rmSync(layout.outDir, { recursive: true, force: true });
  const entries = await entryFiles(project, layout.rootDir, options);
  const started = performance.now();
  process.stderr.write(`${path.basename(project)}: building from ${entries.length} file(s) with tsc into ${path.relative(project, layout.outDir)}…\n`);
  try {
    const build = compileLikeTsc({ rootDir: layout.rootDir, files: entries, outDir: layout.outDir, tsconfig, resolveFrom: [project], typeormFolders: [], typeormTypes: null });
    process.stderr.write(`${path.basename(project)}: tsc compiled ${build.compiled.length} file(s) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return build;
  } catch (error) {
    fs.rmSync(layout.outDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The files the build starts from. A DataSource's glob-named entities are imported by nothing, so they are entries of
 * their own: the `.ts` files its globs match (`{.ts,.js}` matches the sources here, and in the build folder, where the
 * compiled DataSource evaluates the same glob, the compiled `.js`). When the DataSource file cannot be read, the whole
 * project is compiled, as before, and the reason said.
 */
async function entryFiles(project: string, rootDir: string, options: Pick<MeasureProjectOptions, 'data-source' | 'entities' | 'dialect'>): Promise<string[]> {
  const files = sourceFiles(project, options);
  if (options['data-source'] === undefined) return files;
  const dialect = options.dialect[0] === 'pglite' || options.dialect[0] === undefined ? 'postgres' : options.dialect[0];
  try {
    const entities = await entityFilesOfDataSource(project, options['data-source'], dialect);
    return [...new Set([...files, ...entities.filter((file) => TYPESCRIPT_SOURCE.test(file))])];
  } catch (error) {
    process.stderr.write(`${options['data-source']}: its entity files cannot be listed (${messageOf(error)}); compiling every file of the project\n`);
    return projectFiles(rootDir, files);
  }
}

/** Sources tsc compiles to a `.js` that `require()` loads: not declarations, not ES-module-only `.mts`. */
const TYPESCRIPT_SOURCE = /(?<!\.d)\.(?:c?ts|tsx)$/;

/**
 * The tsc build's rootDir and outDir, keeping the project's layout: its own `rootDir` (else, with an `outDir`, the
 * common folder of the files its tsconfig compiles, as tsc takes it), and a build folder beside its `outDir`.
 * Without an `outDir` inside the project, the build mirrors the whole project inside it.
 */
export function buildLayout(project: string, layout: ProjectLayout): { rootDir: string; outDir: string } {
  const inside = (folder: string) => folder === project || folder.startsWith(project + path.sep);
  if (layout.outDir === null || !inside(path.dirname(layout.outDir))) return { rootDir: project, outDir: path.join(project, BUILD_FOLDER) };
  const rootDir = layout.rootDir ?? commonFolder(layout.fileNames.filter((file) => !file.endsWith('.d.ts'))) ?? project;
  return { rootDir: inside(rootDir) ? rootDir : project, outDir: path.join(path.dirname(layout.outDir), BUILD_FOLDER) };
}

function commonFolder(files: readonly string[]): string | null {
  if (files.length === 0) return null;
  let common = path.dirname(files[0]!);
  for (const file of files) while (!(file.startsWith(common + path.sep) || path.dirname(file) === common)) common = path.dirname(common);
  return common;
}

/** Every TypeScript file of the project, as its own `tsc` build compiles them. */
function projectFiles(rootDir: string, entryFiles: readonly string[]): string[] {
  const all = fg.sync('**/*.{ts,tsx,cts}', { cwd: rootDir, absolute: true, ignore: ['**/node_modules/**', '**/*.d.ts', '.schema-sync/**', `${BUILD_FOLDER}/**`, 'dist/**', 'build/**'] });
  return [...new Set([...entryFiles, ...all])];
}

/** The `.ts` files the tsc build starts from: the DataSource file, or the entity globs' matches. */
function sourceFiles(project: string, args: Pick<MeasureProjectOptions, 'data-source' | 'entities'>): string[] {
  if (args['data-source'] !== undefined && args.entities !== undefined) throw new SchemaSyncError('BAD_ARGUMENT', 'Give either --data-source or --entities, not both');
  if (args['data-source'] !== undefined) {
    const file = path.resolve(project, args['data-source']);
    if (!fs.existsSync(file)) throw new SchemaSyncError('BAD_ARGUMENT', `--data-source ${args['data-source']}: no such file in ${project}`);
    return [file];
  }
  if (args.entities === undefined) throw new SchemaSyncError('BAD_ARGUMENT', 'Say where the entities are: --data-source <file> or --entities <glob>');
  const files = fg.sync([...args.entities], { cwd: project, absolute: true, ignore: ['**/node_modules/**', '**/*.d.ts'] });
  if (files.length === 0) throw new SchemaSyncError('BAD_ARGUMENT', `--entities ${args.entities.join(' ')}: no file matches in ${project}`);
  return files.sort();
}

function plan(project: string, dialect: MeasuredDialect, build: TscBuild, typeormMain: string, args: MeasureProjectOptions): PlannedScenario {
  const dataSource = args['data-source'];
  const compiledGlobs = (args.entities ?? []).map((glob) => path.relative(project, build.compiledPath(path.join(project, glob))).replace(/\\/g, '/'));
  const sourceOf = (mode: LoadMode): ModelSource =>
    dataSource !== undefined
      ? { kind: 'data-source', file: mode === 'ts' ? dataSource : path.relative(project, build.compiledPath(path.resolve(project, dataSource))) }
      : { kind: 'globs', globs: mode === 'ts' ? [...args.entities!] : compiledGlobs };
  const typeorm: TypeormEntities =
    dataSource !== undefined
      ? { kind: 'data-source', file: build.compiledPath(path.resolve(project, dataSource)) }
      : { kind: 'entities', entities: compiledGlobs.map((glob) => path.join(project, glob)) };
  return {
    id: path.basename(project),
    dialect,
    projectDir: project,
    ours: args.load.map((mode) => ({ mode, source: sourceOf(mode) })),
    typeorm,
    typeormMain,
    redirects: { typeormFolders: [], typeormMain: null, aliases: build.aliases, compiledRoot: build.outDir, sourceRoot: build.rootDir },
    verify: args.verify,
    roundTripWhateverTypeorm: true,
  };
}

/** What went wrong, in full: a project is one scenario, so every change is worth a line. */
function details(results: readonly ScenarioResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    if (result.typeorm.status === 'error') lines.push(`${result.dialect}: ${result.typeorm.error}`);
    if (result.typeorm.status === 'unclean') lines.push(`${result.dialect}: TypeORM's own log() after its synchronize():`, ...result.typeorm.pending.map((query) => `  ${query}`));
    for (const ours of result.ours) {
      if (ours.status === 'error') lines.push(`${result.dialect} ours (${ours.mode}): ${ours.error}`);
      if (ours.status === 'changes') lines.push(`${result.dialect} ours (${ours.mode}): ${ours.changes.length} change(s)`, ...ours.changes.map((change) => `  ${change.detail}`));
    }
    if (result.roundTrip?.status === 'failed') lines.push(`${result.dialect} round trip, ${result.roundTrip.stage}: ${result.roundTrip.detail}`);
  }
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}

/** The project's git commit (short), or '–' when it is not a git checkout. */
function gitCommit(project: string): string {
  try {
    return execFileSync('git', ['-C', project, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '–';
  }
}

if (require.main === module) {
  corpusMain(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`corpus: ${messageOf(error)}\n`);
      process.exitCode = 1;
    },
  );
}
