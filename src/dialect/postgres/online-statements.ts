import type { DatabaseClient } from '../../connect/client';
import type { OnlineStatements } from '../../apply/history-sql';
import { quotePostgresQualified } from './quote';

/** A PostgreSQL identifier as written: double-quoted (with "" inside) or a bare word. */
const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;

/** `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON [ONLY] [schema.]table`. */
const CREATE_CONCURRENTLY = new RegExp(
  String.raw`^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?(${IDENT})\s+ON\s+(?:ONLY\s+)?(?:(${IDENT})\s*\.\s*)?${IDENT}[\s(]`,
  'is',
);

/** `DROP INDEX CONCURRENTLY [IF EXISTS] [schema.]name`. */
const DROP_CONCURRENTLY = new RegExp(String.raw`^\s*DROP\s+INDEX\s+CONCURRENTLY\s+(?:IF\s+EXISTS\s+)?(?:(${IDENT})\s*\.\s*)?(${IDENT})\s*$`, 'is');

/** Statements PostgreSQL refuses inside a transaction block. */
const NO_TRANSACTION = /^\s*(?:CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX)\s+CONCURRENTLY\s/is;

/** VALIDATE CONSTRAINT scans the table under SHARE UPDATE EXCLUSIVE: it must not hold the locks taken before it. */
const VALIDATE = /^\s*ALTER\s+TABLE\s+.+\s+VALIDATE\s+CONSTRAINT\s/is;

/** A phased rename's batched copy (render-column-sync.ts): it commits after each batch, so it runs outside a transaction. */
const COPY_BLOCK = /^\s*DO\s+\$schema_sync_copy\$/is;

/** lock_not_available: lock_timeout ran out (or NOWAIT found the lock taken). */
const LOCK_NOT_AVAILABLE = '55P03';

/** An identifier as the catalog spells it. */
function unquote(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier.toLowerCase();
}

/** The index a statement names, and its schema (null: the current schema). */
interface IndexName {
  readonly schema: string | null;
  readonly name: string;
}

/** Whether the index exists, and whether it is valid (a killed or failed concurrent build leaves it INVALID). */
async function indexState(client: DatabaseClient, index: IndexName): Promise<'absent' | 'valid' | 'invalid'> {
  const rows = await client.query<{ valid: unknown }>(
    `SELECT i.indisvalid AS valid FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1 AND n.nspname = coalesce($2, current_schema())`,
    [index.name, index.schema],
  );
  if (rows.length === 0) return 'absent';
  return rows[0]?.valid === true || rows[0]?.valid === 't' ? 'valid' : 'invalid';
}

/**
 * After a CREATE INDEX CONCURRENTLY was interrupted: a valid index means it finished; an INVALID one (the build was
 * killed, cancelled, timed out or hit a duplicate) is dropped, concurrently, so the statement runs again from scratch.
 * After a DROP INDEX CONCURRENTLY: the index gone means it finished; otherwise (valid, or INVALID halfway) it runs again.
 */
async function settle(client: DatabaseClient, sql: string): Promise<'done' | 'redo' | 'unknown'> {
  const create = CREATE_CONCURRENTLY.exec(sql);
  if (create !== null) {
    const index = { schema: create[2] === undefined ? null : unquote(create[2]), name: unquote(create[1] as string) };
    const state = await indexState(client, index);
    if (state === 'valid') return 'done';
    if (state === 'invalid') {
      const schema = index.schema ?? String((await client.query<{ s: unknown }>('SELECT current_schema() AS s'))[0]?.s);
      await client.execute(`DROP INDEX CONCURRENTLY IF EXISTS ${quotePostgresQualified(schema, index.name)}`);
    }
    return 'redo';
  }
  const drop = DROP_CONCURRENTLY.exec(sql);
  if (drop !== null) {
    const state = await indexState(client, { schema: drop[1] === undefined ? null : unquote(drop[1]), name: unquote(drop[2] as string) });
    return state === 'absent' ? 'done' : 'redo';
  }
  // The copy fills NULLs only: running it again does what is left.
  if (COPY_BLOCK.test(sql)) return 'redo';
  return 'unknown';
}

/**
 * PostgreSQL's online DDL as the applier runs it: concurrent index builds and drops outside any transaction, VALIDATE
 * CONSTRAINT in a transaction of its own, every statement under lock_timeout. PGlite (one connection, no one to run
 * concurrently with) fails CREATE INDEX CONCURRENTLY with "tuple concurrently updated", so there the plain form runs.
 */
export const postgresOnlineStatements: OnlineStatements = {
  runsAlone: new RegExp(`${NO_TRANSACTION.source}|${VALIDATE.source}|${COPY_BLOCK.source}`, 'is'),
  noTransaction: new RegExp(`${NO_TRANSACTION.source}|${COPY_BLOCK.source}`, 'is'),
  settle,
  embeddedForm: (sql) =>
    COPY_BLOCK.test(sql) ? sql.replace(/^\s*COMMIT;\n/m, '') : sql.replace(/^(\s*(?:CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX))\s+CONCURRENTLY(?=\s)/is, '$1'),
  lockTimeout: (ms) => `SET lock_timeout = ${Math.max(0, Math.round(ms))}`,
  resetLockTimeout: 'RESET lock_timeout',
  isLockTimeout: (error) => (error as { code?: unknown } | null)?.code === LOCK_NOT_AVAILABLE,
};
