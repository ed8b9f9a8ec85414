/**
 * Verification on real rows, and NOT NULL columns re-added with a value for them, on a real server: a rollback that
 * re-adds a dropped NOT NULL column without a value fails verification once the shadow's tables hold rows (and passed
 * on empty tables before), passes once planned with a fill, and the filled rollback runs on a live table with rows;
 * an enum label removed while rows use it fails verification too; the rollback guard measures on rows as well.
 */
import type { Change } from '../../src/change/change';
import { rollbackRisks } from '../../src/apply/rollback-guard';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { introspect } from '../../src/introspect/introspect';
import { normalizeSchema } from '../../src/model/normalize';
import type { Schema, Table } from '../../src/model/schema';
import { diffSchemas } from '../../src/diff/diff-schemas';
import { planMigration, type Plan } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { verifyRoundTrip } from '../../src/verify/round-trip';
import { tablesWithRows } from '../../src/verify/seed-rows';
import { openShadow } from '../../src/verify/shadow';
import { bigint, col, enumType, fk, int, pgEnum, schema, table, varchar } from '../support/schema-builders';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

/** Defines the suite for one server. */
export function defineVerifyRowsSuite(target: 'postgres' | 'mariadb'): void {
  const dialect = target;
  const sql = sqlDialectFor(dialect);
  const q = (name: string) => sql.quoteIdentifier(name);
  let database: ThrowawayDatabase;
  let client: DatabaseClient;

  const folders = table('folders', [col('id', int()), col('title', varchar(40))], { pk: ['id'] });
  const files = (withSize: boolean): Table =>
    table('files', [col('id', int()), col('folder_id', int()), col('name', varchar(100)), ...(withSize ? [col('size_bytes', bigint())] : [])], {
      pk: ['id'],
      foreignKeys: [fk('FK_files_folder', ['folder_id'], 'folders', ['id'])],
    });
  const v1 = normalizeSchema(schema(dialect, [folders, files(true)]));
  const v2 = normalizeSchema(schema(dialect, [folders, files(false)]));

  const live = async (): Promise<Schema> => normalizeSchema(await introspect(client, {}));
  const run = async (groups: readonly { statements: readonly string[] }[]) => {
    for (const group of groups) for (const statement of group.statements) await client.execute(statement);
  };
  const verify = async (plan: Plan, before: Schema, withRows: ReadonlySet<string> | undefined) => {
    const rendered = renderPlan(plan, before, sql);
    const shadow = await openShadow(client, database.url, undefined);
    try {
      return await verifyRoundTrip({
        shadow: shadow.client,
        shadowDescription: shadow.description,
        sql,
        before,
        after: rendered.after,
        migrate: rendered.migrate,
        rollback: rendered.rollback,
        ...(withRows === undefined ? {} : { tablesWithRows: withRows }),
      });
    } finally {
      await shadow.close();
    }
  };
  /** The plan as it was before fills existed: the rollback re-adds the column NOT NULL with nothing for the rows. */
  const unfilled = (plan: Plan): Plan => ({ ...plan, rollback: plan.rollback.map((change): Change => (change.kind === 'add_column' ? { kind: 'add_column', table: change.table, column: change.column } : change)) });

  beforeEach(async () => {
    database = target === 'postgres' ? await createPostgresDatabase('recov_rows') : await createMysqlDatabase('recov_rows');
    client = target === 'postgres' ? await PgClient.connect(database.url, database.url) : await MysqlClient.connect(database.url, database.url);
    const empty = normalizeSchema(schema(dialect, []));
    await run(renderPlan(planMigration(empty, v1, { allowDrop: false, renames: [] }), empty, sql).migrate);
    await client.execute(`INSERT INTO ${q('folders')} (${q('id')}, ${q('title')}) VALUES (1, 'inbox')`);
    await client.execute(`INSERT INTO ${q('files')} (${q('id')}, ${q('folder_id')}, ${q('name')}, ${q('size_bytes')}) VALUES (1, 1, 'a.txt', 10), (2, 1, 'b.txt', 20), (3, 1, 'c.txt', 30)`);
  });
  afterEach(async () => {
    await client.close();
    await database.drop();
  });

  describe(`${target}: verification on rows`, () => {
    it('fails a rollback that re-adds a NOT NULL column with nothing for the rows, naming the statement; the filled plan passes', async () => {
      const before = await live();
      const plan = planMigration(before, v2, { allowDrop: true, renames: [] });
      const withRows = await tablesWithRows(client, sql, before);
      expect([...withRows].sort()).toEqual(['files', 'folders']);
      // On empty tables (as verification ran before) the broken rollback passed.
      await expect(verify(unfilled(plan), before, undefined)).resolves.toEqual([]);
      if (target === 'mariadb') {
        // MariaDB puts the type's implicit default (0) into the rows of a NOT NULL column added without one: the
        // rollback works there, and verification on rows says so.
        await expect(verify(unfilled(plan), before, withRows)).resolves.toEqual([]);
        await expect(verify(plan, before, withRows)).resolves.toEqual([]);
        return;
      }
      await expect(verify(unfilled(plan), before, withRows)).rejects.toThrow(
        new RegExp(`Verification failed in rollback, statement 1 .*with generated rows in 2 tables.*\\n  ALTER TABLE ${escape(q('files'))} ADD COLUMN ${escape(q('size_bytes'))} bigint NOT NULL\\n`),
      );
      // A live database whose tables are empty still gets rows before the rollback, which runs on later data.
      await expect(verify(unfilled(plan), before, new Set())).rejects.toThrow(/Verification failed in rollback, statement 1 .*size_bytes/);
      await expect(verify(plan, before, withRows)).resolves.toEqual([]);
    });

    it('runs the filled rollback on the live rows, and the guard lets it through where the unfilled one is refused with the count', async () => {
      const before = await live();
      const plan = planMigration(before, v2, { allowDrop: true, renames: [] });
      const rendered = renderPlan(plan, before, sql);
      await run(rendered.migrate);
      const statements = rendered.rollback.flatMap((group) => group.statements);
      const bare = renderPlan(unfilled(plan), before, sql).rollback.flatMap((group) => group.statements);
      if (target === 'postgres') {
        await expect(rollbackRisks(client, bare, { liveUrl: database.url })).rejects.toThrow(/statement 1 of the rollback fails on a copy of the live schema .*, where files holds 3 rows now/);
      } else {
        // Measured, not assumed: MariaDB fills the implicit default, so nothing is refused.
        expect(await rollbackRisks(client, bare, { liveUrl: database.url })).toEqual([]);
      }
      expect(await rollbackRisks(client, statements, { liveUrl: database.url })).toEqual([]);
      for (const statement of statements) await client.execute(statement);
      const rows = await client.query<{ n: unknown; s: unknown }>(`SELECT COUNT(*) AS n, SUM(${q('size_bytes')}) AS s FROM ${q('files')}`);
      expect(rows.map((row) => [Number(row.n), Number(row.s)])).toEqual([[3, 0]]);
      expect(diffSchemas(await live(), v1).changes).toEqual([]);
    });

    it('fails a migration that removes an enum label rows use, naming the statement', async () => {
      const labels = (values: string[]) =>
        normalizeSchema(
          schema(
            dialect,
            [table('tickets', [col('id', int()), col('state', enumType(values, target === 'postgres' ? 'ticket_state' : null))], { pk: ['id'] })],
            target === 'postgres' ? [pgEnum('ticket_state', values)] : [],
          ),
        );
      const empty = normalizeSchema(schema(dialect, []));
      await run(renderPlan(planMigration(empty, labels(['open', 'closed', 'spam']), { allowDrop: false, renames: [] }), empty, sql).migrate);
      await client.execute(`INSERT INTO ${q('tickets')} (${q('id')}, ${q('state')}) VALUES (1, 'open')`);
      const before = await live();
      const plan = planMigration(before, normalizeSchema({ ...v1, tables: [...before.tables.filter((t) => t.name !== 'tickets'), ...labels(['open', 'closed']).tables], enums: labels(['open', 'closed']).enums }), {
        allowDrop: true,
        renames: [],
      });
      expect(plan.forward.length).toBeGreaterThan(0);
      await expect(verify(plan, before, undefined)).resolves.toBeDefined();
      await expect(verify(plan, before, await tablesWithRows(client, sql, before))).rejects.toThrow(/Verification failed in migrate, statement \d+ .*with generated rows in 3 tables[^\n]*:\n  .*state/);
    });
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\`]/g, '\\$&');
}
