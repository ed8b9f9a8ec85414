/**
 * Every lock and rewrite fact PostgreSQL's lock module claims, checked on the real server: the change is rendered as
 * a migration would run it, inside a transaction that is rolled back, and the server says what happened: the locks
 * the session holds on the table, its indexes and a referenced table (pg_locks), whether the table got a new file
 * (relfilenode: a rewrite) and whether it was read (pg_stat_xact_user_tables.seq_scan: a scan).
 */
import type { Change, ColumnAspect } from '../../src/change/change';
import { PgClient } from '../../src/connect/pg-client';
import { parseServerVersion, type LockImpact, type ServerVersion, type TableRewrite } from '../../src/dialect/lock-impact';
import { postgresLockImpact } from '../../src/dialect/postgres/lock-impact';
import { postgresSql } from '../../src/dialect/postgres/render';
import { postgresOnlineForm } from '../../src/dialect/postgres/online';
import { postgresTypes } from '../../src/dialect/postgres/types';
import { introspect } from '../../src/introspect/introspect';
import { normalizeSchema } from '../../src/model/normalize';
import type { Column, Schema, Table } from '../../src/model/schema';
import { Client } from 'pg';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';
import { recordFacts, type ObservedFact } from '../support/lock-facts';

/** The tables every scenario starts from: a row in each, an index, a unique, a foreign key and a check to work on. */
const SETUP = `
DROP TABLE IF EXISTS t, p, t_renamed CASCADE;
CREATE TABLE p (id int PRIMARY KEY);
INSERT INTO p VALUES (1);
CREATE TABLE t (id int PRIMARY KEY, v varchar(127), n numeric(10,2), ts timestamp(3), c text, pid int, e text, w text);
INSERT INTO t VALUES (1, 'a', 1, '2026-01-01', 'x', 1, 'y', 'w');
CREATE INDEX t_c ON t (c);
ALTER TABLE t ADD CONSTRAINT t_u UNIQUE (e);
ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (pid) REFERENCES p (id);
ALTER TABLE t ADD CONSTRAINT t_ck CHECK (id > 0);
ANALYZE t;`;

const T = { schema: null, name: 't' } as const;

interface Scenario {
  readonly name: string;
  /** SQL run after SETUP, before the table is introspected. */
  readonly extraSetup?: string;
  readonly change: (table: Table) => Change;
  /** What the facts must say, and the server must do. */
  readonly expect: { readonly lock: string; readonly rewrite: TableRewrite };
}

const type = (sql: string) => postgresTypes.parseType(sql);
const columnOf = (table: Table, name: string): Column => {
  const found = table.columns.find((column) => column.name === name);
  if (found === undefined) throw new Error(`no column ${name} in ${table.name}`);
  return found;
};
const alter = (name: string, patch: Partial<Column>, changed: ColumnAspect[]) => (table: Table): Change => {
  const from = columnOf(table, name);
  return { kind: 'alter_column', table: T, from, to: { ...from, ...patch }, changed };
};
const added = (column: Partial<Column> & { name: string; type: Column['type'] }): ((table: Table) => Change) => () => ({
  kind: 'add_column',
  table: T,
  column: { nullable: true, default: null, generation: null, comment: null, charset: null, collation: null, onUpdate: null, ...column },
});
const found = <K extends 'indexes' | 'uniques' | 'foreignKeys' | 'checks'>(table: Table, key: K, name: string): Table[K][number] => {
  const item = (table[key] as readonly { name: string }[]).find((entry) => entry.name === name);
  if (item === undefined) throw new Error(`no ${key} ${name}`);
  return item as Table[K][number];
};

const SCENARIOS: readonly Scenario[] = [
  { name: 'add nullable column', change: added({ name: 'x', type: type('integer') }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'add NOT NULL column with a constant default', change: added({ name: 'x', type: type('integer'), nullable: false, default: { kind: 'literal', value: '0' } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'add column DEFAULT now() (stable)', change: added({ name: 'x', type: type('timestamp with time zone'), default: { kind: 'expression', sql: 'now()' } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'add column DEFAULT clock_timestamp() (volatile)', change: added({ name: 'x', type: type('timestamp with time zone'), default: { kind: 'expression', sql: 'clock_timestamp()' } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'rewrite' } },
  { name: 'add column DEFAULT gen_random_uuid() (volatile)', change: added({ name: 'x', type: type('uuid'), default: { kind: 'expression', sql: 'gen_random_uuid()' } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'rewrite' } },
  { name: 'add serial column', change: added({ name: 'x', type: type('integer'), nullable: false, generation: 'increment' }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'rewrite' } },
  { name: 'add identity column', change: added({ name: 'x', type: type('integer'), nullable: false, generation: 'identity-by-default' }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'rewrite' } },
  { name: 'add stored generated column', change: added({ name: 'x', type: type('integer'), computed: { expression: '(id * 2)', stored: true } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'rewrite' } },
  { name: 'drop column', change: (table) => ({ kind: 'drop_column', table: T, column: columnOf(table, 'w') }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'rename column', change: (table) => ({ kind: 'rename_column', table: T, from: columnOf(table, 'w'), to: { ...columnOf(table, 'w'), name: 'w2' } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'varchar(127) -> varchar(255), indexed', extraSetup: 'CREATE INDEX t_v ON t (v)', change: alter('v', { type: type('character varying(255)') }, ['type']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'varchar(127) -> varchar(100)', change: alter('v', { type: type('character varying(100)') }, ['type']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'rewrite' } },
  { name: 'varchar(127) -> text', change: alter('v', { type: type('text') }, ['type']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'numeric(10,2) -> numeric(12,2)', change: alter('n', { type: type('numeric(12,2)') }, ['type']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'numeric(10,2) -> numeric(12,3)', change: alter('n', { type: type('numeric(12,3)') }, ['type']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'rewrite' } },
  { name: 'integer -> bigint', change: alter('pid', { type: type('bigint') }, ['type']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'rewrite' } },
  { name: 'timestamp(3) -> timestamp(6)', change: alter('ts', { type: type('timestamp(6) without time zone') }, ['type']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'timestamp -> timestamptz (TimeZone not UTC)', change: alter('ts', { type: type('timestamp(3) with time zone') }, ['type']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'rewrite' } },
  { name: 'SET NOT NULL', change: alter('w', { nullable: false }, ['nullable']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'scan' } },
  { name: 'SET NOT NULL over a validated IS NOT NULL check', extraSetup: 'ALTER TABLE t ADD CONSTRAINT t_w_nn CHECK (w IS NOT NULL)', change: alter('w', { nullable: false }, ['nullable']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'DROP NOT NULL', change: alter('id', { nullable: true }, ['nullable']), extraSetup: 'ALTER TABLE t DROP CONSTRAINT t_pkey', expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'SET DEFAULT', change: alter('w', { default: { kind: 'literal', value: 'z' } }, ['default']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'column comment', change: alter('w', { comment: 'why' }, ['comment']), expect: { lock: 'SHARE UPDATE EXCLUSIVE', rewrite: 'none' } },
  { name: 'collation of an indexed column', change: alter('c', { collation: 'C' }, ['collation']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'scan' } },
  { name: 'collation of a column without index', change: alter('w', { collation: 'C' }, ['collation']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'add identity to an existing column', change: alter('pid', { generation: 'identity-by-default', nullable: false }, ['generation', 'nullable']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'scan' } },
  { name: 'create index', change: () => ({ kind: 'create_index', table: T, index: { name: 't_w', columns: ['w'], unique: false, where: null, method: null } }), expect: { lock: 'SHARE', rewrite: 'scan' } },
  { name: 'create unique index', change: () => ({ kind: 'create_index', table: T, index: { name: 't_w', columns: ['w'], unique: true, where: null, method: null } }), expect: { lock: 'SHARE', rewrite: 'scan' } },
  { name: 'drop index', change: (table) => ({ kind: 'drop_index', table: T, index: found(table, 'indexes', 't_c') }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'rename index', change: (table) => ({ kind: 'rename_index', table: T, from: found(table, 'indexes', 't_c'), to: { ...found(table, 'indexes', 't_c'), name: 't_c2' } }), expect: { lock: 'SHARE UPDATE EXCLUSIVE', rewrite: 'none' } },
  { name: 'rename unique constraint', change: (table) => ({ kind: 'rename_unique', table: T, from: found(table, 'uniques', 't_u'), to: { ...found(table, 'uniques', 't_u'), name: 't_u2' } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'rename foreign key', change: (table) => ({ kind: 'rename_foreign_key', table: T, from: found(table, 'foreignKeys', 't_fk'), to: { ...found(table, 'foreignKeys', 't_fk'), name: 't_fk2' } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'add unique constraint', change: () => ({ kind: 'add_unique', table: T, unique: { name: 't_w_u', columns: ['w'] } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'scan' } },
  { name: 'drop unique constraint', change: (table) => ({ kind: 'drop_unique', table: T, unique: found(table, 'uniques', 't_u') }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'add foreign key', change: (table) => ({ kind: 'add_foreign_key', table: T, foreignKey: { ...found(table, 'foreignKeys', 't_fk'), name: 't_fk3' } }), expect: { lock: 'SHARE ROW EXCLUSIVE', rewrite: 'scan' } },
  { name: 'drop foreign key', change: (table) => ({ kind: 'drop_foreign_key', table: T, foreignKey: found(table, 'foreignKeys', 't_fk') }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'add check', change: () => ({ kind: 'add_check', table: T, check: { name: 't_ck2', expression: '(id < 100)' } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'scan' } },
  { name: 'drop check', change: (table) => ({ kind: 'drop_check', table: T, check: found(table, 'checks', 't_ck') }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'add primary key', extraSetup: 'ALTER TABLE t DROP CONSTRAINT t_pkey', change: () => ({ kind: 'alter_primary_key', table: T, from: null, to: { name: 't_pkey', columns: ['id'] } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'scan' } },
  { name: 'drop primary key', change: (table) => ({ kind: 'alter_primary_key', table: T, from: table.primaryKey, to: null }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'table comment', change: () => ({ kind: 'alter_table_comment', table: T, from: null, to: 'why' }), expect: { lock: 'SHARE UPDATE EXCLUSIVE', rewrite: 'none' } },
  { name: 'rename table', change: () => ({ kind: 'rename_table', from: T, to: { schema: null, name: 't_renamed' } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
  { name: 'drop table', change: (table) => ({ kind: 'drop_table', table: { ...table, foreignKeys: [] } }), extraSetup: 'ALTER TABLE t DROP CONSTRAINT t_fk', expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'none' } },
];

/**
 * Online forms whose statements can run in a transaction (NOT VALID + VALIDATE; SET NOT NULL through a check), as the
 * applier runs them: each statement in a transaction of its own. CONCURRENTLY cannot run in a transaction, so its
 * facts are checked under load instead (online-load.postgres.test.ts).
 */
const ONLINE_SCENARIOS: readonly Scenario[] = [
  { name: 'add foreign key', change: (table) => ({ kind: 'add_foreign_key', table: T, foreignKey: { ...found(table, 'foreignKeys', 't_fk'), name: 't_fk3' } }), expect: { lock: 'SHARE ROW EXCLUSIVE', rewrite: 'scan' } },
  { name: 'add check', change: () => ({ kind: 'add_check', table: T, check: { name: 't_ck2', expression: '(id < 100)' } }), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'scan' } },
  { name: 'SET NOT NULL', change: alter('w', { nullable: false }, ['nullable']), expect: { lock: 'ACCESS EXCLUSIVE', rewrite: 'scan' } },
];

/** pg_locks spells modes `ShareRowExclusiveLock`; the facts use the manual's `SHARE ROW EXCLUSIVE`. */
function levelOf(mode: string): string {
  return mode.replace(/Lock$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

const LEVELS = ['none', 'ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'];

interface Observation {
  readonly lock: string;
  readonly rewrite: TableRewrite;
}

/** Runs the statements in a transaction that is rolled back, and reads what they did to t, its indexes and p. */
async function observe(client: PgClient, statements: readonly string[]): Promise<Observation> {
  await client.execute('BEGIN');
  try {
    const [before] = await client.query<{ relfilenode: string; oids: string[]; scans: string }>(
      `SELECT c.relfilenode::text AS relfilenode,
         ARRAY(SELECT 't'::regclass::oid::text UNION ALL SELECT 'p'::regclass::oid::text UNION ALL SELECT indexrelid::text FROM pg_index WHERE indrelid = 't'::regclass) AS oids,
         (SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = 't'::regclass)::text AS scans
       FROM pg_class c WHERE c.oid = 't'::regclass`,
    );
    if (before === undefined) throw new Error('table t is missing');
    for (const statement of statements) await client.execute(statement);
    const locks = await client.query<{ mode: string }>(`SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND granted AND relation::text = ANY ($1::text[])`, [before.oids]);
    const [after] = await client.query<{ relfilenode: string | null; scans: string | null }>(
      `SELECT (SELECT relfilenode::text FROM pg_class WHERE oid = $1::oid) AS relfilenode,
         (SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = $1::oid)::text AS scans`,
      [before.oids[0]],
    );
    const strongest = locks.map((row) => levelOf(row.mode)).reduce((a, b) => (LEVELS.indexOf(b) > LEVELS.indexOf(a) ? b : a), 'none');
    const rewritten = after?.relfilenode != null && after.relfilenode !== before.relfilenode;
    const scanned = after?.scans != null && Number(after.scans) > Number(before.scans);
    return { lock: strongest, rewrite: rewritten ? 'rewrite' : scanned ? 'scan' : 'none' };
  } finally {
    await client.execute('ROLLBACK');
  }
}

describe('PostgreSQL lock and rewrite facts on the real server', () => {
  let database: ThrowawayDatabase;
  let client: PgClient;
  let version: ServerVersion;
  const facts: ObservedFact[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase('online_locks');
    client = await PgClient.connect(database.url, database.url);
    // timestamp -> timestamptz keeps the values only in UTC; a real deployment's zone is anything.
    await client.execute(`SET TimeZone = 'Europe/Paris'`);
    version = parseServerVersion(await client.serverVersion());
  });
  afterAll(async () => {
    await client.close();
    await database.drop();
    recordFacts('postgres', `PostgreSQL ${version.major}.${version.minor}`, facts, SCENARIOS.length + ONLINE_SCENARIOS.length + 1);
  });

  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', async (_name, scenario) => {
    await client.execute(SETUP);
    if (scenario.extraSetup !== undefined) await client.execute(scenario.extraSetup);
    const schema: Schema = normalizeSchema(await introspect(client));
    const table = schema.tables.find((t) => t.name === 't');
    if (table === undefined) throw new Error('t was not introspected');
    const change = scenario.change(table);
    const claimed: LockImpact = postgresLockImpact(change, { version, table, online: false });
    expect({ lock: claimed.lock, rewrite: claimed.rewrite }).toEqual(scenario.expect);
    const observed = await observe(client, postgresSql.render(change, { before: schema }));
    expect(observed).toEqual(scenario.expect);
    facts.push({ change: scenario.name, form: 'plain', lock: claimed.lock, rewrite: claimed.rewrite, blocking: claimed.blocking });
  });

  it.each(ONLINE_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('online: %s', async (_name, scenario) => {
    await client.execute(SETUP);
    const schema: Schema = normalizeSchema(await introspect(client));
    const table = schema.tables.find((t) => t.name === 't');
    if (table === undefined) throw new Error('t was not introspected');
    const change = scenario.change(table);
    const context = { version, table, online: true };
    const claimed: LockImpact = postgresLockImpact(change, context);
    expect({ lock: claimed.lock, rewrite: claimed.rewrite, blocking: claimed.blocking }).toEqual({ ...scenario.expect, blocking: false });
    const statements = postgresOnlineForm(change, postgresSql.render(change, { before: schema }), context);
    expect(statements.length).toBeGreaterThan(1);
    // Each statement alone, as the applier commits them: the strongest lock of any, and no scan under a lock that stops writers.
    const seen: Observation[] = [];
    for (const statement of statements) {
      const observed = await observe(client, [statement]);
      seen.push(observed);
      if (observed.rewrite !== 'none') expect(LEVELS.indexOf(observed.lock)).toBeLessThan(LEVELS.indexOf('SHARE'));
      await client.execute(statement);
    }
    const strongest = seen.map((o) => o.lock).reduce((a, b) => (LEVELS.indexOf(b) > LEVELS.indexOf(a) ? b : a), 'none');
    expect({ lock: strongest, rewrite: seen.some((o) => o.rewrite === 'scan') ? 'scan' : 'none' }).toEqual(scenario.expect);
    facts.push({ change: scenario.name, form: 'online', lock: claimed.lock, rewrite: claimed.rewrite, blocking: claimed.blocking });
  });

  it('online: add unique constraint (a unique index built CONCURRENTLY, then UNIQUE USING INDEX)', async () => {
    await client.execute(SETUP);
    const schema: Schema = normalizeSchema(await introspect(client));
    const table = schema.tables.find((t) => t.name === 't');
    if (table === undefined) throw new Error('t was not introspected');
    const change: Change = { kind: 'add_unique', table: T, unique: { name: 't_w_u', columns: ['w'] } };
    const context = { version, table, online: true };
    const claimed = postgresLockImpact(change, context);
    expect({ lock: claimed.lock, rewrite: claimed.rewrite, blocking: claimed.blocking }).toEqual({ lock: 'ACCESS EXCLUSIVE', rewrite: 'scan', blocking: false });
    const [build, attach] = postgresOnlineForm(change, postgresSql.render(change, { before: schema }), context) as [string, string];
    expect(build).toMatch(/^CREATE UNIQUE INDEX CONCURRENTLY /);

    // The build cannot run in a transaction: its lock is read from pg_locks by another session while it waits for a
    // writer's open transaction (a concurrent build waits for those), and the writer then commits: it was not blocked.
    const builder = new Client({ connectionString: database.url });
    const writer = new Client({ connectionString: database.url });
    await builder.connect();
    await writer.connect();
    try {
      const pid = Number((await builder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
      await writer.query('BEGIN');
      await writer.query("INSERT INTO t (id, w) VALUES (2, 'w2')");
      const building = builder.query(build);
      let held: string[] = [];
      for (let i = 0; i < 600 && held.length === 0; i++) {
        held = (await client.query<{ mode: string }>("SELECT mode FROM pg_locks WHERE pid = $1 AND granted AND relation = 't'::regclass", [pid])).map((row) => levelOf(row.mode));
        if (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(held).toEqual(['SHARE UPDATE EXCLUSIVE']);
      await writer.query("INSERT INTO t (id, w) VALUES (3, 'w3')");
      await writer.query('COMMIT');
      await building;
    } finally {
      await builder.end();
      await writer.end();
    }
    // The attach takes ACCESS EXCLUSIVE for a catalog change, and reads no row.
    expect(await observe(client, [attach])).toEqual({ lock: 'ACCESS EXCLUSIVE', rewrite: 'none' });
    await client.execute(attach);
    const after = normalizeSchema(await introspect(client)).tables.find((t) => t.name === 't');
    expect(after?.uniques.map((u) => [u.name, u.columns])).toEqual([['t_u', ['e']], ['t_w_u', ['w']]]);
    expect(after?.indexes.map((index) => index.name)).toEqual(['t_c']);
    facts.push({ change: 'add unique constraint', form: 'online', lock: claimed.lock, rewrite: claimed.rewrite, blocking: claimed.blocking });
  });
});
