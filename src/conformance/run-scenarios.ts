import * as fs from 'node:fs';
import * as path from 'node:path';
import { messageOf } from '../util/errors';
import { PhaseClock } from './phase-clock';
import type { ScenarioJob, ScenarioResult } from './scenario';
import { SCENARIO_WORKER } from './scenario-worker';
import { PREWARM_DIALECT_ENV, PREWARM_PGLITE_TEMPLATE_ENV, WorkerPool, workerEnvironment } from './worker-pool';
import { DatabasePool } from './database-pool';
import type { DatabaseFactory, ThrowawayDatabase } from './throwaway-database';

/** A scenario to run, before its databases exist. */
export type PlannedScenario = Omit<ScenarioJob, 'agreementDatabase' | 'roundTripDatabase' | 'shadowDatabases' | 'migrationsDir'>;

/** How the runner runs scenarios. */
export interface RunOptions {
  readonly jobs: number;
  readonly roundTrip: boolean;
  /** A scenario still running after this long is killed and reported as timed out. */
  readonly timeoutMs: number;
  /** Each result is appended here as one JSON line as soon as it is known. */
  readonly jsonLines: string | null;
  /** A scratch folder for migration files. */
  readonly scratchDir: string;
  readonly onResult?: (result: ScenarioResult, done: number, total: number) => void;
}

/**
 * Runs the scenarios `jobs` at a time, each in a process of its own with databases of its own (created before,
 * dropped after, whatever happened), and returns the results in the scenarios' order.
 */
export async function runScenarios(planned: readonly PlannedScenario[], factory: DatabaseFactory, options: RunOptions): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = new Array(planned.length);
  let next = 0;
  let done = 0;
  if (options.jsonLines !== null) fs.writeFileSync(options.jsonLines, '');
  const lanes = Math.max(1, Math.min(options.jobs, planned.length));
  // A spare worker loads the reference TypeORM while it waits, and for a round trip ts-morph, which sync's emitter
  // requires on first use (about 0.9 s on an idle machine, on the scenario's path otherwise).
  const preload = [...(planned[0] === undefined ? [] : [planned[0].typeormMain]), ...(options.roundTrip ? [require.resolve('ts-morph')] : [])];
  // On PGlite a spare also starts the embedded shadow its round trip will verify in (see the worker).
  // And the scenario's own database, loaded from the run's saved fresh data directory.
  const env = { ...workerEnvironment(), [PREWARM_DIALECT_ENV]: factory.dialect, ...(factory.template === null ? {} : { [PREWARM_PGLITE_TEMPLATE_ENV]: factory.template }) };
  const workers = new WorkerPool(SCENARIO_WORKER, env, Math.min(lanes, planned.length - 1), preload);
  const shadows = options.roundTrip && factory.dialect !== 'pglite' && planned.some((scenario) => scenario.verify);
  const perScenario = 1 + (options.roundTrip ? 1 : 0) + (shadows ? 2 : 0);
  // One scenario ahead per lane, at most two CREATEs at a time.
  const databases = new DatabasePool(factory, lanes * perScenario, 2, planned.length * perScenario);
  // DROP DATABASE waits for a checkpoint (about 3 s on PostgreSQL 15 here, most of a small scenario's time): the
  // drops run beside the next scenarios (a scenario's drops together, so they share one), and the run ends once all
  // are done.
  const drops: Promise<void>[] = [];
  const stop = { requested: false };
  const lane = async () => {
    for (let index = next++; index < planned.length && !stop.requested; index = next++) {
      const scenario = planned[index]!;
      const outcome = await runOne(scenario, databases, { ...options, shadows }, index, workers, drops);
      // A scenario the stop cut short has no result to record: `--resume` runs it again.
      if (stop.requested) return;
      results[index] = outcome;
      if (options.jsonLines !== null) fs.appendFileSync(options.jsonLines, `${JSON.stringify(outcome)}\n`);
      options.onResult?.(outcome, ++done, planned.length);
    }
  };
  const stopping = dropAllWhenStopped(workers, databases, () => (stop.requested = true));
  try {
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    stopping.dispose();
    workers.close();
    await databases.close();
    await Promise.all(drops);
  }
  return results;
}

/** The exit codes of a process ended by these signals, as shells report them (128 + the signal's number). */
const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * While the run lasts, Ctrl-C (SIGINT) or SIGTERM kills the workers and drops every database the pool made (those
 * made ahead and those of the scenarios in flight) before the process exits with the signal's conventional code;
 * without this, Node's default exit left them on the server. A second signal while they drop exits at once. The
 * scenarios it cuts short are not written to the JSON lines, so that `--resume` runs them rather than counting them
 * as failures.
 */
function dropAllWhenStopped(workers: WorkerPool, databases: DatabasePool, onStop: () => void): { dispose(): void } {
  const handlers = Object.entries(STOP_SIGNALS).map(([signal, code]) => {
    const handler = () => {
      onStop();
      process.stderr.write(`\n${signal}: stopping the workers and dropping the run's databases…\n`);
      workers.killAll();
      void databases.dropAll().finally(() => process.exit(code));
    };
    process.once(signal, handler);
    return () => process.off(signal, handler);
  });
  return { dispose: () => handlers.forEach((off) => off()) };
}

async function runOne(
  scenario: PlannedScenario,
  databases: DatabasePool,
  options: RunOptions & { readonly shadows: boolean },
  index: number,
  workers: WorkerPool,
  drops: Promise<void>[],
): Promise<ScenarioResult> {
  const started = performance.now();
  const created: ThrowawayDatabase[] = [];
  const migrationsDir = path.join(options.scratchDir, 'migrations', String(index));
  const clock = new PhaseClock();
  // The time a scenario waits for its databases (made ahead, so little when the pool keeps up).
  const take = () =>
    clock.time('create databases', async () => {
      const database = await databases.take();
      created.push(database);
      return database;
    });
  let outcome: ScenarioResult;
  try {
    const agreement = await take();
    const roundTrip = options.roundTrip ? await take() : null;
    // The shadows of sync's verification and of rollback's guard, given to them so they need not create their own.
    const shadowDatabases = options.shadows && scenario.verify ? { sync: (await take()).location, rollback: (await take()).location } : null;
    const job: ScenarioJob = { ...scenario, agreementDatabase: agreement.location, roundTripDatabase: roundTrip?.location ?? null, shadowDatabases, migrationsDir };
    outcome = await inWorker(job, options.timeoutMs, workers);
  } catch (error) {
    outcome = harnessFailure(scenario, messageOf(error), started);
  }
  for (const database of created) drops.push(database.drop().catch(() => undefined));
  fs.rmSync(migrationsDir, { recursive: true, force: true });
  // The scenario's time as the runner saw it: the worker's own phases plus creating its databases (not the drops).
  return { ...outcome, ms: Math.round(performance.now() - started), phases: { ...clock.phases(), ...outcome.phases } };
}

function inWorker(job: ScenarioJob, timeoutMs: number, workers: WorkerPool): Promise<ScenarioResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const worker = workers.take();
    const child = worker.child;
    let settled = false;
    const settle = (outcome: ScenarioResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(harnessFailure(job, `timed out after ${Math.round(timeoutMs / 1000)} s`, started));
    }, timeoutMs);
    if (child.exitCode !== null || child.signalCode !== null) {
      settle(harnessFailure(job, `worker exited before its job (${child.signalCode ?? child.exitCode}) ${worker.stderr().trim().split('\n').slice(-3).join(' | ')}`, started));
      return;
    }
    child.on('message', (message) => settle(message as ScenarioResult));
    // 'close', not 'exit': a worker sends its result and exits at once, and 'exit' can arrive before the message
    // still in the IPC pipe (seen on a scenario TypeORM rejected in a second); 'close' comes after every message.
    child.on('close', (code, signal) => settle(harnessFailure(job, `worker exited (${signal ?? code}) ${worker.stderr().trim().split('\n').slice(-3).join(' | ')}`, started)));
    child.send(job);
  });
}

function harnessFailure(scenario: PlannedScenario, message: string, started: number): ScenarioResult {
  return {
    id: scenario.id,
    dialect: scenario.dialect,
    typeorm: { status: 'error', error: `harness: ${message}` },
    ours: [],
    roundTrip: null,
    ms: Math.round(performance.now() - started),
  };
}
