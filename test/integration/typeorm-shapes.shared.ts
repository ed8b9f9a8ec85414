/**
 * Entity shapes seen in real TypeORM projects and in TypeORM's own test folders, each a fixture folder under
 * test/fixtures/typeorm-shapes. Every shape goes through both directions:
 *   agreement: TypeORM's synchronize() builds it, TypeORM's log() is then empty, and our diff is empty;
 *   round trip: on an empty database our plan's SQL runs, then our diff and TypeORM's log() are empty, and the
 *   rollback leaves no table behind.
 * One test file per dialect, because shapes may read SCHEMA_SYNC_DIALECT while their decorators run.
 */
import * as path from 'node:path';
import fg from 'fast-glob';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { introspect } from '../../src/introspect/introspect';
import { planMigration } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { computeDiff } from '../../src/sync/compute-diff';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

/** The servers the shapes run on. */
export type ShapeDialect = 'postgres' | 'mariadb';

/** One fixture folder and where it applies. */
export interface Shape {
  readonly folder: string;
  readonly dialects: readonly ShapeDialect[];
  /** Statements run first on a fresh database (extensions). */
  readonly prepare?: readonly string[];
  /** Where TypeORM's own log() is not empty even on what it built itself (its bug): only our side is checked there. */
  readonly typeormNeverSettles?: readonly ShapeDialect[];
  /** Views the rollback must leave behind: those `prepare` made, which the models mark as not theirs. */
  readonly keptViews?: readonly string[];
  /**
   * After our migration the catalog must read back exactly as after TypeORM's synchronize() (where neither diff would
   * see a difference, such as a constraint's DEFERRABLE on TypeORM's side).
   */
  readonly sameCatalogAsTypeorm?: boolean;
  /** `table.column` names the catalog must show as generated after our migration (with STORED or VIRTUAL). */
  readonly expectGenerated?: Readonly<Partial<Record<ShapeDialect, readonly string[]>>>;
}

const ROOT = path.resolve(__dirname, '..', '..');
const SHAPES_DIR = 'test/fixtures/typeorm-shapes';

function globsOf(shape: Shape): string[] {
  return [`${SHAPES_DIR}/${shape.folder}/**/*.ts`];
}

/** The entity classes of a shape, loaded through jest's registry for TypeORM's own DataSource. */
function entitiesOf(shape: Shape): Function[] {
  const files = fg.sync(globsOf(shape), { cwd: ROOT, absolute: true }).sort();
  const tables = getMetadataArgsStorage().tables;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = files.flatMap((file) => Object.values(require(file) as Record<string, unknown>));
  return exported.filter((value): value is Function => typeof value === 'function' && tables.some((table) => table.target === value));
}

async function openClient(dialect: ShapeDialect, url: string): Promise<DatabaseClient> {
  return dialect === 'postgres' ? PgClient.connect(url, url) : MysqlClient.connect(url, url);
}

async function withTypeorm<T>(dialect: ShapeDialect, url: string, entities: Function[], body: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = new DataSource({ type: dialect, url, entities, logging: false });
  await dataSource.initialize();
  try {
    return await body(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

async function typeormPending(dataSource: DataSource): Promise<string[]> {
  return (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query);
}

async function ourChanges(client: DatabaseClient, shape: Shape): Promise<string[]> {
  const outcome = await computeDiff(client, { projectDir: ROOT, source: { kind: 'globs', globs: globsOf(shape) } });
  return outcome.diff.changes.map((change) => `${change.kind} ${JSON.stringify(change)}`);
}

/** Agreement: what TypeORM builds, we read back as in sync. */
async function agreement(dialect: ShapeDialect, shape: Shape, url: string): Promise<void> {
  const entities = entitiesOf(shape);
  const pending = await withTypeorm(dialect, url, entities, async (dataSource) => {
    for (const statement of shape.prepare ?? []) await dataSource.query(statement);
    await dataSource.synchronize();
    return typeormPending(dataSource);
  });
  if (!(shape.typeormNeverSettles ?? []).includes(dialect)) expect(pending).toEqual([]);
  const client = await openClient(dialect, url);
  try {
    expect(await ourChanges(client, shape)).toEqual([]);
  } finally {
    await client.close();
  }
}

/** Round trip: what we build, TypeORM and we both read as in sync, and our rollback removes it all. */
async function roundTrip(dialect: ShapeDialect, shape: Shape, url: string, typeormUrl: () => Promise<string>): Promise<void> {
  const client = await openClient(dialect, url);
  try {
    for (const statement of shape.prepare ?? []) await client.execute(statement);
    const outcome = await computeDiff(client, { projectDir: ROOT, source: { kind: 'globs', globs: globsOf(shape) } });
    const plan = planMigration(outcome.actual, outcome.desired, { allowDrop: true, renames: [] });
    const rendered = renderPlan(plan, outcome.actual, sqlDialectFor(client.dialect));
    for (const group of rendered.migrate) for (const statement of group.statements) await client.execute(statement);
    expect(await ourChanges(client, shape)).toEqual([]);
    if (shape.sameCatalogAsTypeorm === true) expect(await catalogOf(client, url)).toEqual(await typeormCatalog(dialect, shape, await typeormUrl()));
    const expectGenerated = shape.expectGenerated?.[dialect];
    if (expectGenerated !== undefined) expect(await generatedColumns(client, url)).toEqual(expectGenerated);
    if (!(shape.typeormNeverSettles ?? []).includes(dialect)) expect(await withTypeorm(dialect, url, entitiesOf(shape), typeormPending)).toEqual([]);
    for (const group of rendered.rollback) for (const statement of group.statements) await client.execute(statement);
    const left = await introspect(client, dialect === 'postgres' ? {} : { database: new URL(url).pathname.slice(1) });
    expect([...left.tables.map((table) => table.name), ...left.enums.map((enumType) => enumType.name)]).toEqual([]);
    expect((left.views ?? []).map((view) => view.name)).toEqual(shape.keptViews ?? []);
  } finally {
    await client.close();
  }
}

async function catalogOf(client: DatabaseClient, url: string): Promise<unknown> {
  return introspect(client, client.dialect === 'postgres' ? {} : { database: new URL(url).pathname.slice(1) });
}

/** The catalog of a fresh database after TypeORM's synchronize() of the shape. */
async function typeormCatalog(dialect: ShapeDialect, shape: Shape, url: string): Promise<unknown> {
  await withTypeorm(dialect, url, entitiesOf(shape), async (dataSource) => {
    for (const statement of shape.prepare ?? []) await dataSource.query(statement);
    await dataSource.synchronize();
  });
  const client = await openClient(dialect, url);
  try {
    return await catalogOf(client, url);
  } finally {
    await client.close();
  }
}

async function generatedColumns(client: DatabaseClient, url: string): Promise<string[]> {
  const schema = await introspect(client, client.dialect === 'postgres' ? {} : { database: new URL(url).pathname.slice(1) });
  return schema.tables.flatMap((table) =>
    table.columns.flatMap((column) => (column.computed === undefined ? [] : [`${table.name}.${column.name} ${column.computed.stored ? 'STORED' : 'VIRTUAL'}`])),
  );
}

/** The suite for one dialect over every shape that applies to it. */
export function describeShapes(dialect: ShapeDialect, shapes: readonly Shape[]): void {
  const applicable = shapes.filter((shape) => shape.dialects.includes(dialect));
  describe(`TypeORM entity shapes on ${dialect}`, () => {
    const databases: ThrowawayDatabase[] = [];
    const fresh = async (suite: string) => {
      const database = dialect === 'postgres' ? await createPostgresDatabase(suite) : await createMysqlDatabase(suite);
      databases.push(database);
      return database.url;
    };
    afterAll(async () => {
      for (const database of databases) await database.drop();
    });

    it.each(applicable.map((shape) => [shape.folder, shape] as const))('%s: TypeORM synchronize() -> our diff is empty', async (_folder, shape) => {
      await agreement(dialect, shape, await fresh(`${shape.folder}_shape_sync`));
    });

    it.each(applicable.map((shape) => [shape.folder, shape] as const))('%s: our migration -> both diffs empty -> rollback leaves nothing', async (_folder, shape) => {
      await roundTrip(dialect, shape, await fresh(`${shape.folder}_shape_trip`), () => fresh(`${shape.folder}_shape_built`));
    });
  });
}

/** Every shape, with the dialects it applies to. */
export const SHAPES: readonly Shape[] = [
  { folder: 'both-sided-join-table', dialects: ['postgres', 'mariadb'] },
  { folder: 'mysql-set', dialects: ['mariadb'] },
  { folder: 'closure-table', dialects: ['postgres', 'mariadb'] },
  { folder: 'closure-table-sti', dialects: ['postgres', 'mariadb'] },
  {
    folder: 'generated-columns',
    dialects: ['postgres', 'mariadb'],
    expectGenerated: { postgres: ['line_items.totalCents STORED', 'line_items.label STORED'], mariadb: ['line_items.totalCents STORED', 'line_items.label VIRTUAL'] },
  },
  // TypeORM's MariaDB driver compares the expression default as text and re-applies it on every log().
  { folder: 'expression-defaults', dialects: ['postgres', 'mariadb'], typeormNeverSettles: ['mariadb'] },
  { folder: 'pg-extension-types', dialects: ['postgres'] },
  { folder: 'pg-exclusion', dialects: ['postgres'] },
  { folder: 'pg-exclusion-scalar', dialects: ['postgres'] },
  { folder: 'pg-fractional-defaults', dialects: ['postgres'] },
  { folder: 'pg-unsigned', dialects: ['postgres'] },
  { folder: 'pg-bit', dialects: ['postgres'] },
  { folder: 'control-comments', dialects: ['postgres', 'mariadb'] },
  // TypeORM's MariaDB driver reads quoted labels back unescaped and so never settles.
  { folder: 'enum-escapes', dialects: ['postgres', 'mariadb'], typeormNeverSettles: ['mariadb'] },
  // TypeORM drops and re-adds the column on every log() (and MariaDB cannot create ENUM() at all).
  { folder: 'empty-enum', dialects: ['postgres'], typeormNeverSettles: ['postgres'] },
  { folder: 'mariadb-charsets', dialects: ['mariadb'] },
  { folder: 'pg-named-enum-reuse', dialects: ['postgres'] },
  { folder: 'pg-fulltext-spatial', dialects: ['postgres'] },
  { folder: 'pg-deferrable', dialects: ['postgres'], sameCatalogAsTypeorm: true },
  { folder: 'mysql-spatial', dialects: ['mariadb'] },
  // InnoDB's own index of a foreign key serves a shorter key too: dropping either key must keep one for the other.
  { folder: 'mysql-nested-foreign-keys', dialects: ['postgres', 'mariadb'] },
  // A plain view, one over a join, one over another view, a materialized one and one left to the user.
  { folder: 'views', dialects: ['postgres', 'mariadb'], prepare: ['CREATE VIEW legacy_report AS SELECT 2 AS two'], keptViews: ['legacy_report'] },
];
