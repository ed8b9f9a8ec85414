import type { Change, ColumnAspect } from '../../change/change';
import type { Column, ColumnType, Dialect, Table } from '../../model/schema';
import { assertNever } from '../../util/assert-never';
import { hasOwnIndex, leadsAKey } from './key-indexes';
import { onlineForeignKeyAlgorithm, onlineForeignKeyApplies } from './online-foreign-key';
import { atLeast, type LockContext, type LockImpact, type ServerVersion, type TableRewrite } from '../lock-impact';

/** InnoDB's ALTER TABLE algorithms, cheapest first. MariaDB 10.3.7+ has NOCOPY (in place, no rebuild); MySQL calls that INPLACE. */
export const MYSQL_ALGORITHMS = ['INSTANT', 'NOCOPY', 'INPLACE', 'COPY'] as const;

/** One ALTER TABLE algorithm. */
export type MysqlAlgorithm = (typeof MYSQL_ALGORITHMS)[number];

/** What concurrent statements may do while the ALTER runs (LOCK=NONE: read and write; SHARED: read only). */
export type MysqlLockMode = 'NONE' | 'SHARED' | 'EXCLUSIVE';

/** The cheapest algorithm the server accepts for a change, and the weakest lock it accepts with it. */
export interface MysqlAlterCost {
  readonly algorithm: MysqlAlgorithm;
  readonly lock: MysqlLockMode;
  readonly rewrite: TableRewrite;
  readonly note?: string;
}

const cost = (algorithm: MysqlAlgorithm, lock: MysqlLockMode, rewrite: TableRewrite, note?: string): MysqlAlterCost =>
  note === undefined ? { algorithm, lock, rewrite } : { algorithm, lock, rewrite, note };

const INSTANT = cost('INSTANT', 'NONE', 'none');
/** A statement that is not an ALTER TABLE (CREATE TABLE, RENAME TABLE, DROP TABLE): a metadata lock only. */
const METADATA = cost('INSTANT', 'NONE', 'none', 'metadata only');

/**
 * The lock and rewrite facts of one change on MariaDB or MySQL, as the server decides them (checked on MariaDB 10.11
 * by lock-impact.mariadb.test.ts: the ALTER runs with ALGORITHM=<claimed> and LOCK=<claimed>, and the server refuses
 * the next cheaper algorithm). MySQL 8 rules follow its manual and are not checked here (no MySQL server).
 */
export function mysqlLockImpact(change: Change, dialect: Exclude<Dialect, 'postgres'>, context: LockContext): LockImpact {
  return impactOfAlterCost(mysqlAlterCost(change, dialect, context), dialect);
}

/** The algorithm and lock of the ALTER a change renders to; the cheapest the server accepts. */
export function mysqlAlterCost(change: Change, dialect: Exclude<Dialect, 'postgres'>, context: LockContext): MysqlAlterCost {
  const server = { dialect, version: context.version };
  const key = keyChangeOf(change);
  if (key !== null && movesAutoIncrement(context.table, key.removed, key.added)) {
    return cost('COPY', 'SHARED', 'rewrite', 'AUTO_INCREMENT moves with the key: the column is changed by copying the table');
  }
  if (key !== null && key.unique && context.table !== undefined && context.table.primaryKey === null) {
    return key.removed === null
      ? rebuild('without a primary key, InnoDB clusters the rows by the first NOT NULL unique index')
      : cost('COPY', 'SHARED', 'rewrite', 'without a primary key, the unique index may be the clustered key: the table is copied');
  }
  switch (change.kind) {
    case 'create_table':
      return cost('INSTANT', 'NONE', 'none', 'new table');
    case 'drop_table':
    case 'rename_table':
    case 'create_enum':
    case 'drop_enum':
    case 'alter_enum':
    case 'add_exclusion':
    case 'drop_exclusion':
    case 'create_view':
    case 'drop_view':
    case 'replace_view':
    case 'add_orm_record':
    case 'remove_orm_record':
    case 'copy_column':
    case 'create_sync_trigger':
    case 'drop_sync_trigger':
      return METADATA;
    case 'add_column':
      return addColumnCost(change.column, context.table, server);
    case 'drop_column':
      if (isIndexed(context.table, change.column.name)) return rebuild('its indexes change with it');
      return instantColumnChange(server, 'drop') ? INSTANT : rebuild('before instant DROP COLUMN');
    case 'rename_column':
      return INSTANT;
    case 'alter_column':
      return worstAlterCost(alterColumnCosts(change.from, change.to, change.changed, context.table));
    case 'alter_primary_key':
      // InnoDB keeps rows in primary key order: a new key rebuilds in place; the table without one is copied.
      return change.to === null ? cost('COPY', 'SHARED', 'rewrite', 'dropping the primary key copies the table') : rebuild('the rows are reordered by the new key');
    case 'create_index':
      return createIndexCost(change.index.method, context.table, server);
    case 'add_unique':
      return cost(inPlace(server), 'NONE', 'scan');
    case 'drop_index':
    case 'drop_unique':
      return cost(inPlace(server), 'NONE', 'none');
    case 'drop_foreign_key':
      // The index InnoDB made for the key goes with it when no other index serves the key (dropMysqlForeignKey).
      return context.table !== undefined && hasOwnIndex(context.table, change.foreignKey)
        ? cost(inPlace(server), 'NONE', 'none', 'its own index is dropped with it')
        : INSTANT;
    case 'rename_index':
    case 'rename_unique':
    case 'drop_check':
    case 'alter_table_comment':
      return INSTANT;
    case 'add_foreign_key':
      if (dialect === 'mariadb' && onlineForeignKeyApplies(context)) {
        const algorithm = onlineForeignKeyAlgorithm(context.table, change.foreignKey);
        return cost(algorithm, 'NONE', 'scan', `added with foreign_key_checks off${algorithm === 'NOCOPY' ? ' (its index is built, writes go on)' : ''}, then its rows are checked by a query while writes go on`);
      }
      return cost('COPY', 'SHARED', 'rewrite', 'with foreign_key_checks on, adding a foreign key copies the table');
    case 'rename_foreign_key':
      return cost('COPY', 'SHARED', 'rewrite', 'with foreign_key_checks on, adding a foreign key copies the table');
    case 'add_check':
      return cost('COPY', 'SHARED', 'rewrite', 'a CHECK is validated by copying the table');
    default:
      return assertNever(change);
  }
}

/** The key index a change removes (`PRIMARY` for the primary key), the key column lists it adds and whether they are unique. */
function keyChangeOf(change: Change): { removed: string | null; added: (readonly string[])[]; unique: boolean } | null {
  switch (change.kind) {
    case 'alter_primary_key':
      return { removed: change.from === null ? null : 'PRIMARY', added: change.to === null ? [] : [change.to.columns], unique: false };
    case 'create_index':
      return { removed: null, added: [change.index.columns], unique: change.index.unique };
    case 'add_unique':
      return { removed: null, added: [change.unique.columns], unique: true };
    case 'drop_index':
      return { removed: change.index.name, added: [], unique: change.index.unique };
    case 'drop_unique':
      return { removed: change.unique.name, added: [], unique: true };
    default:
      return null;
  }
}

/**
 * Whether the key change takes AUTO_INCREMENT off a column or puts it back (InnoDB wants it on a column leading a
 * key): the ALTER then also changes that column, which no in-place algorithm does.
 */
function movesAutoIncrement(table: Table | undefined, removed: string | null, added: readonly (readonly string[])[]): boolean {
  if (table === undefined) return false;
  return table.columns.some((column) => {
    if (column.generation !== 'increment') return false;
    const before = leadsAKey(table, column.name);
    const after = leadsAKey(table, column.name, removed) || added.some((columns) => columns[0] === column.name);
    return before !== after;
  });
}

interface Server {
  readonly dialect: Exclude<Dialect, 'postgres'>;
  readonly version: ServerVersion;
}

/** An in-place change without a rebuild: MariaDB names it NOCOPY, MySQL has only INPLACE. */
function inPlace(server: Server): MysqlAlgorithm {
  return server.dialect === 'mariadb' && atLeast(server.version, 10, 3) ? 'NOCOPY' : 'INPLACE';
}

function rebuild(note: string): MysqlAlterCost {
  return cost('INPLACE', 'NONE', 'rewrite', `rebuilt in place, writes go on: ${note}`);
}

/** MariaDB 10.3 adds columns instantly, 10.4 drops them; MySQL 8.0.12 appends, 8.0.29 drops. */
function instantColumnChange(server: Server, what: 'add' | 'drop'): boolean {
  if (server.dialect === 'mariadb') return atLeast(server.version, 10, what === 'add' ? 3 : 4);
  return what === 'add' ? atLeast(server.version, 8, 0, 12) : atLeast(server.version, 8, 0, 29);
}

function addColumnCost(column: Column, table: Table | undefined, server: Server): MysqlAlterCost {
  if (column.computed?.stored === true) return cost('COPY', 'SHARED', 'rewrite', 'a STORED generated column is computed by copying the table');
  if (column.computed !== undefined) return INSTANT;
  if (column.generation === 'increment') return cost('COPY', 'SHARED', 'rewrite', 'an AUTO_INCREMENT column is numbered by copying the table');
  if (column.default !== null && column.default.kind === 'expression' && !CONSTANT_PER_STATEMENT.test(column.default.sql.trim())) {
    return cost('COPY', 'SHARED', 'rewrite', `the default ${column.default.sql} takes a value per row`);
  }
  if (hasFulltext(table)) return cost('INPLACE', 'SHARED', 'rewrite', 'a table with a FULLTEXT index is rebuilt, writes wait');
  return instantColumnChange(server, 'add') ? INSTANT : rebuild('before instant ADD COLUMN');
}

/**
 * Default expressions with one value for every existing row, which an instant ADD COLUMN can keep in the table's
 * metadata; any other expression (uuid(), rand()) needs a value per row, and an unknown one is not claimed instant.
 */
const CONSTANT_PER_STATEMENT = /^(?:current_timestamp|now|localtime|localtimestamp|curdate|current_date|curtime|current_time|utc_timestamp)(?:\(\d?\))?$/i;

function alterColumnCosts(from: Column, to: Column, changed: readonly ColumnAspect[], table: Table | undefined): MysqlAlterCost[] {
  if (changed.includes('computed')) return [cost('COPY', 'SHARED', 'rewrite', 'the generated column is dropped and added again')];
  return changed.map((aspect): MysqlAlterCost => {
    switch (aspect) {
      case 'type':
        return typeChangeCost(from, to);
      case 'nullable':
        if (!to.nullable && (to.default?.kind === 'expression' || (to.type.kind === 'temporal' && to.type.name === 'timestamp'))) return cost('COPY', 'SHARED', 'rewrite', 'NULLs become a non-constant default by copying the table');
        return rebuild(to.nullable ? 'NULL is allowed again' : 'every row is checked for NULL');
      case 'default':
      case 'comment':
      case 'onUpdate':
        return INSTANT;
      case 'collation':
      case 'charset':
        if (charsetOf(from) !== charsetOf(to) || !isVarchar(to.type)) return cost('COPY', 'SHARED', 'rewrite', 'the values are converted to another character set or collation');
        return isIndexed(table, to.name) ? cost('NOCOPY', 'NONE', 'scan', 'indexes on the column are rebuilt') : cost('INSTANT', 'NONE', 'none');
      case 'generation':
        return cost('COPY', 'SHARED', 'rewrite', 'AUTO_INCREMENT changes copy the table');
      case 'computed':
        return INSTANT;
      default:
        return assertNever(aspect);
    }
  });
}

/**
 * A longer VARCHAR keeps its rows while the length prefix stays the same size: one byte up to 255 bytes, two above
 * (at four bytes a character in utf8mb4, 63 characters fit in one byte, 64 do not). Appending values to an ENUM or SET
 * keeps the stored numbers. Anything else converts every row.
 */
function typeChangeCost(from: Column, to: Column): MysqlAlterCost {
  const a = from.type;
  const b = to.type;
  if (isVarchar(a) && isVarchar(b) && !a.binary && !b.binary && a.length !== null && b.length !== null && b.length >= a.length) {
    const perChar = bytesPerCharacter(to);
    if ((a.length * perChar <= 255) === (b.length * perChar <= 255)) return cost('INSTANT', 'NONE', 'none', 'the length prefix keeps its size');
    return cost('COPY', 'SHARED', 'rewrite', 'the length prefix grows from one byte to two (255 bytes)');
  }
  if ((a.kind === 'enum' && b.kind === 'enum') || (a.kind === 'set' && b.kind === 'set')) {
    const appended = b.values.length >= a.values.length && a.values.every((value, i) => b.values[i] === value);
    if (appended) return cost('INSTANT', 'NONE', 'none', 'values appended at the end');
  }
  return cost('COPY', 'SHARED', 'rewrite', 'every row is converted to the new type');
}

function isVarchar(type: ColumnType): type is Extract<ColumnType, { kind: 'string' }> {
  return type.kind === 'string' && !type.fixed;
}

/** The most bytes a character of the column's character set takes. */
function bytesPerCharacter(column: Column): number {
  const charset = charsetOf(column);
  if (charset === 'latin1' || charset === 'ascii' || charset === 'binary') return 1;
  if (charset === 'utf8' || charset === 'utf8mb3') return 3;
  if (charset === 'ucs2') return 2;
  return 4;
}

/**
 * The first FULLTEXT index of a table adds InnoDB's hidden FTS_DOC_ID column (a rebuild); later ones only build.
 * Both block writes. A b-tree index builds in place while writes go on.
 */
function createIndexCost(method: string | null, table: Table | undefined, server: Server): MysqlAlterCost {
  if (method === 'fulltext') {
    return hasFulltext(table)
      ? cost('NOCOPY', 'SHARED', 'scan', 'a FULLTEXT index blocks writes while it is built')
      : cost('INPLACE', 'SHARED', 'rewrite', 'the first FULLTEXT index rebuilds the table, writes wait');
  }
  if (method === 'spatial') return cost(inPlace(server), 'SHARED', 'scan', 'a SPATIAL index blocks writes while it is built');
  return cost(inPlace(server), 'NONE', 'scan');
}

/**
 * The character set a column's values are stored in: named, or implied by its collation. A column that names neither
 * has the table's, which the model does not carry: utf8mb4 is assumed, the default of MariaDB 10.6+ and MySQL 8 and of
 * every database this tool creates.
 */
function charsetOf(column: Column): string {
  return column.charset ?? column.collation?.split('_')[0] ?? 'utf8mb4';
}

function hasFulltext(table: Table | undefined): boolean {
  return table?.indexes.some((index) => index.method === 'fulltext') ?? false;
}

function isIndexed(table: Table | undefined, column: string): boolean {
  if (table === undefined) return false;
  return table.indexes.some((index) => index.columns.includes(column)) || (table.primaryKey?.columns.includes(column) ?? false);
}

const ALGORITHM_RANK = new Map(MYSQL_ALGORITHMS.map((algorithm, i) => [algorithm, i]));
const LOCK_RANK: Record<MysqlLockMode, number> = { NONE: 0, SHARED: 1, EXCLUSIVE: 2 };
const REWRITE_RANK: Record<TableRewrite, number> = { none: 0, scan: 1, rewrite: 2 };

/** One MODIFY COLUMN (or one ALTER TABLE of several clauses) does everything at once: the server picks the algorithm the costliest part needs. */
export function worstAlterCost(costs: readonly MysqlAlterCost[]): MysqlAlterCost {
  if (costs.length === 0) return INSTANT;
  const algorithm = costs.reduce((a, b) => ((ALGORITHM_RANK.get(b.algorithm) ?? 0) > (ALGORITHM_RANK.get(a.algorithm) ?? 0) ? b : a)).algorithm;
  const lock = costs.reduce((a, b) => (LOCK_RANK[b.lock] > LOCK_RANK[a.lock] ? b : a)).lock;
  const rewrite = costs.reduce((a, b) => (REWRITE_RANK[b.rewrite] > REWRITE_RANK[a.rewrite] ? b : a)).rewrite;
  const notes = [...new Set(costs.flatMap((c) => (c.note === undefined ? [] : [c.note])))];
  return notes.length === 0 ? cost(algorithm, lock, rewrite) : cost(algorithm, lock, rewrite, notes.join('; '));
}

/** The algorithm clause for the ALTER (`ALGORITHM=INSTANT`, `ALGORITHM=NOCOPY, LOCK=NONE`). */
export function algorithmClause(alter: MysqlAlterCost): string {
  return alter.algorithm === 'INSTANT' ? 'ALGORITHM=INSTANT' : `ALGORITHM=${alter.algorithm}, LOCK=${alter.lock}`;
}

/** The lock facts of an ALTER's algorithm and lock, as reports show them. */
export function impactOfAlterCost(alter: MysqlAlterCost, dialect: Exclude<Dialect, 'postgres'>): LockImpact {
  const label = alter.note === 'new table' ? 'none' : alter.note === 'metadata only' ? 'metadata lock' : alter.algorithm === 'INSTANT' ? 'INSTANT' : `${alter.algorithm}, LOCK=${alter.lock}`;
  const blocksWrites = alter.lock !== 'NONE';
  const note = dialect === 'mysql' && alter.algorithm === 'NOCOPY' ? undefined : alter.note;
  return {
    lock: label,
    blocksWrites,
    blocksReads: alter.lock === 'EXCLUSIVE',
    rewrite: alter.rewrite,
    blocking: blocksWrites && alter.rewrite !== 'none',
    ...(note === undefined || note === 'new table' || note === 'metadata only' ? {} : { note }),
  };
}

/**
 * The statement with an explicit algorithm and lock, so the server refuses instead of silently falling back to a
 * slower algorithm: `, ALGORITHM=…, LOCK=…` after an ALTER TABLE's clauses, ` ALGORITHM=… LOCK=…` after CREATE
 * INDEX, and DROP INDEX as an ALTER TABLE. Other statements (CREATE TABLE, RENAME TABLE) take no algorithm and are returned as they are.
 */
export function withAlgorithm(statement: string, algorithm: MysqlAlgorithm, lock: MysqlLockMode): string {
  if (/^\s*ALTER\s+TABLE\s/i.test(statement)) return `${statement}, ALGORITHM=${algorithm}, LOCK=${lock}`;
  if (/^\s*CREATE\s+(?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX\s/i.test(statement)) return `${statement} ALGORITHM=${algorithm} LOCK=${lock}`;
  // MariaDB's DROP INDEX takes no algorithm clause; the same drop as an ALTER TABLE does.
  const drop = /^\s*DROP\s+INDEX\s+(`(?:[^`]|``)+`)\s+ON\s+([\s\S]+)$/i.exec(statement);
  if (drop !== null) return `ALTER TABLE ${drop[2]!.trim()} DROP INDEX ${drop[1]}, ALGORITHM=${algorithm}, LOCK=${lock}`;
  return statement;
}
