/**
 * Views through a release: TypeORM builds the `typeorm-shapes/views` entities, then the models move on
 * (`views-changed`: a column two views read changes type, one view's query changes). Our plan replaces the changed
 * view, rebuilds the views over the changed column where the server needs it (PostgreSQL), keeps TypeORM's metadata
 * rows in step, and its rollback brings back the first release exactly. Also the first release built by us from an
 * empty database, on every target (the shapes suites cover the servers; this adds PGlite).
 */
import * as path from 'node:path';
import fg from 'fast-glob';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import type { Change } from '../../src/change/change';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { introspect } from '../../src/introspect/introspect';
import { planMigration } from '../../src/plan/plan';
import { renderPlan, type RenderedPlan } from '../../src/plan/render-plan';
import { computeDiff } from '../../src/sync/compute-diff';
import { PgliteClient } from '../../src/connect/pglite-client';
import { serveSession } from '../support/pglite-server';
import { createMysqlDatabase, createPostgresDatabase } from '../support/servers';

/** Where the views run: the two servers and PGlite (served on a socket, so TypeORM reaches it too). */
export type ViewsTarget = 'postgres' | 'mariadb' | 'pglite';

const ROOT = path.resolve(__dirname, '..', '..');
const FIRST = ['test/fixtures/typeorm-shapes/views/*.ts'];
const SECOND = ['test/fixtures/views-changed/*.ts'];
const HAND_MADE = 'CREATE VIEW legacy_report AS SELECT 2 AS two';

interface OpenDatabase {
  readonly client: DatabaseClient;
  /** A URL for one TypeORM session, and what ends it. */
  session(): Promise<{ readonly url: string; end(): Promise<void> }>;
  /** The database name MariaDB introspection needs. */
  readonly url: string;
  close(): Promise<void>;
}

async function open(target: ViewsTarget, suite: string): Promise<OpenDatabase> {
  if (target === 'pglite') {
    const client = await PgliteClient.open(null);
    const session = async () => {
      const served = await serveSession(client);
      return { url: served.url, end: () => served.stop() };
    };
    return { client, session, url: 'postgres://pglite/postgres', close: () => client.close() };
  }
  const database = target === 'postgres' ? await createPostgresDatabase(suite) : await createMysqlDatabase(suite);
  const client = target === 'postgres' ? await PgClient.connect(database.url, database.url) : await MysqlClient.connect(database.url, database.url);
  return {
    client,
    url: database.url,
    session: async () => ({ url: database.url, end: async () => undefined }),
    async close() {
      await client.close();
      await database.drop();
    },
  };
}

function entitiesOf(globs: readonly string[]): Function[] {
  const files = fg.sync([...globs], { cwd: ROOT, absolute: true }).sort();
  const tables = getMetadataArgsStorage().tables;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = files.flatMap((file) => Object.values(require(file) as Record<string, unknown>));
  return exported.filter((value): value is Function => typeof value === 'function' && tables.some((table) => table.target === value));
}

async function withTypeorm<T>(target: ViewsTarget, database: OpenDatabase, globs: readonly string[], body: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const session = await database.session();
  const dataSource = new DataSource({ type: target === 'mariadb' ? 'mariadb' : 'postgres', url: session.url, entities: entitiesOf(globs), logging: false });
  try {
    await dataSource.initialize();
    return await body(dataSource);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await session.end();
  }
}

async function typeormPending(target: ViewsTarget, database: OpenDatabase, globs: readonly string[]): Promise<string[]> {
  return withTypeorm(target, database, globs, async (dataSource) => (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query));
}

async function plan(client: DatabaseClient, globs: readonly string[]): Promise<{ changes: readonly Change[]; rendered: RenderedPlan; forward: readonly Change[] }> {
  const outcome = await computeDiff(client, { projectDir: ROOT, source: { kind: 'globs', globs } });
  const planned = planMigration(outcome.actual, outcome.desired, { allowDrop: false, renames: [] });
  return { changes: outcome.diff.changes, rendered: renderPlan(planned, outcome.actual, sqlDialectFor(client.dialect)), forward: planned.forward };
}

async function run(client: DatabaseClient, groups: RenderedPlan['migrate']): Promise<void> {
  for (const group of groups) for (const statement of group.statements) await client.execute(statement);
}

async function ourChanges(client: DatabaseClient, globs: readonly string[]): Promise<string[]> {
  const outcome = await computeDiff(client, { projectDir: ROOT, source: { kind: 'globs', globs } });
  return outcome.diff.changes.map((change) => `${change.kind} ${JSON.stringify(change)}`);
}

function viewSteps(changes: readonly Change[]): string[] {
  return changes.flatMap((change) => {
    if (change.kind === 'create_view' || change.kind === 'drop_view') return [`${change.kind} ${change.view.name}`];
    if (change.kind === 'replace_view') return [`replace_view ${change.to.name}`];
    if (change.kind === 'alter_column') return [`alter_column ${change.table.name}.${change.to.name}`];
    return [];
  });
}

/** The suite for one target. */
export function describeViews(target: ViewsTarget): void {
  const postgres = target !== 'mariadb';

  describe(`views on ${target}`, () => {
    it('TypeORM builds release 1 -> release 2 replaces the changed view and rebuilds what the server needs -> both in step -> rollback gives release 1', async () => {
      const database = await open(target, 'views_release');
      try {
        await withTypeorm(target, database, FIRST, async (dataSource) => {
          await dataSource.query(HAND_MADE);
          await dataSource.synchronize();
        });
        const next = await plan(database.client, SECOND);
        expect(viewSteps(next.changes)).toEqual(['replace_view big_spenders', 'alter_column orders.totalCents']);
        expect(viewSteps(next.forward)).toEqual(
          postgres
            ? [
                'drop_view big_spenders',
                'drop_view customer_order_totals',
                'drop_view order_stats',
                'alter_column orders.totalCents',
                'create_view customer_order_totals',
                'create_view order_stats',
                'create_view big_spenders',
              ]
            : ['drop_view big_spenders', 'alter_column orders.totalCents', 'create_view big_spenders'],
        );
        await run(database.client, next.rendered.migrate);
        expect(await ourChanges(database.client, SECOND)).toEqual([]);
        expect(await typeormPending(target, database, SECOND)).toEqual([]);
        await run(database.client, next.rendered.rollback);
        expect(await ourChanges(database.client, FIRST)).toEqual([]);
        expect(await typeormPending(target, database, FIRST)).toEqual([]);
      } finally {
        await database.close();
      }
    });

    it('empty database -> our migration -> TypeORM and we agree -> rollback leaves only the hand-made view', async () => {
      const database = await open(target, 'views_round_trip');
      try {
        await database.client.execute(HAND_MADE);
        const first = await plan(database.client, FIRST);
        await run(database.client, first.rendered.migrate);
        expect(await ourChanges(database.client, FIRST)).toEqual([]);
        expect(await typeormPending(target, database, FIRST)).toEqual([]);
        await run(database.client, first.rendered.rollback);
        const left = await introspect(database.client, target === 'mariadb' ? { database: new URL(database.url).pathname.slice(1) } : {});
        expect(left.tables.map((table) => table.name)).toEqual([]);
        expect((left.views ?? []).map((view) => view.name)).toEqual(['legacy_report']);
      } finally {
        await database.close();
      }
    });
  });
}
