/**
 * `lint` end to end with the built CLI on a hand-written migration file: a table with rows in a throwaway database,
 * the file's SQL collected from its migrate() as `apply --dry-run` collects it, each statement classified with the
 * catalog's column types and table size.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { createConnection } from 'mysql2/promise';
import { makeProject, removeProject, runCli, type CliRun } from '../support/cli';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

type Server = 'postgres' | 'mariadb';

const SETUP: Record<Server, string[]> = {
  postgres: [
    'CREATE TABLE documents (id serial PRIMARY KEY, title varchar(100) NOT NULL, body text)',
    "INSERT INTO documents (title, body) SELECT 'title ' || n, repeat('x', 200) FROM generate_series(1, 2000) AS n",
    'CREATE TABLE users (id serial PRIMARY KEY)',
    'ANALYZE documents',
  ],
  mariadb: [
    'CREATE TABLE documents (id int AUTO_INCREMENT PRIMARY KEY, title varchar(100) NOT NULL, body text)',
    "INSERT INTO documents (title, body) SELECT CONCAT('title ', seq), REPEAT('x', 200) FROM seq_1_to_2000",
    'ANALYZE TABLE documents',
  ],
};

/** A migration someone wrote by hand: some statements online, some not, in the order they will run. */
const HAND_WRITTEN: Record<Server, string[]> = {
  postgres: [
    'ALTER TABLE "documents" ADD COLUMN "language" varchar(8)',
    'CREATE INDEX "idx_documents_title" ON "documents" ("title")',
    'CREATE INDEX CONCURRENTLY "idx_documents_language" ON "documents" ("language")',
    'ALTER TABLE "documents" ALTER COLUMN "title" TYPE varchar(255)',
    'ALTER TABLE "documents" ALTER COLUMN "body" TYPE varchar(50)',
    'ALTER TABLE "documents" ADD COLUMN "owner_id" int',
    'ALTER TABLE "documents" ADD CONSTRAINT "fk_documents_owner" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") NOT VALID',
    'ALTER TABLE "documents" VALIDATE CONSTRAINT "fk_documents_owner"',
    'CREATE TABLE "tags" ("id" serial PRIMARY KEY, "label" text NOT NULL); CREATE INDEX "idx_tags_label" ON "tags" ("label")',
    'ALTER TABLE "documents" RENAME COLUMN "title" TO "headline"',
  ],
  mariadb: [
    'ALTER TABLE `documents` ADD COLUMN `language` varchar(8) NULL, ALGORITHM=INSTANT, LOCK=NONE',
    'CREATE INDEX `idx_documents_title` ON `documents` (`title`) ALGORITHM=NOCOPY LOCK=NONE',
    'ALTER TABLE `documents` MODIFY `title` varchar(120) NOT NULL',
    'ALTER TABLE `documents` MODIFY `body` varchar(50) NULL',
    'ALTER TABLE `documents` ADD FULLTEXT INDEX `ft_documents_body` (`body`), ALGORITHM=INSTANT',
    'CREATE TABLE `tags` (`id` int AUTO_INCREMENT PRIMARY KEY, `label` text NOT NULL); CREATE INDEX `idx_tags_label` ON `tags` (`label`(20))',
    'ALTER TABLE `documents` RENAME COLUMN `title` TO `headline`',
  ],
};

/** Maintenance a person may put in a migration, and an inline foreign key: what rebuilds or locks a busy table. */
const REBUILDS: Record<Server, string[]> = {
  postgres: [
    'ALTER TABLE "documents" ADD COLUMN "owner_id" int REFERENCES "users" ("id")',
    'VACUUM FULL "documents"',
    'CLUSTER "documents" USING "documents_pkey"',
    'REINDEX TABLE "documents"',
    'REINDEX TABLE CONCURRENTLY "documents"',
    'VACUUM (ANALYZE) "documents"',
  ],
  mariadb: ['OPTIMIZE TABLE `documents`', 'ANALYZE TABLE `documents`'],
};

const REBUILDS_FOUND: Record<Server, string[]> = {
  postgres: ['warning pg-add-column-references #1', 'error pg-vacuum-full #2', 'error pg-cluster #3', 'error pg-reindex-not-concurrent #4'],
  mariadb: ['warning mysql-optimize-table #1'],
};

/** PostgreSQL: the strongest lock a statement holds on each of these tables, read from pg_locks inside a transaction that is rolled back. */
async function locksTaken(url: string, sql: string, tables: readonly string[]): Promise<Record<string, string>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(sql);
    const rows = await client.query<{ name: string; mode: string }>(
      "SELECT c.relname AS name, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relname = ANY($1)",
      [tables],
    );
    const order = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];
    const strongest: Record<string, string> = {};
    for (const row of rows.rows) if (order.indexOf(row.mode) > order.indexOf(strongest[row.name] ?? '')) strongest[row.name] = row.mode;
    return Object.fromEntries(Object.entries(strongest).map(([name, mode]) => [name, mode.replace(/Lock$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()]));
  } finally {
    await client.query('ROLLBACK');
    await client.end();
  }
}

/** rule #statement, as lint reports them with the catalog (--url). */
const EXPECTED: Record<Server, string[]> = {
  postgres: ['error pg-index-not-concurrent #2', 'error pg-alter-type-rewrite #5', 'error rename-column #11'],
  mariadb: ['error mysql-alter-copy #4', 'error mysql-algorithm-refused #5', 'error rename-column #8', 'info mysql-algorithm-implicit #8'],
};

function migrationFile(server: Server, statements: readonly string[]): string {
  return `export const dialect = '${server}';\n\nexport async function migrate(db: { execute(sql: string): Promise<void> }): Promise<void> {\n${statements.map((sql) => `  await db.execute(${JSON.stringify(sql)});`).join('\n')}\n}\n\nexport async function rollback(): Promise<void> {}\n`;
}

interface LintJson {
  findings: { rule: string; severity: string; statement: number; table: string | null; file: string; tableBytes: number | null; rowsEstimate: number | null; lock: string | null; sql: string }[];
  summary: { errors: number; warnings: number; info: number };
}

function parsed(run: CliRun, exit: number): LintJson {
  if (run.status !== exit) throw new Error(`expected exit ${exit}, got ${run.status}:\n${run.stderr}\n${run.stdout}`);
  return JSON.parse(run.stdout) as LintJson;
}

async function runSql(server: Server, url: string, statements: readonly string[]): Promise<void> {
  if (server === 'postgres') {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      for (const sql of statements) await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  const connection = await createConnection({ uri: url });
  try {
    for (const sql of statements) await connection.query(sql);
  } finally {
    await connection.end();
  }
}

/** Defines the lint suite for one server. */
export function defineLint(server: Server): void {
  describe(`${server}: lint a hand-written migration`, () => {
    let project: string;
    let database: ThrowawayDatabase;
    const lint = (...args: string[]) => runCli(['lint', ...args], { cwd: project });

    beforeAll(async () => {
      project = makeProject({
        'migrations/hand_written.ts': migrationFile(server, HAND_WRITTEN[server]),
        'migrations/online.ts': migrationFile(server, HAND_WRITTEN[server].slice(0, server === 'postgres' ? 1 : 2)),
        'migrations/rebuilds.ts': migrationFile(server, REBUILDS[server]),
      });
      database = server === 'postgres' ? await createPostgresDatabase('e2e_lint') : await createMysqlDatabase('e2e_lint');
      await runSql(server, database.url, SETUP[server]);
    });
    afterAll(async () => {
      await database?.drop();
      removeProject(project);
    });

    it('classifies each statement with the catalog, and names rule, statement and table size', () => {
      const result = parsed(lint('migrations/hand_written.ts', '--url', database.url, '--json'), 2);
      const found = result.findings.map((f) => `${f.severity} ${f.rule} #${f.statement}`);
      expect([...found].sort()).toEqual([...EXPECTED[server]].sort());
      for (const finding of result.findings) {
        expect(finding.file).toBe(path.join('migrations', 'hand_written.ts'));
        expect(finding.table).toBe('documents');
        expect(finding.tableBytes).toBeGreaterThan(100_000);
      }
      const first = result.findings.find((f) => f.severity === 'error');
      expect(first?.sql).toBe((HAND_WRITTEN[server][(first?.statement ?? 1) - 1] as string));

      const text = lint('migrations/hand_written.ts', '--url', database.url);
      expect(text.status).toBe(2);
      expect(text.stdout).toContain(`${EXPECTED[server].filter((e) => e.startsWith('error')).length} errors`);
      expect(text.stdout).toMatch(/\(~[\d,]+ rows\)/);
    });

    if (server === 'mariadb') {
      it('is right that the server refuses the statement it says it refuses', async () => {
        await expect(runSql(server, database.url, [HAND_WRITTEN.mariadb[4] as string])).rejects.toThrow(/ALGORITHM=INSTANT is not supported/i);
      });
    }

    it('flags table rebuilds and an inline REFERENCES, with the lock the server takes', async () => {
      const result = parsed(lint('migrations/rebuilds.ts', '--url', database.url, '--json'), server === 'postgres' ? 2 : 0);
      expect(result.findings.map((f) => `${f.severity} ${f.rule} #${f.statement}`)).toEqual(REBUILDS_FOUND[server]);
      expect(result.findings.every((f) => f.table === 'documents' && (f.tableBytes ?? 0) > 100_000)).toBe(true);
      if (server === 'postgres') {
        // What lint says each statement locks is what it locks (those a transaction can hold; VACUUM FULL cannot run in one).
        for (const finding of result.findings.filter((f) => f.rule !== 'pg-vacuum-full')) {
          const taken = await locksTaken(database.url, finding.sql, ['documents', 'users']);
          expect({ rule: finding.rule, lock: taken.documents }).toEqual({ rule: finding.rule, lock: finding.lock });
          if (finding.rule === 'pg-add-column-references') expect(taken.users).toBe('SHARE ROW EXCLUSIVE');
        }
        return;
      }
      // MariaDB: the rebuild runs online until the table has a FULLTEXT index; then it blocks writes, and lint says so.
      await runSql(server, database.url, ['ALTER TABLE `documents` FORCE, ALGORITHM=INPLACE, LOCK=NONE']);
      await runSql(server, database.url, ['CREATE FULLTEXT INDEX `ft_lint_body` ON `documents` (`body`)']);
      try {
        await expect(runSql(server, database.url, ['ALTER TABLE `documents` FORCE, ALGORITHM=INPLACE, LOCK=NONE'])).rejects.toThrow(/LOCK=NONE is not supported/);
        const after = parsed(lint('migrations/rebuilds.ts', '--url', database.url, '--json'), 2);
        expect(after.findings.map((f) => `${f.severity} ${f.rule} #${f.statement} ${f.lock}`)).toEqual(['error mysql-optimize-table #1 INPLACE, LOCK=SHARED']);
      } finally {
        await runSql(server, database.url, ['DROP INDEX `ft_lint_body` ON `documents`']);
      }
    });

    it('passes the online forms, and says what it cannot know without a catalog', () => {
      const clean = lint('migrations/online.ts', '--url', database.url);
      expect(clean.status).toBe(0);
      expect(clean.stdout).toContain('0 errors, 0 warnings, 0 notes in 1 file');
      const offline = parsed(lint('migrations/hand_written.ts', '--json'), 2);
      const alterType = offline.findings.filter((f) => f.rule === (server === 'postgres' ? 'pg-alter-type-rewrite' : 'mysql-alter-copy'));
      expect(alterType.map((f) => f.severity)).toEqual(['warning', 'warning']);
      expect(offline.findings.every((f) => f.tableBytes === null)).toBe(true);
      const missing = lint('migrations/nope.ts');
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('lint: no such file migrations/nope.ts');
      fs.writeFileSync(path.join(project, 'migrations', 'bare.ts'), 'export async function migrate(db: any) { await db.execute("SELECT 1"); }\nexport async function rollback() {}\n');
      const bare = lint('migrations/bare.ts');
      expect(bare.status).toBe(1);
      expect(bare.stderr).toContain('give --dialect postgres|mysql|mariadb, or --url');
    });
  });
}
