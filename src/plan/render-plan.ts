import type { Change } from '../change/change';
import { tableOf } from '../change/change';
import type { ServerVersion } from '../dialect/lock-impact';
import { onlineForm } from '../dialect/online-forms';
import { applyChanges } from '../change/apply-in-memory';
import { filledColumnSteps, needsFill } from '../change/column-fill';
import { isWidening } from '../change/safety';
import { postgresHistory } from '../dialect/postgres/history';
import { mysqlPrerequisites } from '../dialect/mysql/prerequisites';
import { postgresPrerequisites } from '../dialect/postgres/prerequisites';
import type { SqlDialect } from '../dialect/sql-dialect';
import type { StatementGroup } from '../migrations/emit';
import type { Dialect, Schema } from '../model/schema';
import { tableKey } from '../model/schema';
import { describeChange } from '../report/describe-change';
import type { Plan } from './plan';

/** A plan turned into SQL: the statement groups of `migrate` and `rollback`, and the schema each leads to. */
export interface RenderedPlan {
  readonly migrate: readonly StatementGroup[];
  readonly rollback: readonly StatementGroup[];
  /** The schema `migrate` should produce (what verification compares with). */
  readonly after: Schema;
}

/**
 * Renders every change with the dialect, giving each renderer the schema as it stands just before that change
 * (PostgreSQL's enum recreation needs the columns that use the type). Rollback groups say when data cannot come back.
 */
export function renderPlan(plan: Plan, before: Schema, sql: SqlDialect, online?: OnlineTarget): RenderedPlan {
  const migrate: StatementGroup[] = [];
  const prerequisites = sql.family === 'postgres' ? postgresPrerequisites(plan.forward) : mysqlPrerequisites(plan.forward);
  if (prerequisites.length > 0) migrate.push({ comment: sql.family === 'postgres' ? 'schemas and extensions the changes need' : 'databases the changes need', statements: prerequisites });
  let state = before;
  const createdByMigrate = createdTables(plan.forward);
  for (const change of plan.forward) {
    migrate.push({ comment: label(change), statements: inOnlineForm(change, state, renderChange(change, state, sql), online, createdByMigrate), ...batched(change, sql) });
    state = applyChanges(state, [change]);
  }
  const after = state;
  const rollback: StatementGroup[] = [];
  const createdByRollback = createdTables(plan.rollback);
  // A column a phased rename's rollback adds back is filled again by the copy that follows it.
  const refilled = new Set(plan.rollback.flatMap((change) => (change.kind === 'copy_column' ? [`${tableKey(change.table)}\u0000${change.to}`] : [])));
  for (const change of plan.rollback) {
    const loss = change.kind === 'add_column' && refilled.has(`${tableKey(change.table)}\u0000${change.column.name}`) ? null : dataLossOf(change);
    rollback.push({ comment: label(change), statements: inOnlineForm(change, state, renderChange(change, state, sql), online, createdByRollback), ...batched(change, sql), ...(loss === null ? {} : { dataLoss: loss }) });
    state = applyChanges(state, [change]);
  }
  const commitFirst = sql.family === 'postgres' ? postgresHistory.transaction?.commitFirst ?? null : null;
  return { migrate: commitFirstAhead(migrate, commitFirst), rollback: commitFirstAhead(rollback, commitFirst), after };
}

/** A copy's keyset batches, which the migration file runs instead of its one statement. */
function batched(change: Change, sql: SqlDialect): Pick<StatementGroup, 'copy'> {
  const copy = change.kind === 'copy_column' ? sql.batchedCopy(change) : null;
  return copy === null ? {} : { copy };
}

/** The server the online forms are written for; absent for the plain forms (`--offline`). */
export interface OnlineTarget {
  readonly dialect: Dialect;
  readonly version: ServerVersion;
}

/** The statements in the server's online form, judged against the table as it stands just before the change. */
function inOnlineForm(change: Change, before: Schema, statements: string[], online: OnlineTarget | undefined, created: ReadonlySet<string>): string[] {
  if (online === undefined) return statements;
  const ref = change.kind === 'rename_table' ? change.from : tableOf(change);
  const table = ref === null ? undefined : before.tables.find((t) => t.schema === ref.schema && t.name === ref.name);
  const newTable = ref !== null && created.has(tableKey(ref));
  return [...onlineForm(online.dialect, change, statements, { version: online.version, online: true, newTable, ...(table === undefined ? {} : { table }) })];
}

/** The tables a list of changes creates (their later changes keep the plain forms: nobody uses them yet). */
function createdTables(changes: readonly Change[]): ReadonlySet<string> {
  return new Set(changes.flatMap((change) => (change.kind === 'create_table' ? [tableKey(change.table)] : [])));
}

/** The statements of one change; a filled column is added in the steps filledColumnSteps gives. */
function renderChange(change: Change, before: Schema, sql: SqlDialect): string[] {
  if (change.kind !== 'add_column' || change.fill === undefined) return [...sql.render(change, { before })];
  const out: string[] = [];
  let state = before;
  for (const step of filledColumnSteps(change)) {
    out.push(...sql.render(step, { before: state }));
    state = applyChanges(state, [step]);
  }
  return out;
}

/**
 * Moves the groups whose statements must commit before the rest can use them (PostgreSQL's ADD VALUE) to the front,
 * where `apply` commits them on their own (leadingCommitFirst). They only change enum types that exist before the
 * migration starts, so nothing they need runs later.
 */
function commitFirstAhead(groups: readonly StatementGroup[], commitFirst: RegExp | null): StatementGroup[] {
  if (commitFirst === null) return [...groups];
  const ahead = groups.filter((group) => group.statements.length > 0 && group.statements.every((statement) => commitFirst.test(statement)));
  return [...ahead, ...groups.filter((group) => !ahead.includes(group))];
}

/** The one-line description of a change, with its table. */
export function label(change: Change): string {
  const description = describeChange(change).detail;
  if ('table' in change && change.kind !== 'create_table' && change.kind !== 'drop_table') return `${tableKey(change.table)}: ${description}`;
  if (change.kind === 'create_table' || change.kind === 'drop_table') return `${description.replace(/^(create|drop) table/, `$1 table ${tableKey(change.table)}`)}`;
  return description;
}

/** A fill value as the message shows it: quoted, so that an empty string is visible. */
function shownValue(value: string): string {
  return `'${value}'`;
}

/** What a rollback step cannot restore: the inverse of a drop brings back the structure, never the rows. */
function dataLossOf(change: Change): string | null {
  switch (change.kind) {
    case 'create_table':
      return `table ${tableKey(change.table)} comes back empty: its rows are not restored`;
    case 'add_column':
      if (change.column.computed !== undefined) return null;
      if (change.fill !== undefined) {
        const by = change.fill.chosenBy === 'user' ? 'given with --fill' : `chosen by schema-sync; sync --fill ${tableKey(change.table)}.${change.column.name}=value picks another`;
        return `column ${tableKey(change.table)}.${change.column.name} comes back holding ${shownValue(change.fill.value)} in every row (${by}): its values are not restored`;
      }
      if (needsFill(change.column)) {
        return `column ${tableKey(change.table)}.${change.column.name} comes back NOT NULL without a value for existing rows: this fails on a table that has rows (regenerate with --fill ${tableKey(change.table)}.${change.column.name}=value)`;
      }
      return `column ${tableKey(change.table)}.${change.column.name} comes back ${change.column.default === null ? 'empty' : 'with its default'}: its values are not restored`;
    case 'create_enum':
      return null;
    case 'alter_enum':
      return null;
    case 'alter_column':
      if (change.changed.includes('computed') && change.to.computed === undefined) {
        return `${tableKey(change.table)}.${change.to.name} comes back as a plain column without values`;
      }
      // Undoing a widening narrows back: values that only fit the wider type would be cut or rejected.
      return change.changed.includes('type') && !isWidening(change.from.type, change.to.type)
        ? `${tableKey(change.table)}.${change.to.name} changes back to a narrower type: values that do not fit are cut or rejected`
        : null;
    default:
      return null;
  }
}
