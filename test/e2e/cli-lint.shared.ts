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
