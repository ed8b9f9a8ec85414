import type { ModelSource } from '../source/typeorm/load-models';
import type { ModuleRedirects } from './module-redirects';
import type { DatabaseLocation, MeasuredDialect } from './throwaway-database';

/** How our loader is given the models: the `.ts` files as users run the CLI, or the project's tsc build. */
export type LoadMode = 'ts' | 'js';

/** Where TypeORM's side takes its entities from: compiled entity files (or globs), or the compiled DataSource file. */
export type TypeormEntities =
  | { readonly kind: 'entities'; readonly entities: readonly string[] }
  | { readonly kind: 'data-source'; readonly file: string };

/** Everything one scenario worker needs; plain data, sent to the worker process. */
export interface ScenarioJob {
  readonly id: string;
  readonly dialect: MeasuredDialect;
  /** The project directory our loader is given (it resolves `typeorm` and keeps its cache there). */
  readonly projectDir: string;
  /** Our loads to compare with the database TypeORM built; the first one also runs the round trip. */
  readonly ours: readonly { readonly mode: LoadMode; readonly source: ModelSource }[];
  readonly typeorm: TypeormEntities;
  /** The reference TypeORM's main file, whose DataSource runs synchronize() and log(). */
  readonly typeormMain: string;
  readonly redirects: ModuleRedirects;
  readonly agreementDatabase: DatabaseLocation;
  /** Null: no round trip. */
  readonly roundTripDatabase: DatabaseLocation | null;
  /**
   * Empty databases made ahead for the round trip's sync verification and rollback guard, given to them as their
   * shadows (see givenShadow); null: they create their own, as the CLI does.
   */
  readonly shadowDatabases: { readonly sync: DatabaseLocation; readonly rollback: DatabaseLocation } | null;
  /** An empty folder for the round trip's migration files. */
  readonly migrationsDir: string;
  /** Round-trip verification of each generated file in a shadow database, as `sync` does by default. */
  readonly verify: boolean;
  /**
   * The round trip runs even when TypeORM cannot build or synchronize the project, or leaves it unclean (the corpus
   * runner: a user's project is measured whatever TypeORM makes of it); TypeORM's log() is then not consulted.
   */
  readonly roundTripWhateverTypeorm?: boolean;
}

/** What TypeORM made of the scenario on a fresh database. */
export type TypeormOutcome =
  | { readonly status: 'clean'; readonly entities: number }
  /** TypeORM's own schema builder wants more changes after its own synchronize(): TypeORM's bug, counted apart. */
  | { readonly status: 'unclean'; readonly entities: number; readonly pending: readonly string[] }
  | { readonly status: 'error'; readonly error: string };

/** What our diff said about the database TypeORM built. */
export type OurOutcome =
  | { readonly mode: LoadMode; readonly status: 'in-sync'; readonly tables?: number }
  | { readonly mode: LoadMode; readonly status: 'changes'; readonly changes: readonly ReportedDifference[]; readonly tables?: number }
  | { readonly mode: LoadMode; readonly status: 'error'; readonly error: string };

/** One change our diff reported, with the cause it is grouped under. */
export interface ReportedDifference {
  readonly cause: string;
  readonly detail: string;
}

/** The stages of a round trip, in order. */
export type RoundTripStage = 'sync' | 'apply' | 'our-diff' | 'typeorm-log' | 'rollback' | 'leftover';

/** The round trip's verdict: clean, or the first stage that failed and why. */
export type RoundTripOutcome =
  /**
   * typeormLog: TypeORM's log() after the apply: empty, the same statements TypeORM leaves after its own synchronize(),
   * or not consulted (TypeORM cannot build or synchronize the project).
   */
  | { readonly status: 'clean'; readonly statements: number; readonly typeormLog?: 'empty' | 'as after its synchronize()' | 'not consulted'; readonly tables?: number }
  | { readonly status: 'failed'; readonly stage: RoundTripStage; readonly cause: string; readonly detail: string };

/** One line of the JSON-lines output. */
export interface ScenarioResult {
  readonly id: string;
  readonly dialect: MeasuredDialect;
  readonly typeorm: TypeormOutcome;
  readonly ours: readonly OurOutcome[];
  readonly roundTrip: RoundTripOutcome | null;
  readonly ms: number;
  /** Milliseconds per phase (database set-up, TypeORM's side, our diff, each round-trip stage), where measured. */
  readonly phases?: Readonly<Record<string, number>>;
  /**
   * CPU milliseconds (user and system) the scenario's worker process spent from its start to its result, preparing
   * ahead included: unlike `ms`, barely moved by how busy the machine is.
   */
  readonly cpuMs?: number;
}
