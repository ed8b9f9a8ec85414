/**
 * Generated migrations under write load: a table of a few hundred thousand rows, a second connection writing to it in
 * a bounded loop on loopback, and one migration per change (add index, add foreign key, add column) rendered in the
 * online form and run by the applier. The writer's slowest statement during each migration is measured; a change the
 * lock facts call non-blocking must never hold it up longer than the lock timeout. A correctness check about blocking
 * with a generous bound, not a speed benchmark. The facts go to docs/online-ddl.md (docs/lock-facts/*-under-load.json).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyMigrations } from '../../src/apply/applier';
import type { Change } from '../../src/change/change';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { parseServerVersion, type LockContext } from '../../src/dialect/lock-impact';
import { lockImpactOf } from '../../src/dialect/lock-impacts';
import { onlineForm } from '../../src/dialect/online-forms';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { introspect } from '../../src/introspect/introspect';
import { normalizeSchema } from '../../src/model/normalize';
import type { Column, Schema, Table } from '../../src/model/schema';
import { migrationSource } from '../e2e/cli-apply.shared';
import { recordFacts, type ObservedFact } from '../support/lock-facts';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';
import { startWriter, writesDuring } from '../support/writer';

/** Rows in the table the migrations change: enough that a blocking scan or copy is visible, small enough for CI. */
export const ROWS = 200_000;
/** The lock_timeout the applier runs with (PostgreSQL), and the bound on any wait of the writer. */
export const LOCK_TIMEOUT_MS = 2000;

const T = { schema: null, name: 'load_items' } as const;

/** The changes of a realistic release, built against the live table. */
function releaseChanges(table?: Table): { name: string; change: Change }[] {
  const intColumn = table?.columns.find((column) => column.name === 'team_id');
  return [
    { name: 'add index', change: { kind: 'create_index', table: T, index: { name: 'load_items_v', columns: ['v'], unique: false, where: null, method: null } } },
    {
      name: 'add foreign key',
      change: {
        kind: 'add_foreign_key',
        table: T,
        foreignKey: { name: 'load_items_team', columns: ['team_id'], referencedSchema: null, referencedTable: 'load_teams', referencedColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' },
      } as Change,
    },
    {
      name: 'add nullable column',
      change: { kind: 'add_column', table: T, column: { ...(intColumn as Column), name: 'extra', nullable: true, default: null, comment: null } },
    },
  ];
}

/** The writer's statements: updates and inserts, alternating. */
function loadWrite(ids: { next: number }): (i: number) => string {
  return (i) => (i % 2 === 0 ? `UPDATE load_items SET v = v + 1 WHERE id = ${1 + ((i * 7919) % ROWS)}` : `INSERT INTO load_items (id, v, team_id) VALUES (${ids.next++}, 1, ${1 + (i % 50)})`);
}

/** Defines the suite for one server. */
export function defineOnlineLoadSuite(target: 'postgres' | 'mariadb'): void {
  const postgres = target === 'postgres';
  let database: ThrowawayDatabase;
  let project: string;
  const open = (): Promise<DatabaseClient> => (postgres ? PgClient.connect(database.url, database.url) : MysqlClient.connect(database.url, database.url));
  const facts: ObservedFact[] = [];
  let serverLabel = '';
  // New rows' keys, carried from one migration's writer to the next.
  const insertedIds = { next: ROWS + 1 };

  beforeAll(async () => {
    database = postgres ? await createPostgresDatabase('pgonline_load') : await createMysqlDatabase('pgonline_load');
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'pgonline-load-'));
    const client = await open();
    try {
      await client.execute('CREATE TABLE load_teams (id int PRIMARY KEY)');
      await client.execute('CREATE TABLE load_items (id int PRIMARY KEY, v int NOT NULL, team_id int)');
      if (postgres) {
        await client.execute('INSERT INTO load_teams SELECT g FROM generate_series(1, 50) g');
        await client.execute(`INSERT INTO load_items SELECT g, g % 1000, 1 + g % 50 FROM generate_series(1, ${ROWS}) g`);
        await client.execute('ANALYZE load_items');
      } else {
        await client.execute('INSERT INTO load_teams SELECT seq FROM seq_1_to_50');
        await client.execute(`INSERT INTO load_items SELECT seq, seq % 1000, 1 + seq % 50 FROM seq_1_to_${ROWS}`);
      }
      const version = await client.serverVersion();
      const parsed = parseServerVersion(version);
      serverLabel = `${postgres ? 'PostgreSQL' : 'MariaDB'} ${parsed.major}.${parsed.minor}, under write load (${ROWS.toLocaleString('en')} rows, a writer on a second connection)`;
    } finally {
      await client.close();
    }
  });

  afterAll(async () => {
    await database?.drop();
    if (project !== undefined) fs.rmSync(project, { recursive: true, force: true });
    recordFacts(`${target}-under-load`, serverLabel, facts, releaseChanges().length);
  });

  it.each(releaseChanges().map((entry, i) => [entry.name, entry, i] as const))('%s: the writer is never held up longer than the lock timeout', async (name, first, i) => {
    let entry = first;
    const client = await open();
    const writerClient = await open();
    try {
      const before: Schema = normalizeSchema(await introspect(client));
      const table = before.tables.find((t) => t.name === 'load_items');
      if (table === undefined) throw new Error('load_items was not introspected');
      const version = parseServerVersion(await client.serverVersion());
      const context: LockContext = { version, online: true, table };
      entry = releaseChanges(table)[i] ?? entry;
      const statements = onlineForm(client.dialect, entry.change, sqlDialectFor(client.dialect).render(entry.change, { before }), context);
      const impact = lockImpactOf(client.dialect, entry.change, context);
      const id = `v1_0_0/2026120600000${i}_${name.replace(/ /g, '_')}`;
      const file = path.join(project, 'generated-migrations', `${id}.ts`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, migrationSource(postgres ? 'postgres' : 'mariadb', statements, []));

      const writer = startWriter(writerClient, loadWrite(insertedIds));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = performance.now();
      await applyMigrations(client, {
        projectDir: project,
        migrationsDir: path.join(project, 'generated-migrations'),
        dryRun: false,
        allowChanged: false,
        lockTimeoutSeconds: 30,
        lockPolicy: { timeoutMs: LOCK_TIMEOUT_MS, retries: 5, backoffMs: 500 },
      });
      const ended = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { waits } = await writer.stop();
      const { count, slowest: maxWait } = writesDuring(waits, started, ended);
      process.stderr.write(`${target} ${name}: ${statements.join('; ')}\n  migration ${(ended - started).toFixed(0)} ms, ${count} writes during it, slowest ${maxWait.toFixed(0)} ms (facts: lock ${impact.lock}, blocking ${impact.blocking})\n`);
      expect(count).toBeGreaterThan(0);
      if (!impact.blocking) expect(maxWait).toBeLessThan(LOCK_TIMEOUT_MS);
      facts.push({ change: `${name} (slowest write during it: ${Math.round(maxWait)} ms of ${count})`, form: 'online', lock: impact.lock, rewrite: impact.rewrite, blocking: impact.blocking });
    } finally {
      await writerClient.close();
      await client.close();
    }
  });
}
