import type { Change, TableRef } from '../../change/change';
import type { UniqueConstraint } from '../../model/schema';
import type { LockContext } from '../lock-impact';
import { quotePostgresIdentifier, quotePostgresList, quotePostgresTable } from './quote';

/** PostgreSQL's limit on identifier length, in bytes. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * The online form of a change's statements on PostgreSQL, for a table that exists before the migration (a table the
 * migration creates has no readers or writers yet, and the plain forms cost nothing there):
 * - indexes are built and dropped CONCURRENTLY (only SHARE UPDATE EXCLUSIVE: writes go on; the applier runs them
 *   outside the migration's transaction);
 * - foreign keys and checks are added NOT VALID, then validated by a separate VALIDATE CONSTRAINT, which only takes
 *   SHARE UPDATE EXCLUSIVE while it scans;
 * - a unique constraint is built as a unique index CONCURRENTLY, then attached with ADD CONSTRAINT … UNIQUE USING
 *   INDEX, which takes ACCESS EXCLUSIVE only for the catalog change (no scan);
 * - SET NOT NULL goes through a CHECK (column IS NOT NULL) added NOT VALID and validated first, so SET NOT NULL
 *   itself (PostgreSQL 12 and later) skips its scan under ACCESS EXCLUSIVE; the check is dropped after.
 * The embedded database runs the same statements (the applier drops CONCURRENTLY there: see postgresOnlineStatements).
 */
export function postgresOnlineForm(change: Change, statements: readonly string[], context: LockContext): readonly string[] {
  if (context.table === undefined || context.newTable === true) return statements;
  switch (change.kind) {
    case 'create_index':
      return statements.map((sql) => sql.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY '));
    case 'drop_index':
      return statements.map((sql) => sql.replace(/^DROP INDEX /, 'DROP INDEX CONCURRENTLY '));
    case 'add_unique':
      return uniqueThroughIndex(change.table, change.unique);
    case 'add_foreign_key':
      return validatedSeparately(statements, quotePostgresTable(change.table), change.foreignKey.name);
    case 'add_check':
      return validatedSeparately(statements, quotePostgresTable(change.table), change.check.name);
    case 'alter_column':
    case 'add_column':
      return context.version.major >= 12 ? statements.flatMap((sql) => notNullThroughCheck(sql, change.table.name)) : statements;
    default:
      return statements;
  }
}

/**
 * add_unique as `CREATE UNIQUE INDEX CONCURRENTLY "name"` and `ADD CONSTRAINT "name" UNIQUE USING INDEX "name"` (the
 * constraint takes the index over, under the same name, so its rollback's DROP CONSTRAINT removes both). A build
 * refused by duplicates leaves an INVALID index, which the applier drops (see postgresOnlineStatements.settle).
 */
function uniqueThroughIndex(table: TableRef, unique: UniqueConstraint): string[] {
  const name = quotePostgresIdentifier(unique.name);
  const deferrable = unique.deferrable === undefined ? '' : ` DEFERRABLE ${unique.deferrable}`;
  return [
    `CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${quotePostgresTable(table)} (${quotePostgresList(unique.columns)})`,
    `ALTER TABLE ${quotePostgresTable(table)} ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name}${deferrable}`,
  ];
}

/** `ALTER TABLE … ADD CONSTRAINT …` as `… NOT VALID`, then `ALTER TABLE … VALIDATE CONSTRAINT …`. */
function validatedSeparately(statements: readonly string[], table: string, name: string): string[] {
  const add = `ALTER TABLE ${table} ADD CONSTRAINT ${quotePostgresIdentifier(name)} `;
  return statements.flatMap((sql) => (sql.startsWith(add) ? [`${sql} NOT VALID`, `ALTER TABLE ${table} VALIDATE CONSTRAINT ${quotePostgresIdentifier(name)}`] : [sql]));
}

/** `ALTER TABLE t ALTER COLUMN c SET NOT NULL` as the check, its validation, SET NOT NULL and the check's drop. */
function notNullThroughCheck(sql: string, tableName: string): string[] {
  const match = /^(ALTER TABLE .+) ALTER COLUMN ("(?:[^"]|"")+") SET NOT NULL$/s.exec(sql);
  if (match === null) return [sql];
  const [, alterTable, column] = match as unknown as [string, string, string];
  const check = quotePostgresIdentifier(notNullCheckName(tableName, column.slice(1, -1).replace(/""/g, '"')));
  return [`${alterTable} ADD CONSTRAINT ${check} CHECK (${column} IS NOT NULL) NOT VALID`, `${alterTable} VALIDATE CONSTRAINT ${check}`, sql, `${alterTable} DROP CONSTRAINT ${check}`];
}

/** `<table>_<column>_not_null`, cut to PostgreSQL's 63 bytes (the cut keeps a short hash so names stay distinct). */
function notNullCheckName(table: string, column: string): string {
  const name = `${table}_${column}_not_null`;
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  const suffix = `_nn${hash.toString(16)}`;
  let head = name;
  while (Buffer.byteLength(head) + suffix.length > MAX_IDENTIFIER_BYTES) head = head.slice(0, -1);
  return head + suffix;
}
