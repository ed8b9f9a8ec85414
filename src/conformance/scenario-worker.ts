import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TypeormModule from 'typeorm';
import { applyMigrations } from '../apply/applier';
import { HISTORY_TABLE } from '../apply/history-sql';
import { rollbackMigrations } from '../apply/rollback';
import type { DatabaseClient } from '../connect/client';
import { connect } from '../connect/connect';
import { PgliteClient } from '../connect/pglite-client';
import { compileWasmBaselineOnly } from '../connect/wasm-baseline';
import { pristineFingerprint, resetEmbedded } from '../connect/pglite-reset';
import { describeChange } from '../report/describe-change';
import { computeDiff } from '../sync/compute-diff';
import { generateMigration } from '../sync/generate';
import { keepEmbeddedShadows } from '../verify/shadow';
import { messageOf } from '../util/errors';
import { causeOfChange, causeOfMessage } from './causes';
import { installModuleRedirects } from './module-redirects';
import { PhaseClock } from './phase-clock';
import { PRELOAD_ENV, PREWARM_DIALECT_ENV, PREWARM_PGLITE_TEMPLATE_ENV } from './worker-pool';
import type { OurOutcome, ReportedDifference, RoundTripOutcome, ScenarioJob, ScenarioResult, TypeormOutcome } from './scenario';
import type { DatabaseLocation } from './throwaway-database';

/** An open scenario database: our client, and the URL TypeORM connects with. */
interface OpenDatabase {
  readonly client: DatabaseClient;
  readonly typeormUrl: string;
  /**
   * PGlite: the fingerprint of the database as opened (empty), so the round trip can empty it again and reuse it
   * instead of starting another PGlite (see resetEmbedded); null on a server, where each phase has a database of its own.
   */
  readonly pristine: string | null;
  close(): Promise<void>;
  /** PGlite: stops the socket server only, keeping the database open for the next one (see emptyDatabase). */
  stopServing?(): Promise<void>;
}

/**
 * Runs one scenario in this process: TypeORM's synchronize() and log() on a fresh database, our diff of it, and the
 * round trip. One process per scenario, because TypeORM keeps its decorator metadata in a process-wide store and Node
 * its module cache: nothing one scenario loads may be seen by the next.
 */
export async function runScenario(job: ScenarioJob, clock = new PhaseClock()): Promise<ScenarioResult> {
  const started = performance.now();
  // As the CLI does before it imports a model file: entity and DataSource files may pick types by it.
  process.env.SCHEMA_SYNC_DIALECT = job.dialect === 'pglite' ? 'postgres' : job.dialect;
  installModuleRedirects(job.redirects);
  // The round trip verifies its migration and guards its rollback, each in an embedded shadow on PGlite: the second
  // reuses the first, emptied (and checked empty), instead of starting PGlite and running initdb again.
  if (job.dialect === 'pglite') keepEmbeddedShadows();
  const typeorm = await clock.time('load TypeORM', async () => require(job.typeormMain) as typeof TypeormModule);
  const agreement = await clock.time('open databases', () => openDatabase(job.agreementDatabase, job.dialect));
  let typeormOutcome: TypeormOutcome;
  const ours: OurOutcome[] = [];
  let roundTrip: RoundTripOutcome | null = null;
  let open: OpenDatabase | null = agreement;
  try {
    try {
      typeormOutcome = await clock.time('TypeORM synchronize + log', () => synchronizeThenLog(typeorm, job, agreement.typeormUrl));
      if (typeormOutcome.status !== 'error') for (const load of job.ours) ours.push(await clock.time(`our diff (${load.mode})`, () => ourDiff(agreement.client, job, load)));
    } finally {
      if (agreement.pristine === null) {
        open = null;
        await clock.time('close databases', () => agreement.close());
      }
    }
    const typeormClean = typeormOutcome.status === 'clean';
    // TypeORM's log() after our apply must be what it is after TypeORM's own synchronize(): empty when that is clean.
    const expectedLog = typeormOutcome.status === 'clean' ? [] : typeormOutcome.status === 'unclean' ? typeormOutcome.pending : null;
    if (job.roundTripDatabase !== null && (typeormClean || job.roundTripWhateverTypeorm === true)) {
      const reused = open;
      open = null;
      roundTrip = await runRoundTrip(typeorm, job, job.roundTripDatabase, expectedLog, clock, reused);
    }
  } finally {
    const left = open;
    if (left !== null) await clock.time('close databases', () => left.close());
  }
  return result(job, typeormOutcome, ours, roundTrip, started, clock);
}

function result(job: ScenarioJob, typeorm: TypeormOutcome, ours: OurOutcome[], roundTrip: RoundTripOutcome | null, started: number, clock: PhaseClock): ScenarioResult {
  const cpu = process.cpuUsage();
  return { id: job.id, dialect: job.dialect, typeorm, ours, roundTrip, ms: Math.round(performance.now() - started), phases: clock.phases(), cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}

async function openDatabase(location: DatabaseLocation, dialect: ScenarioJob['dialect']): Promise<OpenDatabase> {
  if (location.kind === 'url') {
    const client = await connect({ url: location.url });
    const typeormUrl = dialect === 'mariadb' || dialect === 'mysql' ? location.url.replace(/^mariadb:/, 'mysql:') : location.url;
    return { client, typeormUrl, pristine: null, close: () => client.close() };
  }
  const loaded = spareDatabase !== null && spareDatabase.template === location.template ? await spareDatabase.opening : null;
  spareDatabase = null;
  const client = loaded ?? (await openSaved(savedDataDir(location.template)));
  const pristine = await pristineFingerprint(client);
  return servedOverSocket(client, pristine);
}

/** A PGlite database loaded into memory from the run's saved fresh data directory. */
async function openSaved(saved: Blob): Promise<PgliteClient> {
  return PgliteClient.open(null, undefined, { loadDataDir: saved });
}

function savedDataDir(template: string): Blob {
  return new Blob([fs.readFileSync(template)]);
}

/** The scenario's database, loaded by a spare worker while it waits for its job (null once taken, or if it failed). */
let spareDatabase: { readonly template: string; readonly opening: Promise<PgliteClient | null> } | null = null;

/** A PGlite database with a socket server of its own in front, for TypeORM (through pg) to connect to. */
async function servedOverSocket(client: PgliteClient, pristine: string): Promise<OpenDatabase> {
  const { PGLiteSocketServer } = require('@electric-sql/pglite-socket') as typeof import('@electric-sql/pglite-socket');
  const server = new PGLiteSocketServer({ db: client.pglite as never, port: 0, host: '127.0.0.1' });
  await server.start();
  const port = (server as unknown as { server: { address(): { port: number } } }).server.address().port;
  return {
    client,
    // PGlite's one database is template1 (the socket ignores the name): TypeORM writes the URL's name into its rows
    // about generated columns and reads them back by current_database(), so any other name never settles.
    typeormUrl: `postgres://postgres@127.0.0.1:${port}/template1`,
    pristine,
    async close() {
      await server.stop();
      await client.close();
    },
    async stopServing() {
      await server.stop();
    },
  };
}

/** TypeORM's DataSource for the scenario, connected to `url`; the user's own options where a DataSource file gives them. */
function typeormDataSource(typeorm: typeof TypeormModule, job: ScenarioJob, url: string): TypeormModule.DataSource {
  const type = job.dialect === 'pglite' ? 'postgres' : job.dialect;
  const connection = { type, url, synchronize: false, migrationsRun: false, dropSchema: false, logging: false, ...(job.dialect === 'pglite' ? { extra: { max: 1 } } : {}) };
  if (job.typeorm.kind === 'entities') {
    return new typeorm.DataSource({ ...connection, entities: [...job.typeorm.entities] } as TypeormModule.DataSourceOptions);
  }
  const exported = require(job.typeorm.file) as Record<string, unknown>;
  const own = Object.values(exported).find((value): value is TypeormModule.DataSource => value instanceof typeorm.DataSource);
  if (own === undefined) throw new Error(`${job.typeorm.file} exports no DataSource of the project's TypeORM`);
  const { host: _host, port: _port, username: _username, password: _password, database: _database, replication: _replication, migrations: _migrations, subscribers: _subscribers, ...kept } =
    own.options as unknown as Record<string, unknown>;
  const database = job.dialect === 'mariadb' || job.dialect === 'mysql' ? { database: new URL(url).pathname.slice(1) } : {};
  return new typeorm.DataSource({ ...kept, ...connection, ...database } as TypeormModule.DataSourceOptions);
}

async function synchronizeThenLog(typeorm: typeof TypeormModule, job: ScenarioJob, url: string): Promise<TypeormOutcome> {
  let dataSource: TypeormModule.DataSource;
  try {
    dataSource = typeormDataSource(typeorm, job, url);
    await dataSource.initialize();
  } catch (error) {
    return { status: 'error', error: `TypeORM cannot build the scenario: ${messageOf(error)}` };
  }
  try {
    const entities = dataSource.entityMetadatas.filter((metadata) => metadata.tableType !== 'view').length;
    try {
      await dataSource.synchronize();
      // A project that names its migrations table runs TypeORM's migrations: the table is there beside the entities'.
      if (dataSource.options.migrationsTableName !== undefined) await dataSource.runMigrations();
    } catch (error) {
      return { status: 'error', error: `TypeORM's synchronize() fails: ${messageOf(error)}` };
    }
    const pending = await pendingTypeormQueries(dataSource);
    return pending.length === 0 ? { status: 'clean', entities } : { status: 'unclean', entities, pending };
  } finally {
    await dataSource.destroy().catch(() => undefined);
  }
}

async function pendingTypeormQueries(dataSource: TypeormModule.DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((query) => query.query);
}

async function ourDiff(client: DatabaseClient, job: ScenarioJob, load: ScenarioJob['ours'][number]): Promise<OurOutcome> {
  return (await ourDiffWithOrmTables(client, job, load)).outcome;
}

/** Our diff, and the names of TypeORM's own tables the project's models give (null when they did not load). */
async function ourDiffWithOrmTables(
  client: DatabaseClient,
  job: ScenarioJob,
  load: ScenarioJob['ours'][number],
): Promise<{ outcome: OurOutcome; metadataTable: { readonly ormMetadataTable: string; readonly ormMetadataSchema?: string } | null }> {
  try {
    const outcome = await computeDiff(client, { projectDir: job.projectDir, source: load.source });
    const changes: ReportedDifference[] = outcome.diff.changes.map((change) => ({ cause: causeOfChange(change), detail: detailOf(change) }));
    const tables = outcome.desired.tables.length;
    const ours: OurOutcome = changes.length === 0 ? { mode: load.mode, status: 'in-sync', tables } : { mode: load.mode, status: 'changes', changes, tables };
    const { name, schema } = outcome.models.ormMetadataTable;
    return { outcome: ours, metadataTable: { ormMetadataTable: name, ...(schema === null ? {} : { ormMetadataSchema: schema }) } };
  } catch (error) {
    return { outcome: { mode: load.mode, status: 'error', error: messageOf(error) }, metadataTable: null };
  }
}

function detailOf(change: Parameters<typeof describeChange>[0]): string {
  const table = 'table' in change && change.table !== null && typeof change.table === 'object' && 'name' in change.table ? `${String(change.table.name)}: ` : '';
  return `${table}${describeChange(change).detail}`;
}

/**
 * Empty database → sync → apply → our diff and TypeORM's log() empty → rollback → nothing left. TypeORM's log() must
 * give `expectedLog`, what it gives after TypeORM's own synchronize() (empty when that is clean; the same statements
 * when TypeORM leaves its own changes); it is not consulted (null) where TypeORM cannot synchronize the project.
 */
async function runRoundTrip(
  typeorm: typeof TypeormModule,
  job: ScenarioJob,
  location: DatabaseLocation,
  expectedLog: readonly string[] | null,
  clock: PhaseClock,
  reusable: OpenDatabase | null,
): Promise<RoundTripOutcome> {
  const database = await emptyDatabase(reusable, location, job.dialect, clock);
  const source = job.ours[0]!.source;
  const failed = (stage: Extract<RoundTripOutcome, { status: 'failed' }>['stage'], detail: string): RoundTripOutcome => ({
    status: 'failed',
    stage,
    cause: `${stage}: ${causeOfMessage(detail)}`,
    detail,
  });
  try {
    const { client } = database;
    const migrationsDir = job.migrationsDir;
    fs.mkdirSync(migrationsDir, { recursive: true });
    const liveUrl = location.kind === 'url' ? { liveUrl: location.url } : {};
    const shadowOf = (shadow: DatabaseLocation | undefined) => (shadow?.kind === 'url' ? { shadowDatabase: shadow.url } : {});
    let generated;
    try {
      generated = await clock.time('round trip: sync', () =>
        generateMigration(client, { projectDir: job.projectDir, source, migrationsDir, release: '0.0.1', allowDrop: false, force: false, renames: [], verify: job.verify, dryRun: false, ...liveUrl, ...shadowOf(job.shadowDatabases?.sync) }),
      );
    } catch (error) {
      return failed('sync', messageOf(error));
    }
    let statements = 0;
    try {
      // splitTransactions as a user passes it once apply says the server's lock table cannot hold the migration in one
      // transaction (OneUptime's thousand tables); a migration that fits still runs in one.
      const applied = await clock.time('round trip: apply', () => applyMigrations(client, { projectDir: job.projectDir, migrationsDir, dryRun: false, allowChanged: false, lockTimeoutSeconds: 30, splitTransactions: true }));
      statements = applied.reduce((sum, migration) => sum + migration.statements, 0);
    } catch (error) {
      return failed('apply', messageOf(error));
    }
    const { outcome: after, metadataTable } = await clock.time('round trip: our diff', () => ourDiffWithOrmTables(client, job, job.ours[0]!));
    if (after.status === 'error') return failed('our-diff', after.error);
    if (after.status === 'changes') return { status: 'failed', stage: 'our-diff', cause: `our-diff: ${after.changes[0]!.cause}`, detail: after.changes.map((change) => change.detail).join('; ') };
    if (expectedLog !== null) {
      try {
        const pending = await clock.time('round trip: TypeORM log', () => typeormLogOnly(typeorm, job, database.typeormUrl));
        if (pending.join('\n') !== expectedLog.join('\n')) return { status: 'failed', stage: 'typeorm-log', cause: `typeorm-log: ${causeOfMessage(pending[0]!)}`, detail: pending.join('; ') };
      } catch (error) {
        return failed('typeorm-log', messageOf(error));
      }
    }
    if (generated.file !== null) {
      try {
        await clock.time('round trip: rollback', () =>
          rollbackMigrations(client, { projectDir: job.projectDir, migrationsDir, steps: 1, dryRun: false, allowChanged: false, lockTimeoutSeconds: 30, splitTransactions: true, guard: { ...liveUrl, ...(metadataTable ?? {}), ...shadowOf(job.shadowDatabases?.rollback) } }),
        );
      } catch (error) {
        return failed('rollback', messageOf(error));
      }
    }
    const left = await clock.time('round trip: leftovers', () => leftovers(client));
    if (left.length > 0) return failed('leftover', `left after rollback: ${left.join(', ')}`);
    const typeormLog = expectedLog === null ? 'not consulted' : expectedLog.length === 0 ? 'empty' : 'as after its synchronize()';
    return { status: 'clean', statements, typeormLog, tables: after.tables ?? 0 };
  } finally {
    await clock.time('close databases', () => database.close());
  }
}

/**
 * The round trip's empty database: the agreement's PGlite emptied again when resetEmbedded proves it as empty as it was
 * opened, else the round trip's own fresh copy.
 */
async function emptyDatabase(reusable: OpenDatabase | null, location: DatabaseLocation, dialect: ScenarioJob['dialect'], clock: PhaseClock): Promise<OpenDatabase> {
  if (reusable !== null && reusable.pristine !== null && reusable.client instanceof PgliteClient) {
    const { client, pristine } = reusable;
    // A new socket server too, as a fresh database gets: nothing of the agreement's TypeORM connection carries over.
    await reusable.stopServing?.();
    if (await clock.time('empty the database again', () => resetEmbedded(client, pristine))) return servedOverSocket(client, pristine);
    await clock.time('close databases', () => client.close());
    return clock.time('open databases', () => openDatabase(location, dialect));
  }
  if (reusable !== null) await clock.time('close databases', () => reusable.close());
  return clock.time('open databases', () => openDatabase(location, dialect));
}

async function typeormLogOnly(typeorm: typeof TypeormModule, job: ScenarioJob, url: string): Promise<string[]> {
  const dataSource = typeormDataSource(typeorm, job, url);
  await dataSource.initialize();
  try {
    return await pendingTypeormQueries(dataSource);
  } finally {
    await dataSource.destroy().catch(() => undefined);
  }
}

/** Tables, views and types still in the database after the rollback, other than our own history table. */
async function leftovers(client: DatabaseClient): Promise<string[]> {
  if (client.dialect === 'postgres') {
    const rows = await client.query<{ name: string }>(
      `SELECT n.nspname || '.' || c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
          AND NOT (c.relname = $1 OR c.relname LIKE $1 || '_%')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
       UNION ALL
       SELECT 'type ' || n.nspname || '.' || t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype = 'e' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
      [HISTORY_TABLE],
    );
    return rows.map((row) => row.name);
  }
  const rows = await client.query<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> ?',
    [HISTORY_TABLE],
  );
  return rows.map((row) => row.name);
}

/** The worker process: one job in over IPC, one result out, then exit (drivers may hold handles open). */
if (require.main === module) {
  compileWasmBaselineOnly();
  // A spare worker loads the reference TypeORM (and ts-morph) while it waits for its job (see WorkerPool).
  for (const preload of (process.env[PRELOAD_ENV] ?? '').split('\n')) if (preload !== '') require(preload);
  // On PGlite it also starts the embedded shadow its round trip will verify in (WebAssembly and initdb take seconds).
  // Both start from the run's saved fresh data directory, where there is one: no initdb.
  const template = process.env[PREWARM_PGLITE_TEMPLATE_ENV] || undefined;
  const saved = template === undefined ? undefined : savedDataDir(template);
  if (process.env[PREWARM_DIALECT_ENV] === 'pglite') keepEmbeddedShadows({ prewarm: true, ...(saved === undefined ? {} : { loadDataDir: saved }) });
  if (template !== undefined && saved !== undefined) spareDatabase = { template, opening: openSaved(saved).catch(() => null) };
  process.once('message', (job: ScenarioJob) => {
    process.chdir(job.projectDir);
    runScenario(job).then(
      (scenarioResult) => process.send!(scenarioResult, undefined, {}, () => process.exit(0)),
      (error: unknown) => {
        const message = messageOf(error);
        const failure: ScenarioResult = { id: job.id, dialect: job.dialect, typeorm: { status: 'error', error: `harness: ${message}` }, ours: [], roundTrip: null, ms: 0 };
        process.send!(failure, undefined, {}, () => process.exit(0));
      },
    );
  });
}

/** This file compiled, for the runner to fork (from the build when this module runs from source, as under jest). */
export const SCENARIO_WORKER = fs.existsSync(path.join(__dirname, 'scenario-worker.js'))
  ? path.join(__dirname, 'scenario-worker.js')
  : path.join(__dirname, '..', '..', 'dist', 'conformance', 'scenario-worker.js');
