/**
 * Issue 12's "Done when", through the built CLI on a table of a few hundred thousand rows: the realistic release of
 * cli-phases.shared.ts (an index, a foreign key, a NOT NULL column, a renamed column) goes from the old models to the
 * new ones. `sync` writes expand and contract; the old release's models pass `compat --against <folder>` for the expand
 * phase and fail it for the contract phase, naming the entity and the column it drops. While a second connection keeps
 * writing as the old release does (inserts and updates of title), `apply --phase expand` never holds a write up longer
 * than the lock timeout; then the new release writes while `apply --phase contract` runs. Every row is counted on
 * the live database after each phase: none lost, every title carried to headline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { makeProject, removeProject, runCli, runCliAsync } from '../support/cli';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';
import { startWriter, writesDuring } from '../support/writer';
import { USER, document } from './cli-phases.shared';

/** Rows in documents: enough that a copy or a scan under a write lock shows, few enough for CI on 2 cores. */
export const ROWS = 200_000;
/** --ddl-lock-timeout, and the bound on any write of the old release during expand. */
export const LOCK_TIMEOUT_MS = 2000;

/** Defines the suite for one server. */
export function defineReleaseUnderLoad(target: 'postgres' | 'mariadb'): void {
  const postgres = target === 'postgres';
  let database: ThrowawayDatabase;
  let project: string;
  const flags = () => ['--project', project, '--url', database.url];
  const cli = (...args: string[]) => runCli([...args, ...flags()], { cwd: project });
  const open = (): Promise<DatabaseClient> => (postgres ? PgClient.connect(database.url, database.url) : MysqlClient.connect(database.url, database.url));
  const withClient = async <T>(use: (client: DatabaseClient) => Promise<T>): Promise<T> => {
    const client = await open();
    try {
      return await use(client);
    } finally {
      await client.close();
    }
  };
  const count = (where: string) => withClient(async (client) => Number((await client.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM documents WHERE ${where}`))[0]?.n));
  const concat = (a: string, b: string) => (postgres ? `${a} || ${b}` : `CONCAT(${a}, ${b})`);

  /** Runs `apply --phase <phase>` while `write(i)` runs in a loop on a second connection; the slowest write during it. */
  async function applyUnderLoad(phase: 'expand' | 'contract', write: (i: number) => string): Promise<{ writes: number; slowest: number; ms: number; inserted: number }> {
    const writerClient = await open();
    let inserted = 0;
    const writer = startWriter(writerClient, (i) => {
      const sql = write(i);
      if (sql.startsWith('INSERT')) inserted++;
      return sql;
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = performance.now();
      const applied = await runCliAsync(['apply', '--phase', phase, '--ddl-lock-timeout', String(LOCK_TIMEOUT_MS), ...flags()], { cwd: project });
      const ended = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { waits } = await writer.stop();
      expect(applied.stderr).not.toContain('schema-sync:');
      expect(applied.status).toBe(0);
      const during = writesDuring(waits, started, ended);
      process.stderr.write(`${target} apply --phase ${phase}: ${(ended - started).toFixed(0)} ms, ${during.count} writes during it, slowest ${during.slowest.toFixed(0)} ms\n`);
      return { writes: during.count, slowest: during.slowest, ms: ended - started, inserted };
    } finally {
      await writer.stop();
      await writerClient.close();
    }
  }

  beforeAll(async () => {
    database = postgres ? await createPostgresDatabase('mdbonline_release') : await createMysqlDatabase('mdbonline_release');
    project = makeProject({ 'models/user.ts': USER, 'models/document.ts': document(false), 'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }) });
  });
  afterAll(async () => {
    await database?.drop();
    if (project !== undefined) removeProject(project);
  });

  it(`${target}: expand never holds the old release's writes up beyond the lock timeout, compat tells the phases apart, and no row is lost`, async () => {
    expect(cli('sync', '--name', 'init').status).toBe(0);
    expect(cli('apply').status).toBe(0);
    await withClient(async (client) => {
      if (postgres) {
        await client.execute("INSERT INTO users (id, name) SELECT g, 'user ' || g FROM generate_series(1, 50) g");
        await client.execute(`INSERT INTO documents (id, title, status) SELECT g, 'doc ' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'draft' END FROM generate_series(1, ${ROWS}) g`);
        await client.execute('ANALYZE documents');
      } else {
        await client.execute("INSERT INTO users (id, name) SELECT seq, CONCAT('user ', seq) FROM seq_1_to_50");
        await client.execute(`INSERT INTO documents (id, title, status) SELECT seq, CONCAT('doc ', seq), IF(seq % 3 = 0, NULL, 'draft') FROM seq_1_to_${ROWS}`);
      }
    });

    // The new release's models; the old ones kept in a folder for compat.
    fs.mkdirSync(path.join(project, 'release-1.0'));
    fs.writeFileSync(path.join(project, 'release-1.0', 'user.ts'), USER);
    fs.writeFileSync(path.join(project, 'release-1.0', 'document.ts'), document(false));
    fs.writeFileSync(path.join(project, 'models', 'document.ts'), document(true));
    const sync = cli('sync', '--release', '1.1.0', '--name', 'docs', '--rename', 'documents.title=headline', '--fill', 'documents.priority=3', '--sync-trigger', '--json');
    expect(sync.stderr).toBe('');
    expect(sync.status).toBe(0);
    const files = (JSON.parse(sync.stdout) as { files: { file: string; phase: string | null }[] }).files;
    expect(files.map((f) => f.phase)).toEqual(['expand', 'contract']);
    const expandText = fs.readFileSync(path.join(project, files[0]!.file), 'utf8');
    // The foreign key goes on the live table in the server's online form.
    expect(expandText).toContain(postgres ? 'NOT VALID' : 'SET SESSION foreign_key_checks = 0');

    const compatExpand = cli('compat', '--against', 'release-1.0', '--phase', 'expand', '--json');
    expect(JSON.parse(compatExpand.stdout)).toMatchObject({ compatible: true, incompatibilities: [] });
    expect(compatExpand.status).toBe(0);
    const compatContract = cli('compat', '--against', 'release-1.0', '--phase', 'contract', '--json');
    expect(compatContract.status).toBe(2);
    const broken = (JSON.parse(compatContract.stdout) as { incompatibilities: { code: string; entity: string; table: string; column: string }[] }).incompatibilities;
    expect(broken).toContainEqual(expect.objectContaining({ code: 'column-missing', entity: 'Document', table: 'documents', column: 'title' }));

    // Expand, while the old release inserts rows and edits titles.
    const oldRelease = (i: number) =>
      i % 2 === 0
        ? `UPDATE documents SET title = ${concat('title', "'.'")} WHERE id = ${1 + ((i * 7919) % ROWS)}`
        : `INSERT INTO documents (id, title, status) VALUES (${ROWS + 1 + i}, 'old release ${i}', 'draft')`;
    const expand = await applyUnderLoad('expand', oldRelease);
    expect(expand.writes).toBeGreaterThan(0);
    expect(expand.slowest).toBeLessThan(LOCK_TIMEOUT_MS);
    // Every row is there, and every title (the old release's edits included) is in headline too.
    expect(await count('1 = 1')).toBe(ROWS + expand.inserted);
    expect(await count('headline IS NULL OR headline <> title')).toBe(0);
    expect(await count('priority = 3')).toBe(ROWS + expand.inserted);

    // Contract, while the new release writes headline.
    const newRelease = (i: number) =>
      i % 2 === 0
        ? `UPDATE documents SET headline = ${concat('headline', "'!'")} WHERE id = ${1 + ((i * 104_729) % ROWS)}`
        : `INSERT INTO documents (id, headline, priority, owner_id) VALUES (${ROWS + 1_000_000 + i}, 'new release ${i}', 5, ${1 + (i % 50)})`;
    const contract = await applyUnderLoad('contract', newRelease);
    expect(contract.writes).toBeGreaterThan(0);
    expect(await count('1 = 1')).toBe(ROWS + expand.inserted + contract.inserted);
    expect(await count('headline IS NULL')).toBe(0);
    expect(await count(`headline LIKE 'old release %'`)).toBe(expand.inserted);
    expect(await count('owner_id IS NOT NULL')).toBe(contract.inserted);
    expect(cli('diff', '--exit-code').status).toBe(0);
    process.stderr.write(`${target} release figures: expand slowest ${expand.slowest.toFixed(0)} ms of ${expand.writes} writes in ${expand.ms.toFixed(0)} ms; contract slowest ${contract.slowest.toFixed(0)} ms of ${contract.writes} writes in ${contract.ms.toFixed(0)} ms\n`);
  });
}
