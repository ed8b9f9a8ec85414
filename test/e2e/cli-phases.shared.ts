/**
 * Expand and contract through the built CLI, on a realistic release over tables with rows: an index, a foreign key
 * on a new column, a NOT NULL column with --fill, and a column renamed with --sync-trigger. `apply --phase expand`
 * must leave the old release working (its columns there, its inserts and updates landing in the new columns through
 * the trigger); `apply --phase contract` finishes the release; rolling both back keeps every value through the
 * rename. The old release's models pass `compat --phase expand` and fail `--phase contract` by name. Runs the built
 * CLI (npm run build).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { makeProject, removeProject, runCli } from '../support/cli';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

/** Release 1.0.0's and 1.1.0's users entity. */
export const USER = `import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('users')
export class User {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;
}
`;

/** Release 1.0.0 has title and status; 1.1.0 renames title to headline, adds priority (NOT NULL), owner_id (FK) and an index. */
export const document = (next: boolean) => `import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from './user';

@Entity('documents')
${next ? "@Index('IDX_documents_status', ['status'])\n" : ''}export class Document {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  ${next ? 'headline' : 'title'}!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  status!: string | null;
${
  next
    ? `
  @Column({ type: 'int' })
  priority!: number;

  @Column({ type: 'int', nullable: true })
  owner_id!: number | null;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'FK_documents_owner' })
  owner!: User | null;
`
    : ''
}}
`;

interface Phased {
  readonly files: { file: string; phase: string | null }[];
  readonly phases: { change: string; phase: string }[];
}

/** Defines the suite for one server. */
export function definePhasesSuite(target: 'postgres' | 'mariadb'): void {
  let database: ThrowawayDatabase;
  let project: string;
  const cli = (...args: string[]) => runCli([...args, '--project', project, '--url', database.url], { cwd: project });
  const withClient = async <T>(use: (client: DatabaseClient) => Promise<T>): Promise<T> => {
    const client: DatabaseClient = target === 'postgres' ? await PgClient.connect(database.url, database.url) : await MysqlClient.connect(database.url, database.url);
    try {
      return await use(client);
    } finally {
      await client.close();
    }
  };
  const rows = (sql: string) => withClient((client) => client.query<Record<string, unknown>>(sql));
  const run = (sql: string) => withClient((client) => client.execute(sql));
  const columns = async () =>
    (await rows(`SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'documents' AND table_schema = ${target === 'postgres' ? "'public'" : 'DATABASE()'} ORDER BY column_name`)).map((row) => String(row.c ?? row.C));
  const models = (next: boolean) => fs.writeFileSync(path.join(project, 'models', 'document.ts'), document(next));

  beforeAll(async () => {
    database = target === 'postgres' ? await createPostgresDatabase('phases') : await createMysqlDatabase('phases');
    project = makeProject({ 'models/user.ts': USER, 'models/document.ts': document(false), 'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }) });
  });
  afterAll(async () => {
    await database?.drop();
    removeProject(project);
  });

  it(`${target}: expand keeps the old release working, contract finishes the release, and both roll back with the data`, async () => {
    expect(cli('sync', '--name', 'init').status).toBe(0);
    expect(cli('apply').status).toBe(0);
    await run("INSERT INTO users (id, name) VALUES (1, 'ann'), (2, 'bob')");
    await run("INSERT INTO documents (id, title, status) VALUES (1, 'one', 'draft'), (2, 'two', NULL), (3, 'three', 'done')");

    models(true);
    const sync = cli('sync', '--release', '1.1.0', '--name', 'docs', '--rename', 'documents.title=headline', '--fill', 'documents.priority=3', '--sync-trigger', '--json');
    expect(sync.stderr).toBe('');
    expect(sync.status).toBe(0);
    const result = JSON.parse(sync.stdout) as Phased;
    expect(result.files.map((f) => f.phase)).toEqual(['expand', 'contract']);
    expect(result.files.map((f) => path.basename(f.file).replace(/^\d+_/, ''))).toEqual(['expand_docs.ts', 'contract_docs.ts']);
    const [expandText, contractText] = result.files.map((f) => fs.readFileSync(path.join(project, f.file), 'utf8')) as [string, string];
    expect(expandText).toContain('export const phase = "expand";');
    expect(contractText).toContain('export const phase = "contract";');
    expect(expandText).toContain('Phase: expand.');
    // Never a breaking rename under live traffic.
    expect(`${expandText}${contractText}`).not.toMatch(/RENAME COLUMN|CHANGE COLUMN/);
    // The copy commits batch by batch: a DO block the applier runs outside the transaction, or a loop of autocommitted UPDATEs.
    expect(expandText).toContain(target === 'postgres' ? 'await db.execute(`DO $schema_sync_copy$' : 'await copyInBatches(db,');
    expect(result.phases.filter((c) => c.phase === 'expand').map((c) => c.change)).toEqual(
      expect.arrayContaining([expect.stringContaining('add column headline'), expect.stringContaining('create index IDX_documents_status'), expect.stringContaining('FK_documents_owner')]),
    );
    expect(result.phases.filter((c) => c.phase === 'contract').map((c) => c.change)).toEqual(expect.arrayContaining([expect.stringContaining('drop column title')]));

    // The old release's models survive the expand phase and lose title in the contract phase.
    fs.mkdirSync(path.join(project, 'release-1.0'));
    fs.writeFileSync(path.join(project, 'release-1.0', 'user.ts'), USER);
    fs.writeFileSync(path.join(project, 'release-1.0', 'document.ts'), document(false));
    const compatExpand = cli('compat', '--against', 'release-1.0', '--phase', 'expand', '--json');
    expect(compatExpand.stderr).not.toContain('schema-sync:');
    expect(JSON.parse(compatExpand.stdout)).toMatchObject({ compatible: true, incompatibilities: [] });
    expect(compatExpand.status).toBe(0);
    const compatContract = cli('compat', '--against', 'release-1.0', '--phase', 'contract', '--json');
    expect(compatContract.status).toBe(2);
    // The contract drops title, and makes headline NOT NULL and priority default-less while the old inserts leave them out.
    const broken = (JSON.parse(compatContract.stdout) as { incompatibilities: { code: string; column: string; migration: string }[] }).incompatibilities;
    expect(broken.map((i) => [i.code, i.column]).sort()).toEqual([
      ['column-missing', 'title'],
      ['not-null-without-default', 'headline'],
      ['not-null-without-default', 'priority'],
    ]);
    expect(broken.every((i) => i.migration.endsWith('_contract_docs'))).toBe(true);

    // Contract before expand is refused, naming the expand migration.
    const early = cli('apply', '--phase', 'contract');
    expect(early.status).toBe(1);
    expect(early.stderr).toContain('is a pending expand migration: run apply --phase expand');

    expect(cli('apply', '--phase', 'expand').status).toBe(0);
    expect(await columns()).toEqual(['headline', 'id', 'owner_id', 'priority', 'status', 'title']);
    const status = JSON.parse(cli('status', '--json').stdout) as { migrations: { id: string; phase: string | null; state: string }[] };
    expect(status.migrations.slice(1).map((m) => [m.phase, m.state])).toEqual([
      ['expand', 'applied'],
      ['contract', 'pending'],
    ]);
    // The old release: inserts and updates that know only title (and not priority), through the trigger.
    await run("INSERT INTO documents (id, title, status) VALUES (10, 'old insert', 'draft')");
    await run("UPDATE documents SET title = 'one, edited by the old release' WHERE id = 1");
    // The new release: writes headline only.
    await run("INSERT INTO documents (id, headline, priority, owner_id) VALUES (11, 'new insert', 7, 2)");
    await run("UPDATE documents SET headline = 'two, edited by the new release' WHERE id = 2");
    expect(await rows('SELECT id, title, headline, priority FROM documents ORDER BY id')).toEqual([
      { id: 1, title: 'one, edited by the old release', headline: 'one, edited by the old release', priority: 3 },
      { id: 2, title: 'two, edited by the new release', headline: 'two, edited by the new release', priority: 3 },
      { id: 3, title: 'three', headline: 'three', priority: 3 },
      { id: 10, title: 'old insert', headline: 'old insert', priority: 3 },
      { id: 11, title: 'new insert', headline: 'new insert', priority: 7 },
    ]);

    expect(cli('apply', '--phase', 'contract').status).toBe(0);
    expect(await columns()).toEqual(['headline', 'id', 'owner_id', 'priority', 'status']);
    expect(cli('diff', '--exit-code').status).toBe(0);
    expect((await rows('SELECT headline FROM documents ORDER BY id')).map((row) => row.headline)).toEqual([
      'one, edited by the old release',
      'two, edited by the new release',
      'three',
      'old insert',
      'new insert',
    ]);

    // Both phases back: the contract's rollback restores title from headline, the expand's drops what it added.
    const rollback = cli('rollback', '--steps', '2', '--drop');
    expect(rollback.stderr).not.toContain('schema-sync:');
    expect(rollback.status).toBe(0);
    expect(await columns()).toEqual(['id', 'status', 'title']);
    expect((await rows('SELECT id, title FROM documents ORDER BY id')).map((row) => [row.id, row.title])).toEqual([
      [1, 'one, edited by the old release'],
      [2, 'two, edited by the new release'],
      [3, 'three'],
      [10, 'old insert'],
      [11, 'new insert'],
    ]);
    models(false);
    expect(cli('diff', '--exit-code').status).toBe(0);
    // The old release's insert still works on the rolled-back table (title NOT NULL again, no trigger left).
    await run("INSERT INTO documents (id, title) VALUES (12, 'after rollback')");
    expect((await rows('SELECT COUNT(*) AS n FROM documents')).map((row) => Number(row.n))).toEqual([6]);
  });
}
