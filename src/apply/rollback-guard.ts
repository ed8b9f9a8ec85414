import type { Change } from '../change/change';
import type { DatabaseClient } from '../connect/client';
import { sqlDialectFor } from '../dialect/sql-dialects';
import { introspect, type IntrospectScope } from '../introspect/introspect';
import { postgresUserSchemas } from '../introspect/postgres/introspect-postgres';
import { postgresSchemasHolding } from '../introspect/postgres/schemas-holding';
import { normalizeSchema } from '../model/normalize';
import type { Schema } from '../model/schema';
import { planMigration } from '../plan/plan';
import type { RenameHint } from '../plan/renames';
import { renderPlan } from '../plan/render-plan';
import { runDataChecks } from '../sync/run-data-checks';
import { SchemaSyncError, messageOf } from '../util/errors';
import { databasesNamedIn, openStandIns, refuseNamingDatabases, standInStatements } from '../verify/other-databases';
import { renameSchemas, renamedKey } from '../model/rename-schemas';
import { openShadow, type ShadowDatabase } from '../verify/shadow';
import { seedRows, tablesWithRows } from '../verify/seed-rows';
import type { SqlDialect } from '../dialect/sql-dialect';
import { tableKey } from '../model/schema';
import { counted } from '../util/plural';

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
  /** Library use: an empty database the caller made for this one guard, used instead of a temporary one (see givenShadow). */
  readonly shadowDatabase?: string;
  /** TypeORM's metadata table as the project's DataSource names it (`metadataTableName`); the default name when absent. */
  readonly ormMetadataTable?: string;
  /** PostgreSQL: the schema of that table when not `public` (the DataSource's `schema`). */
  readonly ormMetadataSchema?: string;
}

/**
 * TypeORM's metadata table under its default name, for a rollback told no other (it knows no models): its rows are
 * read, so that a rollback dropping the table it created is not counted as losing data (see dataChecksFor).
 */
const TYPEORM_METADATA = 'typeorm_metadata';

/**
 * The risks of running `statements` (the rollbacks about to run, in order) on the live database. A rollback file is
 * SQL, not changes, so its effect is measured rather than read: the live schema is copied into a shadow database, the
 * statements run there, and the schema they leave is diffed against the live one. The changes of that diff then go
 * through the same data checks as `sync`, counted on the live data, so an empty table or column is no risk at all.
 */
export async function rollbackRisks(client: DatabaseClient, statements: readonly string[], options: RollbackGuardOptions): Promise<RollbackRisk[]> {
  // The rollback may touch any schema: every one is read, and copied into the shadow. On MySQL, the other databases
  // its statements name are read, and copied into stand-ins (see other-databases.ts).
  const otherDatabases = await databasesNamedIn(client, statements);
  const ormMetadataTable = options.ormMetadataTable ?? TYPEORM_METADATA;
  const ormMetadataSchema = options.ormMetadataSchema ?? (client.dialect === 'postgres' ? await metadataSchemaOf(client, ormMetadataTable, statements) : undefined);
  const scope = {
    ormMetadataTable,
    ...(ormMetadataSchema === undefined ? {} : { ormMetadataSchema }),
    extraSchemas: client.dialect === 'postgres' ? await postgresUserSchemas(client) : otherDatabases,
  };
  const live = normalizeSchema(await introspect(client, scope));
  const sql = sqlDialectFor(client.dialect);
  const withRows = await tablesWithRows(client, sql, live);
  const { after, seeded } = await schemaAfter(client, live, withRows, statements, options, scope, otherDatabases);
  const changes = changesBetween(live, after, statements);
  const results = await runDataChecks(client, changes, live);
  // A column re-added NOT NULL to a table that had rows in the copy went in with a value for them (a fill), or the
  // statement would have failed there: the row count is no risk then.
  const filled = (change: Change) => change.kind === 'add_column' && seeded.has(tableKey(change.table));
  return results.filter((result) => !filled(result.check.change)).map((result) => ({ severity: result.check.severity, message: result.message, count: result.count }));
}

/**
 * PostgreSQL: the schema that holds TypeORM's metadata table when the caller did not say (a rollback without
 * --data-source knows no models). TypeORM creates it in the DataSource's `schema`, else in the connection's current
 * schema, so it is looked for as the connection would resolve it (the first schema of the search path that has it);
 * failing that, in the only schema that has it, or, when several do, the one the rollback's statements name.
 */
async function metadataSchemaOf(client: DatabaseClient, table: string, statements: readonly string[]): Promise<string | undefined> {
  const holding = await postgresSchemasHolding(client, table);
  const first = holding[0];
  if (first === undefined) return undefined;
  if (first.searchPathPosition !== null || holding.length === 1) return first.schema;
  const sql = sqlDialectFor(client.dialect);
  const named = holding.filter((row) => statements.some((statement) => statement.includes(`${sql.quoteIdentifier(row.schema)}.`)));
  return named.length === 1 ? named[0]!.schema : undefined;
}

/**
 * Runs the statements on a copy of the live schema whose tables that hold rows now hold generated rows too, and reads
 * the schema they leave; a statement that fails there (a NOT NULL column added without a value for the rows) is
 * refused with the live row counts of the tables it names.
 */
async function schemaAfter(
  client: DatabaseClient,
  live: Schema,
  withRows: ReadonlySet<string>,
  statements: readonly string[],
  options: RollbackGuardOptions,
  scope: IntrospectScope,
  otherDatabases: readonly string[],
): Promise<{ after: Schema; seeded: ReadonlySet<string> }> {
  const shadow = await openShadow(client, options.liveUrl, options.shadowUrl, options.shadowDatabase);
  try {
    const standIns = await openStandIns(client, shadow.client, otherDatabases);
    try {
      return await runInShadow(client, shadow, standIns.renamed, live, withRows, statements, scope);
    } finally {
      await standIns.close();
    }
  } finally {
    await shadow.close();
  }
}

/**
 * schemaAfter in an open shadow, with the tables of the other databases the statements name (MySQL) in their stand-ins
 * (`renamed`) and the statements naming those; what it returns names the real databases again.
 */
async function runInShadow(
  client: DatabaseClient,
  shadow: ShadowDatabase,
  renamed: ReadonlyMap<string, string>,
  live: Schema,
  withRows: ReadonlySet<string>,
  statements: readonly string[],
  scope: IntrospectScope,
): Promise<{ after: Schema; seeded: ReadonlySet<string> }> {
  const back = new Map([...renamed].map(([database, standIn]) => [standIn, database]));
  const moved = standInStatements(statements, renamed);
  refuseNamingDatabases([...renamed.keys()], moved, 'Not rolling back', '--drop --force runs the rollback without this check');
  const copied = renameSchemas(live, renamed);
  const sql = sqlDialectFor(client.dialect);
  const empty: Schema = { dialect: live.dialect, tables: [], enums: [] };
  const copy = renderPlan(planMigration(empty, copied, { allowDrop: true, renames: [] }), empty, sql);
  for (const statement of copy.migrate.flatMap((group) => group.statements)) await shadow.client.execute(statement);
  // Rows like most real rows: an enum's first label only, so a label the rollback removes is judged by the live count.
  const found = await seedRows(shadow.client, sql, copied, new Set([...withRows].map((key) => renamedKey(key, renamed))), { firstLabelOnly: true });
  const seeded = new Set([...found.seeded].map((key) => renamedKey(key, back)));
  for (const [i, statement] of statements.entries()) {
    try {
      await shadow.client.execute(moved[i] ?? statement);
    } catch (error) {
      const counts = await rowCountsNamedIn(client, sql, live, seeded, statement);
      throw new SchemaSyncError(
        'UNSAFE_CHANGE',
        `Not rolling back: statement ${i + 1} of the rollback fails on a copy of the live schema (${shadow.description})${counts}:\n  ${statement}\n  ${messageOf(error)}\n(--drop --force runs the rollback without this check and without counting what it destroys)`,
        { cause: error },
      );
    }
  }
  const shadowScope = client.dialect === 'postgres' ? scope : { ...scope, extraSchemas: [...renamed.values()] };
  const after = normalizeSchema({ ...(await introspect(shadow.client, shadowScope)), dialect: live.dialect });
  return { after: renameSchemas(after, back), seeded };
}

/** `, where t holds 3 rows now` for the seeded tables a statement names (as the dialect quotes them). */
async function rowCountsNamedIn(client: DatabaseClient, sql: SqlDialect, live: Schema, seeded: ReadonlySet<string>, statement: string): Promise<string> {
  const named = live.tables.filter((table) => seeded.has(tableKey(table)) && statement.includes(sql.quoteTable(table)));
  const parts: string[] = [];
  for (const table of named) {
    const rows = await client.query<{ n: unknown }>(sql.dataQuery({ kind: 'row_count', table: { schema: table.schema, name: table.name } }));
    parts.push(`${tableKey(table)} holds ${counted(Number(rows[0]?.n ?? 0), 'row')} now`);
  }
  return parts.length === 0 ? '' : `, where ${parts.join(', ')}`;
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
