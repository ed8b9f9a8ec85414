import type { Change } from '../change/change';
import type { DatabaseClient } from '../connect/client';
import { sqlDialectFor } from '../dialect/sql-dialects';
import { introspect } from '../introspect/introspect';
import { normalizeSchema } from '../model/normalize';
import type { Schema } from '../model/schema';
import { planMigration } from '../plan/plan';
import type { RenameHint } from '../plan/renames';
import { renderPlan } from '../plan/render-plan';
import { runDataChecks } from '../sync/run-data-checks';
import { SchemaSyncError, messageOf } from '../util/errors';
import { openShadow } from '../verify/shadow';

/** What a rollback would do to the data that is in the live database now. */
export interface RollbackRisk {
  /** `destroys`: data is lost (needs --drop); `blocks`: the statement fails or cuts values (needs --force). */
  readonly severity: 'destroys' | 'blocks';
  readonly message: string;
  readonly count: number;
}

/** Where the rollback's effect is worked out. */
export interface RollbackGuardOptions {
  readonly liveUrl?: string;
  readonly shadowUrl?: string;
}

/**
 * The risks of running `statements` (the rollbacks about to run, in order) on the live database. A rollback file is
 * SQL, not changes, so its effect is measured rather than read: the live schema is copied into a shadow database, the
 * statements run there, and the schema they leave is diffed against the live one. The changes of that diff then go
 * through the same data checks as `sync`, counted on the live data, so an empty table or column is no risk at all.
 */
export async function rollbackRisks(client: DatabaseClient, statements: readonly string[], options: RollbackGuardOptions): Promise<RollbackRisk[]> {
  const live = normalizeSchema(await introspect(client, {}));
  const after = await schemaAfter(client, live, statements, options);
  const changes = changesBetween(live, after, statements);
  const results = await runDataChecks(client, changes, live);
  return results.map((result) => ({ severity: result.check.severity, message: result.message, count: result.count }));
}

async function schemaAfter(client: DatabaseClient, live: Schema, statements: readonly string[], options: RollbackGuardOptions): Promise<Schema> {
  const shadow = await openShadow(client, options.liveUrl, options.shadowUrl);
  try {
    const empty: Schema = { dialect: live.dialect, tables: [], enums: [] };
    const copy = renderPlan(planMigration(empty, live, { allowDrop: true, renames: [] }), empty, sqlDialectFor(client.dialect));
    for (const statement of copy.migrate.flatMap((group) => group.statements)) await shadow.client.execute(statement);
    for (const [i, statement] of statements.entries()) {
      try {
        await shadow.client.execute(statement);
      } catch (error) {
        throw new SchemaSyncError(
          'UNSAFE_CHANGE',
          `Not rolling back: statement ${i + 1} of the rollback fails on a copy of the live schema (${shadow.description}):\n  ${statement}\n  ${messageOf(error)}\n(--force runs the rollback without this check)`,
          { cause: error },
        );
      }
    }
    return normalizeSchema({ ...(await introspect(shadow.client, {})), dialect: live.dialect });
  } finally {
    await shadow.close();
  }
}

/**
 * The changes from `live` to `after`. A rollback that renames back shows as a drop and an add of the same shape;
 * when one of its statements renames exactly that pair, it is planned as the rename it is, so its data is not
 * counted as lost.
 */
function changesBetween(live: Schema, after: Schema, statements: readonly string[]): readonly Change[] {
  const first = planMigration(live, after, { allowDrop: true, renames: [] });
  const hints: RenameHint[] = [];
  for (const suggestion of first.likelyRenames) {
    if (renamedIn(statements, suggestion.from, suggestion.to)) hints.push({ kind: 'column', table: tableName(suggestion.table), from: suggestion.from, to: suggestion.to });
  }
  const dropped = first.forward.flatMap((change) => (change.kind === 'drop_table' ? [change.table] : []));
  const created = first.forward.flatMap((change) => (change.kind === 'create_table' ? [change.table] : []));
  for (const from of dropped) {
    const to = created.find((table) => renamedIn(statements, from.name, table.name));
    if (to !== undefined) hints.push({ kind: 'table', from: tableName(from), to: tableName(to) });
  }
  return hints.length === 0 ? first.forward : planMigration(live, after, { allowDrop: true, renames: hints }).forward;
}

/** Whether a statement renames `from` to `to` (both named, in that order, after RENAME). */
function renamedIn(statements: readonly string[], from: string, to: string): boolean {
  return statements.some((sql) => {
    const rename = sql.search(/\brename\b/i);
    if (rename < 0) return false;
    const rest = sql.slice(rename);
    const at = rest.indexOf(from);
    return at >= 0 && rest.indexOf(to, at + from.length) > at;
  });
}

function tableName(table: { readonly schema: string | null; readonly name: string }): string {
  return table.schema === null ? table.name : `${table.schema}.${table.name}`;
}
