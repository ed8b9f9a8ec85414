import * as path from 'node:path';
import { childFailure, runNodeChild } from './child-process';
import type { GeneratedProject } from './generate-entities';
import type { BenchDialect } from './options';
import { RESULT_MARKER, type TypeormChildResult } from './typeorm-result';

/** One TypeORM child run: its own stage timings plus what the parent saw. */
export interface TypeormSample extends TypeormChildResult {
  /** Spawn to exit, the same clock as ours' wallMs. */
  readonly wallMs: number;
  readonly maxRssKb: number;
  readonly cpuMs: number;
}

const CHILD = path.join(__dirname, 'typeorm-child.js');

/** Runs TypeORM's schema builder (`log`) or `synchronize()` on the generated entities in a child process. */
export async function runTypeorm(
  cliRoot: string,
  mode: 'log' | 'synchronize',
  dialect: BenchDialect,
  project: GeneratedProject,
  url: string,
): Promise<TypeormSample> {
  const run = await runNodeChild(CHILD, [cliRoot, project.dir, mode, dialect, url, project.modelsGlob], { cwd: project.dir });
  if (run.status !== 0) throw childFailure(`TypeORM ${mode}`, run);
  const line = run.stdout.split('\n').find((text) => text.startsWith(RESULT_MARKER));
  if (line === undefined) throw new Error(`TypeORM child printed no result; stdout was:\n${run.stdout.slice(0, 2000)}`);
  const result = JSON.parse(line.slice(RESULT_MARKER.length)) as TypeormChildResult;
  return { ...result, wallMs: run.wallMs, maxRssKb: run.maxRssKb, cpuMs: run.cpuMs };
}
