import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FillHint } from '../change/column-fill';
import type { DatabaseClient } from '../connect/client';
import { sqlDialectFor } from '../dialect/sql-dialects';
import type { RenameSuggestion } from '../diff/renames';
import type { TableGlob } from '../diff/table-glob';
import { emitMigrationFile } from '../migrations/emit';
import { migrationPath, resolveRelease } from '../migrations/directory';
import { slugForChanges } from '../migrations/slug';
import { planMigration, type Plan } from '../plan/plan';
import type { RenameHint } from '../plan/renames';
import { label, renderPlan, type OnlineTarget } from '../plan/render-plan';
import type { SqlDialect } from '../dialect/sql-dialect';
import type { ModelSource } from '../source/typeorm/load-models';
import { SchemaSyncError } from '../util/errors';
import { toolVersion } from '../util/version';
import { openShadow } from '../verify/shadow';
import { openStandIns, qualifiersOf, refuseNamingDatabases } from '../verify/other-databases';
import { renameSchemas, renamedKey } from '../model/rename-schemas';
import { verifyRoundTrip, type RoundTripInput } from '../verify/round-trip';
import { tablesWithRows } from '../verify/seed-rows';
import { computeDiff } from './compute-diff';
import type { DeclaredIndex } from '../source/declared-indexes';
import { runDataChecks } from './run-data-checks';
import { counted } from '../util/plural';
import { costAgainstLive } from '../dialect/lock-impacts';
import { ONLINE_BY_DEFAULT } from '../plan/online';
import { costSummary, formatBytes, formatCost, type CostSummary } from '../report/format-cost';
import { parseServerVersion } from '../dialect/lock-impact';
import type { Change } from '../change/change';
import { needsFill } from '../change/column-fill';
import type { Phase, PhaseTag } from '../plan/phase';
import { classifyChanges } from '../plan/phase';
import { splitPlanByPhase } from '../plan/phase-split';
import type { Schema } from '../model/schema';
import { tableKey } from '../model/schema';

/** Options of `schema-sync sync`. */
export interface GenerateOptions {
  readonly projectDir: string;
  readonly source: ModelSource;
  /** Root of the release folders (absolute). */
  readonly migrationsDir: string;
  readonly release?: string;
  readonly name?: string;
  readonly allowDrop: boolean;
  /** `--reorder-primary-keys`: include primary keys that differ only in column order. */
  readonly reorderPrimaryKeys?: boolean;
  readonly force: boolean;
  readonly renames: readonly RenameHint[];
  /** `--fill table.column=value`: existing rows' value for a NOT NULL column added without a default. */
  readonly fills?: readonly FillHint[];
  /** Tables to leave alone (schema-sync.json "ignore", --ignore). */
  readonly ignore?: readonly TableGlob[];
  /** Indexes declared in schema-sync.json. */
  readonly indexes?: readonly DeclaredIndex[];
  readonly verify: boolean;
  /** The live database URL (unmasked), for a MySQL shadow database on the same server. */
  readonly liveUrl?: string;
  readonly shadowUrl?: string;
  /**
   * Library use: an empty database the caller made for this one verification, used instead of a temporary one this
   * would create and drop (see givenShadow; the conformance runner makes them ahead of need). The CLI never sets it.
   */
  readonly shadowDatabase?: string;
  readonly dryRun: boolean;
  /** `--offline`: the plain forms of DDL, without explicit algorithms or other online forms. */
  readonly offline?: boolean;
  /** `--single-phase`: one file for the whole release (deploys with downtime); else expand and contract files. */
  readonly singlePhase?: boolean;
  /** `--sync-trigger`: a phased rename keeps both columns in step with a trigger during the rollout. */
  readonly syncTrigger?: boolean;
  readonly now?: Date;
}

/** One file `sync` writes: an expand or contract phase, or (with --single-phase) the whole release. */
export interface GeneratedFile {
  readonly file: string;
  readonly content: string;
  /** The phase the file declares; null for a single-phase file that mixes both. */
  readonly phase: Phase | null;
}

/** What `sync` did or would do. */
export interface GenerateResult {
  /** The first file written (or, with --dry-run, that would be written); null when in sync. */
  readonly file: string | null;
  readonly content: string | null;
  /** Every file, in apply order (expand, then contract). */
  readonly files: readonly GeneratedFile[];
  readonly changes: readonly string[];
  /** The deploy phase of each change in `changes`, with its reason. */
  readonly phases: readonly PhaseTag[];
  /** The lock, rewrite and table size of each change in `changes`, in the same order. */
  readonly costs: readonly CostSummary[];
  /** Guarded changes held back, each with what it would destroy. */
  readonly guarded: readonly string[];
  /** Primary keys that differ only in column order, left out without --reorder-primary-keys. */
  readonly reorders: readonly string[];
  readonly warnings: readonly string[];
  readonly suggestions: readonly RenameSuggestion[];
  readonly verified: boolean;
  readonly plan: Plan;
}

/**
 * Generates one migration: diff, plan (renames, guards), data checks on the live database, SQL, round-trip
 * verification in a shadow database, then the file. Nothing is written unless every check passed.
 */
export async function generateMigration(client: DatabaseClient, options: GenerateOptions): Promise<GenerateResult> {
  const outcome = await computeDiff(client, { projectDir: options.projectDir, source: options.source, ignore: options.ignore ?? [], indexes: options.indexes ?? [] });
  const plan = planMigration(outcome.actual, outcome.desired, {
    allowDrop: options.allowDrop,
    renames: options.renames,
    reorderPrimaryKeys: options.reorderPrimaryKeys === true,
    fills: options.fills ?? [],
  });
  const parts = phaseParts(plan, outcome.actual, options);
  const written = parts.flatMap((part) => part.plan.forward);
  const costs = costAgainstLive(written, outcome, ONLINE_BY_DEFAULT && options.offline !== true).map(costSummary);
  const phases = parts.flatMap((part) => part.tags);
  const base = { changes: written.map(label), phases, costs, reorders: plan.reorders.map(label), suggestions: plan.likelyRenames, plan };

  const heldChecks = await runDataChecks(client, plan.held, outcome.actual);
  const guarded = plan.held.map((change) => {
    const found = heldChecks.filter((result) => result.check.change === change).map((result) => result.message);
    return found.length > 0 ? found.join('; ') : `${label(change)} (no data affected now)`;
  });
  if (plan.forward.length === 0) return { ...base, file: null, content: null, files: [], guarded, warnings: [], verified: false };

  const refused = options.allowDrop && !options.force ? plan.likelyRenames : [];
  const forwardChecks = await runDataChecks(client, plan.forward, outcome.actual);
  const blocking = forwardChecks.filter((result) => result.check.severity === 'blocks');
  if ((blocking.length > 0 || refused.length > 0) && !options.force) {
    const lines = [
      ...refused.map((s) => `dropping ${s.table.name}.${s.from} looks like a rename to ${s.to}: add ${s.hint} (or --force to drop it and lose its data)`),
      ...blocking.map((result) => result.message),
    ];
    throw new SchemaSyncError('UNSAFE_CHANGE', `No migration written:\n${lines.map((line) => `  - ${line}`).join('\n')}\n(--force writes it anyway)`);
  }
  const sql = sqlDialectFor(client.dialect);
  const online = options.offline === true ? undefined : { dialect: client.dialect, version: parseServerVersion(outcome.serverVersion) };
  const { renderedParts, rendered } = renderParts(parts, outcome.actual, sql, online);
  const warnings = [
    ...phaseWarnings(plan, outcome.actual, options),
    ...forwardChecks.map((result) => result.message),
    ...(plan.held.length > 0 ? [`${counted(plan.held.length, 'guarded change')} held back; generate again with --drop to include them`] : []),
    ...(plan.reorders.length > 0 ? [`${counted(plan.reorders.length, 'primary key')} differing only in column order held back; generate again with --reorder-primary-keys to include them`] : []),
    ...rendered.rollback.filter((group) => group.dataLoss !== undefined).map((group) => `rollback: ${group.dataLoss}`),
    ...blockingWarnings(plan.forward, costs),
  ];
  if (options.verify) {
    const shadow = await openShadow(client, options.liveUrl, options.shadowUrl, options.shadowDatabase);
    try {
      // The tables of other MySQL databases are verified in stand-ins (see other-databases.ts).
      const standIns = await openStandIns(client, shadow.client, qualifiersOf([outcome.actual, rendered.after]));
      try {
        warnings.push(...[...shadow.notes, ...standIns.notes].map((note) => `verification: ${note}`));
        const notes = await verifyRoundTrip(await standInInput(client, sql, standIns.renamed, parts, online, outcome.actual, rendered, { shadow: shadow.client, shadowDescription: shadow.description }));
        warnings.push(...notes.map((note) => `verification: ${note}`));
      } finally {
        await standIns.close();
      }
    } finally {
      await shadow.close();
    }
  }

  const release = resolveRelease(options.release, options.projectDir);
  const now = options.now ?? new Date();
  const slug = options.name ?? slugForChanges(plan.forward);
  let offset = 0;
  const files = parts.map((part, i): GeneratedFile => {
    const count = part.plan.forward.length;
    const range = [offset, offset + count] as const;
    offset += count;
    const phase = part.phase;
    const r = renderedParts[i] as ReturnType<typeof renderPlan>;
    // One second apart, so the contract file sorts after the expand file of the same run.
    const file = migrationPath(options.migrationsDir, release, new Date(now.getTime() + i * 1000), parts.length > 1 ? `${phase}_${slug}` : slug);
    const content = emitMigrationFile({
      release: release.version,
      dialect: client.dialect,
      generatedAt: now,
      toolVersion: toolVersion(),
      changes: base.changes.slice(...range),
      changeCosts: costs.slice(...range).map(formatCost),
      ...(phase === null ? {} : { phase, changeReasons: phases.slice(...range).map((tag) => tag.reason) }),
      warnings: [...warnings, ...(i === parts.length - 1 ? [] : ['The contract phase of this release is in the next file.'])],
      held: i === parts.length - 1 ? guarded : [],
      migrate: r.migrate,
      rollback: r.rollback,
    });
    return { file, content, phase };
  });
  if (!options.dryRun) {
    for (const { file, content } of files) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content, { flag: 'wx' });
    }
  }
  const first = files[0] as GeneratedFile;
  return { ...base, file: first.file, content: first.content, files, guarded, warnings, verified: options.verify };
}

/**
 * Each part rendered after the one before it, and all of them as verification runs them: the phases one after the
 * other, their rollbacks in reverse.
 */
function renderParts(parts: readonly PhasePart[], before: Schema, sql: SqlDialect, online: OnlineTarget | undefined) {
  const renderedParts: ReturnType<typeof renderPlan>[] = [];
  for (const part of parts) renderedParts.push(renderPlan(part.plan, renderedParts[renderedParts.length - 1]?.after ?? before, sql, online));
  const rendered = {
    migrate: renderedParts.flatMap((r) => r.migrate),
    rollback: [...renderedParts].reverse().flatMap((r) => r.rollback),
    after: renderedParts[renderedParts.length - 1]?.after ?? before,
  };
  return { renderedParts, rendered };
}

/**
 * What verification runs: the migration as rendered, or, when other MySQL databases stand in renamed, the same plan
 * rendered with their stand-ins' names; a statement that still names a real one (a view's query) is refused.
 */
async function standInInput(
  client: DatabaseClient,
  sql: SqlDialect,
  renamed: ReadonlyMap<string, string>,
  parts: readonly PhasePart[],
  online: OnlineTarget | undefined,
  actual: Schema,
  rendered: ReturnType<typeof renderParts>['rendered'],
  shadow: Pick<RoundTripInput, 'shadow' | 'shadowDescription'>,
): Promise<RoundTripInput> {
  const before = renameSchemas(actual, renamed);
  const moved = renamed.size === 0 ? rendered : renderParts(parts.map((part) => ({ ...part, plan: renamedPlan(part.plan, renamed) })), before, sql, online).rendered;
  const statements = [...moved.migrate, ...moved.rollback].flatMap((group) => group.statements);
  refuseNamingDatabases([...renamed.keys()], statements, 'Cannot verify this migration', 'generate with --no-verify to write it unverified');
  const withRows = await tablesWithRows(client, sql, actual);
  return {
    ...shadow,
    sql,
    before,
    after: moved.after,
    migrate: moved.migrate,
    rollback: moved.rollback,
    tablesWithRows: new Set([...withRows].map((key) => renamedKey(key, renamed))),
  };
}

/** A plan whose changes name the renamed schemas by their new names. */
function renamedPlan(plan: Plan, renamed: ReadonlyMap<string, string>): Plan {
  return { ...plan, forward: renameSchemas(plan.forward, renamed), rollback: renameSchemas(plan.rollback, renamed) };
}

/** A part of the release written as one file: an expand or contract phase, or (single phase) everything. */
interface PhasePart {
  readonly phase: Phase | null;
  readonly plan: Plan;
  readonly tags: readonly PhaseTag[];
}

/** The files' plans: the phases, or with --single-phase one plan, declaring a phase only when all its changes share it. */
function phaseParts(plan: Plan, actual: Schema, options: GenerateOptions): PhasePart[] {
  if (options.singlePhase === true) {
    const tags = classifyChanges(plan.forward);
    const one = tags.every((tag) => tag.phase === tags[0]?.phase) ? tags[0]?.phase ?? null : null;
    return [{ phase: one, plan, tags }];
  }
  if (plan.forward.length === 0) return [{ phase: null, plan, tags: [] }];
  return splitPlanByPhase(plan, actual, { syncTriggers: options.syncTrigger === true, fills: options.fills ?? [] });
}

/** What a phased release cannot do by itself, said in the files' headers. Pure. */
export function phaseWarnings(plan: Plan, actual: Schema, options: Pick<GenerateOptions, 'singlePhase' | 'syncTrigger'>): string[] {
  if (options.singlePhase === true) return [];
  const exists = (table: { schema: string | null; name: string }) => actual.tables.some((t) => tableKey(t) === tableKey(table));
  return plan.forward.flatMap((change) => {
    if (change.kind === 'add_column' && needsFill(change.column) && change.fill === undefined && exists(change.table)) {
      const where = `${tableKey(change.table)}.${change.column.name}`;
      return [`${where} is added nullable: rows the old release inserts during the rollout leave it NULL, and the contract phase's SET NOT NULL fails on them (sync --fill ${where}=value gives them a value)`];
    }
    if (change.kind === 'rename_table') {
      return [`${tableKey(change.from)} -> ${tableKey(change.to)} is renamed in the contract phase: until then the new release finds no ${tableKey(change.to)} (deploy this rename with downtime, or keep the old name for a release)`];
    }
    if (change.kind === 'rename_column' && options.syncTrigger !== true) {
      const { from, to } = { from: change.from.name, to: change.to.name };
      return [`${tableKey(change.table)}.${from} -> ${to} without --sync-trigger: rows the old release inserts are caught up in the contract phase, but its updates to existing rows during the rollout do not reach ${to}`];
    }
    return [];
  });
}

/** A warning for each change that scans or rewrites a live table while writers wait (a MySQL-family COPY, for one). */
function blockingWarnings(changes: readonly Change[], costs: readonly CostSummary[]): string[] {
  return changes.flatMap((change, i) => {
    const cost = costs[i];
    if (cost === undefined || !cost.blocking) return [];
    const size = cost.tableBytes === null ? '' : ` (${formatBytes(cost.tableBytes)})`;
    return [`${label(change)}: ${cost.lock} ${cost.rewrite === 'rewrite' ? 'rewrites' : 'scans'} the table${size} while writes wait`];
  });
}
