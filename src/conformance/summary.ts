import Table from 'cli-table3';
import { causeOfMessage } from './causes';
import type { LoadMode, ScenarioResult } from './scenario';

/** The counts of one dialect's run. */
export interface DialectSummary {
  readonly dialect: string;
  readonly scenarios: number;
  readonly harnessFailures: number;
  readonly typeormFails: number;
  readonly typeormUnclean: number;
  readonly noTables: number;
  /** Clean after TypeORM's own synchronize(), with at least one table: the scenarios our results are measured on. */
  readonly clean: number;
  readonly inSync: Readonly<Partial<Record<LoadMode, number>>>;
  /** Null when no round trips ran. */
  readonly roundTrips: number | null;
  readonly failures: readonly FailureGroup[];
}

/** Failures of one kind: how many scenarios, and one to look at. */
export interface FailureGroup {
  readonly where: string;
  readonly cause: string;
  readonly count: number;
  readonly example: string;
}

/** Counts the results per dialect. Our figures count only scenarios TypeORM itself leaves clean. */
export function summarize(results: readonly ScenarioResult[]): DialectSummary[] {
  const dialects = [...new Set(results.map((result) => result.dialect))];
  return dialects.map((dialect) => summarizeDialect(dialect, results.filter((result) => result.dialect === dialect)));
}

function summarizeDialect(dialect: string, results: readonly ScenarioResult[]): DialectSummary {
  const harness = results.filter((result) => result.typeorm.status === 'error' && result.typeorm.error.startsWith('harness: '));
  const clean = results.filter((result) => result.typeorm.status === 'clean' && result.typeorm.entities > 0);
  const groups = new Map<string, { where: string; cause: string; count: number; example: string }>();
  const count = (where: string, cause: string, example: string) => {
    const key = `${where}\0${cause}`;
    const group = groups.get(key) ?? { where, cause, count: 0, example };
    group.count++;
    groups.set(key, group);
  };
  const inSync: Partial<Record<LoadMode, number>> = {};
  let roundTrips: number | null = null;
  for (const result of clean) {
    for (const ours of result.ours) {
      inSync[ours.mode] = (inSync[ours.mode] ?? 0) + (ours.status === 'in-sync' ? 1 : 0);
      if (ours.status === 'error') count(`ours (${ours.mode})`, `error: ${causeOfMessage(ours.error)}`, result.id);
      if (ours.status === 'changes') for (const cause of new Set(ours.changes.map((change) => change.cause))) count(`ours (${ours.mode})`, cause, result.id);
    }
    if (result.roundTrip !== null) {
      roundTrips = (roundTrips ?? 0) + (result.roundTrip.status === 'clean' ? 1 : 0);
      if (result.roundTrip.status === 'failed') {
        const failure = result.roundTrip;
        // Regrouped from the detail, so files written by an older runner group as today's do.
        count('round trip', failure.stage === 'our-diff' ? failure.cause : `${failure.stage}: ${causeOfMessage(failure.detail)}`, result.id);
      }
    }
  }
  for (const result of harness) if (result.typeorm.status === 'error') count('harness', causeOfMessage(result.typeorm.error), result.id);
  return {
    dialect,
    scenarios: results.length,
    harnessFailures: harness.length,
    typeormFails: results.filter((result) => result.typeorm.status === 'error').length - harness.length,
    typeormUnclean: results.filter((result) => result.typeorm.status === 'unclean').length,
    noTables: results.filter((result) => result.typeorm.status === 'clean' && result.typeorm.entities === 0).length,
    clean: clean.length,
    inSync,
    roundTrips,
    failures: [...groups.values()].sort((a, b) => b.count - a.count || a.where.localeCompare(b.where)),
  };
}

/** The counts as a table, one column per dialect. */
export function renderSummaryTable(summaries: readonly DialectSummary[]): string {
  const table = new Table({ head: ['', ...summaries.map((summary) => summary.dialect)], style: { head: [], border: [] } });
  const share = (part: number | undefined, whole: number) => (part === undefined ? '—' : `${part}${whole > 0 ? ` (${((part / whole) * 100).toFixed(1)}%)` : ''}`);
  const modes = [...new Set(summaries.flatMap((summary) => Object.keys(summary.inSync) as LoadMode[]))];
  table.push(
    ['scenarios', ...summaries.map((summary) => String(summary.scenarios))],
    ['TypeORM cannot build them', ...summaries.map((summary) => String(summary.typeormFails))],
    ["TypeORM's own log() not empty after its synchronize()", ...summaries.map((summary) => String(summary.typeormUnclean))],
    ['no tables', ...summaries.map((summary) => String(summary.noTables))],
    ['clean (≥ 1 table): measured', ...summaries.map((summary) => String(summary.clean))],
    ...modes.map((mode) => [`our diff empty (${mode === 'ts' ? '.ts as users load them' : 'tsc build'})`, ...summaries.map((summary) => share(summary.inSync[mode], summary.clean))]),
    ['round trip clean', ...summaries.map((summary) => (summary.roundTrips === null ? '—' : share(summary.roundTrips, summary.clean)))],
    ['harness failures (timeouts, crashes)', ...summaries.map((summary) => String(summary.harnessFailures))],
  );
  return table.toString();
}

/** The failures grouped by cause, with one example each. */
export function renderFailureTable(summaries: readonly DialectSummary[], limit = 40): string {
  const table = new Table({ head: ['database', 'where', 'cause', 'scenarios', 'example'], style: { head: [], border: [] }, wordWrap: true, colWidths: [10, 14, 60, 10, 40] });
  for (const summary of summaries) {
    for (const group of summary.failures.slice(0, limit)) table.push([summary.dialect, group.where, group.cause, String(group.count), group.example]);
  }
  return table.toString();
}

/** Where the scenarios' time went: each phase's total over the results that measured phases, and its share. */
export function summarizePhases(results: readonly ScenarioResult[]): { phase: string; totalMs: number; scenarios: number }[] {
  const totals = new Map<string, { totalMs: number; scenarios: number }>();
  for (const result of results) {
    if (result.phases === undefined) continue;
    const measured = Object.values(result.phases).reduce((sum, ms) => sum + ms, 0);
    // The rest of the scenario's time: forking the worker, IPC, what no phase covers.
    for (const [phase, ms] of [...Object.entries(result.phases), ['other', Math.max(0, result.ms - measured)] as const]) {
      const total = totals.get(phase) ?? { totalMs: 0, scenarios: 0 };
      total.totalMs += ms;
      total.scenarios++;
      totals.set(phase, total);
    }
  }
  return [...totals.entries()].map(([phase, total]) => ({ phase, ...total })).sort((a, b) => b.totalMs - a.totalMs);
}

/** The phase totals as a table, largest first. */
export function renderPhaseTable(results: readonly ScenarioResult[]): string {
  const phases = summarizePhases(results);
  const whole = phases.reduce((sum, phase) => sum + phase.totalMs, 0);
  const table = new Table({ head: ['phase', 'scenarios', 'total s', 'share', 'mean s'], style: { head: [], border: [] } });
  for (const phase of phases) {
    table.push([phase.phase, String(phase.scenarios), (phase.totalMs / 1000).toFixed(0), `${((phase.totalMs / whole) * 100).toFixed(1)}%`, (phase.totalMs / phase.scenarios / 1000).toFixed(2)]);
  }
  return table.toString();
}
