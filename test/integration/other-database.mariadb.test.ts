/**
 * `@Entity({ database })` on MariaDB: the table lives in another database of the same server (TypeORM's
 * table-inheritance/single-table/database-option-inherited scenario, with a junction table and foreign keys across
 * the two databases). Both databases are throwaway ones this suite creates and drops.
 */
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { rollbackRisks } from '../../src/apply/rollback-guard';
import { MysqlClient } from '../../src/connect/mysql-client';
import type { DatabaseClient } from '../../src/connect/client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { introspect } from '../../src/introspect/introspect';
import { planMigration } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { computeDiff } from '../../src/sync/compute-diff';
import { generateMigration } from '../../src/sync/generate';
import { createMysqlDatabase, mysqlAdminQuery, uniqueDatabaseName, type ThrowawayDatabase } from '../support/servers';

const ROOT = path.resolve(__dirname, '..', '..');
const GLOBS = ['test/fixtures/other-database/**/*.ts'];
const OTHER = uniqueDatabaseName('other_db_far');
process.env.SCHEMA_SYNC_OTHER_DATABASE = OTHER;

/** The fixture's entity classes, loaded after the other database's name is set (their decorators read it). */
function entities(): Function[] {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return [
    (require('../fixtures/other-database/person') as { Person: Function }).Person,
    (require('../fixtures/other-database/employee') as { Employee: Function }).Employee,
    (require('../fixtures/other-database/skill') as { Skill: Function }).Skill,
    (require('../fixtures/other-database/team') as { Team: Function }).Team,
  ];
  /* eslint-enable @typescript-eslint/no-require-imports */
}

async function dropOther(): Promise<void> {
  await mysqlAdminQuery(`DROP DATABASE IF EXISTS \`${OTHER}\``);
}

async function ourChanges(client: DatabaseClient): Promise<string[]> {
  const outcome = await computeDiff(client, { projectDir: ROOT, source: { kind: 'globs', globs: GLOBS } });
  return outcome.diff.changes.map((change) => `${change.kind} ${JSON.stringify(change)}`);
}

async function typeormSynchronize(url: string): Promise<void> {
  const dataSource = new DataSource({ type: 'mariadb', url, entities: entities(), logging: false });
  await dataSource.initialize();
  try {
    await dataSource.synchronize();
  } finally {
    await dataSource.destroy();
  }
}

async function typeormPending(url: string): Promise<string[]> {
  const dataSource = new DataSource({ type: 'mariadb', url, entities: entities(), logging: false });
  await dataSource.initialize();
  try {
    return (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query);
  } finally {
    await dataSource.destroy();
  }
}

/** The tables of a database, by name. */
async function tablesOf(client: DatabaseClient, database: string): Promise<string[]> {
  return (await introspect(client, { database })).tables.map((table) => table.name);
}

/** `sync --dry-run` with verification (the default), on the fixture's models. */
function verifiedDryRun(client: DatabaseClient, liveUrl: string): ReturnType<typeof generateMigration> {
  return generateMigration(client, {
    projectDir: ROOT,
    source: { kind: 'globs', globs: GLOBS },
    migrationsDir: path.join(ROOT, 'tmp-never-written'),
    allowDrop: false,
    force: false,
    renames: [],
    verify: true,
    liveUrl,
    dryRun: true,
  });
}

/** The shadow and stand-in databases this process made that are still on the server (the server is shared). */
async function ourShadows(client: DatabaseClient): Promise<string[]> {
  const names = (await client.query<{ name: string }>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA')).map((row) => row.name);
  return names.filter((name) => new RegExp(`^schema_sync_shadow_\\d+_${process.pid}_`).test(name));
}

describe('@Entity({ database }) on MariaDB: a table in another database of the server', () => {
  let home: ThrowawayDatabase;
  let client: DatabaseClient;

  beforeEach(async () => {
    home = await createMysqlDatabase('other_db_home');
    client = await MysqlClient.connect(home.url, home.url);
  });
  afterEach(async () => {
    await client.close();
    await home.drop();
    await dropOther();
  });

  it('TypeORM synchronize() -> our diff is empty, and reads the tables of both databases', async () => {
    await client.execute(`CREATE DATABASE \`${OTHER}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await typeormSynchronize(home.url);
    expect(await typeormPending(home.url)).toEqual([]);
    expect(await tablesOf(client, OTHER)).toEqual(['person', 'person_skills_skill', 'skill']);
    expect(await ourChanges(client)).toEqual([]);
  });

  it("a column stating the connection database's collation, in a database whose default is another: TypeORM synchronize() -> our diff is empty", async () => {
    await client.execute(`CREATE DATABASE \`${OTHER}\` CHARACTER SET latin1`);
    await typeormSynchronize(home.url);
    const collations = await client.query<{ name: string; collation: string | null }>(
      'SELECT COLUMN_NAME AS name, COLLATION_NAME AS collation FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [OTHER, 'skill'],
    );
    expect(collations).toEqual([
      { name: 'id', collation: null },
      { name: 'label', collation: 'latin1_swedish_ci' },
      { name: 'code', collation: 'utf8mb4_unicode_ci' },
    ]);
    expect(await typeormPending(home.url)).toEqual([]);
    expect(await ourChanges(client)).toEqual([]);
  });

  it('empty -> our migration creates the other database and its tables -> both diffs empty -> rollback leaves no table in either', async () => {
    const outcome = await computeDiff(client, { projectDir: ROOT, source: { kind: 'globs', globs: GLOBS } });
    const created = outcome.diff.changes.flatMap((change) => (change.kind === 'create_table' ? [`${change.table.schema ?? '(home)'}.${change.table.name}`] : []));
    expect(created.sort()).toEqual([`${OTHER}.person`, `${OTHER}.person_skills_skill`, `${OTHER}.skill`, '(home).team', '(home).team_members_person'].sort());
    const plan = planMigration(outcome.actual, outcome.desired, { allowDrop: true, renames: [] });
    const rendered = renderPlan(plan, outcome.actual, sqlDialectFor(client.dialect));
    const migrate = rendered.migrate.flatMap((group) => group.statements);
    expect(migrate[0]).toBe(`CREATE DATABASE IF NOT EXISTS \`${OTHER}\``);
    expect(migrate.some((statement) => statement.startsWith(`CREATE TABLE \`${OTHER}\`.\`person\``))).toBe(true);
    for (const statement of migrate) await client.execute(statement);
    expect(await tablesOf(client, OTHER)).toEqual(['person', 'person_skills_skill', 'skill']);
    expect(await tablesOf(client, home.name)).toEqual(['team', 'team_members_person']);
    // The database it created has the server's defaults, not the connection database's: the column says which it wants.
    const code = await client.query<{ collation: string }>('SELECT COLLATION_NAME AS collation FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?', [OTHER, 'skill', 'code']);
    expect(code).toEqual([{ collation: 'utf8mb4_unicode_ci' }]);
    expect(await ourChanges(client)).toEqual([]);
    expect(await typeormPending(home.url)).toEqual([]);
    // The rollback guard runs the statements on a copy, the other database's tables in a stand-in: what it measures
    // is the real table's row, and the real tables are still there afterwards.
    await client.execute(`INSERT INTO \`${OTHER}\`.\`person\` (name, type, salary) VALUES ('Ada', 'Employee', 1)`);
    const risks = await rollbackRisks(client, rendered.rollback.flatMap((group) => group.statements), { liveUrl: home.url });
    expect(risks.map((risk) => `${risk.severity} ${risk.count}`)).toEqual(['destroys 1']);
    expect(risks[0]?.message).toContain(`${OTHER}.person`);
    expect(await ourShadows(client)).toEqual([]);
    expect(await tablesOf(client, OTHER)).toEqual(['person', 'person_skills_skill', 'skill']);
    for (const group of rendered.rollback) for (const statement of group.statements) await client.execute(statement);
    expect(await tablesOf(client, OTHER)).toEqual([]);
    expect(await tablesOf(client, home.name)).toEqual([]);
  });

  it('a table the other database holds that no model declares is dropped there, as in a PostgreSQL schema the models name', async () => {
    await client.execute(`CREATE DATABASE \`${OTHER}\``);
    await client.execute(`CREATE TABLE \`${OTHER}\`.\`stray\` (id int PRIMARY KEY)`);
    const outcome = await computeDiff(client, { projectDir: ROOT, source: { kind: 'globs', globs: GLOBS } });
    const dropped = outcome.diff.changes.flatMap((change) => (change.kind === 'drop_table' ? [`${change.table.schema}.${change.table.name}`] : []));
    expect(dropped).toEqual([`${OTHER}.stray`]);
  });

  it('sync verifies the tables of the other database in a stand-in database, and leaves the real one as it was', async () => {
    const outcome = await computeDiff(client, { projectDir: ROOT, source: { kind: 'globs', globs: GLOBS } });
    const rendered = renderPlan(planMigration(outcome.actual, outcome.desired, { allowDrop: true, renames: [] }), outcome.actual, sqlDialectFor(client.dialect));
    for (const statement of rendered.migrate.flatMap((group) => group.statements)) await client.execute(statement);
    // The live database drifts from the models in the other database: the migration re-creates the index there.
    const index = (await introspect(client, { database: OTHER })).tables.find((table) => table.name === 'person')!.indexes[0]!.name;
    await client.execute(`DROP INDEX \`${index}\` ON \`${OTHER}\`.\`person\``);
    await client.execute(`INSERT INTO \`${OTHER}\`.\`person\` (name, type, salary) VALUES ('Ada', 'Employee', 1)`);
    const real = await introspect(client, { database: OTHER });

    const result = await verifiedDryRun(client, home.url);
    expect(result.verified).toBe(true);
    expect(result.changes).toEqual([expect.stringContaining(`${OTHER}.person`)]);
    expect(result.content).toContain(`CREATE INDEX \`${index}\` ON \`${OTHER}\`.\`person\``);
    expect(result.warnings).toContainEqual(expect.stringMatching(new RegExp(`database \`${OTHER}\` were verified in a stand-in database, schema_sync_shadow_\\w+, dropped afterwards`)));
    // Verification ran migrate and rollback elsewhere: the real database is as it was, and no stand-in is left.
    expect(await introspect(client, { database: OTHER })).toEqual(real);
    expect(await ourShadows(client)).toEqual([]);
    expect((await client.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM \`${OTHER}\`.\`person\``))[0]?.n).toBe(1);
  });

  it('the other database does not exist yet: the migration creates it, verification only its stand-in', async () => {
    const result = await verifiedDryRun(client, home.url);
    expect(result.verified).toBe(true);
    expect(result.content).toContain(`CREATE DATABASE IF NOT EXISTS \`${OTHER}\``);
    const databases = (await client.query<{ name: string }>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [OTHER])).map((row) => row.name);
    expect(databases).toEqual([]);
    expect(await ourShadows(client)).toEqual([]);
  });
});
