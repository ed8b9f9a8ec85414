import type { DatabaseClient, Row } from '../../connect/client';
import { canonicalPostgresExpression, postgresTypes } from '../../dialect/postgres/types';
import type {
  CheckConstraint,
  Column,
  ColumnDefault,
  ColumnGeneration,
  ColumnType,
  Deferrable,
  EnumType,
  ExclusionConstraint,
  ForeignKey,
  ForeignKeyAction,
  Index,
  IndexKeyOptions,
  PrimaryKey,
  Schema,
  Table,
  TableSize,
  UniqueConstraint,
  View,
} from '../../model/schema';
import { quotePostgresIdentifier, quotePostgresTable } from '../../dialect/postgres/quote';
import { ormRecordsFromRows, withRecordedDefinitions } from '../orm-records';
import { SchemaSyncError, messageOf } from '../../util/errors';
import { COLUMNS_QUERY, CONSTRAINTS_QUERY, ENUMS_QUERY, INDEXES_QUERY, TABLES_QUERY, VIEWS_QUERY, CURRENT_DATABASE_QUERY, MATERIALIZED_VIEW_INDEXES_QUERY, ormRecordsQuery } from './queries';

/** Options for reading a PostgreSQL (or PGlite) database. */
export interface IntrospectPostgresOptions {
  /** Schemas to read; `public` when absent. Tables in `public` get a null schema in the model. */
  readonly schemas?: readonly string[];
  /** The ORM's metadata table in the default schema, whose rows are read when it exists. */
  readonly ormMetadataTable?: string;
  /** The schema of that table when not `public`. */
  readonly ormMetadataSchema?: string;
}

interface ViewIndexRow extends Row {
  schema: string;
  view: string;
  name: string;
  is_unique: boolean;
  method: string;
  columns: string[];
  predicate: string | null;
}

interface ViewRow extends Row {
  schema: string;
  name: string;
  materialized: boolean;
  definition: string | null;
  read_schemas: string[];
  read_names: string[];
}

/** PostgreSQL's default schema: objects in it are reported with a null schema, as the model expects. */
const DEFAULT_SCHEMA = 'public';

interface TableRow extends Row {
  oid: string;
  schema: string;
  name: string;
  /** pg_description.objsubid of each comment: 0 for the table, the attnum for a column. */
  comment_positions: number[];
  comments: string[];
  /** pg_class.reltuples: -1 before the table was first analysed (PostgreSQL 14+), 0 on older servers. */
  rows_estimate: number;
  total_bytes: number;
}

interface ColumnRow extends Row {
  table_oid: string;
  position: number;
  name: string;
  type: string;
  enum_oid: string | null;
  is_array: boolean;
  default_sql: string | null;
  identity: string;
  generated: string;
  not_null: boolean;
  collation: string | null;
}

interface ConstraintRow extends Row {
  table_oid: string;
  name: string;
  type: string;
  column_numbers: number[];
  /** '0' for anything but a foreign key. */
  referenced_oid: string;
  referenced_schema: string | null;
  referenced_table: string | null;
  referenced_column_numbers: number[] | null;
  /** Only for a foreign key to a table outside the introspected ones, whose columns nothing else reads. */
  referenced_column_names: string[] | null;
  on_delete: string;
  on_update: string;
  check_sql: string | null;
  /** `EXCLUDE USING gist (…)` for an exclusion constraint. */
  exclusion_sql?: string | null;
  deferrable: boolean;
  deferred: boolean;
}

interface IndexRow extends Row {
  table_oid: string;
  name: string;
  is_unique: boolean;
  method: string;
  /** Attnums of the key columns; 0 for an expression. */
  key_numbers: number[];
  /** Attnums of the INCLUDE columns, null when there are none. */
  include_numbers: number[] | null;
  /** pg_index.indoption per key: bit 1 DESC, bit 2 NULLS FIRST. */
  key_options: number[];
  /** Operator class per key, '' where it is the default one. */
  opclasses: string[];
  /** Storage parameters as `name=value`, null when none. */
  parameters: string[] | null;
  /** Every key's definition, only for an index with an expression key. */
  key_definitions: string[] | null;
  predicate: string | null;
}

interface EnumRow extends Row {
  oid: string;
  schema: string;
  name: string;
  labels: string[];
  listed: boolean;
}

/** pg_constraint.confdeltype / confupdtype codes. */
const ACTIONS: Readonly<Record<string, ForeignKeyAction>> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/** pg_attribute.attidentity codes; '' is an ordinary column. */
const IDENTITIES: Readonly<Record<string, ColumnGeneration>> = {
  a: 'identity-always',
  d: 'identity-by-default',
};

/** What a serial column's default looks like: the sequence it owns, cast to regclass. */
const SERIAL_DEFAULT = /^nextval\('(?:[^']|'')+'::regclass\)$/i;

/**
 * Reads the tables, columns, keys, indexes, enum types and views of the given schemas into the neutral model, in a
 * fixed number of catalog queries (six; one more for materialized views' indexes, one for the ORM's metadata rows)
 * whatever the number of tables.
 */
export async function introspectPostgres(client: DatabaseClient, options: IntrospectPostgresOptions = {}): Promise<Schema> {
  if (client.dialect !== 'postgres') {
    throw new SchemaSyncError('UNSUPPORTED', `The PostgreSQL introspector cannot read a ${client.dialect} database (${client.target})`);
  }
  const schemas = [...(options.schemas ?? [DEFAULT_SCHEMA])];
  const run = async <T extends Row>(name: string, sql: string, params: readonly unknown[] = [schemas]): Promise<T[]> => {
    try {
      return await client.query<T>(sql, params);
    } catch (error) {
      throw new SchemaSyncError('INTROSPECTION_FAILED', `PostgreSQL catalog query ${name} failed on ${client.target}: ${messageOf(error)}`, {
        cause: error,
      });
    }
  };
  // One client runs one statement at a time (pg and PGlite both queue), so this only saves the awaits in between.
  const [tables, columns, constraints, indexes, enums, viewRows] = await Promise.all([
    run<TableRow>('TABLES_QUERY', TABLES_QUERY),
    run<ColumnRow>('COLUMNS_QUERY', COLUMNS_QUERY),
    run<ConstraintRow>('CONSTRAINTS_QUERY', CONSTRAINTS_QUERY),
    run<IndexRow>('INDEXES_QUERY', INDEXES_QUERY),
    run<EnumRow>('ENUMS_QUERY', ENUMS_QUERY),
    run<ViewRow>('VIEWS_QUERY', VIEWS_QUERY),
  ]);

  const enumsByOid = new Map(enums.map((row) => [row.oid, row]));
  // Real schemas repeat a handful of types and defaults thousands of times; parse each spelling once.
  const parse: Parsers = { type: memoize(postgresTypes.parseType), default: memoize(postgresTypes.parseDefault) };
  const columnsByTable = groupBy(columns, (row) => row.table_oid);
  const constraintsByTable = groupBy(constraints, (row) => row.table_oid);
  const indexesByTable = groupBy(indexes, (row) => row.table_oid);
  const names = columnNamer(columnsByTable);

  const model: Table[] = tables.map((table) => {
    const own = constraintsByTable.get(table.oid) ?? [];
    const keyOf = (row: ConstraintRow): string[] => names(table.oid, row.column_numbers, row.name);
    const primary = own.find((row) => row.type === 'p');
    const primaryKey: PrimaryKey | null = primary === undefined ? null : { name: primary.name, columns: keyOf(primary) };
    const comments = commentsOf(table);
    return {
      schema: schemaOrNull(table.schema),
      name: table.name,
      columns: (columnsByTable.get(table.oid) ?? [])
        .sort((a, b) => a.position - b.position)
        .map((row) => toColumn(row, comments.get(row.position) ?? null, enumsByOid, parse)),
      primaryKey,
      indexes: (indexesByTable.get(table.oid) ?? []).map((row) => toIndex(row, names)).sort(byName),
      uniques: own
        .filter((row) => row.type === 'u')
        .map((row): UniqueConstraint => ({ name: row.name, columns: keyOf(row), ...deferrableOf(row) }))
        .sort(byName),
      foreignKeys: own.filter((row) => row.type === 'f').map((row) => toForeignKey(row, keyOf(row), names)).sort(byName),
      checks: own
        .filter((row) => row.type === 'c')
        .map((row): CheckConstraint => ({ name: row.name, expression: canonicalPostgresExpression(row.check_sql ?? '') }))
        .sort(byName),
      ...exclusionsOf(own),
      comment: comments.get(0) ?? null,
    };
  });

  const enumTypes: EnumType[] = enums
    .filter((row) => row.listed)
    .map((row) => ({ schema: schemaOrNull(row.schema), name: row.name, values: [...row.labels] }))
    .sort(bySchemaAndName);

  // Only materialized views have indexes: a schema without one is read without the query.
  const viewIndexRows = viewRows.some((row) => row.materialized) ? await run<ViewIndexRow>('MATERIALIZED_VIEW_INDEXES_QUERY', MATERIALIZED_VIEW_INDEXES_QUERY) : [];
  const viewIndexes = groupBy(viewIndexRows, (row) => `${row.schema}\u0000${row.view}`);
  const views = viewRows.map((row) => withIndexes(toView(row), viewIndexes.get(`${row.schema}\u0000${row.name}`) ?? []));
  const schema: Schema = { dialect: 'postgres', tables: model.sort(bySchemaAndName), enums: enumTypes, ...(views.length === 0 ? {} : { views }), tableSizes: sizesOf(tables) };
  const metadataTable = options.ormMetadataTable;
  const metadataSchema = options.ormMetadataSchema ?? DEFAULT_SCHEMA;
  if (metadataTable === undefined || !tables.some((table) => table.schema === metadataSchema && table.name === metadataTable)) return schema;
  const rows = await run<Row>('ORM_RECORDS', ormRecordsQuery(quotePostgresTable({ schema: schemaOrNull(metadataSchema), name: metadataTable })), []);
  return withRecordedDefinitions(schema, metadataTable, ormRecordsFromRows(rows), (object) => object.schema ?? DEFAULT_SCHEMA, schemaOrNull(metadataSchema) ?? undefined);
}

/** Every schema users' objects may be in: all but the system's own. */
export async function postgresUserSchemas(client: DatabaseClient): Promise<string[]> {
  const rows = await client.query<{ name: string }>(
    "SELECT nspname AS name FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY nspname",
  );
  return rows.map((row) => row.name);
}

/** The name of the database the connection uses. */
export async function postgresCurrentDatabase(client: DatabaseClient): Promise<string> {
  const rows = await client.query<{ name: string }>(CURRENT_DATABASE_QUERY);
  return String(rows[0]?.name ?? '');
}

/** A materialized view with its indexes; the key is left out when it has none. */
function withIndexes(view: View, rows: readonly ViewIndexRow[]): View {
  if (rows.length === 0) return view;
  const indexes = rows.map(
    (row): Index => ({
      name: row.name,
      columns: [...row.columns],
      unique: row.is_unique,
      where: row.predicate === null ? null : canonicalPostgresExpression(row.predicate),
      method: row.method === 'btree' ? null : row.method,
    }),
  );
  return { ...view, indexes };
}

/** A view as the server has it: its definition stands for the query until an ORM record says otherwise. */
function toView(row: ViewRow): View {
  return {
    schema: schemaOrNull(row.schema),
    name: row.name,
    materialized: row.materialized,
    query: (row.definition ?? '').trim(),
    recorded: false,
    reads: row.read_names.map((name, i) => {
      const schema = schemaOrNull(row.read_schemas[i] ?? DEFAULT_SCHEMA);
      return schema === null ? name : `${schema}.${name}`;
    }),
  };
}

/** Each table's size, keyed as the model keys tables. */
function sizesOf(tables: readonly TableRow[]): Record<string, TableSize> {
  const sizes: Record<string, TableSize> = {};
  for (const table of tables) {
    const key = schemaOrNull(table.schema) === null ? table.name : `${table.schema}.${table.name}`;
    const rows = Number(table.rows_estimate);
    sizes[key] = { rowsEstimate: rows < 0 ? null : rows, bytes: Number(table.total_bytes) };
  }
  return sizes;
}

/** The table's exclusion constraints, as what follows EXCLUDE; the key is left out when there are none. */
function exclusionsOf(own: readonly ConstraintRow[]): { exclusions?: ExclusionConstraint[] } {
  const exclusions = own
    .filter((row) => row.type === 'x')
    .map(
      (row): ExclusionConstraint => ({
        name: row.name,
        // pg_get_constraintdef ends with the DEFERRABLE clause, which the model keeps apart.
        expression: (row.exclusion_sql ?? '').replace(/^EXCLUDE\s+/i, '').replace(/\s+DEFERRABLE(?:\s+INITIALLY\s+(?:DEFERRED|IMMEDIATE))?$/i, ''),
        ...deferrableOf(row),
      }),
    )
    .sort(byName);
  return exclusions.length === 0 ? {} : { exclusions };
}

/** The type system's parsers, memoised for one introspection. */
interface Parsers {
  readonly type: (sql: string) => ColumnType;
  readonly default: (sql: string | null) => ColumnDefault | null;
}

/** Caches a pure one-argument function; the results are readonly model values, safe to share between columns. */
function memoize<A, R>(fn: (arg: A) => R): (arg: A) => R {
  const cache = new Map<A, R>();
  return (arg) => {
    if (cache.has(arg)) return cache.get(arg) as R;
    const result = fn(arg);
    cache.set(arg, result);
    return result;
  };
}

/** One column: enum types from the enum map, serial and identity columns as generations, the rest parsed. */
function toColumn(row: ColumnRow, comment: string | null, enums: ReadonlyMap<string, EnumRow>, parse: Parsers): Column {
  let type: ColumnType;
  const enumRow = row.enum_oid === null ? undefined : enums.get(row.enum_oid);
  if (enumRow !== undefined) {
    const enumType: ColumnType = { kind: 'enum', values: [...enumRow.labels], typeName: qualifiedName(enumRow.schema, enumRow.name) };
    type = row.is_array ? { kind: 'array', element: enumType } : enumType;
  } else {
    type = parse.type(row.type);
  }
  let generation: ColumnGeneration | null = IDENTITIES[row.identity] ?? null;
  let defaultSql = row.default_sql;
  const computed = row.generated === 's' && defaultSql !== null ? { expression: defaultSql, stored: true } : null;
  if (row.generated !== '') {
    // A stored generated column's pg_get_expr is its generation expression, not a default.
    defaultSql = null;
  } else if (generation === null && defaultSql !== null && SERIAL_DEFAULT.test(defaultSql.trim())) {
    generation = 'increment';
    defaultSql = null;
  }
  return {
    name: row.name,
    type,
    nullable: !row.not_null,
    default: parse.default(defaultSql),
    generation,
    comment,
    charset: null,
    collation: row.collation ?? null,
    onUpdate: null,
    ...(computed === null ? {} : { computed }),
  };
}

/** Names attnums of a table, from the columns read; a number with no column means the catalog changed under us. */
type ColumnNamer = (tableOid: string, numbers: readonly number[], owner: string) => string[];

function columnNamer(columnsByTable: ReadonlyMap<string, readonly ColumnRow[]>): ColumnNamer {
  const byTable = new Map<string, Map<number, string>>();
  for (const [oid, rows] of columnsByTable) byTable.set(oid, new Map(rows.map((row) => [row.position, row.name])));
  return (tableOid, numbers, owner) =>
    numbers.map((number) => {
      const name = byTable.get(tableOid)?.get(number);
      if (name === undefined) {
        throw new SchemaSyncError('INTROSPECTION_FAILED', `${owner} refers to column number ${number} of table oid ${tableOid}, which no catalog row names`);
      }
      return name;
    });
}

function commentsOf(table: TableRow): Map<number, string> {
  return new Map(table.comment_positions.map((position, k) => [position, table.comments[k]!]));
}

function toIndex(row: IndexRow, names: ColumnNamer): Index {
  // Expression keys are canonicalised like defaults; plain column names keep their exact spelling.
  const columns = row.key_numbers.map((number, k) =>
    number === 0 ? canonicalPostgresExpression(row.key_definitions?.[k] ?? '') : names(row.table_oid, [number], row.name)[0]!,
  );
  const keys = row.key_numbers.map((_, k): IndexKeyOptions => {
    const option = row.key_options[k] ?? 0;
    const descending = (option & INDOPTION_DESC) !== 0;
    const nullsFirst = (option & INDOPTION_NULLS_FIRST) !== 0;
    // Each direction has its own default placement: NULLS LAST ascending, NULLS FIRST descending.
    const nulls = nullsFirst === descending ? null : nullsFirst ? 'first' : 'last';
    const opclass = row.opclasses[k] ?? '';
    return { opclass: opclass === '' ? null : opclass, descending, nulls, length: null };
  });
  const include = row.include_numbers === null ? [] : names(row.table_oid, row.include_numbers, row.name);
  return {
    name: row.name,
    columns,
    unique: row.is_unique,
    where: row.predicate === null ? null : canonicalPostgresExpression(row.predicate),
    method: row.method === 'btree' ? null : row.method,
    ...(keys.some((key) => key.opclass !== null || key.descending || key.nulls !== null) ? { keys } : {}),
    ...(include.length === 0 ? {} : { include }),
    ...(row.parameters === null || row.parameters.length === 0 ? {} : { parameters: parametersOf(row.parameters) }),
  };
}

/** pg_index.indoption bits (catalog/pg_index.h). */
const INDOPTION_DESC = 1;
const INDOPTION_NULLS_FIRST = 2;

/** reloptions' `name=value` entries as a record; the value is everything after the first `=`. */
function parametersOf(entries: readonly string[]): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals > 0) parameters[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return parameters;
}

function toForeignKey(row: ConstraintRow, columns: string[], names: ColumnNamer): ForeignKey {
  const referencedColumns = row.referenced_column_names ?? names(row.referenced_oid, row.referenced_column_numbers ?? [], row.name);
  return {
    name: row.name,
    columns,
    referencedSchema: schemaOrNull(row.referenced_schema ?? DEFAULT_SCHEMA),
    referencedTable: row.referenced_table ?? '',
    referencedColumns: [...referencedColumns],
    onDelete: action(row.on_delete, row.name),
    onUpdate: action(row.on_update, row.name),
    ...deferrableOf(row),
  };
}

/** A deferrable constraint's initial mode; the key is left out for the usual, not deferrable one. */
function deferrableOf(row: ConstraintRow): { deferrable?: Deferrable } {
  if (!row.deferrable) return {};
  return { deferrable: row.deferred ? 'INITIALLY DEFERRED' : 'INITIALLY IMMEDIATE' };
}

function action(code: string, constraint: string): ForeignKeyAction {
  const value = ACTIONS[code];
  if (value === undefined) {
    throw new SchemaSyncError('INTROSPECTION_FAILED', `Foreign key ${constraint} has an unknown referential action code "${code}"`);
  }
  return value;
}

function schemaOrNull(schema: string): string | null {
  return schema === DEFAULT_SCHEMA ? null : schema;
}

/** `name` in the default schema, `schema.name` elsewhere (unquoted: this is the model's key, not SQL). */
function qualifiedName(schema: string, name: string): string {
  return schema === DEFAULT_SCHEMA ? name : `${schema}.${name}`;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [row]);
    else group.push(row);
  }
  return groups;
}

/** Code-unit order, not localeCompare: the result must not depend on the machine's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return compareText(a.name, b.name);
}

/** The default schema (null) first, then schemas by name; within a schema by name. */
function bySchemaAndName(a: { readonly schema: string | null; readonly name: string }, b: { readonly schema: string | null; readonly name: string }): number {
  if (a.schema !== b.schema) {
    if (a.schema === null) return -1;
    if (b.schema === null) return 1;
    return compareText(a.schema, b.schema);
  }
  return compareText(a.name, b.name);
}
