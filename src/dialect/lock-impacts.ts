import type { Change } from '../change/change';
import { tableOf } from '../change/change';
import type { Dialect, Schema, TableSize } from '../model/schema';
import { tableKey } from '../model/schema';
import { parseServerVersion, type LockContext, type LockImpact, type ServerVersion } from './lock-impact';
import { mysqlLockImpact } from './mysql/lock-impact';
import { postgresLockImpact } from './postgres/lock-impact';

/** The lock and rewrite facts of a change on a dialect's server. */
export function lockImpactOf(dialect: Dialect, change: Change, context: LockContext): LockImpact {
  return dialect === 'postgres' ? postgresLockImpact(change, context) : mysqlLockImpact(change, dialect, context);
}

/** A change's cost on the live database: its lock facts and the size of the table it touches. */
export interface ChangeCost {
  readonly impact: LockImpact;
  /** Null for a table the plan creates, a schema-level change, or a table the catalog gave no size for. */
  readonly size: TableSize | null;
}

/** What costing a plan needs from the live database. */
export interface CostInputs {
  readonly dialect: Dialect;
  readonly version: ServerVersion;
  /** The live schema (before any change), with its table sizes when introspection read them. */
  readonly actual: Schema;
  readonly tableSizes: Readonly<Record<string, TableSize>>;
  readonly online: boolean;
}

/** Costs every change against the live schema; a table created by the plan has no size and no lock on live rows. */
export function costChanges(changes: readonly Change[], inputs: CostInputs): ChangeCost[] {
  const created = new Set(changes.flatMap((change) => (change.kind === 'create_table' ? [tableKey(change.table)] : [])));
  return changes.map((change) => {
    // A renamed table still has its old name in the live catalog.
    const ref = change.kind === 'rename_table' ? change.from : tableOf(change);
    const table = ref === null ? undefined : inputs.actual.tables.find((t) => t.schema === ref.schema && t.name === ref.name);
    const size = ref === null || change.kind === 'create_table' ? null : inputs.tableSizes[tableKey(ref)] ?? null;
    const context: LockContext = { version: inputs.version, online: inputs.online, ...(table === undefined ? {} : { table }) };
    const impact = lockImpactOf(inputs.dialect, change, context);
    const onCreatedTable = change.kind !== 'create_table' && ref !== null && created.has(tableKey(ref));
    return { impact: onCreatedTable ? onTableCreatedByPlan(change, impact, created) : impact, size };
  });
}

/**
 * A change to a table the same migration creates (the plan adds foreign keys and indexes after every table exists):
 * the table has no rows to scan and no other session uses it yet. Only a foreign key's referenced table, when it
 * already exists, is locked, for an instant.
 */
function onTableCreatedByPlan(change: Change, impact: LockImpact, created: ReadonlySet<string>): LockImpact {
  const note = 'on a table this migration creates: no rows to scan';
  const referenced = change.kind === 'add_foreign_key' ? tableKey({ schema: change.foreignKey.referencedSchema, name: change.foreignKey.referencedTable }) : null;
  if (referenced !== null && !created.has(referenced)) return { ...impact, rewrite: 'none', blocking: false, note: `${note}; the referenced table is locked ${impact.lock} for an instant` };
  return { lock: 'none', blocksWrites: false, blocksReads: false, rewrite: 'none', blocking: false, note };
}

/** What `costAgainstLive` needs from a diff run (DiffOutcome has it all). */
export interface LiveFacts {
  readonly actual: Schema;
  readonly serverVersion: string;
  readonly tableSizes: Readonly<Record<string, TableSize>>;
}

/** Costs changes against what a diff run read from the live database. */
export function costAgainstLive(changes: readonly Change[], live: LiveFacts, online: boolean): ChangeCost[] {
  return costChanges(changes, { dialect: live.actual.dialect, version: parseServerVersion(live.serverVersion), actual: live.actual, tableSizes: live.tableSizes, online });
}
