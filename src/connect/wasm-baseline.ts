import * as v8 from 'node:v8';

/**
 * Keeps the process's WebAssembly on V8's baseline compiler (Liftoff), for PGlite. By default V8 recompiles every hot
 * function with its optimising compiler (TurboFan) on background threads: for PostgreSQL's 9 MB of code that is 2-3 s
 * of CPU at start-up, which a run of a few hundred statements never earns back. Measured (npm run bench:pglite):
 * opening the embedded database takes a third of the CPU, and 300 tables' DDL, three introspections and 1,500 inserts
 * no more. The flag is process-wide and read when a module is compiled, so the processes we own set it first thing
 * (the CLI, the conformance workers), never the library on its caller's behalf. A process started with
 * `node --liftoff-only` or `node --no-liftoff-only` keeps its choice (Node refuses both in NODE_OPTIONS).
 */
export function compileWasmBaselineOnly(): void {
  if (process.execArgv.some((flag) => /^--(no-)?liftoff-only$/.test(flag))) return;
  v8.setFlagsFromString('--liftoff-only');
}
