import type { DatabaseClient } from '../../src/connect/client';

/** One write of a writer loop: when it started (performance.now()) and how long it took. */
export interface TimedWrite {
  readonly at: number;
  readonly ms: number;
}

/**
 * A writer on its own connection: runs `statement(i)` for i = 0, 1, 2 … until stopped, timing each. Bounded: a stuck
 * migration ends the test by its timeout, never an endless writer.
 */
export function startWriter(client: DatabaseClient, statement: (i: number) => string): { stop(): Promise<{ statements: number; waits: TimedWrite[] }> } {
  let stopped = false;
  const waits: TimedWrite[] = [];
  const loop = (async () => {
    for (let i = 0; i < 1_000_000 && !stopped; i++) {
      const started = performance.now();
      await client.execute(statement(i));
      waits.push({ at: started, ms: performance.now() - started });
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { statements: waits.length, waits };
    },
  };
}

/** The writes that overlapped [started, ended], and the slowest of them in ms (0 when none). */
export function writesDuring(waits: readonly TimedWrite[], started: number, ended: number): { count: number; slowest: number } {
  const during = waits.filter((w) => w.at + w.ms >= started && w.at <= ended);
  return { count: during.length, slowest: during.length === 0 ? 0 : Math.max(...during.map((w) => w.ms)) };
}
