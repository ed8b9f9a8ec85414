import { fork, type ChildProcess } from 'node:child_process';

/** A forked scenario worker and what it has written to stderr so far (the last few KB, for crash reports). */
export interface SpareWorker {
  readonly child: ChildProcess;
  stderr(): string;
}

/** The environment variable naming the modules (one a line) the worker requires while it waits for its job. */
export const PRELOAD_ENV = 'SCHEMA_SYNC_CONFORMANCE_PRELOAD';

/** The environment variable naming the dialect the workers' scenarios run on, so a spare can prepare for it. */
export const PREWARM_DIALECT_ENV = 'SCHEMA_SYNC_CONFORMANCE_DIALECT';

/** The environment variable naming the saved data directory PGlite databases start from, for a spare to load ahead. */
export const PREWARM_PGLITE_TEMPLATE_ENV = 'SCHEMA_SYNC_CONFORMANCE_PGLITE_TEMPLATE';

/**
 * Scenario workers forked ahead of their jobs: a worker's start (Node, our modules, the reference TypeORM) takes
 * seconds on a busy machine, and a spare one does it while the scenario before it runs. Each worker runs one job
 * only, so no state passes between scenarios.
 */
export class WorkerPool {
  private readonly spares: SpareWorker[] = [];
  /** Every worker forked, for a run that is stopped while they work. */
  private readonly forked: ChildProcess[] = [];
  private stopped = false;

  constructor(
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly size: number,
    preload: readonly string[],
  ) {
    if (preload.length > 0) this.env = { ...env, [PRELOAD_ENV]: preload.join('\n') };
  }

  /** A started worker (a spare if one is ready), and a new spare forked in its place. */
  take(): SpareWorker {
    if (this.stopped) throw new Error('the run is stopping: no more workers are started');
    const worker = this.spares.shift() ?? this.forkOne();
    while (this.spares.length < this.size) this.spares.push(this.forkOne());
    return worker;
  }

  /** Kills the spares no job will take. */
  close(): void {
    for (const spare of this.spares.splice(0)) spare.child.kill('SIGKILL');
  }

  /** Kills every worker still running, spare or at work: the run is being stopped. */
  killAll(): void {
    this.stopped = true;
    this.spares.splice(0);
    for (const child of this.forked) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  private forkOne(): SpareWorker {
    const child = fork(this.script, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: this.env });
    this.forked.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    return { child, stderr: () => stderr };
  }
}

/**
 * The environment of the processes a runner forks (workers, the DataSource reader): this one, without what a host
 * test runner sets. Under jest, JEST_WORKER_ID tells our loader that jest transpiles TypeScript, which in a process of
 * its own it does not.
 */
export function workerEnvironment(): NodeJS.ProcessEnv {
  const { JEST_WORKER_ID: _jest, NODE_OPTIONS: _nodeOptions, SCHEMA_SYNC_DIALECT: _dialect, ...rest } = process.env;
  return { ...rest, NO_COLOR: '1' };
}
