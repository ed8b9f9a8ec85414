import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root, where bin/ and models/ live. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment for a CLI child process a test spawns itself: colour off, no inherited DATABASE_URL or jest settings. */
export function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.DATABASE_URL;
  delete env.JEST_WORKER_ID;
  delete env.NODE_OPTIONS;
  return env;
}

/** Runs the built `schema-sync` binary as a user would, with colour off and no inherited DATABASE_URL. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): CliRun {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'schema-sync.js'), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: binaryEnv(options.env),
    encoding: 'utf8',
    timeout: 180_000,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The environment runCli gives the binary. */
function binaryEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', DATABASE_URL: undefined, JEST_WORKER_ID: undefined, NODE_OPTIONS: undefined, SCHEMA_SYNC_DIALECT: undefined, ...extra };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env as NodeJS.ProcessEnv;
}

/** runCli without blocking this process: other connections of the test (a writer) go on while the binary runs. */
export function runCliAsync(args: readonly string[], options: { cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'schema-sync.js'), ...args], { cwd: options.cwd ?? REPO_ROOT, env: binaryEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => void (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/**
 * A fresh temporary project: a copy of the example models (or the given files) and a node_modules link so the
 * entity files resolve `typeorm` like they would in a user's project.
 */
export function makeProject(files: Record<string, string> | 'example-models'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-sync-e2e-'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  if (files === 'example-models') {
    fs.cpSync(path.join(REPO_ROOT, 'models'), path.join(dir, 'models'), { recursive: true });
  } else {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
  }
  return dir;
}

/** Removes a temporary project. */
export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
