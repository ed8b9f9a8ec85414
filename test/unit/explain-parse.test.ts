/**
 * parseMissingObjectError on the error texts applications really print, and closest(), the name matcher behind the
 * `--rename` advice of `explain`. The server texts below were copied from PostgreSQL 15 and MariaDB 10.11 (the
 * statements that produced them are in the comments); test/e2e/cli-diagnose.*.test.ts produces them live again.
 */
import { closest } from '../../src/explain/explain';
import { lastMissingObjectError, parseMissingObjectError, type MissingObject } from '../../src/explain/parse-error';

const column = (table: string | null, name: string, flavour: 'mysql' | 'postgres'): MissingObject => ({ kind: 'column', table, column: name, flavour });
const table = (name: string, flavour: 'mysql' | 'postgres'): MissingObject => ({ kind: 'table', table: name, flavour });

describe('parseMissingObjectError: MySQL and MariaDB', () => {
  it.each<[string, string, MissingObject]>([
    // MySQL 5.7/8.0 and MariaDB before 10.6 name the clause in lower case.
    ['the README form', "ER_BAD_FIELD_ERROR: Unknown column 'chunks.embedding' in 'field list'", column('chunks', 'embedding', 'mysql')],
    ['unqualified, in a where clause', "Unknown column 'embedding' in 'where clause'", column(null, 'embedding', 'mysql')],
    // MariaDB 10.11 names the statement part instead: SELECT embedding FROM chunks
    ['MariaDB 10.11, SELECT', "Unknown column 'embedding' in 'SELECT'", column(null, 'embedding', 'mysql')],
    // SELECT * FROM chunks WHERE embedding IS NULL
    ['MariaDB 10.11, WHERE', "Unknown column 'embedding' in 'WHERE'", column(null, 'embedding', 'mysql')],
    // SELECT * FROM chunks ORDER BY embedding
    ['MariaDB 10.11, ORDER BY', "Unknown column 'embedding' in 'ORDER BY'", column(null, 'embedding', 'mysql')],
    // INSERT INTO chunks (embedding) VALUES (1)
    ['MariaDB 10.11, INSERT INTO', "Unknown column 'embedding' in 'INSERT INTO'", column(null, 'embedding', 'mysql')],
    // UPDATE chunks SET embedding = 1
    ['MariaDB 10.11, SET', "Unknown column 'embedding' in 'SET'", column(null, 'embedding', 'mysql')],
    // SELECT `chunks`.`embedding` FROM chunks: the server drops the backticks
    ['qualified by the table', "Unknown column 'chunks.embedding' in 'SELECT'", column('chunks', 'embedding', 'mysql')],
    // SELECT `c`.`embedding` AS `c_embedding` FROM `chunks` `c`
    ['qualified by an alias', "Unknown column 'c.embedding' in 'SELECT'", column('c', 'embedding', 'mysql')],
    // TypeORM's repository queries alias the table by the entity name
    ['qualified by TypeORM’s entity alias', "Unknown column 'Chunk.embedding' in 'field list'", column('Chunk', 'embedding', 'mysql')],
    // SELECT app.chunks.embedding FROM chunks
    ['qualified by database and table', "Unknown column 'app.chunks.embedding' in 'SELECT'", column('chunks', 'embedding', 'mysql')],
    ['pasted with backticks', "Unknown column '`chunks`.`embedding`' in 'field list'", column('chunks', 'embedding', 'mysql')],
    ['backticked name with a dot in it', "Unknown column '`chunks`.`meta.lang`' in 'field list'", column('chunks', 'meta.lang', 'mysql')],
    ['the mysql2 code prefix', "Error: ER_BAD_FIELD_ERROR: Unknown column 'chunks.embedding' in 'field list'", column('chunks', 'embedding', 'mysql')],
  ])('column: %s', (_label, text, expected) => {
    expect(parseMissingObjectError(text)).toEqual(expected);
  });

  it.each<[string, string, MissingObject]>([
    // SELECT * FROM chunks, connected to database app
    ['the README form', "Table 'app.chunks' doesn't exist", table('chunks', 'mysql')],
    ['with the mysql2 code', "ER_NO_SUCH_TABLE: Table 'app.chunks' doesn't exist", table('chunks', 'mysql')],
    ['a throwaway database name', "Table 'oss_diag_ab12cd34.chunks' doesn't exist", table('chunks', 'mysql')],
    ['without a database', "Table 'chunks' doesn't exist", table('chunks', 'mysql')],
    // The InnoDB variant after a lost .ibd file
    ['doesn’t exist in engine', "Table 'app.chunks' doesn't exist in engine", table('chunks', 'mysql')],
  ])('table: %s', (_label, text, expected) => {
    expect(parseMissingObjectError(text)).toEqual(expected);
  });
});

describe('parseMissingObjectError: PostgreSQL', () => {
  it.each<[string, string, MissingObject]>([
    // INSERT INTO chunks (embedding) VALUES (1) / UPDATE chunks SET embedding = 1 / ALTER TABLE chunks DROP COLUMN embedding
    ['of relation (INSERT, UPDATE, ALTER)', 'column "embedding" of relation "chunks" does not exist', column('chunks', 'embedding', 'postgres')],
    // SELECT "chunks"."embedding" FROM chunks: qualified names come back without quotes
    ['qualified by the table', 'column chunks.embedding does not exist', column('chunks', 'embedding', 'postgres')],
    // SELECT c.embedding FROM chunks c
    ['qualified by an alias', 'column c.embedding does not exist', column('c', 'embedding', 'postgres')],
    // TypeORM: SELECT "Chunk"."embedding" AS "Chunk_embedding" FROM "chunks" "Chunk"
    ['qualified by TypeORM’s entity alias', 'column Chunk.embedding does not exist', column('Chunk', 'embedding', 'postgres')],
    // SELECT c."Embedding" FROM chunks c: the case survives, the quotes do not
    ['qualified, mixed case', 'column c.Embedding does not exist', column('c', 'Embedding', 'postgres')],
    // SELECT "Embedding" FROM chunks
    ['unqualified, mixed case', 'column "Embedding" does not exist', column(null, 'Embedding', 'postgres')],
    // SELECT embedding FROM chunks / ... WHERE embedding IS NULL
    ['unqualified', 'column "embedding" does not exist', column(null, 'embedding', 'postgres')],
    ['of relation, mixed case', 'column "Embedding" of relation "Chunks" does not exist', column('Chunks', 'Embedding', 'postgres')],
    ['node-postgres’ error: prefix', 'error: column "embedding" does not exist', column(null, 'embedding', 'postgres')],
  ])('column: %s', (_label, text, expected) => {
    expect(parseMissingObjectError(text)).toEqual(expected);
  });

  it.each<[string, string, MissingObject]>([
    // SELECT * FROM chunks
    ['bare', 'relation "chunks" does not exist', table('chunks', 'postgres')],
    // SELECT * FROM public.chunks
    ['schema-qualified', 'relation "public.chunks" does not exist', table('chunks', 'postgres')],
    // SELECT * FROM "NoChunks"
    ['mixed case', 'relation "NoChunks" does not exist', table('NoChunks', 'postgres')],
  ])('table: %s', (_label, text, expected) => {
    expect(parseMissingObjectError(text)).toEqual(expected);
  });
});

describe('parseMissingObjectError: the error inside what an application prints', () => {
  it('finds it after a TypeORM QueryFailedError prefix and before its stack trace (PostgreSQL)', () => {
    const text = [
      'QueryFailedError: column Chunk.embedding does not exist',
      '    at PostgresQueryRunner.query (/app/node_modules/typeorm/driver/postgres/PostgresQueryRunner.js:219:19)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at async SelectQueryBuilder.loadRawResults (/app/node_modules/typeorm/query-builder/SelectQueryBuilder.js:2232:25)',
      '    at async ChunkService.search (/app/dist/chunks/chunk.service.js:41:22)',
    ].join('\n');
    expect(parseMissingObjectError(text)).toEqual(column('Chunk', 'embedding', 'postgres'));
  });

  it('finds it after a TypeORM QueryFailedError prefix and before its stack trace (MySQL)', () => {
    const text = [
      "QueryFailedError: Unknown column 'Chunk.embedding' in 'field list'",
      '    at Query.onResult (/app/node_modules/typeorm/driver/mysql/MysqlQueryRunner.js:220:33)',
      '    at Query.execute (/app/node_modules/mysql2/lib/commands/command.js:36:14)',
    ].join('\n');
    expect(parseMissingObjectError(text)).toEqual(column('Chunk', 'embedding', 'mysql'));
  });

  it('is not misled by the failed query that TypeORM logs in front of the error', () => {
    const text = [
      'query failed: SELECT "Chunk"."id" AS "Chunk_id", "Chunk"."embedding" AS "Chunk_embedding" FROM "chunks" "Chunk" -- PARAMETERS: []',
      'error: error: column Chunk.embedding does not exist',
    ].join('\n');
    expect(parseMissingObjectError(text)).toEqual(column('Chunk', 'embedding', 'postgres'));
  });

  it('reads psql’s ERROR: line with its LINE and caret', () => {
    const text = 'ERROR:  column "embedding" of relation "chunks" does not exist\nLINE 1: INSERT INTO chunks (embedding) VALUES (1)\n                           ^';
    expect(parseMissingObjectError(text)).toEqual(column('chunks', 'embedding', 'postgres'));
  });

  it('reads a NestJS-style log line around a missing table', () => {
    const text = "[Nest] 42  - 11/24/2026, 3:00:01 AM   ERROR [ExceptionsHandler] Table 'app.chunks' doesn't exist";
    expect(parseMissingObjectError(text)).toEqual(table('chunks', 'mysql'));
  });

  // Structured loggers (pino, winston's JSON format) escape the quotes of PostgreSQL's message; the user pastes the
  // line as it is.
  it('reads a JSON log line, where PostgreSQL’s quotes are escaped', () => {
    const line = JSON.stringify({ level: 50, time: 1795921201000, msg: 'column "embedding" of relation "chunks" does not exist', err: { type: 'QueryFailedError' } });
    expect(parseMissingObjectError(line)).toEqual(column('chunks', 'embedding', 'postgres'));
    const table_ = JSON.stringify({ level: 'error', message: 'relation "chunks" does not exist' });
    expect(parseMissingObjectError(table_)).toEqual(table('chunks', 'postgres'));
  });
});

describe('parseMissingObjectError: anything else is null', () => {
  it.each([
    'connect ECONNREFUSED 127.0.0.1:5432',
    "ER_ACCESS_DENIED_ERROR: Access denied for user 'app'@'localhost' (using password: YES)",
    'duplicate key value violates unique constraint "uq_chunks_document_position"',
    "ER_DUP_ENTRY: Duplicate entry 'a-1' for key 'uq_chunks_document_position'",
    "ER_DUP_FIELDNAME: Duplicate column name 'embedding'",
    // ALTER TABLE chunks DROP COLUMN nope, on MariaDB
    "Can't DROP COLUMN `nope`; check that it exists",
    'column "embedding" of relation "chunks" already exists',
    // SELECT nope()
    'function nope() does not exist',
    // SELECT 1::vectorx
    'type "vectorx" does not exist',
    'schema "app" does not exist',
    'database "app" does not exist',
    'role "app" does not exist',
    "Unknown database 'app'",
    'operator does not exist: vector <=> text',
    'index "idx_documents_title" does not exist',
    '',
  ])('%j', (text) => {
    expect(parseMissingObjectError(text)).toBeNull();
  });

  // ALTER TABLE chunks DROP CONSTRAINT nope: a missing constraint, not a missing table. Read as a missing table, it
  // made `explain` answer "Table chunks exists now: the error came from another database", the wrong problem.
  it.each([
    'constraint "nope" of relation "chunks" does not exist',
    'trigger "chunks_touch" for relation "chunks" does not exist',
    'policy "tenant_isolation" for table "chunks" does not exist',
  ])('%j (an object of an existing table)', (text) => {
    expect(parseMissingObjectError(text)).toBeNull();
  });
});

describe('closest', () => {
  it('finds the same name spelt with another case or without underscores first', () => {
    expect(closest('tokenCount', ['text', 'token_count'])).toBe('token_count');
    expect(closest('Embedding', ['embeddings', 'embedding'])).toBe('embedding');
    expect(closest('content_hash', ['contenthas', 'contentHash'])).toBe('contentHash');
  });

  it('otherwise takes the nearest name a few edits away (more for longer names), the first of equals', () => {
    expect(closest('embedding', ['id', 'embeddings', 'text'])).toBe('embeddings');
    expect(closest('embedding', ['embeding'])).toBe('embeding');
    expect(closest('embedding', ['embeddings', 'embedding_'])).toBe('embedding_'); // squashes to the same letters
    expect(closest('colour', ['colr', 'color'])).toBe('color'); // 1 edit beats 2
    expect(closest('abcde', ['abcdx', 'abcdy'])).toBe('abcdx'); // the first of equals
  });

  it('never returns the name itself, and null when nothing is near', () => {
    expect(closest('embedding', ['embedding'])).toBeNull();
    expect(closest('embedding', [])).toBeNull();
    expect(closest('embedding', ['embedding_vec'])).toBeNull(); // 3 edits
    expect(closest('embedding', ['vector'])).toBeNull();
  });

  // `explain` turns a hit into `schema-sync sync --rename t.<hit>=<name>`, which renames a live column with data. For
  // short names 2 edits is most of the word: `age` is not a misspelt `name`, nor `uuid` a renamed `id`.
  it('does not call a short, different word a near name', () => {
    expect(closest('name', ['age'])).toBeNull();
    expect(closest('id', ['uuid'])).toBeNull();
    expect(closest('url', ['uid'])).toBeNull();
    expect(closest('name', ['names'])).toBe('names');
  });
});

describe('lastMissingObjectError: the error to explain in a log', () => {
  it('takes the newest line that is such an error, and the whole text when none is', () => {
    const log = [
      '2026-11-24T05:00:00Z info listening on :3000',
      `2026-11-24T05:00:01Z error {"message":"column \\"summary\\" of relation \\"documents\\" does not exist"}`,
      '2026-11-24T05:00:02Z error QueryFailedError: column Chunk.embedding does not exist',
      '    at PostgresQueryRunner.query (node_modules/typeorm/driver/postgres/PostgresQueryRunner.js:219:19)',
      '',
    ].join('\n');
    expect(parseMissingObjectError(lastMissingObjectError(log))).toEqual(column('Chunk', 'embedding', 'postgres'));
    expect(parseMissingObjectError(lastMissingObjectError(log.split('\n').slice(0, 2).join('\n')))).toEqual(column('documents', 'summary', 'postgres'));
    expect(lastMissingObjectError('no error here\nnor here')).toBe('no error here\nnor here');
  });
});
