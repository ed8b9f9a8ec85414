import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** What one measured child process did. */
export interface ChildRun {
  readonly status: number;
  readonly stdout: string;
  /** stderr without the peak-memory line the preload adds. */
  readonly stderr: string;
  /** Wall time from spawn to exit, as a user would see it. */
  readonly wallMs: number;
  /** Peak resident set size reported by the child itself (bench/peak-rss.js). */
  readonly maxRssKb: number;
  /** User + system CPU time of the child, reported the same way. */
  readonly cpuMs: number;
}

const PEAK_RSS = path.join(__dirname, 'peak-rss.js');
const RSS_LINE = /\n?@@bench-max-rss-kb=(\d+) cpu-ms=(\d+)\n/;

/**
 * The environment of a measured child: nothing inherited that changes what it does. JEST_WORKER_ID makes the CLI skip
 * its TypeScript loader, NODE_OPTIONS would add jest's flags, and DATABASE_URL / SCHEMA_SYNC_DIALECT would override
 * the URL and dialect the bench passes.
 */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const key of ['JEST_WORKER_ID', 'NODE_OPTIONS', 'DATABASE_URL', 'SCHEMA_SYNC_DIALECT', 'SCHEMA_SYNC_NO_REGISTER']) delete env[key];
  return env;
}

/** Runs `node [nodeArgs] -r peak-rss.js script args` and resolves with its output, wall time and peak memory. */
export function runNodeChild(script: string, args: readonly string[], options: { cwd: string; nodeArgs?: readonly string[] }): Promise<ChildRun> {
  const argv = [...(options.nodeArgs ?? []), '-r', PEAK_RSS, script, ...args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, argv, { cwd: options.cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const stderrRaw = Buffer.concat(err).toString('utf8');
      const rss = RSS_LINE.exec(stderrRaw);
      resolve({
        status: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: stderrRaw.replace(RSS_LINE, ''),
        wallMs,
        maxRssKb: rss === null ? Number.NaN : Number(rss[1]),
        cpuMs: rss === null ? Number.NaN : Number(rss[2]),
      });
    });
  });
}

/** The error for a child that failed: its command, exit status and the end of its stderr. */
export function childFailure(what: string, run: ChildRun): Error {
  const tail = run.stderr.trim().split('\n').slice(-15).join('\n');
  return new Error(`${what} exited with status ${run.status}:\n${tail}`);
}
