import type { CaseSummary } from './summarize';
import type { TargetResult } from './targets';

/** Milliseconds as a short human figure: `840 ms`, `2.31 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

/** A ratio as printed in the tables; the smoke test reads these cells back, so keep the `×` suffix. */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(ratio >= 10 ? 1 : 2)}×` : 'n/a';
}

const mb = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(0)} MB` : 'n/a');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Headers of the time table; exported so the smoke test can find the ratio columns by name. */
export const TIME_HEADER = [
  'dialect',
  'tables',
  'database',
  'ours sync --diff',
  'TypeORM init + log()',
  'TypeORM ÷ ours',
  'ours introspect + diff',
  'TypeORM log()',
  'log() ÷ ours',
  'ours introspect',
  'floor (raw catalog SQL)',
  'ours ÷ floor',
] as const;

/** The wall-time comparison: end to end, introspection + diff against log(), introspection against the floor. */
export function renderTimeTable(summaries: readonly CaseSummary[]): string {
  return table(
    TIME_HEADER,
    summaries.map((s) => [
      s.dialect,
      String(s.tables),
      s.scenario,
      formatMs(s.ours.wallMs),
      formatMs(s.typeorm.wallMs),
      formatRatio(s.endToEndSpeedup),
      formatMs(s.ours.introspectDiffMs),
      formatMs(s.typeorm.logMs),
      formatRatio(s.introspectDiffSpeedup),
      formatMs(s.ours.introspectMs),
      formatMs(s.floor.ms),
      formatRatio(s.introspectOverFloor),
    ]),
  );
}

/** Where the time goes inside each tool, how many statements each sends, and how much memory each needs. */
export function renderStageTable(summaries: readonly CaseSummary[]): string {
  return table(
    [
      'dialect',
      'tables',
      'database',
      'ours: load models',
      'introspect',
      'diff',
      'catalog queries',
      'peak RSS',
      'TypeORM: load files',
      'initialize()',
      'log()',
      'queries (init + log())',
      'pending SQL',
      'peak RSS',
    ],
    summaries.map((s) => [
      s.dialect,
      String(s.tables),
      s.scenario,
      formatMs(s.ours.loadModelsMs),
      formatMs(s.ours.introspectMs),
      formatMs(s.ours.diffMs),
      String(s.ours.catalogQueries),
      mb(s.ours.peakRssMb),
      formatMs(s.typeorm.loadFilesMs),
      formatMs(s.typeorm.initializeMs),
      formatMs(s.typeorm.logMs),
      `${s.typeorm.initializeQueries} + ${s.typeorm.logQueries}`,
      String(s.typeorm.pendingStatements),
      mb(s.typeorm.peakRssMb),
    ]),
  );
}

/**
 * `sync` writing the migration for the empty database, against TypeORM's `migration:generate` path (init + `log()`)
 * on the same database, which computes the same CREATE script but writes nothing and verifies nothing.
 */
export function renderSyncTable(summaries: readonly CaseSummary[]): string {
  const measured = summaries.filter((s) => s.sync !== null);
  return table(
    ['dialect', 'tables', 'ours sync (verified)', 'CPU', 'ours sync --no-verify', 'CPU', 'TypeORM init + log()', 'TypeORM ÷ ours sync', 'changes', 'file', 'peak RSS'],
    measured.map((s) => [
      s.dialect,
      String(s.tables),
      formatMs(s.sync!.verifiedWallMs),
      formatMs(s.sync!.verifiedCpuMs),
      formatMs(s.sync!.noVerifyWallMs),
      formatMs(s.sync!.noVerifyCpuMs),
      formatMs(s.typeorm.wallMs),
      formatRatio(s.typeorm.wallMs / s.sync!.verifiedWallMs),
      String(s.sync!.changes),
      `${s.sync!.fileMb.toFixed(1)} MB`,
      mb(s.sync!.peakRssMb),
    ]),
  );
}

/** The targets as a table with met / not met and the numbers behind each verdict. */
export function renderTargets(targets: readonly TargetResult[]): string {
  return table(
    ['target', 'dialect', 'result', 'measured'],
    targets.map((t) => [t.target, t.dialect, t.status, t.detail]),
  );
}
