import * as path from 'node:path';
import type { DatabaseClient } from '../connect/client';
import { History, historySqlFor } from '../apply/history';
import { loadMigration } from '../apply/load-migration';
import type { MigrationFile } from '../apply/migration-files';
import { readMigrationStatuses, type MigrationStatus } from '../apply/migration-status';
import { executeStatements, runStatement, StatementFailure } from '../apply/run-steps';
import { sqlDialectFor } from '../dialect/sql-dialects';
import { introspect, type IntrospectScope } from '../introspect/introspect';
import { normalizeSchema } from '../model/normalize';
import type { Schema } from '../model/schema';
import type { Phase } from '../plan/phase';
import { planMigration } from '../plan/plan';
import { renderPlan } from '../plan/render-plan';
import { loadModels, type LoadedModels } from '../source/typeorm/load-models';
import { modelLoadContext } from '../sync/compute-diff';
import { SchemaSyncError, messageOf } from '../util/errors';
import { openShadow } from '../verify/shadow';
import { checkCompatibility, type Incompatibility } from './check-compat';
import type { OldModels } from './old-models';

/** What `compat` needs. */
export interface CompatOptions {
  readonly projectDir: string;
  /** Root of the release folders (absolute). */
  readonly migrationsDir: string;
  readonly old: OldModels;
  /** The live database's URL (a shadow database is made on its server); absent for the embedded database. */
  readonly liveUrl?: string;
  readonly shadowUrl?: string;
  /** A deploy phase: run the pending migrations up to the end of that phase (see migrationsForPhase); absent: all. */
  readonly phase?: Phase;
}

/** A pending migration as compat runs it. */
export interface PendingMigration {
  readonly id: string;
  readonly file: MigrationFile;
}

/** An incompatibility, with the pending migration after which it appears (null: the database already had it). */
export interface CompatFinding extends Incompatibility {
  readonly migration: string | null;
}

/** What `compat` found. */
export interface CompatResult {
  readonly against: string;
  readonly target: string;
  readonly shadow: string;
  readonly phase?: Phase;
  /** The pending migrations run in the shadow, in order. */
  readonly migrations: readonly string[];
  readonly entities: number;
  readonly findings: readonly CompatFinding[];
  readonly notes: readonly string[];
}

/**
 * Loads the old release's models, copies the live schema into a shadow database, runs the pending migrations there
 * one by one (reading the schema after each), and checks the old models against the result. Each incompatibility is
 * tied to the first migration after which it holds to the end, so the report names the migration that breaks it.
 */
export async function runCompat(live: DatabaseClient, options: CompatOptions): Promise<CompatResult> {
  const context = await modelLoadContext(live);
  const models = await loadModels({ projectDir: options.old.projectDir, source: options.old.source, ...context.load });
  const scope = scopeOf(models);
  const pending = migrationsForPhase(await pendingMigrations(live, options), options.phase);
  const current = normalizeSchema(await introspect(live, context.database === null ? scope : { ...scope, database: context.database }));
  const shadow = await openShadow(live, options.liveUrl, options.shadowUrl);
  try {
    await copySchema(shadow.client, current);
    const snapshots: Schema[] = [await snapshot(shadow.client, scope)];
    const resumeFrom = await statementsDone(live);
    for (const migration of pending) {
      await runInShadow(shadow.client, migration, options.projectDir, resumeFrom.get(migration.id) ?? 0);
      snapshots.push(await snapshot(shadow.client, scope));
    }
    const old = { schema: normalizeSchema(models.schema), entities: models.entities };
    const found = snapshots.map((schema) => checkCompatibility(old, schema));
    return {
      against: options.old.label,
      target: live.target,
      shadow: shadow.description,
      ...(options.phase === undefined ? {} : { phase: options.phase }),
      migrations: pending.map((migration) => migration.id),
      entities: models.entityCount,
      findings: attribute(found, pending.map((migration) => migration.id)),
      notes: shadow.notes,
    };
  } finally {
    await shadow.close();
  }
}

/**
 * The pending migrations whose schema the old release meets in a phase, in apply order. `expand`: the expand
 * migrations, which run while the old release does; one of another phase (or none) before the last of them stops the
 * check, as it stops `apply --phase expand`. `contract`: every pending migration up to the last contract one, since the
 * expand migrations before it have run by then. No phase: all pending migrations. A migration's phase is what its file
 * declares (`export const phase = "expand"`), read as `apply --phase` reads it.
 */
export function migrationsForPhase(pending: readonly PendingMigration[], phase: Phase | undefined): PendingMigration[] {
  if (phase === undefined) return [...pending];
  const phaseOf = (migration: PendingMigration) => migration.file.phase;
  const last = pending.map(phaseOf).lastIndexOf(phase);
  if (phase === 'contract') return pending.slice(0, last + 1);
  const other = pending.slice(0, last).find((migration) => phaseOf(migration) !== 'expand');
  if (other !== undefined) {
    const declared = phaseOf(other);
    throw new SchemaSyncError(
      'HISTORY_MISMATCH',
      `compat --phase expand: ${other.id} comes before the pending expand migrations and ${declared === null ? 'declares no phase' : `is a ${declared} migration`}, so apply --phase expand would not run past it; check without --phase, or settle it first`,
    );
  }
  return pending.filter((migration) => phaseOf(migration) === 'expand');
}

/**
 * Ties each incompatibility of the last schema to the migration from which on it holds in every later schema
 * (a table dropped by one migration and made again by a later one is not that migration's fault).
 */
export function attribute(found: readonly (readonly Incompatibility[])[], migrations: readonly string[]): CompatFinding[] {
  const last = found[found.length - 1] ?? [];
  const keys = found.map((list) => new Set(list.map(keyOf)));
  const dated = last.map((incompatibility) => {
    const key = keyOf(incompatibility);
    let since = keys.length - 1;
    while (since > 0 && (keys[since - 1] as Set<string>).has(key)) since--;
    return { since, finding: { ...incompatibility, migration: since === 0 ? null : (migrations[since - 1] as string) } };
  });
  // In the order the migrations run: the report reads as the story of the release.
  return dated.sort((a, b) => a.since - b.since).map((entry) => entry.finding);
}

function keyOf(incompatibility: Incompatibility): string {
  return `${incompatibility.code}\u0000${incompatibility.table}\u0000${incompatibility.column ?? ''}`;
}

/** The migrations apply would run, in its order. */
async function pendingMigrations(live: DatabaseClient, options: CompatOptions): Promise<PendingMigration[]> {
  const statuses = await readMigrationStatuses(new History(live), options.migrationsDir);
  return statuses.filter(isPending).map((status) => ({ id: status.id, file: status.file as MigrationFile }));
}

function isPending(status: MigrationStatus): boolean {
  return status.file !== null && status.state !== 'applied' && status.state !== 'changed';
}

/** Statements a stopped migration already did where DDL commits itself (MySQL, MariaDB): the shadow skips them too. */
async function statementsDone(live: DatabaseClient): Promise<Map<string, number>> {
  if (historySqlFor(live).journal === null) return new Map();
  return new Map((await new History(live).all()).filter((record) => record.status !== 'applied').map((record) => [record.id, record.statementsDone]));
}

async function runInShadow(shadow: DatabaseClient, migration: PendingMigration, projectDir: string, skip: number): Promise<void> {
  const loaded = loadMigration(migration.file, projectDir);
  if (loaded.dialect !== null && (loaded.dialect === 'postgres') !== (shadow.dialect === 'postgres')) {
    throw new SchemaSyncError('MIGRATION_FAILED', `Migration ${migration.id} is written for ${loaded.dialect}, but the database is ${shadow.dialect}`);
  }
  const where = path.relative(projectDir, migration.file.path) || migration.file.path;
  // The embedded database has one connection and no concurrent builds: it runs CONCURRENTLY forms plainly, as apply does there.
  const online = historySqlFor(shadow).transaction?.online;
  const asRun = (sql: string) => (shadow.embedded && online !== undefined ? online.embeddedForm(sql) : sql);
  try {
    await executeStatements(shadow, loaded.migrate, { skip, run: (index, sql) => runStatement(shadow, index, asRun(sql)), log: () => undefined });
  } catch (error) {
    const detail = error instanceof StatementFailure ? `statement ${error.index} failed:\n  ${error.sql}\n  ${messageOf(error.original)}` : `its migrate() threw: ${messageOf(error)}`;
    throw new SchemaSyncError('MIGRATION_FAILED', `Migration ${migration.id} (${where}) cannot run in the shadow database: ${detail}`, { cause: error });
  }
}

/** The live schema, created from nothing in the shadow as verification copies it. */
async function copySchema(shadow: DatabaseClient, schema: Schema): Promise<void> {
  const empty: Schema = { dialect: schema.dialect, tables: [], enums: [] };
  const rendered = renderPlan(planMigration(empty, schema, { allowDrop: true, renames: [] }), empty, sqlDialectFor(schema.dialect));
  let n = 0;
  for (const group of rendered.migrate) {
    for (const statement of group.statements) {
      n++;
      try {
        await shadow.execute(statement);
      } catch (error) {
        throw new SchemaSyncError('VERIFY_FAILED', `Cannot copy the live schema into the shadow database, statement ${n} (${group.comment}):\n  ${statement}\n  ${messageOf(error)}`, { cause: error });
      }
    }
  }
}

async function snapshot(shadow: DatabaseClient, scope: IntrospectScope): Promise<Schema> {
  return normalizeSchema(await introspect(shadow, scope));
}

/** The PostgreSQL schemas and the ORM metadata table the old models use. */
function scopeOf(models: LoadedModels): IntrospectScope {
  const extraSchemas = [...models.schema.tables, ...models.schema.enums, ...(models.schema.views ?? [])]
    .map((item) => item.schema)
    .filter((schema): schema is string => schema !== null);
  const metadataSchema = models.ormMetadataTable.schema;
  return { extraSchemas: [...new Set(extraSchemas)], ormMetadataTable: models.ormMetadataTable.name, ...(metadataSchema === null ? {} : { ormMetadataSchema: metadataSchema }) };
}
