import { createHash } from 'node:crypto';
import type { Change, TableRef } from '../change/change';
import { CHANGE_KINDS } from '../change/change';
import { attachFills, filledColumnSteps, needsFill, type FillHint } from '../change/column-fill';
import { diffColumn } from '../diff/diff-column';
import type { Column, Schema } from '../model/schema';
import { tableKey } from '../model/schema';
import { SchemaSyncError } from '../util/errors';
import { classifyChanges, PHASES, type Phase, type PhaseTag } from './phase';
import { rollbackOf, type Plan } from './plan';

/** One phase of a plan: its own forward and rollback, and the phase tag of each forward change. */
export interface PhasePlan {
  readonly phase: Phase;
  readonly plan: Plan;
  /** Same order as `plan.forward`. */
  readonly tags: readonly PhaseTag[];
}

/** What the phased plan may add. */
export interface PhaseSplitOptions {
  /** `--sync-trigger`: a phased rename keeps both columns in step with a trigger while old and new releases run. */
  readonly syncTriggers: boolean;
  /** `--fill` values, for the rollbacks that re-add a dropped NOT NULL column. */
  readonly fills?: readonly FillHint[];
}

/** A change with its phase and where it sorts in its phase's apply order. */
interface Entry {
  readonly change: Change;
  readonly tag: PhaseTag;
  readonly rank: number;
  readonly order: number;
}

const RANK = new Map(CHANGE_KINDS.map((kind, i) => [kind, i]));
const rankOf = (kind: Change['kind']) => RANK.get(kind) ?? 0;

/**
 * Splits a plan into an expand plan and a contract plan (only those that have changes, expand first). Changes that
 * are partly safe are split: a NOT NULL column is added with its fill as default (or nullable) in expand and made
 * strict in contract; a rename becomes add + copy (+ trigger) in expand and catch-up copy + drop in contract, never a
 * RENAME COLUMN under live traffic. Each phase gets its own rollback, the inverse of its forward. Pure.
 */
export function splitPlanByPhase(plan: Plan, actual: Schema, options: PhaseSplitOptions): PhasePlan[] {
  const entries: Entry[] = [];
  const consumed = new Set<Change>();
  const rest: { change: Change; order: number }[] = [];
  plan.forward.forEach((change, order) => {
    if (consumed.has(change)) return;
    if (change.kind === 'rename_column') {
      const follow = plan.forward.find(
        (c): c is Extract<Change, { kind: 'alter_column' }> => c.kind === 'alter_column' && tableKey(c.table) === tableKey(change.table) && c.from.name === change.to.name,
      );
      if (follow !== undefined) consumed.add(follow);
      entries.push(...renameSteps(change, follow, actual, options, order));
      return;
    }
    for (const part of splitChange(change)) rest.push({ change: part, order });
  });
  const tags = classifyChanges(rest.map((r) => r.change));
  rest.forEach((r, i) => entries.push({ change: r.change, tag: tags[i] as PhaseTag, rank: rankOf(r.change.kind), order: r.order }));

  const phases = PHASES.map((phase) => entries.filter((entry) => entry.tag.phase === phase).sort((a, b) => a.rank - b.rank || a.order - b.order));
  const present = PHASES.map((phase, i) => ({ phase, entries: phases[i] as Entry[] })).filter((p) => p.entries.length > 0);
  return present.map(({ phase, entries: list }, i) => {
    const forward = list.map((entry) => entry.change);
    const last = i === present.length - 1;
    return {
      phase,
      tags: list.map((entry) => entry.tag),
      plan: {
        forward,
        rollback: attachFills(rollbackOf(forward), options.fills ?? [], true, new Set()),
        // What was held back concerns the release as a whole: the last file says it.
        held: last ? plan.held : [],
        reorders: last ? plan.reorders : [],
        likelyRenames: last ? plan.likelyRenames : [],
      },
    };
  });
}

/**
 * A NOT NULL column without a default that the old release cannot write: expand adds it with its fill as default
 * (so old inserts get that value) or nullable, contract drops the default or sets NOT NULL. A column change whose
 * only strict part is NOT NULL does the rest in expand.
 */
function splitChange(change: Change): Change[] {
  if (change.kind === 'add_column' && needsFill(change.column)) {
    if (change.fill !== undefined) return filledColumnSteps(change);
    const loose: Column = { ...change.column, nullable: true };
    return [
      { kind: 'add_column', table: change.table, column: loose },
      { kind: 'alter_column', table: change.table, from: loose, to: change.column, changed: ['nullable'] },
    ];
  }
  if (change.kind === 'alter_column' && change.changed.length > 1 && change.changed.includes('nullable') && !change.to.nullable) {
    const middle: Column = { ...change.to, nullable: change.from.nullable };
    const first: Change = { ...change, to: middle, changed: change.changed.filter((aspect) => aspect !== 'nullable') };
    if (classifyChanges([first])[0]?.phase !== 'expand') return [change];
    return [first, { kind: 'alter_column', table: change.table, from: middle, to: change.to, changed: ['nullable'] }];
  }
  return [change];
}

/**
 * A rename in phases. Expand: the new column (nullable, no default yet, so the trigger and the copy can tell what
 * is unset), the old one made nullable if the new release's inserts could not leave it out, the trigger on request,
 * and the copy of every row. Contract: the trigger dropped, a catch-up copy of the rows the old release wrote since,
 * the new column made as the models declare it, and the old column dropped.
 */
function renameSteps(
  change: Extract<Change, { kind: 'rename_column' }>,
  follow: Extract<Change, { kind: 'alter_column' }> | undefined,
  actual: Schema,
  options: PhaseSplitOptions,
  order: number,
): Entry[] {
  const { table } = change;
  const [a, b] = [change.from.name, change.to.name];
  const key = copyKeyOf(table, a, b, actual);
  const final = follow?.to ?? change.to;
  const added: Column = { ...final, nullable: true, default: null };
  const old = change.from;
  const loosened: Column = needsFill(old) ? { ...old, nullable: true } : old;
  const name = syncTriggerName(table, a);
  const trigger = { table, name, from: a, to: b };
  const expand = (reason: string) => ({ phase: 'expand' as const, reason });
  const contract = (reason: string) => ({ phase: 'contract' as const, reason });
  const at = (kind: Change['kind'], step: number) => rankOf(kind) + step / 10;
  const steps: { change: Change; tag: PhaseTag; rank: number }[] = [
    { change: { kind: 'add_column', table, column: added }, tag: expand(`renames ${a} to ${b} in phases: ${b} is added beside ${a}, which the old release keeps using`), rank: at('add_column', 0) },
  ];
  if (loosened !== old) {
    steps.push({ change: { kind: 'alter_column', table, from: old, to: loosened, changed: ['nullable'] }, tag: expand(`the new release inserts rows without ${a}`), rank: at('add_column', 1) });
  }
  if (options.syncTriggers) steps.push({ change: { kind: 'create_sync_trigger', ...trigger }, tag: expand(`keeps ${a} and ${b} in step while both releases write`), rank: at('add_column', 2) });
  steps.push({ change: { kind: 'copy_column', table, from: a, to: b, key }, tag: expand(`fills ${b} from ${a} in batches`), rank: at('add_column', 3) });
  if (options.syncTriggers) steps.push({ change: { kind: 'drop_sync_trigger', ...trigger }, tag: contract(`the old release is gone: ${a} needs no updates`), rank: at('alter_column', -3) });
  steps.push({
    change: { kind: 'copy_column', table, from: a, to: b, key },
    tag: contract(`catches up rows the old release inserted ${options.syncTriggers ? 'before the trigger' : 'during the rollout'}`),
    rank: at('alter_column', -2),
  });
  const finish = diffColumn(added, final);
  if (finish.length > 0) steps.push({ change: { kind: 'alter_column', table, from: added, to: final, changed: finish }, tag: contract(`${b} becomes as the models declare it`), rank: at('alter_column', 0) });
  steps.push({ change: { kind: 'drop_column', table, column: loosened }, tag: contract(`drops ${a}, renamed to ${b}: the old release was the last to use it`), rank: at('drop_column', 0) });
  return steps.map((step) => ({ ...step, order }));
}

/** The primary key a phased rename's copy walks (one column or several); a table without one is refused with the way out. */
function copyKeyOf(table: TableRef, from: string, to: string, actual: Schema): readonly string[] {
  const live = actual.tables.find((t) => t.schema === table.schema && t.name === table.name);
  const columns = live?.primaryKey?.columns ?? [];
  const refuse = (why: string) =>
    new SchemaSyncError('BAD_ARGUMENT', `--rename ${tableKey(table)}.${from}=${to}: ${why}; a phased rename needs that (or give --single-phase for a plain RENAME COLUMN)`);
  if (columns.length === 0) throw refuse(`the copy walks the primary key, and ${tableKey(table)} has none`);
  if (columns.includes(from)) throw refuse(`${from} is ${columns.length === 1 ? 'the primary key' : `part of the primary key (${columns.join(', ')})`}, which cannot be copied to a new column under live traffic`);
  return columns;
}

/** A trigger (and PostgreSQL function) name that fits both servers' 64-character limit with a four-character suffix. */
export function syncTriggerName(table: TableRef, column: string): string {
  const name = `schema_sync_${table.name}_${column}`;
  if (name.length <= 56) return name;
  const hash = createHash('sha256').update(`${tableKey(table)}\u0000${column}`).digest('hex').slice(0, 8);
  return `${name.slice(0, 47)}_${hash}`;
}
