import type { Change } from '../../src/change/change';
import { applyChanges } from '../../src/change/apply-in-memory';
import { dataChecksFor } from '../../src/change/data-checks';
import { withRecordedDefinitions } from '../../src/introspect/orm-records';
import { mysqlSql } from '../../src/dialect/mysql/render';
import { postgresSql } from '../../src/dialect/postgres/render';
import { diffSchemas } from '../../src/diff/diff-schemas';
import { leaveAlone } from '../../src/diff/leave-alone';
import { normalizeSchema } from '../../src/model/normalize';
import type { Dialect, OrmRecord, Schema, View } from '../../src/model/schema';
import { planMigration } from '../../src/plan/plan';
import { bigint, col, int, schema, table } from '../support/schema-builders';

const orders = (type = int()) => table('orders', [col('id', int()), col('total', type)], { pk: ['id'] });
const view = (name: string, query: string, options: Partial<View> = {}): View => ({ schema: null, name, materialized: false, query, recorded: true, reads: [], ...options });
const record = (name: string, value: string, type = 'VIEW'): OrmRecord => ({ type, database: null, schema: 'public', table: null, name, value });
const withViews = (dialect: Dialect, views: readonly View[], type = int(), records: readonly OrmRecord[] = []): Schema =>
  normalizeSchema({ ...schema(dialect, [orders(type)]), views, ...(records.length === 0 ? {} : { ormMetadata: { table: 'typeorm_metadata', records } }) });
const steps = (changes: readonly Change[]) =>
  changes.map((change) =>
    change.kind === 'create_view' || change.kind === 'drop_view' ? `${change.kind} ${change.view.name}` : change.kind === 'replace_view' ? `replace_view ${change.to.name}` : change.kind,
  );

const totals = view('totals', 'SELECT sum(total) AS total FROM orders', { reads: ['orders'] });
const big = view('big', 'SELECT total FROM totals WHERE total > 10', { reads: ['totals'] });

describe('diffing views', () => {
  it('keeps a view whose recorded query is the models\' text, surrounding white space aside', () => {
    const actual = withViews('postgres', [{ ...totals, query: `\n  ${totals.query}  ` }]);
    expect(diffSchemas(actual, withViews('postgres', [totals])).changes).toEqual([]);
  });

  it('replaces a view whose query changed, or that nothing recorded, that became materialized, or whose indexes changed', () => {
    const changed = { ...totals, query: 'SELECT max(total) AS total FROM orders' };
    expect(steps(diffSchemas(withViews('postgres', [totals]), withViews('postgres', [changed])).changes)).toEqual(['replace_view totals']);
    expect(steps(diffSchemas(withViews('postgres', [{ ...totals, recorded: false }]), withViews('postgres', [totals])).changes)).toEqual(['replace_view totals']);
    expect(steps(diffSchemas(withViews('postgres', [totals]), withViews('postgres', [{ ...totals, materialized: true }])).changes)).toEqual(['replace_view totals']);
    const indexed = { ...totals, materialized: true, indexes: [{ name: 'totals_total', columns: ['total'], unique: false, where: null, method: null }] };
    expect(steps(diffSchemas(withViews('postgres', [{ ...totals, materialized: true }]), withViews('postgres', [indexed])).changes)).toEqual(['replace_view totals']);
    expect(diffSchemas(withViews('postgres', [indexed]), withViews('postgres', [indexed])).changes).toEqual([]);
  });

  it('compares two server definitions as text (a copy checked against its original)', () => {
    const definition = { ...totals, recorded: false };
    expect(diffSchemas(withViews('postgres', [definition]), withViews('postgres', [definition])).changes).toEqual([]);
  });

  it('writes the metadata rows the models need and removes the ones they no longer do', () => {
    const actual = withViews('postgres', [], int(), [record('gone', 'SELECT 1')]);
    const desired = withViews('postgres', [], int(), [record('totals', totals.query)]);
    expect(diffSchemas(actual, desired).changes).toEqual([
      { kind: 'remove_orm_record', table: { schema: null, name: 'typeorm_metadata' }, record: record('gone', 'SELECT 1') },
      { kind: 'add_orm_record', table: { schema: null, name: 'typeorm_metadata' }, record: record('totals', totals.query) },
    ]);
  });
});

describe('planning views', () => {
  it('creates views after the tables, in dependency order whatever their names, and drops them first in reverse', () => {
    const early = view('a_on_top', 'SELECT * FROM z_base', { reads: ['z_base'] });
    const base = view('z_base', 'SELECT id FROM orders', { reads: ['orders'] });
    const plan = planMigration(normalizeSchema(schema('postgres', [])), withViews('postgres', [early, base]), { allowDrop: false, renames: [] });
    expect(steps(plan.forward)).toEqual(['create_table', 'create_view z_base', 'create_view a_on_top']);
    expect(steps(plan.rollback)).toEqual(['drop_view a_on_top', 'drop_view z_base', 'drop_table']);
  });

  it('rebuilds the views over a replaced view: dependents dropped first, created again after', () => {
    const changed = { ...totals, query: 'SELECT max(total) AS total FROM orders' };
    const plan = planMigration(withViews('mariadb', [totals, big]), withViews('mariadb', [changed, big]), { allowDrop: false, renames: [] });
    expect(steps(plan.forward)).toEqual(['drop_view big', 'drop_view totals', 'create_view totals', 'create_view big']);
    expect(plan.forward.find((change) => change.kind === 'create_view' && change.view.name === 'totals')).toEqual({ kind: 'create_view', view: changed });
    expect(steps(plan.rollback)).toEqual(['drop_view big', 'drop_view totals', 'create_view totals', 'create_view big']);
    expect(applyChanges(withViews('mariadb', [totals, big]), plan.forward).views).toEqual(expect.arrayContaining([changed, big]));
  });

  it('on PostgreSQL drops the views over a table whose column changes type and creates them again after it', () => {
    const plan = planMigration(withViews('postgres', [totals, big]), withViews('postgres', [totals, big], bigint()), { allowDrop: false, renames: [] });
    expect(steps(plan.forward)).toEqual(['drop_view big', 'drop_view totals', 'alter_column', 'create_view totals', 'create_view big']);
  });

  it('on MariaDB changes the column under the views, which the server allows', () => {
    const plan = planMigration(withViews('mariadb', [totals, big]), withViews('mariadb', [totals, big], bigint()), { allowDrop: false, renames: [] });
    expect(steps(plan.forward)).toEqual(['alter_column']);
  });

  it('holds back a view the models no longer declare until --drop, and then drops its dependents around it', () => {
    const outside = view('outside', 'SELECT * FROM big', { reads: ['big'], recorded: false });
    const actual = withViews('postgres', [totals, big, outside]);
    const desired = withViews('postgres', [totals, outside]);
    expect(steps(planMigration(actual, desired, { allowDrop: false, renames: [] }).held)).toEqual(['drop_view big']);
    const plan = planMigration(actual, desired, { allowDrop: true, renames: [] });
    expect(steps(plan.forward)).toEqual(['drop_view outside', 'drop_view big', 'create_view outside']);
  });
});

describe('leaving views alone', () => {
  const legacy = view('legacy', 'SELECT 2 AS two', { recorded: false });
  const unsynchronized = [{ kind: 'view' as const, schema: null, name: 'legacy', reason: '@ViewEntity({ synchronize: false }) on Legacy' }];
  const metadataShape = table('typeorm_metadata', [col('type', int())]);

  it('keeps a synchronize: false view and its metadata row as they are, and creates the metadata table the rows need', () => {
    const actual = normalizeSchema({ ...schema('postgres', []), views: [legacy], ormMetadata: { table: 'typeorm_metadata', records: [record('legacy', 'SELECT 2 AS two')] } });
    const desired = withViews('postgres', [totals], int(), [record('totals', totals.query)]);
    const scoped = leaveAlone(actual, desired, { ormTables: new Set(['typeorm_metadata']), ignore: [], unsynchronized, ormMetadataTable: metadataShape });
    expect(scoped.desired.views?.map((v) => v.name)).toEqual(['totals', 'legacy']);
    expect(scoped.desired.ormMetadata?.records.map((r) => r.name)).toEqual(['totals', 'legacy']);
    expect(scoped.desired.tables.map((t) => t.name)).toEqual(['orders', 'typeorm_metadata']);
    expect(scoped.unmanaged).toEqual([{ kind: 'view', table: 'legacy', name: 'legacy', reason: '@ViewEntity({ synchronize: false }) on Legacy' }]);
    const changes = diffSchemas(actual, normalizeSchema(scoped.desired)).changes;
    expect(changes.some((change) => (change.kind === 'drop_view' || change.kind === 'replace_view') && steps([change])[0]!.endsWith('legacy'))).toBe(false);
  });
});

describe('rendering views', () => {
  const metadataTable = { schema: null, name: 'typeorm_metadata' };
  it('renders views and metadata rows for PostgreSQL', () => {
    expect(postgresSql.render({ kind: 'create_view', view: { ...totals, schema: 'app', materialized: true } }, { before: schema('postgres', []) })).toEqual([
      'CREATE MATERIALIZED VIEW "app"."totals" AS SELECT sum(total) AS total FROM orders',
    ]);
    expect(postgresSql.render({ kind: 'drop_view', view: totals }, { before: schema('postgres', []) })).toEqual(['DROP VIEW "totals"']);
    const indexed = { ...totals, materialized: true, indexes: [{ name: 'totals_total', columns: ['total'], unique: true, where: null, method: null }] };
    expect(postgresSql.render({ kind: 'create_view', view: indexed }, { before: schema('postgres', []) })).toEqual([
      'CREATE MATERIALIZED VIEW "totals" AS SELECT sum(total) AS total FROM orders',
      'CREATE UNIQUE INDEX "totals_total" ON "totals" ("total")',
    ]);
    expect(postgresSql.render({ kind: 'add_orm_record', table: metadataTable, record: record('totals', "SELECT 'it''s'") }, { before: schema('postgres', []) })).toEqual([
      `INSERT INTO "typeorm_metadata" ("type", "database", "schema", "table", "name", "value") VALUES ('VIEW', NULL, 'public', NULL, 'totals', 'SELECT ''it''''s''')`,
    ]);
    expect(postgresSql.render({ kind: 'remove_orm_record', table: metadataTable, record: record('totals', 'SELECT 1') }, { before: schema('postgres', []) })).toEqual([
      `DELETE FROM "typeorm_metadata" WHERE "type" = 'VIEW' AND "database" IS NULL AND "schema" = 'public' AND "table" IS NULL AND "name" = 'totals' AND "value" = 'SELECT 1'`,
    ]);
  });

  it('renders views and metadata rows for MySQL and MariaDB, and refuses a materialized view there', () => {
    expect(mysqlSql.render({ kind: 'replace_view', from: totals, to: big }, { before: schema('mariadb', []) })).toEqual([
      'DROP VIEW `totals`',
      'CREATE VIEW `big` AS SELECT total FROM totals WHERE total > 10',
    ]);
    expect(mysqlSql.render({ kind: 'add_orm_record', table: metadataTable, record: record('totals', 'a\\b') }, { before: schema('mariadb', []) })).toEqual([
      "INSERT INTO `typeorm_metadata` (`type`, `database`, `schema`, `table`, `name`, `value`) VALUES ('VIEW', NULL, 'public', NULL, 'totals', 'a\\\\b')",
    ]);
    expect(() => mysqlSql.render({ kind: 'create_view', view: { ...totals, materialized: true } }, { before: schema('mariadb', []) })).toThrow(/materialized/);
  });
});

describe('metadata rows and data checks', () => {
  const rows = [record('totals', 'SELECT 1'), { ...record('big', 'SELECT 2'), schema: 'shop_copy' }];

  it('matches a view to its row in the schema the ORM wrote, or by name where the table lives with its views', () => {
    const live = normalizeSchema({ ...schema('postgres', []), views: [{ ...totals, recorded: false }, { ...big, recorded: false }] });
    const bySchema = withRecordedDefinitions(live, 'typeorm_metadata', rows, (v) => v.schema ?? 'public');
    expect(bySchema.views?.map((v) => [v.name, v.recorded, v.query])).toEqual([
      ['big', false, big.query],
      ['totals', true, 'SELECT 1'],
    ]);
    const byName = withRecordedDefinitions(live, 'typeorm_metadata', rows, () => null);
    expect(byName.views?.map((v) => [v.name, v.recorded])).toEqual([
      ['big', true],
      ['totals', true],
    ]);
    expect(byName.ormMetadata).toEqual({ table: 'typeorm_metadata', records: rows });
  });

  it('does not count the ORM metadata table\'s rows as data a drop destroys, and counts any other table\'s', () => {
    const metadata = table('typeorm_metadata', [col('type', int())]);
    const before = normalizeSchema({ ...schema('postgres', [metadata]), ormMetadata: { table: 'typeorm_metadata', records: rows } });
    expect(dataChecksFor({ kind: 'drop_table', table: metadata }, before)).toEqual([]);
    expect(dataChecksFor({ kind: 'drop_table', table: metadata }, normalizeSchema(schema('postgres', [metadata])))).toHaveLength(1);
    expect(dataChecksFor({ kind: 'drop_table', table: orders() }, before)).toHaveLength(1);
  });
});

describe('generated columns by their recorded expression', () => {
  it('compares a generated column by the expression TypeORM recorded, not the server\'s rewrite of it', () => {
    const model = '`firstName` || `lastName`';
    const rewritten = '`firstName` <> 0 or `lastName` <> 0';
    const posts = (expression: string) => table('post', [col('id', int()), { ...col('name', int(), { nullable: true }), computed: { expression, stored: true } }], { pk: ['id'] });
    const row: OrmRecord = { type: 'GENERATED_COLUMN', database: null, schema: 'shop', table: 'post', name: 'name', value: model };
    const live = normalizeSchema(schema('mariadb', [posts(rewritten)]));
    const desired = normalizeSchema({ ...schema('mariadb', [posts(model)]), ormMetadata: { table: 'typeorm_metadata', records: [row] } });
    expect(diffSchemas(live, desired).changes.map((change) => change.kind)).toEqual(['alter_column', 'add_orm_record']);
    const recorded = withRecordedDefinitions(live, 'typeorm_metadata', [row], () => null);
    expect(diffSchemas(normalizeSchema(recorded), desired).changes).toEqual([]);
  });
});
