import type { DatabaseClient } from '../../connect/client';
import {
  canonicalMysqlExpression,
  canonicalMysqlNumber,
  isMysqlNumber,
  parseMysqlDefault,
  mysqlIntegerDisplay,
  parseMysqlType,
  quoteMysqlIdentifier,
} from '../../dialect/mysql/types';
import type {
  CheckConstraint,
  Column,
  ColumnDefault,
  ColumnType,
  ComputedColumn,
  Dialect,
  ForeignKey,
  ForeignKeyAction,
  Index,
  IndexKeyOptions,
  PrimaryKey,
  Schema,
  Table,
  TableSize,
  View,
} from '../../model/schema';
import { tableKey } from '../../model/schema';
import { ormRecordsFromRows, withRecordedDefinitions, type OrmRecordRow } from '../orm-records';
import { statedAgainstDefaults } from '../../dialect/mysql/database-collation';
import { SchemaSyncError, messageOf } from '../../util/errors';
import { CHECKS_MARIADB, CHECKS_MARIADB_WITHOUT_LEVEL, CHECKS_MYSQL, COLUMNS, CURRENT_DATABASE, FOREIGN_KEY_COLUMNS, FOREIGN_KEY_RULES, INDEXES, TABLES, VIEWS, ormRecordsQuery, type CatalogQuery } from './queries';

/** The two dialects this introspector reads. */
export type MysqlDialect = Extract<Dialect, 'mysql' | 'mariadb'>;

/** A row of the TABLES query (aliased, so the same keys on MySQL 8 and MariaDB). */
export type MysqlTableRow = {
  /** The database that holds the table; absent in rows from older callers (the database being read). */
  readonly table_schema?: string;
  readonly table_name: string;
  readonly table_comment: string | null;
  readonly table_collation: string | null;
  /** InnoDB's row estimate; absent in rows from older callers. */
  readonly table_rows?: number | string | null;
  /** DATA_LENGTH + INDEX_LENGTH. */
  readonly total_bytes?: number | string | null;
};

/** A row of the COLUMNS query. */
export type MysqlColumnRow = {
  /** The database that holds the table; absent in rows from older callers (the database being read). */
  readonly table_schema?: string;
  readonly table_name: string;
  readonly column_name: string;
  readonly ordinal_position: number;
  readonly column_type: string;
  readonly is_nullable: string;
  readonly column_default: string | null;
  readonly extra: string;
  /** A generated column's expression; empty or null on any other column. */
  readonly generation_expression?: string | null;
  readonly column_comment: string | null;
  readonly character_set_name: string | null;
  readonly collation_name: string | null;
  /** The default collation of the column's character set; null when it has none. */
  readonly charset_default_collation: string | null;
};

/** A row of the STATISTICS query: one column of one index. */
export type MysqlIndexRow = {
  /** The database that holds the table; absent in rows from older callers (the database being read). */
  readonly table_schema?: string;
  readonly table_name: string;
  readonly index_name: string;
  /** 0 or 1; some servers and drivers return it as a string. */
  readonly non_unique: number | string;
  readonly seq_in_index: number;
  /** Null for a MySQL 8 functional key part. */
  readonly column_name: string | null;
  readonly index_type: string;
  /** Prefix length in characters; null for the whole column. Absent in rows from older callers. */
  readonly sub_part?: number | string | null;
  /** 'A' ascending, 'D' descending, null for FULLTEXT and SPATIAL. */
  readonly collation?: string | null;
};

/** A row of the foreign key query: one column of one foreign key. */
export type MysqlForeignKeyRow = {
  /** The database that holds the table; absent in rows from older callers (the database being read). */
  readonly table_schema?: string;
  readonly table_name: string;
  readonly constraint_name: string;
  readonly column_name: string;
  readonly ordinal_position: number;
  readonly referenced_table_schema: string | null;
  readonly referenced_table_name: string;
  readonly referenced_column_name: string;
  readonly update_rule: string;
  readonly delete_rule: string;
};

/** A row of the foreign key column query, before the referential actions are joined in. */
export type MysqlForeignKeyColumnRow = Omit<MysqlForeignKeyRow, 'update_rule' | 'delete_rule'>;

/** A row of the referential actions query: one foreign key. */
export type MysqlForeignKeyRuleRow = Pick<MysqlForeignKeyRow, 'table_schema' | 'table_name' | 'constraint_name' | 'update_rule' | 'delete_rule'>;

/** A row of the CHECK constraint query. */
export type MysqlCheckRow = {
  /** The database that holds the table; absent in rows from older callers (the database being read). */
  readonly table_schema?: string;
  readonly table_name: string;
  readonly constraint_name: string;
  readonly check_clause: string;
  /** MariaDB 10.5.10+: 'Column' for a check written on a column (as JSON's automatic json_valid()), 'Table' otherwise. */
  readonly level?: string | null;
};

/** Everything the catalog queries return, as plain rows: the input of the pure Schema builder. */
export interface MysqlCatalogRows {
  readonly tables: readonly MysqlTableRow[];
  readonly columns: readonly MysqlColumnRow[];
  readonly indexes: readonly MysqlIndexRow[];
  readonly foreignKeys: readonly MysqlForeignKeyRow[];
  readonly checks: readonly MysqlCheckRow[];
}

/** The tool's own bookkeeping tables: never part of the user's schema. */
export const MYSQL_TOOL_TABLES: ReadonlySet<string> = new Set(['schema_sync_history', 'schema_sync_lock']);

/** Options for {@link introspectMysql}. */
export interface IntrospectMysqlOptions {
  /** Database to read; defaults to the connection's current database (`SELECT DATABASE()`). */
  readonly database?: string;
  /** The ORM's metadata table, whose rows are read when it exists. */
  readonly ormMetadataTable?: string;
  /**
   * Other databases of the server whose tables the models name (`@Entity({ database })`): read in the same queries,
   * their tables and views qualified by database name.
   */
  readonly otherDatabases?: readonly string[];
}

/** A row of the VIEWS query. */
type MysqlViewRow = { readonly table_schema?: string; readonly view_name: string; readonly definition: string | null };

/**
 * Reads a MySQL or MariaDB database into the neutral Schema with a fixed number of catalog queries (at most seven:
 * the current database when not given, then tables, columns, indexes, foreign key columns, their actions and checks),
 * whatever its size.
 */
export async function introspectMysql(client: DatabaseClient, options: IntrospectMysqlOptions = {}): Promise<Schema> {
  const dialect = client.dialect;
  if (dialect === 'postgres') {
    throw new SchemaSyncError('UNSUPPORTED', `The MySQL introspector cannot read ${client.target}: it is a PostgreSQL database`);
  }
  const database = options.database ?? (await currentDatabase(client));
  const databases = [...new Set([database, ...(options.otherDatabases ?? [])])];
  const params = [databases];
  const tables = await run<MysqlTableRow>(client, TABLES, params);
  const columns = await run<MysqlColumnRow>(client, COLUMNS, params);
  const indexes = await run<MysqlIndexRow>(client, INDEXES, params);
  const foreignKeyColumns = await run<MysqlForeignKeyColumnRow>(client, FOREIGN_KEY_COLUMNS, params);
  const foreignKeyRules = await run<MysqlForeignKeyRuleRow>(client, FOREIGN_KEY_RULES, params);
  const foreignKeys = joinForeignKeyRules(foreignKeyColumns, foreignKeyRules);
  const checks = await readChecks(client, dialect, databases);
  const schema = buildMysqlSchema(dialect, { tables, columns, indexes, foreignKeys, checks }, database);
  const views = (await run<MysqlViewRow>(client, VIEWS, params)).map((row) => toView(row, database));
  const withViews: Schema = views.length === 0 ? schema : { ...schema, views };
  const metadataTable = options.ormMetadataTable;
  if (metadataTable === undefined || !schema.tables.some((table) => table.schema === null && table.name === metadataTable)) return withViews;
  const rows = await run<OrmRecordRow>(client, ormRecordsQuery(quoteMysqlIdentifier(metadataTable)), []);
  // The table lives in this database with its views and tables: a row is matched by name, whatever database it names
  // (a copy of the database under another name, as verification makes, keeps rows naming the original).
  return withRecordedDefinitions(withViews, metadataTable, ormRecordsFromRows(rows), () => null);
}

/**
 * A view as the server has it. What it reads is found in its definition, where the server writes every table and
 * view it names as `database`.`name` (a column as `database`.`name`.`column`); those of its own database are what it
 * reads.
 */
function toView(row: MysqlViewRow, database: string): View {
  const definition = text(row.definition) ?? '';
  const own = text(row.table_schema) ?? database;
  const prefix = `${quoteMysqlIdentifier(own)}.`;
  const reads = new Set<string>();
  for (let at = definition.indexOf(prefix); at >= 0; at = definition.indexOf(prefix, at + 1)) {
    const name = /^`((?:[^`]|``)*)`/.exec(definition.slice(at + prefix.length));
    if (name !== null) reads.add(name[1]!.replace(/``/g, '`'));
  }
  // Without its own database's name the definition can be run in another database (the verification copy).
  const portable = definition.split(prefix).join('').trim();
  return { schema: own === database ? null : own, name: row.view_name, materialized: false, query: portable, recorded: false, reads: [...reads].filter((read) => read !== row.view_name).sort() };
}

/**
 * Gives each foreign key column the actions of its constraint. A column whose constraint has no rules row (dropped
 * between the two reads) is left out, as the SQL join would have.
 */
export function joinForeignKeyRules(
  columns: readonly MysqlForeignKeyColumnRow[],
  rules: readonly MysqlForeignKeyRuleRow[],
): MysqlForeignKeyRow[] {
  // Constraint names are unique per table, not per schema; NUL cannot occur in any name.
  const key = (row: { table_schema?: string; table_name: string; constraint_name: string }) =>
    `${text(row.table_schema) ?? ''}\u0000${text(row.table_name)}\u0000${text(row.constraint_name)}`;
  const rulesByKey = new Map(rules.map((rule) => [key(rule), rule]));
  const joined: MysqlForeignKeyRow[] = [];
  for (const column of columns) {
    const rule = rulesByKey.get(key(column));
    if (rule !== undefined) joined.push({ ...column, update_rule: rule.update_rule, delete_rule: rule.delete_rule });
  }
  return joined;
}

async function currentDatabase(client: DatabaseClient): Promise<string> {
  const rows = await run<{ name: string | null }>(client, CURRENT_DATABASE, []);
  const name = text(rows[0]?.name);
  if (name === null || name === '') {
    throw new SchemaSyncError('INTROSPECTION_FAILED', `No database selected on ${client.target}: put one in the URL or pass it explicitly`);
  }
  return name;
}

async function run<T extends Record<string, unknown>>(client: DatabaseClient, query: CatalogQuery, params: readonly unknown[]): Promise<T[]> {
  try {
    return await client.query<T>(query.sql, params);
  } catch (error) {
    throw new SchemaSyncError('INTROSPECTION_FAILED', `Catalog query ${query.name} failed on ${client.target}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/** Server error numbers for "no such information_schema view" (MySQL before 8.0.16, MariaDB before 10.2). */
const MISSING_VIEW_ERRNOS: ReadonlySet<number> = new Set([1109, 1146]);

/** ER_BAD_FIELD_ERROR: here, a MariaDB before 10.5.10 whose CHECK_CONSTRAINTS has no LEVEL column. */
const UNKNOWN_COLUMN_ERRNO = 1054;

async function readChecks(client: DatabaseClient, dialect: MysqlDialect, databases: readonly string[], query = dialect === 'mariadb' ? CHECKS_MARIADB : CHECKS_MYSQL): Promise<MysqlCheckRow[]> {
  const params = dialect === 'mariadb' ? [databases] : [databases, databases];
  try {
    return await client.query<MysqlCheckRow>(query.sql, params);
  } catch (error) {
    // A server too old for CHECK_CONSTRAINTS also ignores CHECK clauses, so "no view" honestly means "no checks".
    const errno = (error as { errno?: unknown }).errno;
    if (typeof errno === 'number' && MISSING_VIEW_ERRNOS.has(errno)) return [];
    if (errno === UNKNOWN_COLUMN_ERRNO && query === CHECKS_MARIADB) return readChecks(client, dialect, databases, CHECKS_MARIADB_WITHOUT_LEVEL);
    throw new SchemaSyncError('INTROSPECTION_FAILED', `Catalog query ${query.name} failed on ${client.target}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/**
 * Builds the Schema from the catalog rows, absorbing the differences between MariaDB and MySQL 8 so the same DDL gives
 * the same Schema on both: quoted vs bare literal defaults, JSON as LONGTEXT + json_valid() on MariaDB, display widths.
 */
export function buildMysqlSchema(dialect: MysqlDialect, rows: MysqlCatalogRows, database: string): Schema {
  const schemaOf = (row: { table_schema?: string }): string | null => {
    const schema = text(row.table_schema);
    return schema === null || schema === database ? null : schema;
  };
  const keyOf = (row: { table_schema?: string; table_name: string }) => tableKey({ schema: schemaOf(row), name: row.table_name });
  const tableRows = rows.tables.filter((row) => schemaOf(row) !== null || !MYSQL_TOOL_TABLES.has(row.table_name));
  const columnsByTable = groupBy(rows.columns, keyOf);
  const indexesByTable = groupBy(rows.indexes, keyOf);
  const foreignKeysByTable = groupBy(rows.foreignKeys, keyOf);
  const checksByTable = groupBy(rows.checks, keyOf);
  const tables = tableRows.map((row) =>
    buildTable(dialect, database, schemaOf(row), row, {
      columns: columnsByTable.get(keyOf(row)) ?? [],
      indexes: indexesByTable.get(keyOf(row)) ?? [],
      foreignKeys: foreignKeysByTable.get(keyOf(row)) ?? [],
      checks: checksByTable.get(keyOf(row)) ?? [],
    }),
  );
  const tableSizes = sizesOf(tableRows, keyOf);
  const sorted = [...tables].sort((a, b) => compareCodeUnits(a.schema ?? '', b.schema ?? '') || compareCodeUnits(a.name, b.name));
  return { dialect, tables: sorted, enums: [], ...(Object.keys(tableSizes).length === 0 ? {} : { tableSizes }) };
}

/** Each table's size, keyed by tableKey (a table of another database by `database.name`). */
function sizesOf(tableRows: readonly MysqlTableRow[], keyOf: (row: MysqlTableRow) => string): Record<string, TableSize> {
  const sizes: Record<string, TableSize> = {};
  for (const row of tableRows) {
    if (row.total_bytes === undefined) continue;
    sizes[keyOf(row)] = { rowsEstimate: row.table_rows == null ? null : Number(row.table_rows), bytes: Number(row.total_bytes ?? 0) };
  }
  return sizes;
}

interface TableRows {
  readonly columns: readonly MysqlColumnRow[];
  readonly indexes: readonly MysqlIndexRow[];
  readonly foreignKeys: readonly MysqlForeignKeyRow[];
  readonly checks: readonly MysqlCheckRow[];
}

function buildTable(dialect: MysqlDialect, database: string, schema: string | null, row: MysqlTableRow, rows: TableRows): Table {
  const tableCollation = text(row.table_collation);
  const tableCharset = tableCollation === null ? null : charsetOfCollation(tableCollation);
  const columnRows = [...rows.columns].sort((a, b) => Number(a.ordinal_position) - Number(b.ordinal_position));

  // MariaDB stores JSON as LONGTEXT guarded by an automatic column-level CHECK (json_valid(`col`)), named after the
  // column when created; RENAME COLUMN keeps that name but rewrites the clause, so the level and clause decide.
  // Without LEVEL (before MariaDB 10.5.10) only the name can tell it from a table-level check a user wrote.
  const jsonChecks = new Set<MysqlCheckRow>();
  const jsonColumns = new Set<string>();
  for (const column of columnRows) {
    const type = parseMysqlType(text(column.column_type) ?? '');
    if (type.kind !== 'text' || type.size !== 'long' || type.binary) continue;
    const expected = `json_valid(${quoteMysqlIdentifier(column.column_name)})`;
    const automatic = rows.checks.find(
      (check) =>
        (check.level === undefined || check.level === null ? check.constraint_name === column.column_name : check.level === 'Column') &&
        checkExpression(dialect, check.check_clause) === expected,
    );
    if (automatic) {
      jsonChecks.add(automatic);
      jsonColumns.add(column.column_name);
    }
  }

  const columns = columnRows.map((column) =>
    buildColumn(dialect, column, jsonColumns.has(column.column_name), tableCharset, tableCollation),
  );
  const foreignKeys = buildForeignKeys(database, rows.foreignKeys);
  const { primaryKey, indexes } = buildIndexes(rows.indexes, new Set(foreignKeys.map((fk) => fk.name)), automaticPrefixLengths(columnRows));
  const checks: CheckConstraint[] = rows.checks
    .filter((check) => !jsonChecks.has(check))
    .map((check) => ({ name: check.constraint_name, expression: checkExpression(dialect, check.check_clause) }));
  const comment = text(row.table_comment);
  return {
    schema,
    name: row.table_name,
    columns,
    primaryKey,
    indexes: sortByName(indexes),
    uniques: [],
    foreignKeys: sortByName(foreignKeys),
    checks: sortByName(checks),
    comment: comment === null || comment === '' ? null : comment,
  };
}

function buildColumn(
  dialect: MysqlDialect,
  row: MysqlColumnRow,
  json: boolean,
  tableCharset: string | null,
  tableCollation: string | null,
): Column {
  const type: ColumnType = json ? { kind: 'json', binary: false } : parseMysqlType(text(row.column_type) ?? '');
  const extra = text(row.extra) ?? '';
  const comment = text(row.column_comment);
  // JSON has no collation of its own in the model; MariaDB's LONGTEXT stand-in reports utf8mb4_bin regardless.
  const charset = type.kind === 'json' ? null : text(row.character_set_name);
  const collation = type.kind === 'json' ? null : text(row.collation_name);
  const computed = computedOf(dialect, row, extra);
  const display = mysqlIntegerDisplay(text(row.column_type) ?? '');
  if (computed !== null) {
    return { name: row.column_name, type, nullable: true, default: null, generation: null, onUpdate: null, comment: comment === null || comment === '' ? null : comment, ...asStated(charset, collation, text(row.charset_default_collation), tableCharset, tableCollation), computed };
  }
  return {
    name: row.column_name,
    type,
    nullable: text(row.is_nullable)?.toUpperCase() === 'YES',
    default: dialect === 'mysql' ? mysql8Default(text(row.column_default), extra, type) : parseMysqlDefault(text(row.column_default)),
    generation: /\bauto_increment\b/i.test(extra) ? 'increment' : null,
    onUpdate: onUpdateOf(extra),
    comment: comment === null || comment === '' ? null : comment,
    ...asStated(charset, collation, text(row.charset_default_collation), tableCharset, tableCollation),
    ...(display === undefined ? {} : { display }),
  };
}

/**
 * A column's character set and collation as the model states them (see Column): the set alone when the collation is
 * that set's default (what `CHARACTER SET x` alone gives), else the collation alone, which names its set; and nothing
 * when that is what the table gives. A column of the table's set has the table set's default collation in its row.
 */
function asStated(
  charset: string | null,
  collation: string | null,
  charsetDefaultCollation: string | null,
  tableCharset: string | null,
  tableCollation: string | null,
): Pick<Column, 'charset' | 'collation'> {
  const stated = collation === charsetDefaultCollation ? { charset, collation: null } : { charset: null, collation };
  const table = tableCharset === null || tableCollation === null ? null : { charset: tableCharset, collation: tableCollation, charsetDefaultCollation };
  return statedAgainstDefaults(stated.charset, stated.collation, table);
}

const CURRENT_TIMESTAMP_TEXT = /^current_timestamp(\(\d*\))?$/i;
const BIT_LITERAL = /^b'[01]*'$/i;

/**
 * MySQL 8 prints literal defaults unquoted (`abc`, `it's`) and flags expression defaults with DEFAULT_GENERATED in
 * EXTRA, printing their string literals escaped one extra time (`_utf8mb4\'x\'`). A value without the flag is a literal
 * even when it looks like an expression (`now()` stored as text).
 */
function mysql8Default(value: string | null, extra: string, type: ColumnType): ColumnDefault | null {
  if (value === null) return null;
  if (/\bDEFAULT_GENERATED\b/i.test(extra)) return parseMysqlDefault(unescapeOnce(value));
  // Before 8.0.13 CURRENT_TIMESTAMP carried no flag; a temporal column cannot hold that text as a literal anyway.
  if (type.kind === 'temporal' && CURRENT_TIMESTAMP_TEXT.test(value.trim())) return parseMysqlDefault(value);
  if (type.kind === 'raw' && BIT_LITERAL.test(value.trim())) return parseMysqlDefault(value);
  const numeric = type.kind === 'integer' || type.kind === 'decimal' || type.kind === 'float' || type.kind === 'boolean';
  if (numeric && isMysqlNumber(value)) return { kind: 'literal', value: canonicalMysqlNumber(value) };
  return { kind: 'literal', value };
}

/** A generated column: EXTRA says `VIRTUAL GENERATED` or `STORED GENERATED`; MySQL 8 escapes the expression once more. */
function computedOf(dialect: MysqlDialect, row: MysqlColumnRow, extra: string): ComputedColumn | null {
  const kind = /\b(VIRTUAL|STORED) GENERATED\b/i.exec(extra)?.[1];
  const expression = text(row.generation_expression ?? null);
  if (kind === undefined || expression === null || expression === '') return null;
  return { expression: dialect === 'mysql' ? unescapeOnce(expression) : expression, stored: kind.toUpperCase() === 'STORED' };
}

/** EXTRA's `on update current_timestamp(6)` (MariaDB) or `DEFAULT_GENERATED on update CURRENT_TIMESTAMP(6)` (MySQL 8). */
function onUpdateOf(extra: string): string | null {
  const match = /\bon update (.+)$/i.exec(extra.trim());
  if (match === null) return null;
  const parsed = parseMysqlDefault(match[1] as string);
  return parsed === null ? null : parsed.kind === 'expression' ? parsed.sql : parsed.value;
}

/** Undoes the extra level of backslash escaping MySQL 8 applies to CHECK_CLAUSE and generated defaults. */
function unescapeOnce(value: string): string {
  return value.replace(/\\(.)/gs, '$1');
}

function checkExpression(dialect: MysqlDialect, clause: string): string {
  const raw = text(clause) ?? '';
  return canonicalMysqlExpression(dialect === 'mysql' ? unescapeOnce(raw) : raw);
}

/** Bytes per character of the character sets MariaDB offers, for the longest key it allows. */
const CHARSET_MAX_BYTES: Readonly<Record<string, number>> = { utf8mb4: 4, utf8mb3: 3, utf8: 3, utf16: 4, utf16le: 4, utf32: 4, ucs2: 2, latin1: 1, ascii: 1, binary: 1, latin2: 1, cp1250: 1, cp1251: 1, cp1252: 1 };

/** InnoDB's longest index key with the DYNAMIC row format (the default since MariaDB 10.2 and MySQL 5.7). */
const MAX_KEY_BYTES = 3072;

/**
 * The prefix MariaDB gives a TEXT or BLOB column indexed whole (`CREATE INDEX … (body)`, as TypeORM writes for
 * `@Index() @Column('text')`): it silently keeps the longest prefix a key can hold, 768 characters in utf8mb4, and
 * reports that length. It stands for the whole column, as the model says; MySQL refuses such an index instead.
 */
function automaticPrefixLengths(columns: readonly MysqlColumnRow[]): ReadonlyMap<string, number> {
  const lengths = new Map<string, number>();
  for (const column of columns) {
    const type = parseMysqlType(text(column.column_type) ?? '');
    if (type.kind !== 'text') continue;
    const bytesPerCharacter = type.binary ? 1 : CHARSET_MAX_BYTES[text(column.character_set_name) ?? ''];
    if (bytesPerCharacter !== undefined) lengths.set(column.column_name, Math.floor(MAX_KEY_BYTES / bytesPerCharacter));
  }
  return lengths;
}

function buildIndexes(
  rows: readonly MysqlIndexRow[],
  foreignKeyNames: ReadonlySet<string>,
  automaticPrefixes: ReadonlyMap<string, number>,
): { primaryKey: PrimaryKey | null; indexes: Index[] } {
  let primaryKey: PrimaryKey | null = null;
  const indexes: Index[] = [];
  for (const [name, parts] of groupBy(rows, (row) => row.index_name)) {
    const ordered = [...parts].sort((a, b) => Number(a.seq_in_index) - Number(b.seq_in_index));
    const columns = ordered.map((part) => text(part.column_name));
    if (name === 'PRIMARY') {
      primaryKey = { name, columns: columns.filter((column): column is string => column !== null) };
      continue;
    }
    // MySQL creates an index named after a foreign key that has none to use (TypeORM skips it too): not the user's index.
    if (foreignKeyNames.has(name)) continue;
    // A MySQL 8 functional key part has no column name; the model cannot express it, so it is left out.
    if (columns.some((column) => column === null)) continue;
    const first = ordered[0]!;
    const indexType = (text(first.index_type) ?? '').toUpperCase();
    const keys = ordered.map((part): IndexKeyOptions => ({
      opclass: null,
      descending: text(part.collation)?.toUpperCase() === 'D',
      nulls: null,
      // MariaDB reports 32 (the bytes of a bounding box) as the part of a SPATIAL key; such a key takes no prefix.
      length: indexType === 'SPATIAL' ? null : prefixLength(part, automaticPrefixes),
    }));
    indexes.push({
      name,
      columns: columns as string[],
      unique: Number(first.non_unique) === 0,
      where: null,
      method: indexType === 'FULLTEXT' ? 'fulltext' : indexType === 'SPATIAL' ? 'spatial' : null,
      ...(keys.some((key) => key.descending || key.length !== null) ? { keys } : {}),
    });
  }
  return { primaryKey, indexes };
}

function prefixLength(part: MysqlIndexRow, automaticPrefixes: ReadonlyMap<string, number>): number | null {
  if (part.sub_part === null || part.sub_part === undefined) return null;
  const length = Number(part.sub_part);
  return automaticPrefixes.get(text(part.column_name) ?? '') === length ? null : length;
}

function buildForeignKeys(database: string, rows: readonly MysqlForeignKeyRow[]): ForeignKey[] {
  return [...groupBy(rows, (row) => row.constraint_name)].map(([name, parts]) => {
    const ordered = [...parts].sort((a, b) => Number(a.ordinal_position) - Number(b.ordinal_position));
    const first = ordered[0]!;
    const schema = text(first.referenced_table_schema);
    return {
      name,
      columns: ordered.map((part) => part.column_name),
      referencedSchema: schema === null || schema === database ? null : schema,
      referencedTable: first.referenced_table_name,
      referencedColumns: ordered.map((part) => part.referenced_column_name),
      onDelete: foreignKeyAction(first.delete_rule, name),
      onUpdate: foreignKeyAction(first.update_rule, name),
    };
  });
}

const ACTIONS: ReadonlySet<string> = new Set<ForeignKeyAction>(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']);

function foreignKeyAction(rule: string, constraint: string): ForeignKeyAction {
  const action = (text(rule) ?? '').toUpperCase();
  if (!ACTIONS.has(action)) {
    throw new SchemaSyncError('INTROSPECTION_FAILED', `Foreign key ${constraint} has an unknown referential action "${rule}"`);
  }
  return action as ForeignKeyAction;
}

/** The character set a collation belongs to: its name up to the first underscore (`utf8mb4_unicode_ci`, `binary`). */
function charsetOfCollation(collation: string): string {
  const underscore = collation.indexOf('_');
  return underscore < 0 ? collation : collation.slice(0, underscore);
}

/** A catalog value as text: MySQL 8 returns some information_schema columns as binary buffers. */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** Sorts by name with plain code-unit order, so the result does not depend on the server's collation or the locale. */
function sortByName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareCodeUnits(a.name, b.name));
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
