import { parseServerVersion } from '../../src/dialect/lock-impact';
import { lintRulesFor } from '../../src/dialect/lint-rules';
import { mysqlOnlineForm } from '../../src/dialect/mysql/online';
import { onlineForeignKeyStatement } from '../../src/dialect/mysql/online-foreign-key';
import { mysqlSql } from '../../src/dialect/mysql/render';
import { schemasNamed, SqlLinter, type LintDatabase, type LintFinding } from '../../src/lint/lint-sql';
import { parseDdl } from '../../src/lint/parse-ddl';
import { splitStatements, tokenize } from '../../src/lint/sql-tokens';
import type { Dialect, Schema, Table } from '../../src/model/schema';
import { check, col, enumType, int, literal, schema, table, text, timestamp, varchar, index } from '../support/schema-builders';

const VERSIONS: Record<Dialect, string> = { postgres: '15.4', mariadb: '10.11.6-MariaDB', mysql: '8.0.36' };

const documents = (extra: Partial<Table> = {}): Table => ({
  ...table('documents', [col('id', int(), { generation: 'increment' }), col('title', varchar(100)), col('body', text(), { nullable: true }), col('created_at', timestamp())], { pk: ['id'] }),
  ...extra,
});

function lint(dialect: Dialect, statements: readonly string[], live: Schema | null = schema(dialect, [documents(), table('users', [col('id', int())], { pk: ['id'] })])): LintFinding[] {
  const database: LintDatabase = { dialect, version: parseServerVersion(VERSIONS[dialect]), live, tableSizes: live === null ? {} : { documents: { rowsEstimate: 5000, bytes: 344064 } } };
  return new SqlLinter(database, lintRulesFor(dialect)).lint('m.ts', statements);
}

const rules = (findings: readonly LintFinding[]) => findings.map((f) => `${f.severity} ${f.rule} #${f.statement}`);

describe('lint: PostgreSQL', () => {
  it.each([
    ['CREATE INDEX "idx_title" ON "documents" ("title")', ['error pg-index-not-concurrent #1']],
    ['CREATE UNIQUE INDEX IF NOT EXISTS idx_title ON public.documents USING btree (lower(title))', ['error pg-index-not-concurrent #1']],
    ['CREATE INDEX CONCURRENTLY "idx_title" ON "documents" ("title")', []],
    ['DROP INDEX "idx_title"', ['warning pg-drop-index-not-concurrent #1']],
    ['DROP INDEX CONCURRENTLY IF EXISTS "idx_title"', []],
    ['ALTER TABLE "documents" ADD COLUMN "token" uuid NOT NULL DEFAULT gen_random_uuid()', ['error pg-add-column-volatile-default #1']],
    ['ALTER TABLE "documents" ADD "seen_at" timestamptz DEFAULT now()', []],
    ["ALTER TABLE documents ADD COLUMN lang varchar(8) NOT NULL DEFAULT 'en'", []],
    ['ALTER TABLE "documents" ADD COLUMN "n" serial', ['error pg-add-column-generated #1']],
    ['ALTER TABLE "documents" ADD COLUMN "n" int GENERATED ALWAYS AS IDENTITY', ['error pg-add-column-generated #1']],
    ['ALTER TABLE "documents" ALTER COLUMN "title" TYPE varchar(255)', []],
    ['ALTER TABLE "documents" ALTER COLUMN "title" TYPE text', []],
    ['ALTER TABLE "documents" ALTER COLUMN "title" TYPE varchar(50)', ['error pg-alter-type-rewrite #1']],
    ['ALTER TABLE "documents" ALTER COLUMN "title" SET DATA TYPE int USING "title"::int', ['error pg-alter-type-rewrite #1']],
    ['ALTER TABLE "documents" ALTER COLUMN "title" TYPE varchar(150) USING "title"::varchar(150)', []],
    ['ALTER TABLE "documents" ALTER COLUMN "title" TYPE varchar(150) USING lower("title")', ['error pg-alter-type-rewrite #1']],
    ['ALTER TABLE "documents" ALTER COLUMN "body" SET NOT NULL', ['error pg-set-not-null-scan #1']],
    ['ALTER TABLE "documents" ADD CONSTRAINT "fk_user" FOREIGN KEY ("id") REFERENCES "users" ("id") ON DELETE CASCADE', ['error pg-add-foreign-key-validates #1']],
    ['ALTER TABLE "documents" ADD CONSTRAINT "fk_user" FOREIGN KEY ("id") REFERENCES "users" ("id") NOT VALID', []],
    ['ALTER TABLE "documents" VALIDATE CONSTRAINT "fk_user"', []],
    ['ALTER TABLE "documents" ADD CONSTRAINT "chk" CHECK (length(title) > 0)', ['error pg-add-check-validates #1']],
    ['ALTER TABLE "documents" ADD CONSTRAINT "chk" CHECK (length(title) > 0) NOT VALID', []],
    ['ALTER TABLE "documents" ADD CONSTRAINT "uq_title" UNIQUE ("title")', ['error pg-add-unique-builds-index #1']],
    ['ALTER TABLE "documents" ADD CONSTRAINT "uq_title" UNIQUE USING INDEX "idx_title"', []],
    ['ALTER TABLE "documents" RENAME COLUMN "title" TO "headline"', ['error rename-column #1']],
    ['ALTER TABLE "documents" RENAME TO "docs"', ['error rename-table #1']],
    ['ALTER TABLE "documents" DROP COLUMN "body"', ['warning drop-column #1']],
    ['DROP TABLE "documents"', ['warning drop-table #1']],
    ["UPDATE documents SET title = 'x; y' WHERE id = 1", []],
    ['ALTER TABLE "documents" ADD COLUMN "owner_id" int REFERENCES "users" ("id")', ['warning pg-add-column-references #1']],
    ['ALTER TABLE documents ADD COLUMN owner_id int NOT NULL DEFAULT 1 CONSTRAINT fk_owner REFERENCES public.users ON DELETE CASCADE', ['error pg-add-column-references #1']],
    ['ALTER TABLE "documents" ADD COLUMN "owner_id" int DEFAULT NULL', []],
    ['VACUUM FULL "documents"', ['error pg-vacuum-full #1']],
    ['VACUUM (FULL, VERBOSE) documents, users', ['error pg-vacuum-full #1', 'error pg-vacuum-full #1']],
    ['VACUUM FULL VERBOSE ANALYZE', ['error pg-vacuum-full #1']],
    ['VACUUM (FULL false) documents', []],
    ['VACUUM ANALYZE documents', []],
    ['CLUSTER "documents" USING "documents_pkey"', ['error pg-cluster #1']],
    ['CLUSTER VERBOSE', ['error pg-cluster #1']],
    ['REINDEX TABLE "documents"', ['error pg-reindex-not-concurrent #1']],
    ['REINDEX (VERBOSE) SCHEMA public', ['error pg-reindex-not-concurrent #1']],
    ['REINDEX TABLE CONCURRENTLY "documents"', []],
    ['REINDEX (CONCURRENTLY) INDEX "idx_title"', []],
  ])('%s', (sql, expected) => {
    expect(rules(lint('postgres', [sql]))).toEqual(expected);
  });

  it('accepts SET NOT NULL after a validated CHECK, as the online form writes it', () => {
    expect(
      rules(
        lint('postgres', [
          'ALTER TABLE "documents" ADD CONSTRAINT "documents_body_not_null" CHECK ("body" IS NOT NULL) NOT VALID',
          'ALTER TABLE "documents" VALIDATE CONSTRAINT "documents_body_not_null"',
          'ALTER TABLE "documents" ALTER COLUMN "body" SET NOT NULL',
        ]),
      ),
    ).toEqual([]);
    // The same check in the catalog already does.
    const live = schema('postgres', [documents({ checks: [check('c', '(body IS NOT NULL)')] })]);
    expect(lint('postgres', ['ALTER TABLE "documents" ALTER COLUMN "body" SET NOT NULL'], live)).toEqual([]);
  });

  it('leaves tables the migration creates alone, and counts statements inside one execute()', () => {
    const findings = lint('postgres', ['CREATE TABLE "tags" ("id" serial PRIMARY KEY, "label" text); CREATE INDEX "idx_label" ON "tags" ("label")', 'CREATE INDEX "idx_t" ON "documents" ("title")']);
    expect(rules(findings)).toEqual(['error pg-index-not-concurrent #3']);
    expect(findings[0]).toMatchObject({ file: 'm.ts', sql: 'CREATE INDEX "idx_t" ON "documents" ("title")', table: 'documents', lock: 'SHARE', rewrite: 'scan', blocking: true, tableBytes: 344064, rowsEstimate: 5000 });
  });

  it('without a catalog, takes every table it did not see created as existing, and a type change as unknown', () => {
    expect(rules(lint('postgres', ['CREATE INDEX "i" ON "anything" ("a")', 'ALTER TABLE "anything" ALTER COLUMN "a" TYPE varchar(10)'], null))).toEqual([
      'error pg-index-not-concurrent #1',
      'warning pg-alter-type-rewrite #2',
    ]);
    expect(rules(lint('postgres', ['ALTER TABLE "anything" ADD COLUMN "a" int', 'ALTER TABLE "anything" ADD CONSTRAINT "c" CHECK ("a" IS NOT NULL) NOT VALID', 'ALTER TABLE "anything" VALIDATE CONSTRAINT "c"', 'ALTER TABLE "anything" ALTER COLUMN "a" SET NOT NULL'], null))).toEqual([]);
  });

  it('judges a table in another schema by the catalog when it read that schema, and takes it to exist when it did not', () => {
    const audit = schema('postgres', [{ ...table('log', [col('id', int())], { pk: ['id'] }), schema: 'audit' }]);
    const sql = ['CREATE INDEX "i" ON "audit"."log" ("id")', 'CREATE INDEX "j" ON "audit"."gone" ("id")', 'CREATE INDEX "k" ON "other"."t" ("id")'];
    const database: LintDatabase = { dialect: 'postgres', version: parseServerVersion(VERSIONS.postgres), live: audit, tableSizes: {}, readSchemas: new Set(['audit']) };
    expect(rules(new SqlLinter(database, lintRulesFor('postgres')).lint('m.ts', sql))).toEqual(['error pg-index-not-concurrent #1', 'error pg-index-not-concurrent #3']);
    expect(schemasNamed(sql, lintRulesFor('postgres')).sort()).toEqual(['audit', 'other']);
  });

  it('finds the table of a REINDEX INDEX, and leaves rebuilds of tables the run created alone', () => {
    const live = schema('postgres', [documents({ indexes: [index('idx_title', ['title'])] })]);
    const [reindex] = lint('postgres', ['REINDEX INDEX idx_title'], live);
    expect(reindex).toMatchObject({ rule: 'pg-reindex-not-concurrent', table: 'documents', lock: 'SHARE', blocking: true });
    expect(reindex?.message).toContain('REINDEX idx_title rebuilds the index of documents');
    expect(lint('postgres', ['CREATE TABLE "tags" ("id" int)', 'VACUUM FULL tags', 'CLUSTER tags', 'REINDEX TABLE tags'], live)).toEqual([]);
    const [references] = lint('postgres', ['ALTER TABLE "documents" ADD COLUMN "owner_id" int DEFAULT 1 REFERENCES "users" ("id")']);
    expect(references).toMatchObject({ lock: 'ACCESS EXCLUSIVE', rewrite: 'scan', blocking: true });
    expect(references?.hint).toContain('NOT VALID');
  });

  it('names what it found', () => {
    const [finding] = lint('postgres', ['ALTER TABLE "documents" ALTER COLUMN "title" TYPE varchar(50)']);
    expect(finding?.message).toBe('ALTER COLUMN title TYPE varchar(100) -> varchar(50) rewrites documents under ACCESS EXCLUSIVE');
    expect(finding?.hint).toContain('backfill');
  });
});

describe('lint: MariaDB', () => {
  const live = schema('mariadb', [
    documents({ indexes: [index('idx_title', ['title'])] }),
    table('users', [col('id', int()), col('role', enumType(['a', 'b']), { default: literal('a') })], { pk: ['id'] }),
  ]);
  it.each([
    ['ALTER TABLE `documents` ADD COLUMN `lang` varchar(8) NULL', ['info mysql-algorithm-implicit #1']],
    ['ALTER TABLE `documents` ADD COLUMN `lang` varchar(8) NULL, ALGORITHM=INSTANT, LOCK=NONE', []],
    ['CREATE INDEX `idx_body` ON `documents` (`title`) ALGORITHM=NOCOPY LOCK=NONE', []],
    ['CREATE INDEX `idx_body` ON `documents` (`title`)', ['info mysql-algorithm-implicit #1']],
    ['ALTER TABLE `documents` MODIFY `title` int NOT NULL', ['error mysql-alter-copy #1']],
    ['ALTER TABLE `documents` MODIFY `title` int NOT NULL, ALGORITHM=COPY, LOCK=SHARED', ['warning mysql-alter-copy #1']],
    ['ALTER TABLE `documents` MODIFY `title` int NOT NULL, ALGORITHM=INSTANT', ['error mysql-algorithm-refused #1']],
    ['ALTER TABLE `documents` MODIFY COLUMN `title` varchar(120) NOT NULL', []],
    ['ALTER TABLE `documents` MODIFY COLUMN `title` varchar(60) NOT NULL', ['error mysql-alter-copy #1']],
    ['ALTER TABLE `documents` ADD CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `users` (`id`)', ['error mysql-alter-copy #1']],
    ['ALTER TABLE `documents` ADD COLUMN `token` char(36) NOT NULL DEFAULT uuid()', ['error mysql-alter-copy #1']],
    ['ALTER TABLE `documents` ADD FULLTEXT INDEX `ft_body` (`body`)', ['error mysql-alter-locks-writes #1']],
    ['ALTER TABLE `documents` CHANGE `title` `headline` varchar(100) NOT NULL', ['error rename-column #1']],
    ['ALTER TABLE `documents` RENAME COLUMN `title` TO `headline`', ['error rename-column #1', 'info mysql-algorithm-implicit #1']],
    ['RENAME TABLE `documents` TO `docs`', ['error rename-table #1']],
    ['ALTER TABLE `documents` DROP COLUMN `body`', ['warning drop-column #1']],
    ["ALTER TABLE `users` MODIFY `role` enum('a','b','c') NOT NULL DEFAULT 'a'", []],
    ["ALTER TABLE `users` MODIFY `role` enum('b','a') NOT NULL DEFAULT 'a'", ['error mysql-alter-copy #1']],
    ['OPTIMIZE TABLE `documents`', ['warning mysql-optimize-table #1']],
    ['OPTIMIZE NO_WRITE_TO_BINLOG TABLE `documents`, `users`', ['warning mysql-optimize-table #1', 'warning mysql-optimize-table #1']],
  ])('%s', (sql, expected) => {
    expect(rules(lint('mariadb', [sql], live))).toEqual(expected);
  });

  it('takes a name qualified with the current database as the table it names, and gives no algorithm advice for a table without a primary key', () => {
    const database: LintDatabase = { dialect: 'mariadb', version: parseServerVersion(VERSIONS.mariadb), live, tableSizes: {}, database: 'app' };
    const findings = new SqlLinter(database, lintRulesFor('mariadb')).lint('m.ts', ['ALTER TABLE `app`.`documents` MODIFY `title` int NOT NULL']);
    expect(rules(findings)).toEqual(['error mysql-alter-copy #1']);
    const keyless = schema('mariadb', [table('logs', [col('line', text())])]);
    expect(lint('mariadb', ['ALTER TABLE `logs` ADD COLUMN `at` int NULL'], keyless)).toEqual([]);
  });

  it('OPTIMIZE TABLE blocks writes on a table with a FULLTEXT index', () => {
    const withFulltext = schema('mariadb', [documents({ indexes: [{ ...index('ft_body', ['body']), method: 'fulltext' }] })]);
    const [finding] = lint('mariadb', ['OPTIMIZE TABLE documents'], withFulltext);
    expect(finding).toMatchObject({ rule: 'mysql-optimize-table', severity: 'error', lock: 'INPLACE, LOCK=SHARED', rewrite: 'rewrite', blocking: true });
    expect(rules(lint('mariadb', ['OPTIMIZE TABLE `t`'], null))).toEqual(['warning mysql-optimize-table #1']);
  });

  it('reads the online foreign key block sync writes as one statement that neither copies nor blocks writes', () => {
    const change = { kind: 'add_foreign_key', table: { schema: null, name: 'documents' }, foreignKey: { name: 'fk', columns: ['id'], referencedSchema: null, referencedTable: 'users', referencedColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' } } as const;
    const documentsTable = live.tables.find((t) => t.name === 'documents') as Table;
    const [block] = mysqlOnlineForm(change, mysqlSql.render(change, { before: live }), 'mariadb', { version: parseServerVersion(VERSIONS.mariadb), table: documentsTable, online: true }) as [string];
    expect(lint('mariadb', [block, 'ALTER TABLE `documents` DROP COLUMN `body`'], live).map((f) => `${f.rule} #${f.statement}`)).toEqual(['drop-column #2']);
    expect(lint('mariadb', [block], null)).toEqual([]);
    // The same ALTER alone runs with foreign_key_checks on, and the server refuses its stated algorithm.
    expect(rules(lint('mariadb', [onlineForeignKeyStatement(block) as string], live))).toEqual(['error mysql-algorithm-refused #1']);
  });

  it('without a catalog, a MODIFY of a column it cannot see is a warning', () => {
    expect(rules(lint('mariadb', ['ALTER TABLE `t` MODIFY `a` varchar(10)'], null))).toEqual(['warning mysql-alter-copy #1']);
  });
});

describe('parseDdl', () => {
  const parse = (dialect: Dialect, sql: string) => {
    const rules = lintRulesFor(dialect);
    const [tokens] = splitStatements(tokenize(sql, rules.ddl.lexicon));
    return parseDdl(tokens ?? [], sql, rules.ddl);
  };

  it('reads a column definition with its type, nullability, default and generation', () => {
    expect(parse('postgres', 'ALTER TABLE "a"."Docs" ADD COLUMN IF NOT EXISTS "Title" character varying(20) NOT NULL DEFAULT \'x\'::character varying')).toEqual({
      kind: 'alter_table',
      table: { schema: 'a', name: 'Docs' },
      stated: { algorithm: null, lock: null },
      actions: [{ kind: 'add_column', column: expect.objectContaining({ name: 'Title', type: varchar(20), nullable: false, default: literal('x'), generation: null }) }],
    });
    expect(parse('mariadb', 'ALTER TABLE `t` ADD COLUMN `n` bigint unsigned NOT NULL AUTO_INCREMENT, ALGORITHM = COPY, LOCK = SHARED')).toMatchObject({
      stated: { algorithm: 'COPY', lock: 'SHARED' },
      actions: [{ kind: 'add_column', column: { name: 'n', type: { kind: 'integer', size: 'big', unsigned: true }, generation: 'increment' } }],
    });
  });

  it('folds unquoted PostgreSQL names to lower case and drops the public schema; MySQL keeps them', () => {
    expect(parse('postgres', 'CREATE INDEX Idx ON Public.Docs (Title)')).toMatchObject({ kind: 'create_index', table: { schema: null, name: 'docs' }, index: { name: 'idx', columns: ['title'] } });
    expect(parse('mariadb', 'CREATE INDEX Idx ON Docs (Title(10))')).toMatchObject({ kind: 'create_index', table: { schema: null, name: 'Docs' }, index: { name: 'Idx', columns: ['Title'] } });
  });

  it('treats what it cannot read as other', () => {
    expect(parse('postgres', 'SELECT 1')).toEqual({ kind: 'other' });
    expect(parse('postgres', 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql')).toEqual({ kind: 'other' });
    expect(parse('postgres', 'ALTER TABLE')).toEqual({ kind: 'other' });
  });
});
