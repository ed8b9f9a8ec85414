import type { Change } from '../change/change';
import { tableOf } from '../change/change';
import { isDestructive, isGuarded } from '../change/safety';
import type { RenameSuggestion } from '../diff/renames';
import type { UnmanagedObject } from '../diff/unmanaged';
import type { Dialect } from '../model/schema';
import { tableKey } from '../model/schema';
import { describeChange } from './describe-change';
import type { ChangeCost } from '../dialect/lock-impacts';
import { costSummary, type CostSummary } from './format-cost';
import { classifyChanges, type Phase } from '../plan/phase';

/** One change as `--json` prints it. */
export interface ReportedChange extends Partial<CostSummary> {
  readonly kind: Change['kind'];
  readonly table: string | null;
  readonly column?: string;
  readonly object?: string;
  readonly detail: string;
  readonly destructive: boolean;
  readonly guarded: boolean;
  /** When a rolling deploy may run it: `expand` while the old release runs, `contract` after (see plan/phase.ts). */
  readonly phase: Phase;
  readonly phaseReason: string;
  readonly suggestion?: string;
}

/** The document `sync --diff --json` prints. */
export interface DiffReport {
  readonly dialect: Dialect;
  readonly target: string;
  readonly inSync: boolean;
  readonly changes: readonly ReportedChange[];
  readonly suggestions: readonly RenameSuggestion[];
  /** Objects the models leave alone (`synchronize: false`…): listed, never counted as changes. */
  readonly unmanaged: readonly UnmanagedObject[];
  readonly summary: {
    readonly total: number;
    readonly tables: number;
    readonly guarded: number;
    readonly destructive: number;
    readonly byKind: Readonly<Record<string, number>>;
  };
}

/** Builds the report from a diff: each change described, flagged, and a rename hint attached to its drop. */
export function buildDiffReport(
  dialect: Dialect,
  target: string,
  changes: readonly Change[],
  suggestions: readonly RenameSuggestion[],
  unmanaged: readonly UnmanagedObject[] = [],
  costs: readonly ChangeCost[] = [],
): DiffReport {
  const phases = classifyChanges(changes);
  const reported = changes.map((change, i): ReportedChange => {
    const table = tableOf(change);
    const description = describeChange(change);
    const suggestion =
      change.kind === 'drop_column'
        ? suggestions.find((s) => s.from === change.column.name && s.table.name === change.table.name && s.table.schema === change.table.schema)
        : undefined;
    return {
      kind: change.kind,
      table: table === null ? null : tableKey(table),
      ...(description.column === undefined ? {} : { column: description.column }),
      ...(description.object === undefined ? {} : { object: description.object }),
      detail: description.detail,
      destructive: isDestructive(change),
      guarded: isGuarded(change),
      phase: phases[i]?.phase ?? 'contract',
      phaseReason: phases[i]?.reason ?? '',
      ...(suggestion === undefined ? {} : { suggestion: `looks like a rename to ${suggestion.to}: ${suggestion.hint}` }),
      ...(costs[i] === undefined ? {} : costSummary(costs[i])),
    };
  });
  const byKind: Record<string, number> = {};
  for (const change of reported) byKind[change.kind] = (byKind[change.kind] ?? 0) + 1;
  return {
    dialect,
    target,
    inSync: reported.length === 0,
    changes: reported,
    suggestions,
    unmanaged,
    summary: {
      total: reported.length,
      tables: new Set(reported.map((change) => change.table).filter((table) => table !== null)).size,
      guarded: reported.filter((change) => change.guarded).length,
      destructive: reported.filter((change) => change.destructive).length,
      byKind,
    },
  };
}

