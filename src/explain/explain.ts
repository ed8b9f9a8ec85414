import * as path from 'node:path';
import { History } from '../apply/history';
import { loadMigration } from '../apply/load-migration';
import { readMigrationStatuses } from '../apply/migration-status';
import { collectStatements } from '../apply/run-steps';
import type { DatabaseClient } from '../connect/client';
import { deepEqual } from '../model/compare';
import type { Schema, Table } from '../model/schema';
import type { EntitySummary, ModelSource } from '../source/typeorm/load-models';
import type { TableGlob } from '../diff/table-glob';
import { computeDiff } from '../sync/compute-diff';
import { SchemaSyncError, messageOf } from '../util/errors';
import { parseMissingObjectError, type MissingObject } from './parse-error';

/** The diagnosis of one error message. */
export interface Explanation {
  readonly missing: MissingObject;
  /** The entity class and property the object belongs to, when a model declares it. */
  readonly entity: string | null;
  readonly property: string | null;
  readonly table: string | null;
  readonly inModels: boolean;
  readonly inDatabase: boolean;
  /** The pending migration that would create the object, if any. */
  readonly pendingMigration: string | null;
  readonly cause: string;
  /** The one command that fixes it. */
  readonly fix: string;
  /** Pending migrations whose SQL could not be collected, so they were not searched: `cannot dry-run <file>: <reason>`. */
  readonly notes: readonly string[];
}

/** Options of an explanation. */
export interface ExplainOptions {
  readonly projectDir: string;
  readonly source: ModelSource;
  readonly migrationsDir: string;
  readonly ignore?: readonly TableGlob[];
}

/**
 * Turns "Unknown column 'chunks.embedding' in 'field list'" (or PostgreSQL's "column … does not exist", or a missing
 * table) into its cause and the command that fixes it, by checking the models, the live database and the pending
 * migrations.
 */
export async function explainError(client: DatabaseClient, text: string, options: ExplainOptions): Promise<Explanation> {
  const missing = parseMissingObjectError(text);
  if (missing === null) {
    throw new SchemaSyncError('BAD_ARGUMENT', `Not an error schema-sync can explain: expected "Unknown column '…'", "Table '…' doesn't exist", "column … does not exist" or "relation … does not exist"`);
  }
  const outcome = await computeDiff(client, { projectDir: options.projectDir, source: options.source, ignore: options.ignore ?? [] });
  const notes: string[] = [];
  const pending = await pendingStatements(client, options, notes);
  const explanation = missing.kind === 'table'
    ? explainTable(missing, outcome.desired, outcome.actual, outcome.models.entities, pending, client.target)
    : explainColumn(missing, outcome.desired, outcome.actual, outcome.models.entities, pending, client.target);
  return { ...explanation, notes };
}

type Pending = readonly { readonly id: string; readonly statements: readonly string[] }[];

/**
 * The SQL of every pending migration, collected in a dry run. One that cannot be collected (a data migration reading
 * a column an earlier pending migration adds) is left out with a note instead of stopping the explanation.
 */
async function pendingStatements(client: DatabaseClient, options: ExplainOptions, notes: string[]): Promise<Pending> {
  const statuses = await readMigrationStatuses(new History(client), options.migrationsDir);
  const result: { id: string; statements: string[] }[] = [];
  for (const status of statuses) {
    if (status.file === null || status.state === 'applied' || status.state === 'changed') continue;
    try {
      result.push({ id: status.id, statements: await collectStatements(client, loadMigration(status.file, options.projectDir).migrate) });
    } catch (error) {
      notes.push(`cannot dry-run ${path.relative(options.migrationsDir, status.file.path)}: ${messageOf(error)}`);
    }
  }
  return result;
}

function explainTable(missing: Extract<MissingObject, { kind: 'table' }>, desired: Schema, actual: Schema, entities: readonly EntitySummary[], pending: Pending, target: string): Omit<Explanation, 'notes'> {
  const model = desired.tables.find((t) => t.name === missing.table) ?? null;
  const live = actual.tables.find((t) => t.name === missing.table) ?? null;
  const entity = entities.find((m) => m.table === missing.table)?.className ?? null;
  const creator = pending.find((p) => p.statements.some((s) => /^\s*CREATE TABLE/i.test(s) && mentions(s, missing.table)))?.id ?? null;
  const base = { missing, entity, property: null, table: missing.table, inModels: model !== null, inDatabase: live !== null, pendingMigration: creator };
  if (live !== null) {
    return { ...base, cause: `Table ${missing.table} exists in ${target} now: the error came from another database or from before a migration ran.`, fix: 'schema-sync status   # check the application uses this database (DATABASE_URL)' };
  }
  if (model === null) {
    const near = closest(missing.table, desired.tables.map((t) => t.name));
    return {
      ...base,
      cause: `No entity maps to table ${missing.table}${near === null ? '' : ` (the models have ${near})`}: the application runs code the models do not describe (a stale build or a raw query).`,
      fix: near === null ? 'schema-sync diff   # compare the models with the database' : `rebuild and redeploy the application: its models call the table ${near}`,
    };
  }
  if (creator !== null) return { ...base, cause: `Entity ${entity ?? missing.table} maps to table ${missing.table}, which ${target} does not have yet: migration ${creator} creates it but has not been applied.`, fix: 'schema-sync apply' };
  return { ...base, cause: `Entity ${entity ?? missing.table} maps to table ${missing.table}, which ${target} does not have, and no migration creates it.`, fix: 'schema-sync sync   # generate the migration, then: schema-sync apply' };
}

/** The diagnosis of a missing column from the models, the live schema and the pending migrations (pure). */
export function explainColumn(missing: Extract<MissingObject, { kind: 'column' }>, desired: Schema, actual: Schema, entities: readonly EntitySummary[], pending: Pending, target: string): Omit<Explanation, 'notes'> {
  const modelTable = modelTableOf(missing, desired, actual, entities);
  const tableName = modelTable?.name ?? missing.table;
  const liveTable = tableName === null ? null : actual.tables.find((t) => t.name === tableName) ?? null;
  const inModels = modelTable?.columns.some((c) => c.name === missing.column) ?? false;
  const inDatabase = liveTable?.columns.some((c) => c.name === missing.column) ?? false;
  const entity = entities.find((m) => m.table === tableName);
  const property = entity?.properties.get(missing.column) ?? null;
  const adder = pending.find((p) => p.statements.some((s) => /ADD\b/i.test(s) && mentions(s, missing.column) && tableName !== null && mentions(s, tableName)))?.id ?? null;
  const base = { missing, entity: entity?.className ?? null, property, table: tableName, inModels, inDatabase, pendingMigration: adder };
  const where = `${tableName ?? '?'}.${missing.column}`;
  if (inDatabase) return { ...base, cause: `Column ${where} exists in ${target} now: the error came from another database or from before a migration ran.`, fix: 'schema-sync status   # check the application uses this database (DATABASE_URL)' };
  if (liveTable === null && tableName !== null && modelTable !== null) {
    return { ...base, cause: `Table ${tableName} itself is missing from ${target}.`, fix: adder !== null || pending.length > 0 ? 'schema-sync apply' : 'schema-sync sync   # generate the migration, then: schema-sync apply' };
  }
  if (!inModels) {
    const near = modelTable === null ? null : closest(missing.column, modelTable.columns.map((c) => c.name));
    return {
      ...base,
      cause: `No entity declares column ${where}${near === null ? '' : ` (the model has ${near})`}: the application runs code the models do not describe (a stale build or a raw query).`,
      fix: near === null ? 'schema-sync diff   # compare the models with the database' : `rebuild and redeploy the application: its model calls the column ${near}`,
    };
  }
  const liveNear = liveTable === null || modelTable === null ? null : renamedFrom(missing.column, modelTable, liveTable);
  const owner = base.entity === null ? where : `${base.entity}.${property ?? missing.column}`;
  if (liveNear !== null) {
    return {
      ...base,
      cause: `${owner} is column ${missing.column} in the models, but ${target} calls it ${liveNear}: the model and the database disagree on the name.`,
      // The running release already fails on the name, so there is no old release to keep working through an
      // expand/contract copy: one RENAME, now, is the fix.
      fix: `schema-sync sync --rename ${tableName}.${liveNear}=${missing.column} --single-phase   # then: schema-sync apply`,
    };
  }
  if (adder !== null) return { ...base, cause: `${owner} maps to column ${where}, which ${target} does not have yet: migration ${adder} adds it but has not been applied.`, fix: 'schema-sync apply' };
  return { ...base, cause: `${owner} maps to column ${where}, which ${target} does not have, and no migration adds it.`, fix: 'schema-sync sync   # generate the migration, then: schema-sync apply' };
}

/**
 * The live column that is most likely `column` under its old name: among the live columns no model declares, the one
 * with a similar name, else the only one of the same type (`mime_type` renamed `content_type`, both varchar(127)).
 */
function renamedFrom(column: string, modelTable: Table, liveTable: Table): string | null {
  const orphans = liveTable.columns.filter((live) => !modelTable.columns.some((model) => model.name === live.name));
  const byName = closest(column, orphans.map((live) => live.name));
  if (byName !== null) return byName;
  const type = modelTable.columns.find((model) => model.name === column)?.type;
  const sameType = orphans.filter((live) => type !== undefined && deepEqual(live.type, type));
  return sameType.length === 1 ? (sameType[0] as Table['columns'][number]).name : null;
}

/**
 * The model table an error's column belongs to: the table it names; else the entity it names (TypeORM aliases each
 * table by its entity name, `Document.updated_at`); else, for an alias or no qualifier at all, the table that declares
 * the column while the live database lacks it (several entities may declare `updated_at`); else any that declares it.
 */
function modelTableOf(missing: Extract<MissingObject, { kind: 'column' }>, desired: Schema, actual: Schema, entities: readonly EntitySummary[]): Table | null {
  const byName = (name: string | undefined) => (name === undefined ? undefined : desired.tables.find((t) => t.name === name));
  if (missing.table !== null) {
    const named = byName(missing.table);
    if (named !== undefined) return named;
    const alias = missing.table;
    const entity = entities.find((m) => m.className === alias || m.name === alias) ?? entities.find((m) => m.className.toLowerCase() === alias.toLowerCase());
    const aliased = byName(entity?.table);
    if (aliased !== undefined) return aliased;
  }
  const declaring = desired.tables.filter((t) => t.columns.some((c) => c.name === missing.column));
  const lacking = declaring.find((t) => !(actual.tables.find((live) => live.name === t.name)?.columns.some((c) => c.name === missing.column) ?? false));
  return lacking ?? declaring[0] ?? null;
}

/** Whether SQL mentions an identifier, quoted or bare. */
function mentions(sql: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(["\`])${escaped}\\1|\\b${escaped}\\b`).test(sql);
}

/**
 * The most similar name: the same letters ignoring case and underscores, or a few edits away — none for names under
 * four letters (`url` is not `uid`), one up to seven, two beyond — or null.
 */
export function closest(name: string, names: readonly string[]): string | null {
  const squash = (s: string) => s.toLowerCase().replace(/_/g, '');
  const exactish = names.find((n) => n !== name && squash(n) === squash(name));
  if (exactish !== undefined) return exactish;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of names) {
    const shorter = Math.min(squash(candidate).length, squash(name).length);
    const allowed = shorter < 4 ? 0 : shorter < 8 ? 1 : 2;
    const d = distance(squash(candidate), squash(name));
    if (candidate !== name && d <= allowed && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

