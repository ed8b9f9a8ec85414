import type { Change, TableRef } from '../../change/change';
import type { ForeignKey, Table } from '../../model/schema';
import { atLeast, type LockContext } from '../lock-impact';
import { foreignKeysWithOwnIndex, serves, servingKeys } from './key-indexes';
import { quoteMysqlLiteral, quoteMysqlName, quoteMysqlTable } from './quote';
import { dropMysqlForeignKey } from './render-constraint';

type AddForeignKey = Extract<Change, { readonly kind: 'add_foreign_key' }>;

/*
 * With foreign_key_checks on, MariaDB adds a foreign key by copying the table under LOCK=SHARED (4 s of blocked writes
 * at 200,000 rows). With it off, the server only records the key: ALGORITHM=INSTANT when an index already serves the
 * key, NOCOPY with LOCK=NONE when the key's own index is built (checked on 10.11 by lock-impact.mariadb.test.ts). It
 * then checks nothing, so the rows that exist already are checked here by an anti-join, as PostgreSQL's VALIDATE
 * CONSTRAINT would; rows written after the key exists are checked by the server.
 *
 * The steps run as one anonymous block (BEGIN NOT ATOMIC, MariaDB 10.1+), which makes them one statement for the
 * applier: foreign_key_checks is back on before the block ends, also when a step fails (the exit handler), so a
 * reused connection never keeps it off; and the block can run again at any point after an interruption: it adds the
 * key only when the catalog lacks it, and checks the rows every time. On orphans it drops the key it added (with the
 * index the server made for it, and the own indexes of shorter keys it had dropped), so nothing half-done remains, and fails naming the count, the key, the table and a
 * sample key.
 */

/** The head every online foreign key block starts with: how the journal and lint recognise it. */
export const ONLINE_FOREIGN_KEY_BLOCK = /^\s*BEGIN\s+NOT\s+ATOMIC\s+DECLARE\s+schema_sync_orphans\b/i;

/** The error the block signals when rows have no parent (ER_NO_REFERENCED_ROW_2's number, SQLSTATE 23000). */
export const ORPHAN_ERRNO = 1452;

/**
 * The algorithm ADD FOREIGN KEY takes on MariaDB with foreign_key_checks off: INSTANT when an index already serves
 * the key (one of the model, or another key's own index), NOCOPY with LOCK=NONE when the server builds one.
 */
export function onlineForeignKeyAlgorithm(table: Table, foreignKey: ForeignKey): 'INSTANT' | 'NOCOPY' {
  const own = foreignKeysWithOwnIndex(table);
  const indexes = [...servingKeys(table, null), ...table.foreignKeys.filter((other) => own.has(other.name)).map((other) => other.columns)];
  return indexes.some((columns) => serves(columns, foreignKey)) ? 'INSTANT' : 'NOCOPY';
}

function withKey(table: Table, foreignKey: ForeignKey): Table {
  return { ...table, foreignKeys: [...table.foreignKeys, foreignKey] };
}

/**
 * The block that adds the key without copying the table and checks the rows already there (see above). `add` is the
 * plain ALTER TABLE the renderer wrote for the change (with the own-index clauses it needs); on orphans the block
 * undoes it with the renderer's own drop of the key, judged against the table with the key.
 */
export function onlineForeignKeyBlock(change: AddForeignKey, table: Table, add: string): string {
  const fk = change.foreignKey;
  const child = quoteMysqlTable(change.table);
  const parent = quoteMysqlTable({ schema: fk.referencedSchema, name: fk.referencedTable });
  const algorithm = onlineForeignKeyAlgorithm(table, fk) === 'NOCOPY' ? 'ALGORITHM=NOCOPY, LOCK=NONE' : 'ALGORITHM=INSTANT';
  // IF EXISTS: where an index already served the key (INSTANT) the server made none of its own to drop.
  const ownIndex = `DROP INDEX ${quoteMysqlName(fk.name)}`;
  const drop = dropMysqlForeignKey({ kind: 'drop_foreign_key', table: change.table, foreignKey: fk }, { before: { dialect: 'mariadb', tables: [withKey(table, fk)], enums: [] } }).map((sql) =>
    sql.split(`, ${ownIndex}`).join(`, DROP INDEX IF EXISTS ${quoteMysqlName(fk.name)}`),
  );
  const c = quoteMysqlName('schema_sync_child');
  const p = quoteMysqlName('schema_sync_parent');
  const on = fk.columns.map((column, i) => `${p}.${quoteMysqlName(fk.referencedColumns[i] as string)} = ${c}.${quoteMysqlName(column)}`).join(' AND ');
  const orphans =
    `FROM ${child} AS ${c} LEFT JOIN ${parent} AS ${p} ON ${on} ` +
    `WHERE ${fk.columns.map((column) => `${c}.${quoteMysqlName(column)} IS NOT NULL`).join(' AND ')} AND ${p}.${quoteMysqlName(fk.referencedColumns[0] as string)} IS NULL`;
  const sample = `CONCAT_WS(', ', ${fk.columns.map((column) => `CONCAT(${quoteMysqlLiteral(`${column}=`)}, QUOTE(${c}.${quoteMysqlName(column)}))`).join(', ')})`;
  const label = quoteMysqlLiteral(`foreign key ${fk.name} on ${tableLabel(change.table)} was not added: `);
  const tail = quoteMysqlLiteral(` rows have no row in ${tableLabel({ schema: fk.referencedSchema, name: fk.referencedTable })}, for example `);
  return [
    'BEGIN NOT ATOMIC',
    '  DECLARE schema_sync_orphans BIGINT DEFAULT 0;',
    '  DECLARE schema_sync_sample TEXT;',
    '  DECLARE schema_sync_message TEXT;',
    '  DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN SET SESSION foreign_key_checks = 1; RESIGNAL; END;',
    `  IF NOT EXISTS (SELECT 1 FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ${schemaOf(change.table)} AND TABLE_NAME = ${quoteMysqlLiteral(change.table.name)} AND CONSTRAINT_NAME = ${quoteMysqlLiteral(fk.name)}) THEN`,
    '    SET SESSION foreign_key_checks = 0;',
    `    ${add}, ${algorithm};`,
    '    SET SESSION foreign_key_checks = 1;',
    '  END IF;',
    `  SELECT COUNT(*) INTO schema_sync_orphans ${orphans};`,
    '  IF schema_sync_orphans > 0 THEN',
    `    SELECT LEFT(${sample}, 80) INTO schema_sync_sample ${orphans} LIMIT 1;`,
    ...drop.map((sql) => `    ${sql};`),
    `    SET schema_sync_message = CONCAT(${label}, schema_sync_orphans, ${tail}, schema_sync_sample);`,
    `    SIGNAL SQLSTATE '23000' SET MESSAGE_TEXT = schema_sync_message, MYSQL_ERRNO = ${ORPHAN_ERRNO};`,
    '  END IF;',
    'END',
  ].join('\n');
}

/** The ALTER TABLE … ADD FOREIGN KEY an online foreign key block runs (with foreign_key_checks off), or null. */
export function onlineForeignKeyStatement(text: string): string | null {
  if (!ONLINE_FOREIGN_KEY_BLOCK.test(text)) return null;
  const match = /^ {4}(ALTER TABLE .+ ADD CONSTRAINT .+);$/m.exec(text);
  return match === null ? null : (match[1] as string);
}

/** The database a table is in, as SQL: its own, or the connection's. */
function schemaOf(table: TableRef): string {
  return table.schema === null ? 'DATABASE()' : quoteMysqlLiteral(table.schema);
}

function tableLabel(table: TableRef): string {
  return table.schema === null ? table.name : `${table.schema}.${table.name}`;
}

/** The online foreign key form's conditions besides the table's: MariaDB 10.6+ (atomic DDL; the form checked on 10.11). */
export function onlineForeignKeyApplies(context: LockContext): context is LockContext & { table: NonNullable<LockContext['table']> } {
  return context.online && context.table !== undefined && context.newTable !== true && context.table.primaryKey !== null && atLeast(context.version, 10, 6);
}
