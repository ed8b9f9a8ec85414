import type { BenchDialect } from './options';
import type { CaseSummary } from './summarize';

/** One target of the issue, judged on the measured numbers. */
export interface TargetResult {
  readonly target: string;
  readonly dialect: BenchDialect | 'all';
  readonly status: 'met' | 'not met' | 'not measured' | 'n/a';
  readonly detail: string;
}

/** The size the issue states most targets at. */
const TARGET_TABLES = 1000;
/** The size the memory target is stated at. */
const MEMORY_TABLES = 2000;
const MEMORY_LIMIT_MB = 250;
const SYNC_LIMIT_MS = 5000;
/** Doubling the tables may cost at most this factor to count as "close to linear" (2× plus 20 %). */
const LINEAR_LIMIT = 2.4;
const SPEEDUP_TARGET: Record<BenchDialect, number> = { postgres: 20, mariadb: 10 };

const fmt = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const seconds = (ms: number): string => `${fmt(ms / 1000, 2)} s`;

/** Judges every target for every measured dialect. Targets are read on the in-sync database, as the issue states them. */
export function evaluateTargets(summaries: readonly CaseSummary[], dialects: readonly BenchDialect[]): TargetResult[] {
  const results: TargetResult[] = [];
  for (const dialect of dialects) {
    const inSync = summaries.filter((s) => s.dialect === dialect && s.scenario === 'in-sync');
    const at = (tables: number): CaseSummary | undefined => inSync.find((s) => s.tables === tables);
    results.push(
      speedupTarget(dialect, at(TARGET_TABLES)),
      floorTarget(dialect, at(TARGET_TABLES)),
      queriesTarget(dialect, summaries.filter((s) => s.dialect === dialect)),
      endToEndTarget(dialect, at(TARGET_TABLES)),
      memoryTarget(dialect, summaries.filter((s) => s.dialect === dialect && s.tables === MEMORY_TABLES)),
      growthTarget(dialect, at(TARGET_TABLES), at(MEMORY_TABLES)),
    );
  }
  for (const dialect of dialects) {
    results.push(syncTarget(dialect, summaries.find((s) => s.dialect === dialect && s.scenario === 'empty' && s.tables === TARGET_TABLES)));
  }
  return results;
}

const notMeasured = (target: string, dialect: BenchDialect, what: string): TargetResult => ({ target, dialect, status: 'not measured', detail: `needs ${what}` });
const judge = (ok: boolean): TargetResult['status'] => (ok ? 'met' : 'not met');

function speedupTarget(dialect: BenchDialect, s: CaseSummary | undefined): TargetResult {
  const goal = SPEEDUP_TARGET[dialect];
  const target = `introspection + diff ≥ ${goal}× faster than TypeORM's log() at 1,000 tables`;
  if (s === undefined) return notMeasured(target, dialect, '--tables 1000');
  return {
    target,
    dialect,
    status: judge(s.introspectDiffSpeedup >= goal),
    detail: `${fmt(s.introspectDiffSpeedup)}× (${seconds(s.ours.introspectDiffMs)} vs ${seconds(s.typeorm.logMs)})`,
  };
}

function floorTarget(dialect: BenchDialect, s: CaseSummary | undefined): TargetResult {
  const target = 'introspection within 1.5× of the raw catalog queries at 1,000 tables';
  if (s === undefined) return notMeasured(target, dialect, '--tables 1000');
  return {
    target,
    dialect,
    status: judge(s.introspectOverFloor <= 1.5),
    detail: `${fmt(s.introspectOverFloor, 2)}× (${fmt(s.ours.introspectMs, 0)} ms vs ${fmt(s.floor.ms, 0)} ms)`,
  };
}

function queriesTarget(dialect: BenchDialect, all: readonly CaseSummary[]): TargetResult {
  const target = 'catalog queries do not grow with the table count';
  const sizes = new Set(all.map((s) => s.tables));
  if (sizes.size < 2) return notMeasured(target, dialect, 'two or more --tables sizes');
  const counts = [...new Set(all.map((s) => s.ours.catalogQueries))];
  const typeorm = all
    .filter((s) => s.scenario === 'in-sync')
    .map((s) => `${s.tables}: ${s.typeorm.logQueries}`)
    .join(', ');
  return {
    target,
    dialect,
    status: judge(counts.length === 1),
    detail: `ours ${counts.join(' / ')} at ${[...sizes].join(', ')} tables (TypeORM log(): ${typeorm})`,
  };
}

function endToEndTarget(dialect: BenchDialect, s: CaseSummary | undefined): TargetResult {
  const target = 'sync --diff end to end ≥ 3× faster than TypeORM init + log() at 1,000 tables';
  if (s === undefined) return notMeasured(target, dialect, '--tables 1000');
  return {
    target,
    dialect,
    status: judge(s.endToEndSpeedup >= 3),
    detail: `${fmt(s.endToEndSpeedup)}× (${seconds(s.ours.wallMs)} vs ${seconds(s.typeorm.wallMs)})`,
  };
}

/** Read on the empty database, where the whole schema is to be created: the first migration of a project. */
function syncTarget(dialect: BenchDialect, s: CaseSummary | undefined): TargetResult {
  const target = `sync writes a 1,000-table migration (verified) in under ${SYNC_LIMIT_MS / 1000} s`;
  if (s === undefined || s.sync === null) return notMeasured(target, dialect, '--tables 1000 with the empty database and --sync-runs ≥ 1');
  return {
    target,
    dialect,
    status: judge(s.sync.verifiedWallMs < SYNC_LIMIT_MS),
    detail: `${seconds(s.sync.verifiedWallMs)} verified, ${seconds(s.sync.noVerifyWallMs)} with --no-verify (${s.sync.changes} changes)`,
  };
}

function memoryTarget(dialect: BenchDialect, atSize: readonly CaseSummary[]): TargetResult {
  const target = `peak memory under ${MEMORY_LIMIT_MB} MB at 2,000 tables`;
  if (atSize.length === 0) return notMeasured(target, dialect, '--tables 2000');
  const peak = Math.max(...atSize.map((s) => s.ours.peakRssMb));
  return { target, dialect, status: judge(peak < MEMORY_LIMIT_MB), detail: `${fmt(peak, 0)} MB (max RSS over all runs)` };
}

function growthTarget(dialect: BenchDialect, small: CaseSummary | undefined, large: CaseSummary | undefined): TargetResult {
  const target = 'growth from 1,000 to 2,000 tables close to linear (≤ 2.4× for 2× the tables)';
  if (small === undefined || large === undefined) return notMeasured(target, dialect, '--tables 1000,2000');
  const introspectDiff = large.ours.introspectDiffMs / small.ours.introspectDiffMs;
  const endToEnd = large.ours.wallMs / small.ours.wallMs;
  const memory = large.ours.peakRssMb / small.ours.peakRssMb;
  return {
    target,
    dialect,
    status: judge(introspectDiff <= LINEAR_LIMIT && endToEnd <= LINEAR_LIMIT),
    detail: `introspect+diff ${fmt(introspectDiff, 2)}×, end to end ${fmt(endToEnd, 2)}×, peak memory ${fmt(memory, 2)}×`,
  };
}
