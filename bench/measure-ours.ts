import * as path from 'node:path';
import { childFailure, runNodeChild } from './child-process';
import type { GeneratedProject } from './generate-entities';

/** One end-to-end `schema-sync diff` run. */
export interface OursSample {
  readonly wallMs: number;
  readonly loadModelsMs: number;
  readonly introspectMs: number;
  readonly diffMs: number;
  readonly catalogQueries: number;
  readonly maxRssKb: number;
  readonly cpuMs: number;
  readonly inSync: boolean;
  readonly changes: number;
  readonly createTables: number;
  /** The first few changes, `table: detail`, so a failed in-sync check says what differed. */
  readonly firstChanges: readonly string[];
}

/** The slice of the `--json` report the bench reads. */
interface JsonReport {
  readonly inSync: boolean;
  readonly summary: { readonly total: number; readonly byKind: Readonly<Record<string, number>> };
  readonly changes: ReadonlyArray<{ readonly table?: string; readonly detail: string }>;
}

/** The stage line `--verbose` prints to stderr (src/cli/commands/diff.ts). */
const TIMINGS = /load models (\d+(?:\.\d+)?) ms \(\d+ tables\), introspect (\d+(?:\.\d+)?) ms \((\d+) catalog queries\), diff (\d+(?:\.\d+)?) ms/;

/** The CLI arguments of a `sync --diff` run on the generated project. */
export function oursArgs(project: GeneratedProject, url: string): string[] {
  return ['sync', '--diff', '--url', url, '--project', project.dir, '--models', project.modelsGlob, '--json', '--verbose'];
}

/** Runs `schema-sync sync --diff --json --verbose` as a child process, exactly as a user would. */
export async function measureOurs(cliRoot: string, project: GeneratedProject, url: string, nodeArgs: readonly string[] = []): Promise<OursSample> {
  const cli = path.join(cliRoot, 'bin', 'schema-sync.js');
  const run = await runNodeChild(cli, oursArgs(project, url), { cwd: project.dir, nodeArgs });
  if (run.status !== 0) throw childFailure('schema-sync sync --diff', run);
  const timings = TIMINGS.exec(run.stderr);
  if (timings === null) throw new Error(`schema-sync --verbose printed no stage timings; stderr was:\n${run.stderr}`);
  const report = JSON.parse(run.stdout) as JsonReport;
  return {
    wallMs: run.wallMs,
    loadModelsMs: Number(timings[1]),
    introspectMs: Number(timings[2]),
    catalogQueries: Number(timings[3]),
    diffMs: Number(timings[4]),
    maxRssKb: run.maxRssKb,
    cpuMs: run.cpuMs,
    inSync: report.inSync,
    changes: report.summary.total,
    createTables: report.summary.byKind.create_table ?? 0,
    firstChanges: report.changes.slice(0, 5).map((change) => `${change.table ?? '(schema)'}: ${change.detail}`),
  };
}
