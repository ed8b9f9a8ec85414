import type { FloorSample } from './measure-floor';
import type { OursSample } from './measure-ours';
import type { SyncSample } from './measure-sync';
import type { TypeormSample } from './measure-typeorm';
import type { BenchDialect } from './options';
import { maximum, median } from './stats';

/** The two databases every size is measured on. */
export type Scenario = 'in-sync' | 'empty';

/** Every sample of one (dialect, size, scenario). */
export interface CaseSamples {
  readonly dialect: BenchDialect;
  readonly tables: number;
  readonly scenario: Scenario;
  readonly ours: OursSample[];
  readonly typeorm: TypeormSample[];
  readonly floor: FloorSample[];
  /** `sync` writing the migration: on the empty database only, and only with --sync-runs. */
  readonly sync: SyncSample[];
}

/** The medians of one case (peak memory and query counts: the maximum) and the ratios between them. */
export interface CaseSummary {
  readonly dialect: BenchDialect;
  readonly tables: number;
  readonly scenario: Scenario;
  readonly runs: number;
  readonly ours: {
    readonly wallMs: number;
    readonly loadModelsMs: number;
    readonly introspectMs: number;
    readonly diffMs: number;
    /** Median of the per-run sums, not the sum of the medians. */
    readonly introspectDiffMs: number;
    readonly catalogQueries: number;
    readonly peakRssMb: number;
    readonly changes: number;
  };
  readonly typeorm: {
    readonly wallMs: number;
    readonly loadFilesMs: number;
    readonly initializeMs: number;
    readonly logMs: number;
    readonly initAndLogMs: number;
    readonly logQueries: number;
    readonly initializeQueries: number;
    readonly pendingStatements: number;
    readonly peakRssMb: number;
  };
  readonly floor: { readonly ms: number; readonly queries: number };
  /** `sync` (writing the migration) with and without its shadow-database verification; null when not measured. */
  readonly sync: {
    readonly runs: number;
    readonly verifiedWallMs: number;
    readonly verifiedCpuMs: number;
    readonly noVerifyWallMs: number;
    readonly noVerifyCpuMs: number;
    readonly peakRssMb: number;
    readonly changes: number;
    readonly fileMb: number;
  } | null;
  /** TypeORM's end-to-end wall time over ours (both children, spawn to exit): how many times faster we are. */
  readonly endToEndSpeedup: number;
  /** TypeORM's log() over our introspection + diff. */
  readonly introspectDiffSpeedup: number;
  /** Our introspection over the bare catalog queries: the overhead of turning rows into the model. */
  readonly introspectOverFloor: number;
}

const mb = (kb: number): number => kb / 1024;

/** Reduces a case's samples to medians and ratios. */
export function summarize(samples: CaseSamples): CaseSummary {
  const { ours, typeorm, floor } = samples;
  const pick = <T>(items: readonly T[], get: (item: T) => number): number => median(items.map(get));
  const oursSummary = {
    wallMs: pick(ours, (s) => s.wallMs),
    loadModelsMs: pick(ours, (s) => s.loadModelsMs),
    introspectMs: pick(ours, (s) => s.introspectMs),
    diffMs: pick(ours, (s) => s.diffMs),
    introspectDiffMs: pick(ours, (s) => s.introspectMs + s.diffMs),
    catalogQueries: maximum(ours.map((s) => s.catalogQueries)),
    peakRssMb: mb(maximum(ours.map((s) => s.maxRssKb))),
    changes: maximum(ours.map((s) => s.changes)),
  };
  const typeormSummary = {
    wallMs: pick(typeorm, (s) => s.wallMs),
    loadFilesMs: pick(typeorm, (s) => s.loadFilesMs),
    initializeMs: pick(typeorm, (s) => s.initializeMs),
    logMs: pick(typeorm, (s) => s.schemaBuilderMs),
    initAndLogMs: pick(typeorm, (s) => s.initAndLogMs),
    logQueries: maximum(typeorm.map((s) => s.schemaBuilderQueries)),
    initializeQueries: maximum(typeorm.map((s) => s.initializeQueries)),
    pendingStatements: maximum(typeorm.map((s) => s.pendingStatements)),
    peakRssMb: mb(maximum(typeorm.map((s) => s.maxRssKb))),
  };
  const floorSummary = { ms: pick(floor, (s) => s.ms), queries: maximum(floor.map((s) => s.queries)) };
  const verified = samples.sync.filter((s) => s.verify);
  const unverified = samples.sync.filter((s) => !s.verify);
  const syncSummary =
    samples.sync.length === 0
      ? null
      : {
          runs: verified.length,
          verifiedWallMs: pick(verified, (s) => s.wallMs),
          verifiedCpuMs: pick(verified, (s) => s.cpuMs),
          noVerifyWallMs: pick(unverified, (s) => s.wallMs),
          noVerifyCpuMs: pick(unverified, (s) => s.cpuMs),
          peakRssMb: mb(maximum(samples.sync.map((s) => s.maxRssKb))),
          changes: maximum(samples.sync.map((s) => s.changes)),
          fileMb: maximum(samples.sync.map((s) => s.fileBytes)) / 2 ** 20,
        };
  return {
    dialect: samples.dialect,
    tables: samples.tables,
    scenario: samples.scenario,
    runs: ours.length,
    ours: oursSummary,
    typeorm: typeormSummary,
    floor: floorSummary,
    sync: syncSummary,
    endToEndSpeedup: typeormSummary.wallMs / oursSummary.wallMs,
    introspectDiffSpeedup: typeormSummary.logMs / oursSummary.introspectDiffMs,
    introspectOverFloor: oursSummary.introspectMs / floorSummary.ms,
  };
}
