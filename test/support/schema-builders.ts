/**
 * A small DSL for building complete schema model values in tests. Every builder returns a fully populated object
 * (no optional fields left out), so a test states only what it cares about and the rest is a neutral default.
 *
 *   schema('postgres', [
 *     table('users', [col('id', int()), col('email', varchar(255), { default: literal('x') })], { pk: ['id'] }),
 *   ])
 */
import type {
  CheckConstraint,
  Column,
  ColumnDefault,
  ColumnGeneration,
  ColumnType,
  Dialect,
  EnumType,
  ForeignKey,
  ForeignKeyAction,
  Index,
  IntegerSize,
  PrimaryKey,
  Schema,
  Table,
  TemporalName,
  UniqueConstraint,
} from '../../src/model/schema';

// ---------------------------------------------------------------------------------------------------------------
// Schema, table, column

/** A whole schema. `enums` are PostgreSQL named enum types (see `pgEnum`). */
export function schema(dialect: Dialect, tables: readonly Table[], enums: readonly EnumType[] = []): Schema {
  return { dialect, tables, enums };
}

/** Options of `table()`; everything defaults to "none". */
export interface TableOptions {
  readonly schema?: string | null;
  /** Primary key columns, or a full `PrimaryKey` when the name matters. */
  readonly pk?: readonly string[] | PrimaryKey | null;
  /** Primary key name when `pk` is given as columns; defaults to `PK_<table>`. */
  readonly pkName?: string | null;
  readonly indexes?: readonly Index[];
  readonly uniques?: readonly UniqueConstraint[];
  readonly foreignKeys?: readonly ForeignKey[];
  readonly checks?: readonly CheckConstraint[];
  readonly comment?: string | null;
}

/** A table. */
export function table(name: string, columns: readonly Column[], options: TableOptions = {}): Table {
  return {
    schema: options.schema ?? null,
    name,
    columns,
    primaryKey: primaryKeyOf(name, options),
    indexes: options.indexes ?? [],
    uniques: options.uniques ?? [],
    foreignKeys: options.foreignKeys ?? [],
    checks: options.checks ?? [],
    comment: options.comment ?? null,
  };
}

function primaryKeyOf(tableName: string, options: TableOptions): PrimaryKey | null {
  const pk = options.pk;
  if (pk === undefined || pk === null) return null;
  if (isPrimaryKey(pk)) return pk;
  return { name: options.pkName === undefined ? `PK_${tableName}` : options.pkName, columns: pk };
}

function isPrimaryKey(value: readonly string[] | PrimaryKey): value is PrimaryKey {
  return !Array.isArray(value);
}

/** Options of `col()`. A column is NOT NULL by default, as in TypeORM. */
export interface ColumnOptions {
  readonly nullable?: boolean;
  readonly default?: ColumnDefault | null;
  readonly generation?: ColumnGeneration | null;
  readonly comment?: string | null;
  readonly charset?: string | null;
  readonly collation?: string | null;
  readonly onUpdate?: string | null;
}

/** A column: NOT NULL, no default, no generation, comment, charset or collation unless given. */
export function col(name: string, type: ColumnType, options: ColumnOptions = {}): Column {
  return {
    name,
    type,
    nullable: options.nullable ?? false,
    default: options.default ?? null,
    generation: options.generation ?? null,
    comment: options.comment ?? null,
    charset: options.charset ?? null,
    collation: options.collation ?? null,
    onUpdate: options.onUpdate ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Defaults

/** A literal default, kept as its unquoted value. */
export function literal(value: string): ColumnDefault {
  return { kind: 'literal', value };
}

/** An expression default (`now()`, `CURRENT_TIMESTAMP`). */
export function expr(sql: string): ColumnDefault {
  return { kind: 'expression', sql };
}

// ---------------------------------------------------------------------------------------------------------------
// Indexes and constraints

/** Options of `index()`. */
export interface IndexOptions {
  readonly unique?: boolean;
  readonly where?: string | null;
  readonly method?: string | null;
}

/** A secondary index (b-tree, not unique, not partial unless told). */
export function index(name: string, columns: readonly string[], options: IndexOptions = {}): Index {
  return { name, columns, unique: options.unique ?? false, where: options.where ?? null, method: options.method ?? null };
}

/** A unique constraint (PostgreSQL; folded into a unique index on MySQL by normalisation). */
export function unique(name: string, columns: readonly string[]): UniqueConstraint {
  return { name, columns };
}

/** Options of `fk()`: actions default to NO ACTION, the referenced schema to the default one. */
export interface ForeignKeyOptions {
  readonly onDelete?: ForeignKeyAction;
  readonly onUpdate?: ForeignKeyAction;
  readonly referencedSchema?: string | null;
}

/** A foreign key. */
export function fk(
  name: string,
  columns: readonly string[],
  referencedTable: string,
  referencedColumns: readonly string[],
  options: ForeignKeyOptions = {},
): ForeignKey {
  return {
    name,
    columns,
    referencedSchema: options.referencedSchema ?? null,
    referencedTable,
    referencedColumns,
    onDelete: options.onDelete ?? 'NO ACTION',
    onUpdate: options.onUpdate ?? 'NO ACTION',
  };
}

/** A CHECK constraint. */
export function check(name: string, expression: string): CheckConstraint {
  return { name, expression };
}

/** A PostgreSQL named enum type. */
export function pgEnum(name: string, values: readonly string[], schemaName: string | null = null): EnumType {
  return { schema: schemaName, name, values };
}

// ---------------------------------------------------------------------------------------------------------------
// Column types

/** Options shared by the numeric types. */
export interface NumericOptions {
  readonly unsigned?: boolean;
}

/** An integer of the given width (default `int`). */
export function integer(size: IntegerSize, options: NumericOptions = {}): ColumnType {
  return { kind: 'integer', size, unsigned: options.unsigned ?? false };
}

/** `int` / `integer`. */
export function int(options: NumericOptions = {}): ColumnType {
  return integer('int', options);
}

/** `tinyint` (MySQL). */
export function tinyint(options: NumericOptions = {}): ColumnType {
  return integer('tiny', options);
}

/** `smallint`. */
export function smallint(options: NumericOptions = {}): ColumnType {
  return integer('small', options);
}

/** `bigint`. */
export function bigint(options: NumericOptions = {}): ColumnType {
  return integer('big', options);
}

/** `decimal(p, s)`; `decimal()` is PostgreSQL's unconstrained `numeric`. */
export function decimal(precision: number | null = null, scale: number | null = null, options: NumericOptions = {}): ColumnType {
  return { kind: 'decimal', precision, scale, unsigned: options.unsigned ?? false };
}

/** `float` / `real`. */
export function float(options: NumericOptions = {}): ColumnType {
  return { kind: 'float', size: 'single', unsigned: options.unsigned ?? false };
}

/** `double` / `double precision`. */
export function double(options: NumericOptions = {}): ColumnType {
  return { kind: 'float', size: 'double', unsigned: options.unsigned ?? false };
}

/** `varchar(n)`; `varchar(null)` is PostgreSQL's unbounded `varchar`. */
export function varchar(length: number | null): ColumnType {
  return { kind: 'string', fixed: false, binary: false, length };
}

/** `char(n)`. */
export function char(length: number | null): ColumnType {
  return { kind: 'string', fixed: true, binary: false, length };
}

/** `varbinary(n)`. */
export function varbinary(length: number | null): ColumnType {
  return { kind: 'string', fixed: false, binary: true, length };
}

/** `text` (or `tinytext` / `mediumtext` / `longtext`). */
export function text(size: 'tiny' | 'regular' | 'medium' | 'long' = 'regular'): ColumnType {
  return { kind: 'text', size, binary: false };
}

/** `blob` family / PostgreSQL `bytea`. */
export function blob(size: 'tiny' | 'regular' | 'medium' | 'long' = 'regular'): ColumnType {
  return { kind: 'text', size, binary: true };
}

/** `boolean` (MySQL `tinyint(1)` is normalised to this by the dialect). */
export function bool(): ColumnType {
  return { kind: 'boolean' };
}

/** `json`. */
export function json(): ColumnType {
  return { kind: 'json', binary: false };
}

/** PostgreSQL `jsonb`. */
export function jsonb(): ColumnType {
  return { kind: 'json', binary: true };
}

/** `uuid`. */
export function uuid(): ColumnType {
  return { kind: 'uuid' };
}

/** A date/time type; `timestamp()` with no precision is the server default. */
export function temporal(name: TemporalName, precision: number | null = null): ColumnType {
  return { kind: 'temporal', name, precision };
}

/** `timestamp(p)`. */
export function timestamp(precision: number | null = null): ColumnType {
  return temporal('timestamp', precision);
}

/** `timestamptz(p)` (PostgreSQL). */
export function timestamptz(precision: number | null = null): ColumnType {
  return temporal('timestamptz', precision);
}

/** An enum: inline on MySQL (`typeName` null), a named type on PostgreSQL. */
export function enumType(values: readonly string[], typeName: string | null = null): ColumnType {
  return { kind: 'enum', values, typeName };
}

/** MySQL `set(...)`. */
export function set(values: readonly string[]): ColumnType {
  return { kind: 'set', values };
}

/** pgvector `vector(n)`. */
export function vector(dimensions: number | null): ColumnType {
  return { kind: 'vector', dimensions };
}

/** PostgreSQL `element[]`. */
export function array(element: ColumnType): ColumnType {
  return { kind: 'array', element };
}

/** A type the tool does not model, as canonical lower-case SQL. */
export function raw(sql: string): ColumnType {
  return { kind: 'raw', sql };
}
