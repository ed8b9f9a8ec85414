import * as os from 'node:os';
import * as path from 'node:path';
import type { ScenarioResult } from './scenario';
import { renderFailureTable, renderPhaseTable, renderSummaryTable, summarize } from './summary';

/** One progress line per finished scenario, on stderr so that stdout holds only the tables. */
export function progressLine(result: ScenarioResult, done: number, total: number): void {
  const ours = result.ours.map((outcome) => `${outcome.mode}:${outcome.status}`).join(' ');
  const roundTrip = result.roundTrip === null ? '' : ` round-trip:${result.roundTrip.status === 'clean' ? 'clean' : result.roundTrip.stage}`;
  process.stderr.write(`[${done}/${total}] ${result.dialect} ${result.id}: typeorm:${result.typeorm.status} ${ours}${roundTrip} (${(result.ms / 1000).toFixed(1)} s)\n`);
}

/** Prints the summary and failure tables and where the JSON lines are. */
export function printRun(results: readonly ScenarioResult[], jsonLines: string | null, wallMs: number, jobs: number): void {
  const summaries = summarize(results);
  const lines = [
    renderSummaryTable(summaries),
    summaries.some((summary) => summary.failures.length > 0) ? `\nFailures by cause (one example each):\n${renderFailureTable(summaries)}` : '\nNo failures.',
    results.some((result) => result.phases !== undefined) ? `\nWhere the scenarios' time went (summed over scenarios):\n${renderPhaseTable(results)}` : '',
    jsonLines === null ? `\n${results.length} scenario run(s), ${(results.reduce((sum, result) => sum + result.ms, 0) / 1000).toFixed(0)} s of scenario time.` : `\n${results.length} scenario run(s) in ${(wallMs / 1000).toFixed(0)} s wall time, ${jobs} at a time, on ${os.cpus().length} core(s).`,
    cpuLine(results),
    jsonLines === null ? '' : `One JSON line per scenario: ${path.resolve(jsonLines)}`,
  ];
  process.stdout.write(`${lines.filter((line) => line !== '').join('\n')}\n`);
}

/** The JSON lines file the runner writes when not told where: the system's temporary folder. */
export function defaultJsonLines(name: string): string {
  return path.join(os.tmpdir(), `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
}

/** The worker CPU time per scenario (load-independent, unlike wall time), where the results have it. */
function cpuLine(results: readonly ScenarioResult[]): string {
  const measured = results.flatMap((result) => (result.cpuMs === undefined ? [] : [result.cpuMs]));
  if (measured.length === 0) return '';
  const mean = measured.reduce((sum, ms) => sum + ms, 0) / measured.length / 1000;
  return `Worker CPU (user + system) per scenario: ${mean.toFixed(1)} s mean over ${measured.length}, preparation ahead of the job included.`;
}
