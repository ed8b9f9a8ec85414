/**
 * The core scenarios, run once per database (PostgreSQL, MariaDB, PGlite), each in its own test file because the
 * entity files read SCHEMA_SYNC_DIALECT when their decorators run:
 *   (a) an empty database reports every model table as create_table;
 *   (b) a database TypeORM's own synchronize() built from the same entities is exactly in sync;
 *   (c) each change kind is detected after a hand-written ALTER, and reverting the ALTER is in sync again.
 */
import * as path from 'node:path';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import type { Schema, Table } from '../../src/model/schema';
import { buildDiffReport, type DiffReport } from '../../src/report/diff-report';
import { computeDiff } from '../../src/sync/compute-diff';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { planMigration } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { DataSource } from 'typeorm';
import { servePglite } from '../support/pglite-server';
import { createMysqlDatabase, createPostgresDatabase } from '../support/servers';
import { describePending, loadFeatureEntities, loadModels, selectDialect, synchronizeThenLog } from './typeorm-sync-fixtures.shared';

/** The databases the scenarios run on. */
export type ScenarioTarget = 'postgres' | 'mariadb' | 'pglite';

const ROOT = path.resolve(__dirname, '..', '..');
const MODEL_GLOBS = ['models/**/*.ts'];
const FEATURE_GLOBS = ['test/fixtures/feature-entities/**/*.ts'];

interface OpenDatabase {
  readonly client: DatabaseClient;
  /** A URL TypeORM can connect to. */
  readonly typeormUrl: string;
  close(): Promise<void>;
}

async function openDatabase(target: ScenarioTarget, suite: string): Promise<OpenDatabase> {
  if (target === 'pglite') {
    const served = await servePglite();
    return { client: served.client, typeormUrl: served.url, close: () => served.close() };
  }
  const database = target === 'postgres' ? await createPostgresDatabase(suite) : await createMysqlDatabase(suite);
  const client = target === 'postgres' ? await PgClient.connect(database.url, database.url) : await MysqlClient.connect(database.url, database.url);
  return {
    client,
    typeormUrl: database.url,
    async close() {
      await client.close();
      await database.drop();
    },
  };
}

async function diffReport(client: DatabaseClient, globs: readonly string[]): Promise<{ report: DiffReport; desired: Schema }> {
  const outcome = await computeDiff(client, { projectDir: ROOT, source: { kind: 'globs', globs } });
  return { report: buildDiffReport(client.dialect, client.target, outcome.diff.changes, outcome.diff.suggestions, outcome.diff.unmanaged), desired: outcome.desired };
}

function listChanges(report: DiffReport): string {
  return report.changes.map((change) => `${change.kind} ${change.table ?? ''}: ${change.detail}`).join('\n');
}

async function synchronize(target: ScenarioTarget, database: OpenDatabase, entities: Function[], prepare: readonly string[]): Promise<void> {
  const result = await synchronizeThenLog(target === 'mariadb' ? 'mariadb' : 'postgres', database.typeormUrl, entities, { prepare });
  if (result.pending.length > 0) throw new Error(describePending(`TypeORM on ${target}`, result.pending));
}

/** What TypeORM's own schema builder would still change (its `migration:generate` path), without changing it. */
async function typeormPending(type: 'postgres' | 'mariadb', url: string, entities: Function[]): Promise<string[]> {
  const dataSource = new DataSource({ type, url, entities, synchronize: false, logging: false });
  await dataSource.initialize();
  try {
    return (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query);
  } finally {
    await dataSource.destroy();
  }
}

/** One hand-written change and what the diff must say about it. */
interface ChangeCase {
  readonly name: string;
  /** Statements that make the database differ from the models, and statements that undo them. */
  readonly sql: (desired: Schema, family: 'postgres' | 'mysql') => { readonly alter: readonly string[]; readonly revert: readonly string[] };
  /** The changes expected, as `kind table[.column]`, and which of them are guarded. */
  readonly expect: readonly string[];
  readonly guarded?: readonly string[];
}

function table(desired: Schema, name: string): Table {
  const found = desired.tables.find((t) => t.name === name && t.schema === null);
  if (found === undefined) throw new Error(`models have no table ${name}`);
  return found;
}

function q(family: 'postgres' | 'mysql', name: string): string {
  return family === 'postgres' ? `"${name}"` : `\`${name}\``;
}

const CHANGE_CASES: readonly ChangeCase[] = [
  {
    name: 'add_column: a model column missing from the table',
    sql: (_, f) => ({
      alter: [`ALTER TABLE documents DROP COLUMN mime_type`],
      revert: [
        f === 'postgres'
          ? `ALTER TABLE documents ADD COLUMN mime_type character varying(127) NOT NULL`
          : `ALTER TABLE documents ADD COLUMN mime_type varchar(127) NOT NULL AFTER title`,
      ],
    }),
    expect: ['add_column documents.mime_type'],
  },
  {
    name: 'drop_column: a table column the models do not have (guarded)',
    sql: () => ({ alter: [`ALTER TABLE documents ADD COLUMN legacy_notes text`], revert: [`ALTER TABLE documents DROP COLUMN legacy_notes`] }),
    expect: ['drop_column documents.legacy_notes'],
    guarded: ['drop_column documents.legacy_notes'],
  },
  {
    name: 'alter_column type: varchar length',
    sql: (_, f) => ({
      alter: [f === 'postgres' ? `ALTER TABLE documents ALTER COLUMN mime_type TYPE varchar(50)` : `ALTER TABLE documents MODIFY mime_type varchar(50) NOT NULL`],
      revert: [f === 'postgres' ? `ALTER TABLE documents ALTER COLUMN mime_type TYPE varchar(127)` : `ALTER TABLE documents MODIFY mime_type varchar(127) NOT NULL`],
    }),
    expect: ['alter_column documents.mime_type'],
  },
  {
    name: 'alter_column type: integer width',
    sql: (_, f) => ({
      alter: [f === 'postgres' ? `ALTER TABLE chunks ALTER COLUMN token_count TYPE bigint` : `ALTER TABLE chunks MODIFY token_count bigint NOT NULL`],
      revert: [f === 'postgres' ? `ALTER TABLE chunks ALTER COLUMN token_count TYPE integer` : `ALTER TABLE chunks MODIFY token_count int NOT NULL`],
    }),
    expect: ['alter_column chunks.token_count'],
    guarded: ['alter_column chunks.token_count'],
  },
  {
    name: 'alter_column nullability',
    sql: (_, f) => ({
      alter: [f === 'postgres' ? `ALTER TABLE documents ALTER COLUMN title DROP NOT NULL` : `ALTER TABLE documents MODIFY title varchar(255) NULL`],
      revert: [f === 'postgres' ? `ALTER TABLE documents ALTER COLUMN title SET NOT NULL` : `ALTER TABLE documents MODIFY title varchar(255) NOT NULL`],
    }),
    expect: ['alter_column documents.title'],
  },
  {
    name: 'alter_column default',
    sql: () => ({
      alter: [`ALTER TABLE processing_jobs ALTER COLUMN attempts SET DEFAULT 5`],
      revert: [`ALTER TABLE processing_jobs ALTER COLUMN attempts SET DEFAULT 0`],
    }),
    expect: ['alter_column processing_jobs.attempts'],
  },
  {
    name: 'alter_column comment',
    sql: (_, f) => ({
      alter: [f === 'postgres' ? `COMMENT ON COLUMN documents.file_path IS 'where it came from'` : `ALTER TABLE documents MODIFY file_path varchar(512) NOT NULL COMMENT 'where it came from'`],
      revert: [f === 'postgres' ? `COMMENT ON COLUMN documents.file_path IS NULL` : `ALTER TABLE documents MODIFY file_path varchar(512) NOT NULL`],
    }),
    expect: ['alter_column documents.file_path'],
  },
  {
    name: 'create_table and drop_table: a model table renamed away (the old name is guarded)',
    sql: () => ({ alter: [`ALTER TABLE llm_models RENAME TO llm_models_old`], revert: [`ALTER TABLE llm_models_old RENAME TO llm_models`] }),
    // chat_sessions' foreign key followed the rename, so it now points at the wrong table.
    expect: ['create_table llm_models', 'drop_table llm_models_old', 'drop_foreign_key chat_sessions', 'add_foreign_key chat_sessions'],
    guarded: ['drop_table llm_models_old'],
  },
  {
    name: 'drop_table: a table the models do not have (guarded)',
    sql: () => ({ alter: [`CREATE TABLE legacy_audit (id int PRIMARY KEY, note text)`], revert: [`DROP TABLE legacy_audit`] }),
    expect: ['drop_table legacy_audit'],
    guarded: ['drop_table legacy_audit'],
  },
  {
    name: 'create_index: a model index missing',
    sql: (_, f) => ({
      alter: [f === 'postgres' ? `DROP INDEX idx_documents_content_hash` : `DROP INDEX idx_documents_content_hash ON documents`],
      revert: [`CREATE INDEX idx_documents_content_hash ON documents (content_hash)`],
    }),
    expect: ['create_index documents'],
  },
  {
    name: 'drop_index: an index the models do not have',
    sql: (_, f) => ({
      alter: [`CREATE INDEX idx_extra_title ON documents (title)`],
      revert: [f === 'postgres' ? `DROP INDEX idx_extra_title` : `DROP INDEX idx_extra_title ON documents`],
    }),
    expect: ['drop_index documents'],
  },
  {
    name: 'add_foreign_key: a model foreign key missing',
    sql: (desired, f) => {
      const fk = table(desired, 'chunks').foreignKeys[0];
      if (fk === undefined) throw new Error('chunks has no foreign key in the models');
      const drop = f === 'postgres' ? `ALTER TABLE chunks DROP CONSTRAINT ${q(f, fk.name)}` : `ALTER TABLE chunks DROP FOREIGN KEY ${q(f, fk.name)}`;
      return {
        alter: [drop],
        revert: [`ALTER TABLE chunks ADD CONSTRAINT ${q(f, fk.name)} FOREIGN KEY (document_id) REFERENCES documents (id) ON DELETE CASCADE`],
      };
    },
    expect: ['add_foreign_key chunks'],
  },
  {
    name: 'drop_foreign_key: a foreign key the models do not have',
    sql: (_, f) => ({
      // On the primary key column, so MySQL needs no index of its own for it (it would outlive the key).
      alter: [`ALTER TABLE llm_models ADD CONSTRAINT fk_extra_self FOREIGN KEY (id) REFERENCES llm_models (id)`],
      revert: [f === 'postgres' ? `ALTER TABLE llm_models DROP CONSTRAINT fk_extra_self` : `ALTER TABLE llm_models DROP FOREIGN KEY fk_extra_self`],
    }),
    expect: ['drop_foreign_key llm_models'],
  },
  {
    name: 'alter foreign key action (dropped and re-added)',
    sql: (desired, f) => {
      const fk = table(desired, 'chunks').foreignKeys[0];
      if (fk === undefined) throw new Error('chunks has no foreign key in the models');
      const drop = f === 'postgres' ? `ALTER TABLE chunks DROP CONSTRAINT ${q(f, fk.name)}` : `ALTER TABLE chunks DROP FOREIGN KEY ${q(f, fk.name)}`;
      const add = (action: string) => `ALTER TABLE chunks ADD CONSTRAINT ${q(f, fk.name)} FOREIGN KEY (document_id) REFERENCES documents (id) ON DELETE ${action}`;
      return { alter: [drop, add('RESTRICT')], revert: [drop, add('CASCADE')] };
    },
    expect: ['drop_foreign_key chunks', 'add_foreign_key chunks'],
  },
  {
    name: 'alter_primary_key: the join table lost its primary key',
    sql: (desired, f) => {
      const pk = table(desired, 'knowledge_base_members').primaryKey;
      if (pk === null) throw new Error('knowledge_base_members has no primary key in the models');
      const columns = pk.columns.map((c) => q(f, c)).join(', ');
      return f === 'postgres'
        ? { alter: [`ALTER TABLE knowledge_base_members DROP CONSTRAINT ${q(f, pk.name ?? '')}`], revert: [`ALTER TABLE knowledge_base_members ADD CONSTRAINT ${q(f, pk.name ?? '')} PRIMARY KEY (${columns})`] }
        : { alter: [`ALTER TABLE knowledge_base_members DROP PRIMARY KEY`], revert: [`ALTER TABLE knowledge_base_members ADD PRIMARY KEY (${columns})`] };
    },
    expect: ['alter_primary_key knowledge_base_members'],
  },
  {
    name: 'drop_check: a check constraint the models do not have',
    sql: (_, f) => ({
      alter: [`ALTER TABLE chunks ADD CONSTRAINT chk_position CHECK (${q(f, 'position')} >= 0)`],
      revert: [f === 'postgres' ? `ALTER TABLE chunks DROP CONSTRAINT chk_position` : `ALTER TABLE chunks DROP CONSTRAINT chk_position`],
    }),
    expect: ['drop_check chunks'],
  },
  {
    name: 'alter_table_comment',
    sql: (_, f) => ({
      alter: [f === 'postgres' ? `COMMENT ON TABLE documents IS 'uploaded files'` : `ALTER TABLE documents COMMENT = 'uploaded files'`],
      revert: [f === 'postgres' ? `COMMENT ON TABLE documents IS NULL` : `ALTER TABLE documents COMMENT = ''`],
    }),
    expect: ['alter_table_comment documents'],
  },
];

function expectedKey(change: { kind: string; table: string | null; column?: string }): string {
  const column = change.column === undefined || !['add_column', 'drop_column', 'alter_column'].includes(change.kind) ? '' : `.${change.column}`;
  return `${change.kind} ${change.table ?? ''}${column}`;
}

/** Defines every scenario suite for one database. Call at the top level of a test file. */
export function defineScenarios(target: ScenarioTarget): void {
  const family = target === 'mariadb' ? 'mysql' : 'postgres';
  // Before any entity file loads: the models pick dialect-specific types from this variable.
  selectDialect(target === 'mariadb' ? 'mariadb' : 'postgres');
  const models = loadModels();
  const features = loadFeatureEntities();
  const modelPrepare = family === 'postgres' ? ['CREATE EXTENSION IF NOT EXISTS vector'] : [];
  const featurePrepare = family === 'postgres' ? ['CREATE SCHEMA IF NOT EXISTS audit'] : [];

  describe(`${target}: (a) empty database`, () => {
    let database: OpenDatabase;
    beforeAll(async () => {
      database = await openDatabase(target, 'scn_empty');
    });
    afterAll(async () => database?.close());

    it('reports every model table as create_table, and nothing else but enum types', async () => {
      const { report, desired } = await diffReport(database.client, MODEL_GLOBS);
      expect(report.inSync).toBe(false);
      const created = report.changes.filter((c) => c.kind === 'create_table').map((c) => c.table);
      expect(created.sort()).toEqual(desired.tables.map((t) => t.name).sort());
      const others = report.changes.filter((c) => c.kind !== 'create_table').map((c) => c.kind);
      expect(others.every((kind) => kind === 'create_enum')).toBe(true);
      expect(others).toHaveLength(desired.enums.length);
      expect(report.summary.guarded).toBe(0);
    });
  });

  describe(`${target}: (b) agreement with TypeORM synchronize()`, () => {
    it('models/ is exactly in sync', async () => {
      const database = await openDatabase(target, 'scn_agree_models');
      try {
        await synchronize(target, database, models, modelPrepare);
        const { report } = await diffReport(database.client, MODEL_GLOBS);
        if (!report.inSync) throw new Error(`phantom changes on ${target}:\n${listChanges(report)}`);
        expect(report.changes).toEqual([]);
      } finally {
        await database.close();
      }
    });

    it('the feature entities are exactly in sync', async () => {
      const database = await openDatabase(target, 'scn_agree_features');
      try {
        await synchronize(target, database, features, featurePrepare);
        const { report } = await diffReport(database.client, FEATURE_GLOBS);
        if (!report.inSync) throw new Error(`phantom changes on ${target}:\n${listChanges(report)}`);
        expect(report.changes).toEqual([]);
      } finally {
        await database.close();
      }
    });
  });

  describe(`${target}: (e) agreement the other way round: TypeORM finds nothing to do after our migration`, () => {
    const cases = [
      ['models/', MODEL_GLOBS, () => models] as const,
      ['the feature entities', FEATURE_GLOBS, () => features] as const,
    ];
    it.each(cases)('%s', async (_what, globs, entities) => {
      const database = await openDatabase(target, 'scn_reverse');
      try {
        const outcome = await computeDiff(database.client, { projectDir: ROOT, source: { kind: 'globs', globs } });
        const plan = planMigration(outcome.actual, outcome.desired, { allowDrop: true, renames: [] });
        const rendered = renderPlan(plan, outcome.actual, sqlDialectFor(database.client.dialect));
        for (const group of rendered.migrate) for (const statement of group.statements) await database.client.execute(statement);
        const pending = await typeormPending(target === 'mariadb' ? 'mariadb' : 'postgres', database.typeormUrl, entities());
        if (pending.length > 0) throw new Error(describePending(`TypeORM after our migration on ${target}`, pending));
        expect(pending).toEqual([]);
      } finally {
        await database.close();
      }
    });
  });

  describe(`${target}: (c) each change kind after a hand-written ALTER`, () => {
    let database: OpenDatabase;
    let desired: Schema;
    beforeAll(async () => {
      database = await openDatabase(target, 'scn_changes');
      await synchronize(target, database, models, modelPrepare);
      const first = await diffReport(database.client, MODEL_GLOBS);
      if (!first.report.inSync) throw new Error(`not in sync before the cases:\n${listChanges(first.report)}`);
      desired = first.desired;
    });
    afterAll(async () => database?.close());

    it.each(CHANGE_CASES.map((c) => [c.name, c] as const))('%s', async (_name, changeCase) => {
      const { alter, revert } = changeCase.sql(desired, family);
      for (const statement of alter) await database.client.execute(statement);
      const { report } = await diffReport(database.client, MODEL_GLOBS);
      for (const statement of revert) await database.client.execute(statement);
      expect(report.changes.map(expectedKey).sort()).toEqual([...changeCase.expect].sort());
      expect(report.changes.filter((c) => c.guarded).map(expectedKey).sort()).toEqual([...(changeCase.guarded ?? [])].sort());
      const after = await diffReport(database.client, MODEL_GLOBS);
      if (!after.report.inSync) throw new Error(`still differs after reverting:\n${listChanges(after.report)}`);
    });

    if (family === 'postgres') {
      it('unique constraint: add_unique when a model unique constraint is missing', async () => {
        await database.client.execute(`ALTER TABLE chunks DROP CONSTRAINT uq_chunks_document_position`);
        const { report } = await diffReport(database.client, MODEL_GLOBS);
        await database.client.execute(`ALTER TABLE chunks ADD CONSTRAINT uq_chunks_document_position UNIQUE (document_id, position)`);
        expect(report.changes.map(expectedKey)).toEqual(['add_unique chunks']);
      });

      // Last: PostgreSQL cannot remove an enum value again, so this case has no revert.
      it('alter_enum: a value the models do not have (guarded: removing it loses rows that use it)', async () => {
        await database.client.execute(`ALTER TYPE chat_message_role ADD VALUE 'function'`);
        const { report } = await diffReport(database.client, MODEL_GLOBS);
        expect(report.changes.map(expectedKey)).toEqual(['alter_enum ']);
        expect(report.changes[0]?.guarded).toBe(true);
        expect(report.changes[0]?.detail).toContain('remove values function');
      });
    } else {
      it('unique index: create_index when a model unique index is missing', async () => {
        await database.client.execute(`ALTER TABLE chunks ADD INDEX tmp_doc (document_id), DROP INDEX uq_chunks_document_position`);
        const { report } = await diffReport(database.client, MODEL_GLOBS);
        await database.client.execute(`ALTER TABLE chunks ADD UNIQUE INDEX uq_chunks_document_position (document_id, position), DROP INDEX tmp_doc`);
        expect(report.changes.map(expectedKey).sort()).toEqual(['create_index chunks', 'drop_index chunks']);
      });

      it('inline enum values: alter_column type', async () => {
        const role = (await database.client.query<{ t: string }>(
          `SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'chat_messages' AND COLUMN_NAME = 'role'`,
        ))[0]?.t;
        expect(role).toBeDefined();
        await database.client.execute(`ALTER TABLE chat_messages MODIFY role enum('user','assistant','system','tool','function') NOT NULL`);
        const { report } = await diffReport(database.client, MODEL_GLOBS);
        await database.client.execute(`ALTER TABLE chat_messages MODIFY role ${role} NOT NULL`);
        expect(report.changes.map(expectedKey)).toEqual(['alter_column chat_messages.role']);
        expect(report.changes[0]?.guarded).toBe(true);
        const after = await diffReport(database.client, MODEL_GLOBS);
        if (!after.report.inSync) throw new Error(`still differs after reverting:\n${listChanges(after.report)}`);
      });
    }
  });
}
