/**
 * Random but valid schema pairs (A, B) per server family, and the harness that runs them on a real database, for the
 * migration properties (test/integration/migration-properties.*.test.ts):
 *
 *   create A from nothing -> introspect = A;  migrate A -> B -> introspect = B;  rollback -> introspect = A.
 *
 * "Valid" means what the server accepts and introspects back exactly: only types whose renderType/parseType round-trip
 * on that server, defaults the server keeps as written (or the normaliser absorbs), no b-tree index on TEXT/BLOB/JSON
 * and no partial index on MariaDB, index methods only where they apply (PostgreSQL hash and gin, MariaDB fulltext),
 * one AUTO_INCREMENT per table leading its primary key, foreign keys onto a single-column primary key of the identical
 * type (and character set), SET NULL only on nullable columns and no SET DEFAULT on MariaDB, checks only on numeric
 * columns, identity columns NOT NULL on PostgreSQL. Index, key and check names are derived from their table and
 * columns, so two objects never share a definition under different names, while the same name in A and B can carry a
 * changed definition (a redefinition).
 *
 * A is built table by table; B is A after a random sequence of edits (add/drop table, add/drop/alter column: type
 * widening and narrowing, nullability, default, generation, comment, collation and character set, ON UPDATE;
 * add/drop/redefine index, unique, foreign key, check, primary key; table comment; PostgreSQL enum types created,
 * dropped, values added, removed and reordered), so A and B share most tables. After every edit a repair pass
 * restores validity (an index on a dropped column goes, a default that no longer fits the type is cleared…), which is
 * why an edit may do a little more than its name says. Everything is plain data built with schema-builders.ts and
 * normalised with normalizeSchema.
 *
 * Bugs the properties found in src/ are listed in KNOWN_BUGS with the shape of pair that trips each; the generator
 * filters those shapes out (SCHEMA_SYNC_PROPERTY_AVOID) so that a known bug does not hide the next one, and each is
 * pinned by its shrunk counterexample in the suites.
 */
import fc from 'fast-check';
import { historySqlFor } from '../../src/apply/history';
import { leadingCommitFirst } from '../../src/apply/run-steps';
import type { DatabaseClient } from '../../src/connect/client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import type { StatementGroup } from '../../src/migrations/emit';
import { planMigration } from '../../src/plan/plan';
import { renderPlan, type OnlineTarget } from '../../src/plan/render-plan';
import { parseServerVersion } from '../../src/dialect/lock-impact';
import { diffSchemas } from '../../src/diff/diff-schemas';
import { introspect } from '../../src/introspect/introspect';
import { describeChange } from '../../src/report/describe-change';
import { SchemaSyncError, messageOf } from '../../src/util/errors';
import { verifyRoundTrip } from '../../src/verify/round-trip';
import { deepEqual } from '../../src/model/compare';
import { normalizeSchema } from '../../src/model/normalize';
import type { Column, ColumnDefault, ColumnGeneration, ColumnType, Dialect, ForeignKey, ForeignKeyAction, Schema, Table } from '../../src/model/schema';
import { typeSystemFor } from '../../src/dialect/type-systems';
import { formatType } from '../../src/report/format';
import {
  array,
  bigint,
  blob,
  bool,
  char,
  check,
  col,
  decimal,
  double,
  enumType,
  fk,
  float,
  index,
  int,
  integer,
  json,
  jsonb,
  pgEnum,
  schema,
  set,
  smallint,
  table,
  temporal,
  text,
  timestamp,
  timestamptz,
  unique,
  uuid,
  varbinary,
  varchar,
  vector,
} from './schema-builders';

/** The server families the arbitraries target. PGlite is `postgres`. */
export type Family = 'postgres' | 'mariadb';

/** A random schema pair: B is A after `edits` (each described in one line). Both normalised. */
export interface SchemaPair {
  readonly a: Schema;
  readonly b: Schema;
  readonly edits: readonly string[];
}

/** Options of {@link schemaPairArb}. */
export interface PairOptions {
  /** Most tables in A (default 4). */
  readonly maxTables?: number;
  /** Most edits from A to B (default 8). */
  readonly maxEdits?: number;
  /** Edit kinds to leave out (see EDIT_KINDS). */
  readonly excludeEdits?: readonly EditKind[];
  /**
   * Known bugs (KNOWN_BUGS) whose shapes the generator filters out, so the property keeps looking for new ones.
   * Default: SCHEMA_SYNC_PROPERTY_AVOID, else all of them.
   */
  readonly avoid?: readonly KnownBug[];
}

/** A bug in src/ that the properties found, with the fix proposed for it and the pairs that trip it. */
export interface KnownBugShape {
  /** What goes wrong. */
  readonly what: string;
  /** Where it is fixed. */
  readonly where: string;
  /** Whether the pair (A, B) has the shape that trips the bug. */
  trips(a: Schema, b: Schema): boolean;
}

/**
 * Known bugs found by the properties, by the shape of pair that trips them. Each is pinned in the property suites by
 * its shrunk counterexample (an it.failing test, which starts failing once the bug is fixed); the generator filters
 * the shapes out (PairOptions.avoid) so that the property keeps looking for new bugs. Remove an entry, and its pin,
 * once its bug is fixed: the property then covers the shape again.
 */
export const KNOWN_BUGS = {} satisfies Record<string, KnownBugShape>;

/** The name of a known bug. */
export type KnownBug = keyof typeof KNOWN_BUGS;

/** A known bug's shape (through a widened view of KNOWN_BUGS, which may be empty: then KnownBug is never). */
export function knownBug(bug: KnownBug): KnownBugShape {
  const shapes: Readonly<Record<string, KnownBugShape>> = KNOWN_BUGS;
  return shapes[bug] as KnownBugShape;
}

/** The known bugs a pair trips. */
export function knownBugsTripped(pair: { readonly a: Schema; readonly b: Schema }): KnownBug[] {
  return (Object.keys(KNOWN_BUGS) as KnownBug[]).filter((bug) => knownBug(bug).trips(pair.a, pair.b));
}

// ---------------------------------------------------------------------------------------------------------------
// The draft: a mutable, name-free description of a schema that edits work on. Object names are derived from it.

interface DraftColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
  default: ColumnDefault | null;
  generation: ColumnGeneration | null;
  comment: string | null;
  charset: string | null;
  collation: string | null;
  onUpdate: string | null;
}

interface DraftIndex {
  columns: string[];
  unique: boolean;
  /** Null is b-tree; PostgreSQL `hash` and `gin`, MariaDB `fulltext`. */
  method: IndexMethod | null;
  /** PostgreSQL only: `WHERE <first column> IS NOT NULL`. */
  partial: boolean;
  /** PostgreSQL only: the key is `lower(<column>)` of a single text column, as the catalog prints it. */
  expression: boolean;
}

type IndexMethod = 'hash' | 'gin' | 'fulltext';

interface DraftForeignKey {
  column: string;
  targetSchema: string | null;
  targetTable: string;
  targetColumn: string;
  onDelete: ForeignKeyAction;
  onUpdate: ForeignKeyAction;
}

interface DraftCheck {
  column: string;
  bound: number;
}

interface DraftTable {
  schema: string | null;
  name: string;
  columns: DraftColumn[];
  pk: string[] | null;
  indexes: DraftIndex[];
  /** PostgreSQL unique constraints (MariaDB only has unique indexes). */
  uniques: string[][];
  foreignKeys: DraftForeignKey[];
  checks: DraftCheck[];
  comment: string | null;
  /**
   * Columns dropped by an edit. They are not added back: under the same name the diff would see one column change
   * type arbitrarily (uuid to timestamp…), which no server casts; related type changes come from alter_type.
   */
  retired: string[];
}

interface DraftEnum {
  name: string;
  values: string[];
}

interface Draft {
  family: Family;
  tables: DraftTable[];
  enums: DraftEnum[];
  /** Tables dropped by an edit, never added back for the same reason as DraftTable.retired. */
  retired: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Pools

const TABLE_NAMES = ['users', 'posts', 'tags', 'notes', 'items', 'orders'] as const;
const COLUMN_NAMES = ['id', 'name', 'code', 'qty', 'price', 'flag', 'note', 'at', 'state', 'score'] as const;
/** PostgreSQL enum types by the model's key: `mood` in public, `level` in schema app. */
const ENUM_NAMES = ['mood', 'app.level'] as const;
const ENUM_VALUES = ['a', 'b', 'c', 'd', 'e'] as const;
const CHECK_BOUNDS = [-1, 0, 1, 10] as const;
const PG_ACTIONS: readonly ForeignKeyAction[] = ['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'];
/** InnoDB rejects SET DEFAULT. */
const MARIADB_ACTIONS: readonly ForeignKeyAction[] = ['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL'];

const dialectOf = (family: Family): Dialect => (family === 'postgres' ? 'postgres' : 'mariadb');
const pick = <T>(items: readonly T[], n: number): T => items[n % items.length] as T;

/** A default as the dialect's parser reads it: the canonical form the tool holds in the model (`now()`, `current_timestamp(3)`). */
function expression(family: Family, sql: string): ColumnDefault {
  const parsed = typeSystemFor(dialectOf(family)).parseDefault(sql);
  if (parsed === null) throw new Error(`not a default: ${sql}`);
  return parsed;
}

const literal = (value: string): ColumnDefault => ({ kind: 'literal', value });

// ---------------------------------------------------------------------------------------------------------------
// Types

const enumRef = (name: string): ColumnType => enumType([], name);
const binary = (length: number): ColumnType => ({ kind: 'string', fixed: true, binary: true, length });

function decimalArb(unsigned: fc.Arbitrary<boolean>): fc.Arbitrary<ColumnType> {
  return fc
    .record({ precision: fc.integer({ min: 1, max: 14 }), scaleSeed: fc.nat(4), unsigned })
    .map(({ precision, scaleSeed, unsigned: isUnsigned }) => decimal(precision, Math.min(scaleSeed, precision), { unsigned: isUnsigned }));
}

const PG_SCALAR_TYPES: readonly ColumnType[] = [
  bool(),
  varchar(10),
  varchar(50),
  varchar(255),
  varchar(null),
  char(1),
  char(3),
  text(),
  blob(),
  timestamp(),
  timestamp(0),
  timestamp(3),
  timestamptz(),
  timestamptz(3),
  temporal('date'),
  temporal('time'),
  json(),
  jsonb(),
  uuid(),
  vector(3),
];

function pgTypeArb(): fc.Arbitrary<ColumnType> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(int(), bigint(), smallint()) },
    { weight: 2, arbitrary: fc.oneof(decimalArb(fc.constant(false)), fc.constant(decimal()), fc.constantFrom(float(), double())) },
    { weight: 6, arbitrary: fc.constantFrom(...PG_SCALAR_TYPES) },
    { weight: 1, arbitrary: fc.constantFrom(array(int()), array(text()), array(varchar(20))) },
    { weight: 2, arbitrary: fc.constantFrom(...ENUM_NAMES).chain((name) => fc.constantFrom(enumRef(name), array(enumRef(name)))) },
  );
}

const MARIADB_SCALAR_TYPES: readonly ColumnType[] = [
  bool(),
  varchar(10),
  varchar(50),
  varchar(255),
  char(1),
  char(3),
  varbinary(16),
  binary(4),
  text('tiny'),
  text(),
  text('medium'),
  text('long'),
  blob(),
  blob('long'),
  temporal('datetime'),
  temporal('datetime', 3),
  temporal('datetime', 6),
  timestamp(),
  timestamp(3),
  temporal('time'),
  temporal('date'),
  temporal('year'),
  json(),
  uuid(),
];

const enumValuesArb = fc.shuffledSubarray([...ENUM_VALUES], { minLength: 1, maxLength: 4 });

function mariadbTypeArb(): fc.Arbitrary<ColumnType> {
  const sizes = fc.constantFrom<'tiny' | 'small' | 'medium' | 'int' | 'big'>('tiny', 'small', 'medium', 'int', 'big');
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ size: sizes, unsigned: fc.boolean() }).map(({ size, unsigned }) => integer(size, { unsigned })) },
    { weight: 2, arbitrary: fc.oneof(decimalArb(fc.boolean()), fc.constantFrom(float(), double())) },
    { weight: 6, arbitrary: fc.constantFrom(...MARIADB_SCALAR_TYPES) },
    { weight: 1, arbitrary: enumValuesArb.map((values) => enumType(values)) },
    { weight: 1, arbitrary: enumValuesArb.map(set) },
  );
}

/** Every column type the arbitraries can produce for the family (enum types still unresolved on PostgreSQL). */
export function columnTypeArb(family: Family): fc.Arbitrary<ColumnType> {
  return family === 'postgres' ? pgTypeArb() : mariadbTypeArb();
}

const isTextLike = (type: ColumnType): boolean => type.kind === 'text' || type.kind === 'json';

/** An index method from a pick: mostly b-tree (null). Repair turns a method that does not fit the columns into b-tree. */
function indexMethod(family: Family, n: number): IndexMethod | null {
  const methods: (IndexMethod | null)[] = family === 'postgres' ? [null, null, null, 'hash', 'gin'] : [null, null, null, null, 'fulltext'];
  return pick(methods, n);
}

/** Whether a column of this type may be in a b-tree index, a primary key, a unique or a foreign key. */
function indexable(family: Family, type: ColumnType): boolean {
  if (family === 'mariadb') return !isTextLike(type);
  return !(type.kind === 'json' && !type.binary) && type.kind !== 'vector' && type.kind !== 'array';
}

function hashable(type: ColumnType): boolean {
  return type.kind === 'integer' || type.kind === 'uuid' || (type.kind === 'string' && !type.fixed) || (type.kind === 'text' && !type.binary);
}

const numeric = (type: ColumnType): boolean => type.kind === 'integer' || type.kind === 'decimal' || type.kind === 'float';

/** Integer types that can generate their own values: PostgreSQL smallint/integer/bigint, any MariaDB integer. */
function generatable(family: Family, type: ColumnType): boolean {
  if (type.kind !== 'integer') return false;
  return family === 'mariadb' || (type.size !== 'tiny' && type.size !== 'medium' && !type.unsigned);
}

/** Whether a column of this type has a collation (and on MariaDB a character set) of its own. */
function collatable(family: Family, type: ColumnType): boolean {
  const textual = (type.kind === 'string' || type.kind === 'text') && !type.binary;
  return family === 'postgres' ? textual : textual || type.kind === 'enum' || type.kind === 'set';
}

/** Related types a column can be altered to: widenings, narrowings and the casts both servers accept on an empty table. */
function relatedTypes(family: Family, type: ColumnType, enums: readonly DraftEnum[]): ColumnType[] {
  const pg = family === 'postgres';
  switch (type.kind) {
    case 'integer': {
      const sizes = pg ? (['small', 'int', 'big'] as const) : (['tiny', 'small', 'medium', 'int', 'big'] as const);
      const others = sizes.filter((size) => size !== type.size).map((size) => integer(size, { unsigned: type.unsigned }));
      return [...others, ...(pg ? [] : [integer(type.size, { unsigned: !type.unsigned })]), decimal(12, 2, { unsigned: type.unsigned }), ...(pg ? [text()] : [varchar(50)])];
    }
    case 'decimal': {
      const p = type.precision ?? 10;
      const s = type.scale ?? 0;
      const variants = [decimal(p + 2, s, { unsigned: type.unsigned }), decimal(Math.max(1, p - 1), Math.min(s, Math.max(1, p - 1)), { unsigned: type.unsigned }), decimal(p + 1, Math.min(s + 1, p + 1), { unsigned: type.unsigned })];
      return [...variants, ...(pg ? [decimal()] : []), int({ unsigned: type.unsigned }), double()];
    }
    case 'float':
      return [type.size === 'single' ? double() : float(), decimal(10, 2)];
    case 'boolean':
      return pg ? [int(), text()] : [integer('tiny'), int()];
    case 'string': {
      if (type.binary) return [varbinary(8), varbinary(32), binary(8), blob()];
      const lengths = [10, 50, 255].filter((length) => length !== type.length).map((length) => (type.fixed ? char(Math.min(length, 10)) : varchar(length)));
      const flip = type.fixed ? varchar(type.length ?? 10) : char(Math.min(type.length ?? 3, 10));
      const asEnum = pg ? enums.map((e) => enumRef(e.name)) : [enumType(['a', 'b'])];
      return [...lengths, flip, text(), ...(pg && type.length !== null ? [varchar(null)] : []), ...asEnum];
    }
    case 'text':
      if (type.binary) return pg ? [] : [blob(type.size === 'long' ? 'regular' : 'long'), varbinary(32)];
      return pg ? [varchar(255), varchar(null)] : [text(type.size === 'regular' ? 'long' : 'regular'), text('tiny'), varchar(255)];
    case 'temporal':
      switch (type.name) {
        case 'timestamp':
          return pg ? [timestamp(type.precision === 3 ? null : 3), timestamptz(type.precision), temporal('date')] : [timestamp(type.precision === 3 ? null : 3), temporal('datetime', type.precision)];
        case 'timestamptz':
          return [timestamptz(type.precision === 3 ? null : 3), timestamp(type.precision)];
        case 'datetime':
          return [temporal('datetime', type.precision === 6 ? 3 : 6), temporal('datetime'), timestamp(type.precision), temporal('date')];
        case 'date':
          return pg ? [timestamp(), text()] : [temporal('datetime'), varchar(50)];
        case 'time':
          return pg ? [temporal('time', 3), text()] : [temporal('time', 3), varchar(50)];
        case 'year':
          return [int(), smallint()];
        default:
          return [];
      }
    case 'json':
      return pg ? [type.binary ? json() : jsonb(), text()] : [text('long')];
    case 'uuid':
      return pg ? [varchar(null), text()] : [char(36), varchar(50)];
    case 'enum':
      if (pg) return [text(), varchar(50), ...enums.filter((e) => e.name !== type.typeName).map((e) => enumRef(e.name))];
      return [
        enumType([...type.values, ...ENUM_VALUES.filter((value) => !type.values.includes(value)).slice(0, 1)]),
        ...(type.values.length > 1 ? [enumType(type.values.slice(1))] : []),
        enumType([...type.values].reverse()),
        varchar(50),
      ];
    case 'set':
      return [set([...type.values, ...ENUM_VALUES.filter((value) => !type.values.includes(value)).slice(0, 1)]), varchar(50)];
    case 'vector':
      return [vector(type.dimensions === 3 ? 4 : 3)];
    case 'array':
      if (type.element.kind === 'integer') return [array(bigint()), array(text())];
      if (type.element.kind === 'enum') return [array(text())];
      return [array(varchar(50)), array(text())];
    default:
      return [];
  }
}

/** The defaults a column of this type may have, null (none) first. Every one is accepted and read back by the server. */
function defaultCandidates(family: Family, type: ColumnType): ColumnDefault[] {
  const pg = family === 'postgres';
  const signed = !('unsigned' in type) || !type.unsigned;
  switch (type.kind) {
    case 'integer':
      return [literal('0'), literal('7'), ...(signed ? [literal('-3')] : [])];
    case 'decimal': {
      const whole = type.precision === null ? 10 : type.precision - (type.scale ?? 0);
      const fraction = type.precision === null ? 10 : (type.scale ?? 0);
      return [
        literal('0'),
        ...(whole >= 1 ? [literal('1')] : []),
        ...(whole >= 1 && fraction >= 1 ? [literal('1.5')] : []),
        ...(whole >= 1 && signed ? [literal('-2')] : []),
      ];
    }
    case 'float':
      return [literal('0'), literal('1.5'), ...(signed ? [literal('-2')] : [])];
    case 'boolean':
      return [literal('true'), literal('false')];
    case 'string': {
      if (type.binary) return [];
      const length = type.length ?? 1000;
      return [literal(''), literal('x'), ...(length >= 4 ? [literal("it's")] : []), ...(length >= 3 ? [literal('a\\b')] : [])];
    }
    case 'text':
      return type.binary ? [] : [literal('x'), literal("it's")];
    case 'temporal': {
      const now = (name: string) => expression(family, type.precision === null ? `${name}()` : `${name}(${type.precision})`);
      switch (type.name) {
        case 'timestamp':
          return pg
            ? [expression(family, 'now()'), expression(family, 'CURRENT_TIMESTAMP'), literal('2020-01-01 00:00:00')]
            : [now('current_timestamp'), ...(type.precision === null ? [literal('2020-01-01 00:00:00')] : [])];
        case 'timestamptz':
          return [expression(family, 'now()'), expression(family, 'CURRENT_TIMESTAMP')];
        case 'datetime':
          return [now('current_timestamp'), ...(type.precision === null ? [literal('2020-01-01 00:00:00')] : [])];
        case 'date':
          return [literal('2020-01-01'), expression(family, pg ? 'CURRENT_DATE' : 'curdate()')];
        case 'time':
          return type.precision === null ? [literal('12:00:00')] : [];
        case 'year':
          return [literal('2024')];
        default:
          return [];
      }
    }
    case 'json':
      return [literal('{"a": 1}'), literal('[]')];
    case 'uuid':
      return [expression(family, pg ? 'gen_random_uuid()' : 'uuid()')];
    case 'enum':
    case 'set':
      return type.values.map(literal);
    case 'array':
      if (type.element.kind === 'enum') return [literal('{}'), ...type.element.values.map((value) => literal(`{${value}}`))];
      return type.element.kind === 'integer' ? [literal('{1,2}'), literal('{}')] : [literal('{a,b}')];
    default:
      return [];
  }
}

/** The ON UPDATE clauses a MariaDB column may have: the current time at the column's precision. */
function onUpdateCandidates(family: Family, type: ColumnType): string[] {
  if (family !== 'mariadb' || type.kind !== 'temporal' || (type.name !== 'datetime' && type.name !== 'timestamp')) return [];
  const parsed = expression(family, type.precision === null ? 'current_timestamp()' : `current_timestamp(${type.precision})`);
  return parsed.kind === 'expression' ? [parsed.sql] : [];
}

const COMMENTS: Record<Family, readonly (string | null)[]> = {
  postgres: [null, null, 'a comment', "it's", 'ünï'],
  mariadb: [null, null, 'a comment', "it's", 'back\\slash'],
};

/** Character set and collation pairs a MariaDB text column may state ([null, null] inherits the table's). */
const MARIADB_CHARSETS: readonly (readonly [string | null, string | null])[] = [
  [null, null],
  [null, null],
  ['latin1', null],
  [null, 'utf8mb4_bin'],
  ['latin1', 'latin1_bin'],
];
const PG_COLLATIONS: readonly (string | null)[] = [null, null, 'C'];

// ---------------------------------------------------------------------------------------------------------------
// Seeds: the random input each builder step reads (picks are taken modulo whatever is available).

interface ColumnSeed {
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly defaultPick: number;
  readonly generationPick: number;
  readonly commentPick: number;
  readonly collationPick: number;
  readonly onUpdatePick: number;
}

function columnSeedArb(family: Family): fc.Arbitrary<ColumnSeed> {
  return fc.record({
    type: columnTypeArb(family),
    nullable: fc.boolean(),
    // 0 and 1 mean "no default", so about half the columns have one.
    defaultPick: fc.nat(11),
    // 0..5 mean "no generation".
    generationPick: fc.nat(8),
    commentPick: fc.nat(9),
    collationPick: fc.nat(9),
    onUpdatePick: fc.nat(3),
  });
}

interface TableSeed {
  readonly namePick: number;
  readonly inAppSchema: boolean;
  readonly columns: readonly { readonly name: string; readonly seed: ColumnSeed }[];
  readonly pk: readonly number[];
  readonly indexes: readonly { readonly columns: readonly number[]; readonly unique: boolean; readonly method: number; readonly partial: boolean; readonly expression: boolean }[];
  readonly uniques: readonly (readonly number[])[];
  readonly foreignKeys: readonly { readonly column: number; readonly target: number; readonly onDelete: number; readonly onUpdate: number }[];
  readonly checks: readonly { readonly column: number; readonly bound: number }[];
  readonly commentPick: number;
}

function tableSeedArb(family: Family): fc.Arbitrary<TableSeed> {
  const picks = fc.array(fc.nat(9), { minLength: 1, maxLength: 2 });
  return fc.record({
    namePick: fc.nat(TABLE_NAMES.length - 1),
    inAppSchema: family === 'postgres' ? fc.integer({ min: 0, max: 5 }).map((n) => n === 0) : fc.constant(false),
    columns: fc.uniqueArray(fc.record({ name: fc.constantFrom(...COLUMN_NAMES), seed: columnSeedArb(family) }), {
      minLength: 1,
      maxLength: 5,
      selector: (c) => c.name,
    }),
    // An empty list means "no primary key".
    pk: fc.oneof({ weight: 4, arbitrary: picks }, { weight: 1, arbitrary: fc.constant([]) }),
    indexes: fc.array(
      fc.record({ columns: picks, unique: fc.boolean(), method: fc.nat(9), partial: fc.nat(4).map((n) => n === 0), expression: fc.nat(5).map((n) => n === 0) }),
      { maxLength: 2 },
    ),
    uniques: family === 'postgres' ? fc.array(picks, { maxLength: 1 }) : fc.constant([]),
    foreignKeys: fc.array(fc.record({ column: fc.nat(9), target: fc.nat(9), onDelete: fc.nat(9), onUpdate: fc.nat(9) }), { maxLength: 1 }),
    checks: fc.array(fc.record({ column: fc.nat(9), bound: fc.nat(CHECK_BOUNDS.length - 1) }), { maxLength: 1 }),
    commentPick: fc.nat(9),
  });
}

function buildColumn(family: Family, name: string, seed: ColumnSeed, enums: readonly DraftEnum[]): DraftColumn {
  const type = resolveEnum(seed.type, enums);
  const defaults = defaultCandidates(family, type);
  const generations: ColumnGeneration[] = family === 'postgres' ? ['increment', 'identity-always', 'identity-by-default'] : ['increment'];
  const [charset, collation] = family === 'mariadb' ? pick(MARIADB_CHARSETS, seed.collationPick) : [null, pick(PG_COLLATIONS, seed.collationPick)];
  const onUpdates = onUpdateCandidates(family, type);
  return {
    name,
    type,
    nullable: seed.nullable,
    default: seed.defaultPick < 2 || defaults.length === 0 ? null : pick(defaults, seed.defaultPick - 2),
    generation: seed.generationPick < 6 || !generatable(family, type) ? null : pick(generations, seed.generationPick - 6),
    comment: pick(COMMENTS[family], seed.commentPick),
    charset: collatable(family, type) ? charset : null,
    collation: collatable(family, type) ? collation : null,
    onUpdate: seed.onUpdatePick === 0 && onUpdates.length > 0 ? pick(onUpdates, 0) : null,
  };
}

/** A PostgreSQL enum reference gets the values of its type (which repair creates if missing). */
function resolveEnum(type: ColumnType, enums: readonly DraftEnum[]): ColumnType {
  if (type.kind === 'enum' && type.typeName !== null) return { ...type, values: enums.find((e) => e.name === type.typeName)?.values ?? ['a', 'b'] };
  if (type.kind === 'array') return { ...type, element: resolveEnum(type.element, enums) };
  return type;
}

/** Adds a table built from `seed` (no-op when every table name is taken). Returns its name. */
function addTable(draft: Draft, seed: TableSeed): string | null {
  const family = draft.family;
  const free = TABLE_NAMES.filter((name) => !draft.tables.some((t) => t.name === name) && !draft.retired.includes(name));
  if (free.length === 0) return null;
  const name = pick(free, seed.namePick);
  const columns = seed.columns.map((c) => buildColumn(family, c.name, c.seed, draft.enums));
  const names = columns.map((c) => c.name);
  const some = (picks: readonly number[]) => [...new Set(picks.map((n) => pick(names, n)))];
  const created: DraftTable = {
    schema: seed.inAppSchema ? 'app' : null,
    name,
    columns,
    pk: seed.pk.length === 0 ? null : some(seed.pk),
    indexes: seed.indexes.map((i) => ({ columns: some(i.columns), unique: i.unique, method: indexMethod(family, i.method), partial: i.partial, expression: i.expression })),
    uniques: seed.uniques.map(some),
    foreignKeys: [],
    checks: seed.checks.map((c) => ({ column: pick(names, c.column), bound: pick(CHECK_BOUNDS, c.bound) })),
    comment: pick(COMMENTS[family], seed.commentPick),
    retired: [],
  };
  draft.tables.push(created);
  repair(draft);
  for (const f of seed.foreignKeys) addForeignKey(draft, created, f.column, f.target, f.onDelete, f.onUpdate);
  return name;
}

/**
 * A foreign key from `owner` onto a table with a single-column primary key. It uses a column of the owner that
 * already has the target's type, else adds one (`<target>_ref`) of that type.
 */
function addForeignKey(draft: Draft, owner: DraftTable, columnPick: number, targetPick: number, onDeletePick: number, onUpdatePick: number): string | null {
  const targets = draft.tables.filter((t) => t.pk !== null && t.pk.length === 1);
  if (targets.length === 0) return null;
  const target = pick(targets, targetPick);
  const targetColumn = target.columns.find((c) => c.name === target.pk?.[0]);
  if (targetColumn === undefined) return null;
  const matching = owner.columns.filter((c) => sameKeyType(draft.family, c, targetColumn) && !(owner === target && c.name === targetColumn.name));
  let column: DraftColumn;
  if (matching.length > 0) {
    column = pick(matching, columnPick);
  } else {
    const name = `${target.name}_ref`;
    if (owner.columns.some((c) => c.name === name)) return null;
    column = { ...targetColumn, name, nullable: columnPick % 2 === 0, default: null, generation: null, comment: null, onUpdate: null };
    owner.columns.push(column);
  }
  const actions = draft.family === 'postgres' ? PG_ACTIONS : MARIADB_ACTIONS;
  // Half the keys get an index of their own on the referencing column, as ORMs often declare one: on MariaDB it then
  // serves the key, which the renderers must keep in step when the index is dropped or redefined.
  if ((columnPick + targetPick) % 2 === 0) owner.indexes.push({ columns: [column.name], unique: false, method: null, partial: false, expression: false });
  owner.foreignKeys = owner.foreignKeys.filter((f) => f.column !== column.name);
  owner.foreignKeys.push({
    column: column.name,
    targetSchema: target.schema,
    targetTable: target.name,
    targetColumn: targetColumn.name,
    onDelete: pick(actions, onDeletePick),
    onUpdate: pick(actions, onUpdatePick),
  });
  repair(draft);
  return `${owner.name}.${column.name} -> ${target.name}.${targetColumn.name}`;
}

/** Same type (and on MariaDB the same character set and collation): what a foreign key needs here. */
function sameKeyType(family: Family, a: DraftColumn, b: DraftColumn): boolean {
  return deepEqual(a.type, b.type) && (family === 'postgres' || (a.charset === b.charset && a.collation === b.collation));
}

// ---------------------------------------------------------------------------------------------------------------
// Repair: restores every validity rule after an edit.

function isInPk(t: DraftTable, column: string): boolean {
  return t.pk?.includes(column) ?? false;
}

function repair(draft: Draft): void {
  const family = draft.family;
  const pg = family === 'postgres';
  if (pg) {
    // Every enum a column uses exists (with at least one value), and columns carry their type's current values.
    for (const t of draft.tables) {
      for (const c of t.columns) {
        const name = enumNameOf(c.type);
        if (name !== null && !draft.enums.some((e) => e.name === name)) draft.enums.push({ name, values: ['a', 'b'] });
      }
    }
    for (const t of draft.tables) for (const c of t.columns) c.type = resolveEnum(c.type, draft.enums);
  }
  const tableOf = (schemaName: string | null, name: string) => draft.tables.find((t) => t.schema === schemaName && t.name === name);
  for (const t of draft.tables) {
    const columnOf = (name: string) => t.columns.find((c) => c.name === name);
    const keyable = (name: string) => {
      const c = columnOf(name);
      return c !== undefined && indexable(family, c.type);
    };

    // Primary key: existing, indexable columns.
    if (t.pk !== null) {
      t.pk = [...new Set(t.pk)].filter(keyable);
      if (t.pk.length === 0) t.pk = null;
    }

    // Columns.
    let autoIncrement = false;
    for (const c of t.columns) {
      if (c.generation !== null && !generatable(family, c.type)) c.generation = null;
      if (!pg && c.generation !== null) {
        // One AUTO_INCREMENT per table, and it must lead a key: here, the primary key.
        if (autoIncrement || t.pk?.[0] !== c.name) c.generation = null;
        else autoIncrement = true;
      }
      if (pg && (c.generation === 'identity-always' || c.generation === 'identity-by-default')) c.nullable = false;
      if (c.generation !== null) c.default = null;
      const defaultValue = c.default;
      if (defaultValue !== null && !defaultCandidates(family, c.type).some((d) => deepEqual(d, defaultValue))) c.default = null;
      if (!collatable(family, c.type)) {
        c.charset = null;
        c.collation = null;
      }
      if (c.onUpdate !== null && !onUpdateCandidates(family, c.type).includes(c.onUpdate)) c.onUpdate = null;
      // MariaDB gives a NOT NULL column with ON UPDATE but no default an implicit zero-date default: state one.
      if (c.onUpdate !== null && (!c.nullable || isInPk(t, c.name)) && c.default === null) c.default = expression(family, c.onUpdate);
    }

    // Indexes: a method only where it applies (else b-tree), b-tree keys indexable; one index per column list.
    const seen = new Set<string>();
    t.indexes = t.indexes
      .map((i) => ({ ...i, columns: [...new Set(i.columns)] }))
      .filter((i) => i.columns.length > 0 && i.columns.every((name) => columnOf(name) !== undefined))
      .map((i): DraftIndex => {
        const types = i.columns.map((name) => columnOf(name)?.type ?? text());
        const first = types[0] ?? text();
        const single = types.length === 1 && !i.unique;
        const methodOk =
          (i.method === 'hash' && pg && single && hashable(first)) ||
          (i.method === 'gin' && pg && single && ((first.kind === 'json' && first.binary) || first.kind === 'array')) ||
          (i.method === 'fulltext' &&
            !pg &&
            !i.unique &&
            types.every((type) => (type.kind === 'string' || type.kind === 'text') && !type.binary) &&
            // A FULLTEXT index takes columns of one character set and collation only.
            new Set(i.columns.map((name) => `${columnOf(name)?.charset}/${columnOf(name)?.collation}`)).size === 1);
        const method = methodOk ? i.method : null;
        const expression = pg && i.expression && method === null && types.length === 1 && first.kind === 'text' && !first.binary;
        return { ...i, method, expression, partial: pg && i.partial };
      })
      .filter((i) => i.method !== null || i.expression || i.columns.every(keyable))
      .filter((i) => {
        const key = i.columns.join(',');
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });

    const seenUniques = new Set<string>();
    t.uniques = pg
      ? t.uniques
          .map((u) => [...new Set(u)])
          .filter((u) => u.length > 0 && u.every(keyable))
          .filter((u) => {
            const key = u.join(',');
            if (seenUniques.has(key)) return false;
            seenUniques.add(key);
            return true;
          })
      : [];

    // Checks: on existing numeric, non-generated columns; one per column. MariaDB refuses a check on a column whose
    // foreign key has a CASCADE or SET NULL action (at least when the check comes second).
    const seenChecks = new Set<string>();
    const acting = (f: DraftForeignKey) => [f.onDelete, f.onUpdate].some((action) => action === 'CASCADE' || action === 'SET NULL');
    t.checks = t.checks.filter((k) => {
      const c = columnOf(k.column);
      if (c === undefined || !numeric(c.type) || (!pg && c.generation !== null) || seenChecks.has(k.column)) return false;
      if (!pg && t.foreignKeys.some((f) => f.column === k.column && acting(f))) return false;
      seenChecks.add(k.column);
      return true;
    });
  }

  // Foreign keys last: they depend on the other tables' primary keys and column types.
  for (const t of draft.tables) {
    const seenColumns = new Set<string>();
    t.foreignKeys = t.foreignKeys.filter((f) => {
      const column = t.columns.find((c) => c.name === f.column);
      const target = tableOf(f.targetSchema, f.targetTable);
      const targetColumn = target?.columns.find((c) => c.name === f.targetColumn);
      if (column === undefined || target === undefined || targetColumn === undefined || seenColumns.has(f.column)) return false;
      if (target.pk === null || target.pk.length !== 1 || target.pk[0] !== f.targetColumn) return false;
      if (!sameKeyType(family, column, targetColumn)) return false;
      if (!pg) {
        const nullable = column.nullable && !isInPk(t, column.name);
        if ((f.onDelete === 'SET NULL' || f.onUpdate === 'SET NULL') && !nullable) return false;
        if (f.onDelete === 'SET DEFAULT' || f.onUpdate === 'SET DEFAULT') return false;
      }
      seenColumns.add(f.column);
      return true;
    });
  }
}

function enumNameOf(type: ColumnType): string | null {
  if (type.kind === 'enum') return type.typeName;
  if (type.kind === 'array') return enumNameOf(type.element);
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Edits: B is A after a sequence of these.

/** The kinds of edit that turn A into B. */
export const EDIT_KINDS = [
  'add_table',
  'drop_table',
  'add_column',
  'drop_column',
  'alter_type',
  'alter_nullable',
  'alter_default',
  'alter_generation',
  'alter_comment',
  'alter_collation',
  'alter_on_update',
  'alter_primary_key',
  'add_index',
  'drop_index',
  'redefine_index',
  'add_unique',
  'drop_unique',
  'add_foreign_key',
  'drop_foreign_key',
  'alter_foreign_key_actions',
  'alter_key_type',
  'add_check',
  'drop_check',
  'alter_check',
  'alter_table_comment',
  'enum_add_value',
  'enum_remove_value',
  'enum_reorder',
  'add_enum',
  'drop_enum',
] as const;

/** One kind of edit. */
export type EditKind = (typeof EDIT_KINDS)[number];

const POSTGRES_ONLY: ReadonlySet<EditKind> = new Set(['add_unique', 'drop_unique', 'enum_add_value', 'enum_remove_value', 'enum_reorder', 'add_enum', 'drop_enum']);
const MARIADB_ONLY: ReadonlySet<EditKind> = new Set(['alter_on_update']);

/** How often each kind is drawn, relative to the others. */
const EDIT_WEIGHTS: Partial<Record<EditKind, number>> = { alter_type: 4, add_column: 2, drop_column: 2, alter_default: 2, alter_nullable: 2 };

interface Edit {
  readonly kind: EditKind;
  readonly picks: readonly [number, number, number, number];
  readonly column: ColumnSeed;
  readonly table: TableSeed;
}

function editArb(family: Family, exclude: ReadonlySet<EditKind>): fc.Arbitrary<Edit> {
  const kinds = EDIT_KINDS.filter((kind) => !exclude.has(kind) && !(family === 'mariadb' ? POSTGRES_ONLY : MARIADB_ONLY).has(kind));
  return fc.record({
    kind: fc.oneof(...kinds.map((kind) => ({ weight: EDIT_WEIGHTS[kind] ?? 1, arbitrary: fc.constant(kind) }))),
    picks: fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(99)),
    column: columnSeedArb(family),
    table: tableSeedArb(family),
  });
}

const fmtType = (type: ColumnType): string => formatType(type);
const label = (t: DraftTable): string => (t.schema === null ? t.name : `${t.schema}.${t.name}`);

/** Applies one edit; returns its description, or null when it found nothing to act on. */
function applyEdit(draft: Draft, edit: Edit): string | null {
  const family = draft.family;
  const pg = family === 'postgres';
  const [p0, p1, p2, p3] = edit.picks;
  const tables = draft.tables;
  const someTable = tables.length === 0 ? undefined : pick(tables, p0);
  const result = ((): string | null => {
    switch (edit.kind) {
      case 'add_table': {
        const name = addTable(draft, edit.table);
        return name === null ? null : `add table ${name}`;
      }
      case 'drop_table': {
        if (someTable === undefined || tables.length < 2) return null;
        draft.tables = tables.filter((t) => t !== someTable);
        draft.retired.push(someTable.name);
        return `drop table ${label(someTable)}`;
      }
      case 'add_column': {
        if (someTable === undefined) return null;
        const free = COLUMN_NAMES.filter((name) => !someTable.columns.some((c) => c.name === name) && !someTable.retired.includes(name));
        if (free.length === 0) return null;
        const column = buildColumn(family, pick(free, p1), edit.column, draft.enums);
        someTable.columns.push(column);
        return `add column ${label(someTable)}.${column.name} ${fmtType(column.type)}${column.nullable ? ' NULL' : ''}`;
      }
      case 'drop_column': {
        if (someTable === undefined || someTable.columns.length < 2) return null;
        const column = pick(someTable.columns, p1);
        someTable.columns = someTable.columns.filter((c) => c !== column);
        someTable.retired.push(column.name);
        return `drop column ${label(someTable)}.${column.name}`;
      }
      case 'alter_type': {
        if (someTable === undefined) return null;
        const column = pick(someTable.columns, p1);
        const options = relatedTypes(family, column.type, draft.enums);
        if (options.length === 0) return null;
        const from = column.type;
        column.type = resolveEnum(pick(options, p2), draft.enums);
        // A default that does not fit the new type is replaced by one that does (or none).
        const defaults = defaultCandidates(family, column.type);
        const current = column.default;
        if (current !== null && !defaults.some((d) => deepEqual(d, current))) column.default = p3 % 2 === 0 || defaults.length === 0 ? null : pick(defaults, p3);
        return `alter column ${label(someTable)}.${column.name} type ${fmtType(from)} -> ${fmtType(column.type)}`;
      }
      case 'alter_nullable': {
        if (someTable === undefined) return null;
        const column = pick(someTable.columns, p1);
        column.nullable = !column.nullable;
        return `alter column ${label(someTable)}.${column.name} ${column.nullable ? 'NULL' : 'NOT NULL'}`;
      }
      case 'alter_default': {
        if (someTable === undefined) return null;
        const column = pick(someTable.columns, p1);
        const options: (ColumnDefault | null)[] = [null, ...defaultCandidates(family, column.type)];
        const next = pick(options, p2);
        if (deepEqual(next, column.default)) return null;
        column.default = next;
        if (next !== null) column.generation = null;
        return `alter column ${label(someTable)}.${column.name} default ${JSON.stringify(next)}`;
      }
      case 'alter_generation': {
        if (someTable === undefined) return null;
        const column = pick(someTable.columns, p1);
        if (!generatable(family, column.type)) return null;
        const options: (ColumnGeneration | null)[] = pg ? [null, 'increment', 'identity-always', 'identity-by-default'] : [null, 'increment'];
        const next = pick(options.filter((g) => g !== column.generation), p2);
        if (!pg && next === 'increment' && someTable.pk?.[0] !== column.name) {
          // AUTO_INCREMENT has to lead the primary key: make this column the key.
          someTable.pk = [column.name];
          for (const other of someTable.columns) if (other !== column) other.generation = null;
        }
        column.generation = next;
        return `alter column ${label(someTable)}.${column.name} generation ${next ?? 'none'}`;
      }
      case 'alter_comment': {
        if (someTable === undefined) return null;
        const column = pick(someTable.columns, p1);
        const next = pick(COMMENTS[family].filter((c) => c !== column.comment), p2);
        column.comment = next;
        return `alter column ${label(someTable)}.${column.name} comment ${JSON.stringify(next)}`;
      }
      case 'alter_collation': {
        if (someTable === undefined) return null;
        const column = pick(someTable.columns, p1);
        if (!collatable(family, column.type)) return null;
        if (pg) column.collation = column.collation === null ? 'C' : null;
        else [column.charset, column.collation] = pick(MARIADB_CHARSETS.filter(([cs, co]) => cs !== column.charset || co !== column.collation), p2);
        return `alter column ${label(someTable)}.${column.name} charset ${column.charset ?? '-'} collation ${column.collation ?? '-'}`;
      }
      case 'alter_on_update': {
        if (someTable === undefined) return null;
        const column = pick(someTable.columns, p1);
        const options = onUpdateCandidates(family, column.type);
        if (options.length === 0) return null;
        column.onUpdate = column.onUpdate === null ? pick(options, p2) : null;
        return `alter column ${label(someTable)}.${column.name} on update ${column.onUpdate ?? 'none'}`;
      }
      case 'alter_primary_key': {
        if (someTable === undefined) return null;
        const names = someTable.columns.map((c) => c.name);
        const options: (string[] | null)[] = [null, [pick(names, p1)], [...new Set([pick(names, p1), pick(names, p2)])]];
        const next = pick(options, p3);
        if (deepEqual(next, someTable.pk)) return null;
        someTable.pk = next;
        return `primary key ${label(someTable)} (${next?.join(', ') ?? 'none'})`;
      }
      case 'add_index': {
        if (someTable === undefined) return null;
        const names = someTable.columns.map((c) => c.name);
        const columns = [...new Set(p2 % 3 === 0 ? [pick(names, p1), pick(names, p2)] : [pick(names, p1)])];
        someTable.indexes.push({ columns, unique: p3 % 3 === 0, method: indexMethod(family, p0 + p3), partial: p3 % 7 === 2, expression: p3 % 4 === 1 });
        return `add index ${label(someTable)} (${columns.join(', ')})`;
      }
      case 'drop_index': {
        if (someTable === undefined || someTable.indexes.length === 0) return null;
        const dropped = pick(someTable.indexes, p1);
        someTable.indexes = someTable.indexes.filter((i) => i !== dropped);
        return `drop index ${label(someTable)} (${dropped.columns.join(', ')})`;
      }
      case 'redefine_index': {
        if (someTable === undefined || someTable.indexes.length === 0) return null;
        const target = pick(someTable.indexes, p1);
        const variants: Partial<DraftIndex>[] = [
          { unique: !target.unique },
          { method: target.method === null ? indexMethod(family, p3 | 1) : null, unique: false },
          ...(pg ? [{ partial: !target.partial }, { expression: !target.expression }] : []),
        ];
        Object.assign(target, pick(variants, p2));
        return `redefine index ${label(someTable)} (${target.columns.join(', ')}) unique=${target.unique} method=${target.method ?? 'btree'} partial=${target.partial} expression=${target.expression}`;
      }
      case 'add_unique': {
        if (someTable === undefined) return null;
        const names = someTable.columns.map((c) => c.name);
        const columns = [...new Set(p3 % 2 === 0 ? [pick(names, p1), pick(names, p2)] : [pick(names, p1)])];
        someTable.uniques.push(columns);
        return `add unique ${label(someTable)} (${columns.join(', ')})`;
      }
      case 'drop_unique': {
        if (someTable === undefined || someTable.uniques.length === 0) return null;
        const dropped = pick(someTable.uniques, p1);
        someTable.uniques = someTable.uniques.filter((u) => u !== dropped);
        return `drop unique ${label(someTable)} (${dropped.join(', ')})`;
      }
      case 'add_foreign_key': {
        if (someTable === undefined) return null;
        const added = addForeignKey(draft, someTable, p1, p2, p3, p3 >> 2);
        return added === null ? null : `add foreign key ${added}`;
      }
      case 'drop_foreign_key': {
        if (someTable === undefined || someTable.foreignKeys.length === 0) return null;
        const dropped = pick(someTable.foreignKeys, p1);
        someTable.foreignKeys = someTable.foreignKeys.filter((f) => f !== dropped);
        return `drop foreign key ${label(someTable)}.${dropped.column}`;
      }
      case 'alter_foreign_key_actions': {
        if (someTable === undefined || someTable.foreignKeys.length === 0) return null;
        const target = pick(someTable.foreignKeys, p1);
        const actions = pg ? PG_ACTIONS : MARIADB_ACTIONS;
        target.onDelete = pick(actions, p2);
        target.onUpdate = pick(actions, p3);
        return `foreign key ${label(someTable)}.${target.column} ON DELETE ${target.onDelete} ON UPDATE ${target.onUpdate}`;
      }
      case 'alter_key_type': {
        // A referenced key column and every column pointing at it change type together (widening an id): the keys stay.
        const referenced = tables.flatMap((t) => t.foreignKeys.map((f) => ({ t, f })));
        if (referenced.length === 0) return null;
        const { f } = pick(referenced, p0);
        const target = tables.find((t) => t.schema === f.targetSchema && t.name === f.targetTable);
        const targetColumn = target?.columns.find((c) => c.name === f.targetColumn);
        if (target === undefined || targetColumn === undefined) return null;
        const options = relatedTypes(family, targetColumn.type, draft.enums).filter((type) => indexable(family, type) && type.kind !== 'enum');
        if (options.length === 0) return null;
        const from = targetColumn.type;
        const next = pick(options, p1);
        const referencing = tables.flatMap((t) =>
          t.foreignKeys.filter((k) => k.targetSchema === target.schema && k.targetTable === target.name && k.targetColumn === targetColumn.name).map((k) => t.columns.find((c) => c.name === k.column)),
        );
        for (const column of [targetColumn, ...referencing]) {
          if (column === undefined) continue;
          column.type = next;
          if (column.default !== null && !defaultCandidates(family, next).some((d) => deepEqual(d, column.default))) column.default = null;
        }
        return `alter key type ${label(target)}.${targetColumn.name} and its ${referencing.length} referencing column(s) ${fmtType(from)} -> ${fmtType(next)}`;
      }
      case 'add_check': {
        if (someTable === undefined) return null;
        const candidates = someTable.columns.filter((c) => numeric(c.type) && !someTable.checks.some((k) => k.column === c.name));
        if (candidates.length === 0) return null;
        const column = pick(candidates, p1);
        someTable.checks.push({ column: column.name, bound: pick(CHECK_BOUNDS, p2) });
        return `add check ${label(someTable)}.${column.name}`;
      }
      case 'drop_check': {
        if (someTable === undefined || someTable.checks.length === 0) return null;
        const dropped = pick(someTable.checks, p1);
        someTable.checks = someTable.checks.filter((k) => k !== dropped);
        return `drop check ${label(someTable)}.${dropped.column}`;
      }
      case 'alter_check': {
        if (someTable === undefined || someTable.checks.length === 0) return null;
        const target = pick(someTable.checks, p1);
        const next = pick(CHECK_BOUNDS.filter((b) => b !== target.bound), p2);
        target.bound = next;
        return `alter check ${label(someTable)}.${target.column} >= ${next}`;
      }
      case 'alter_table_comment': {
        if (someTable === undefined) return null;
        someTable.comment = pick(COMMENTS[family].filter((c) => c !== someTable.comment), p1);
        return `table comment ${label(someTable)} ${JSON.stringify(someTable.comment)}`;
      }
      case 'enum_add_value': {
        if (draft.enums.length === 0) return null;
        const e = pick(draft.enums, p0);
        const free = ENUM_VALUES.filter((v) => !e.values.includes(v));
        if (free.length === 0) return null;
        const value = pick(free, p1);
        const at = p2 % (e.values.length + 1);
        e.values = [...e.values.slice(0, at), value, ...e.values.slice(at)];
        return `enum ${e.name} add value ${value} at ${at}`;
      }
      case 'enum_remove_value': {
        if (draft.enums.length === 0) return null;
        const e = pick(draft.enums, p0);
        if (e.values.length < 2) return null;
        const value = pick(e.values, p1);
        e.values = e.values.filter((v) => v !== value);
        return `enum ${e.name} remove value ${value}`;
      }
      case 'enum_reorder': {
        if (draft.enums.length === 0) return null;
        const e = pick(draft.enums, p0);
        if (e.values.length < 2) return null;
        e.values = [...e.values].reverse();
        return `enum ${e.name} reorder to (${e.values.join(', ')})`;
      }
      case 'add_enum': {
        const free = ENUM_NAMES.filter((name) => !draft.enums.some((e) => e.name === name));
        if (free.length === 0) return null;
        const name = pick(free, p0);
        draft.enums.push({ name, values: ENUM_VALUES.slice(0, 1 + (p1 % 3)) });
        return `add enum ${name}`;
      }
      case 'drop_enum': {
        const unused = draft.enums.filter((e) => !draft.tables.some((t) => t.columns.some((c) => enumNameOf(c.type) === e.name)));
        if (unused.length === 0) return null;
        const dropped = pick(unused, p0);
        draft.enums = draft.enums.filter((e) => e !== dropped);
        return `drop enum ${dropped.name}`;
      }
      default:
        return null;
    }
  })();
  repair(draft);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// From draft to Schema

const quoteIn = (family: Family, name: string): string => (family === 'postgres' ? `"${name}"` : `\`${name}\``);

function toSchema(original: Draft): Schema {
  // A snapshot: later edits of the draft must not reach into a schema already built from it.
  const draft = structuredClone(original);
  const family = draft.family;
  const tables = draft.tables.map((t): Table => {
    const stem = t.name;
    const columns: Column[] = t.columns.map((c) =>
      col(c.name, c.type, {
        nullable: c.nullable,
        default: c.default,
        generation: c.generation,
        comment: c.comment,
        charset: c.charset,
        collation: c.collation,
        onUpdate: c.onUpdate,
      }),
    );
    return table(t.name, columns, {
      schema: t.schema,
      pk: t.pk,
      pkName: family === 'postgres' ? `${stem}_pkey` : 'PRIMARY',
      indexes: t.indexes.map((i) =>
        index(`${stem}_${i.columns.join('_')}_idx`, i.expression ? i.columns.map((c) => `lower(${c})`) : i.columns, {
          unique: i.unique,
          method: i.method,
          where: i.partial ? `${quoteIn(family, i.columns[0] ?? '')} IS NOT NULL` : null,
        }),
      ),
      uniques: t.uniques.map((columns) => unique(`${stem}_${columns.join('_')}_key`, columns)),
      foreignKeys: t.foreignKeys.map((f) =>
        fk(`${stem}_${f.column}_fk`, [f.column], f.targetTable, [f.targetColumn], { onDelete: f.onDelete, onUpdate: f.onUpdate, referencedSchema: f.targetSchema }),
      ),
      checks: t.checks.map((k) => check(`${stem}_${k.column}_ck`, `${quoteIn(family, k.column)} >= ${k.bound}`)),
      comment: t.comment,
    });
  });
  const enums = draft.enums.map((e) => {
    const dot = e.name.indexOf('.');
    return dot < 0 ? pgEnum(e.name, [...e.values]) : pgEnum(e.name.slice(dot + 1), [...e.values], e.name.slice(0, dot));
  });
  return normalizeSchema(schema(dialectOf(family), tables, enums));
}

// ---------------------------------------------------------------------------------------------------------------
// The pair arbitrary

/**
 * Random valid schema pairs for a family: A with 1..maxTables tables (PostgreSQL: 0..2 enum types), B after
 * 1..maxEdits edits of A. The pair prints compactly (as schema-builder code) in fast-check's counterexample report.
 */
export function schemaPairArb(family: Family, options: PairOptions = {}): fc.Arbitrary<SchemaPair> {
  const exclude = new Set(options.excludeEdits ?? []);
  const avoid: ReadonlySet<KnownBug> = new Set(options.avoid ?? avoidedKnownBugs());
  const enumsArb: fc.Arbitrary<DraftEnum[]> =
    family === 'postgres'
      ? fc.subarray([...ENUM_NAMES]).chain((names) => fc.tuple(...names.map((name) => enumValuesArb.map((values) => ({ name, values })))))
      : fc.constant([]);
  return fc
    .record({
      enums: enumsArb,
      tables: fc.array(tableSeedArb(family), { minLength: 1, maxLength: options.maxTables ?? 4 }),
      edits: fc.array(editArb(family, exclude), { minLength: 1, maxLength: options.maxEdits ?? 8 }),
    })
    .map(({ enums, tables, edits }) => {
      const draft: Draft = { family, tables: [], retired: [], enums: enums.map((e) => ({ name: e.name, values: [...e.values] })) };
      for (const seed of tables) addTable(draft, seed);
      repair(draft);
      const a = toSchema(draft);
      const descriptions: string[] = [];
      for (const edit of edits) {
        const description = applyEdit(draft, edit);
        if (description !== null) descriptions.push(description);
      }
      const b = toSchema(draft);
      return withCompactPrint({ a, b, edits: descriptions });
    })
    .filter((pair) => !knownBugsTripped(pair).some((bug) => avoid.has(bug)));
}

function withCompactPrint(pair: SchemaPair): SchemaPair {
  const printed = (): string => formatPair(pair);
  return Object.defineProperty(pair, fc.toStringMethod, { value: printed, enumerable: false });
}

// ---------------------------------------------------------------------------------------------------------------
// Printing: schemas as schema-builder code, so a counterexample can be pasted into a pinned test.

/** A pair as the code that builds it, with the edits between A and B. */
export function formatPair(pair: SchemaPair): string {
  return [`// edits: ${pair.edits.length === 0 ? '(none took effect)' : pair.edits.join('; ')}`, `const a = ${formatSchema(pair.a)};`, `const b = ${formatSchema(pair.b)};`].join('\n');
}

/** A schema as schema-builder code. */
export function formatSchema(s: Schema): string {
  const q = (value: string | null): string => JSON.stringify(value);
  const tables = s.tables.map((t) => {
    const columns = t.columns.map((c) => {
      const options: string[] = [];
      if (c.nullable) options.push('nullable: true');
      if (c.default !== null) options.push(`default: ${c.default.kind === 'literal' ? `literal(${q(c.default.value)})` : `expr(${q(c.default.sql)})`}`);
      if (c.generation !== null) options.push(`generation: ${q(c.generation)}`);
      if (c.comment !== null) options.push(`comment: ${q(c.comment)}`);
      if (c.charset !== null) options.push(`charset: ${q(c.charset)}`);
      if (c.collation !== null) options.push(`collation: ${q(c.collation)}`);
      if (c.onUpdate !== null && c.onUpdate !== undefined) options.push(`onUpdate: ${q(c.onUpdate)}`);
      return `col(${q(c.name)}, ${formatTypeCode(c.type)}${options.length === 0 ? '' : `, { ${options.join(', ')} }`})`;
    });
    const options: string[] = [];
    if (t.schema !== null) options.push(`schema: ${q(t.schema)}`);
    if (t.primaryKey !== null) options.push(`pk: ${JSON.stringify(t.primaryKey.columns)}`, ...(s.dialect === 'postgres' ? [`pkName: ${q(t.primaryKey.name)}`] : []));
    if (t.indexes.length > 0) {
      const items = t.indexes.map((i) => {
        const extra: string[] = [];
        if (i.unique) extra.push('unique: true');
        if (i.method !== null) extra.push(`method: ${q(i.method)}`);
        if (i.where !== null) extra.push(`where: ${q(i.where)}`);
        return `index(${q(i.name)}, ${JSON.stringify(i.columns)}${extra.length === 0 ? '' : `, { ${extra.join(', ')} }`})`;
      });
      options.push(`indexes: [${items.join(', ')}]`);
    }
    if (t.uniques.length > 0) options.push(`uniques: [${t.uniques.map((u) => `unique(${q(u.name)}, ${JSON.stringify(u.columns)})`).join(', ')}]`);
    if (t.foreignKeys.length > 0) {
      const items = t.foreignKeys.map((f) => {
        const extra = [`onDelete: ${q(f.onDelete)}`, `onUpdate: ${q(f.onUpdate)}`, ...(f.referencedSchema === null ? [] : [`referencedSchema: ${q(f.referencedSchema)}`])];
        return `fk(${q(f.name)}, ${JSON.stringify(f.columns)}, ${q(f.referencedTable)}, ${JSON.stringify(f.referencedColumns)}, { ${extra.join(', ')} })`;
      });
      options.push(`foreignKeys: [${items.join(', ')}]`);
    }
    if (t.checks.length > 0) options.push(`checks: [${t.checks.map((k) => `check(${q(k.name)}, ${q(k.expression)})`).join(', ')}]`);
    if (t.comment !== null) options.push(`comment: ${q(t.comment)}`);
    return `  table(${q(t.name)}, [\n    ${columns.join(',\n    ')},\n  ]${options.length === 0 ? '' : `, { ${options.join(', ')} }`})`;
  });
  const enums = s.enums.length === 0 ? '' : `, [${s.enums.map((e) => `pgEnum(${q(e.name)}, ${JSON.stringify(e.values)}${e.schema === null ? '' : `, ${q(e.schema)}`})`).join(', ')}]`;
  return `schema(${q(s.dialect)}, [\n${tables.join(',\n')}\n]${enums})`;
}

/** A column type as schema-builder code. */
export function formatTypeCode(type: ColumnType): string {
  const unsigned = 'unsigned' in type && type.unsigned ? '{ unsigned: true }' : '';
  switch (type.kind) {
    case 'integer':
      return type.size === 'int' ? `int(${unsigned})` : `integer(${JSON.stringify(type.size)}${unsigned === '' ? '' : `, ${unsigned}`})`;
    case 'boolean':
      return 'bool()';
    case 'decimal':
      return `decimal(${type.precision}, ${type.scale}${unsigned === '' ? '' : `, ${unsigned}`})`;
    case 'float':
      return `${type.size === 'single' ? 'float' : 'double'}(${unsigned})`;
    case 'string':
      if (type.binary) return type.fixed ? JSON.stringify(type) : `varbinary(${type.length})`;
      return `${type.fixed ? 'char' : 'varchar'}(${type.length})`;
    case 'text':
      return `${type.binary ? 'blob' : 'text'}(${type.size === 'regular' ? '' : JSON.stringify(type.size)})`;
    case 'temporal':
      return `temporal(${JSON.stringify(type.name)}${type.precision === null ? '' : `, ${type.precision}`})`;
    case 'json':
      return type.binary ? 'jsonb()' : 'json()';
    case 'uuid':
      return 'uuid()';
    case 'enum':
      return `enumType(${JSON.stringify(type.values)}${type.typeName === null ? '' : `, ${JSON.stringify(type.typeName)}`})`;
    case 'set':
      return `set(${JSON.stringify(type.values)})`;
    case 'vector':
      return `vector(${type.dimensions})`;
    case 'array':
      return `array(${formatTypeCode(type.element)})`;
    case 'raw':
      return `raw(${JSON.stringify(type.sql)})`;
    default:
      return JSON.stringify(type);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Run configuration from the environment

/**
 * The known bugs the generator avoids: SCHEMA_SYNC_PROPERTY_AVOID as a comma-separated list of KNOWN_BUGS names, or
 * `none` to generate every shape (to check a fix); all of them by default.
 */
export function avoidedKnownBugs(): KnownBug[] {
  const all = Object.keys(KNOWN_BUGS) as KnownBug[];
  const text = process.env.SCHEMA_SYNC_PROPERTY_AVOID;
  if (text === undefined || text.trim() === '') return all;
  if (text.trim() === 'none') return [];
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(all as string[]).includes(name));
  if (unknown.length > 0) throw new Error(`SCHEMA_SYNC_PROPERTY_AVOID names unknown bugs: ${unknown.join(', ')} (known: ${all.join(', ')}, or none)`);
  return names as KnownBug[];
}

/** Runs per dialect: SCHEMA_SYNC_PROPERTY_RUNS when set, else the suite's default. */
export function propertyRuns(fallback: number): number {
  const text = process.env.SCHEMA_SYNC_PROPERTY_RUNS;
  if (text === undefined || text.trim() === '') return fallback;
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`SCHEMA_SYNC_PROPERTY_RUNS must be a positive integer, not "${text}"`);
  return runs;
}

/**
 * fast-check's seed and replay path: SCHEMA_SYNC_PROPERTY_SEED (an integer) and SCHEMA_SYNC_PROPERTY_PATH (the
 * `path` a failure report prints), or a fresh seed. The seed is always returned, so it can be printed.
 */
export function propertySeed(): { readonly seed: number; readonly path?: string } {
  const text = process.env.SCHEMA_SYNC_PROPERTY_SEED;
  const path = process.env.SCHEMA_SYNC_PROPERTY_PATH;
  let seed: number;
  if (text === undefined || text.trim() === '') {
    seed = (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  } else {
    seed = Number(text);
    if (!Number.isInteger(seed)) throw new Error(`SCHEMA_SYNC_PROPERTY_SEED must be an integer, not "${text}"`);
  }
  return path === undefined || path.trim() === '' ? { seed } : { seed, path: path.trim() };
}

// ---------------------------------------------------------------------------------------------------------------
// Running pairs on a database (shared by the PostgreSQL, PGlite and MariaDB property suites)

/** One database the property runs on. */
export interface PropertyTarget {
  readonly family: Family;
  /** For messages: `PostgreSQL 15`, `PGlite`, `MariaDB 10.11`. */
  readonly label: string;
  readonly client: DatabaseClient;
  /** Drops everything the previous run created, leaving an empty database. */
  reset(): Promise<void>;
  /** Whether the applier runs each migration in one transaction here (PostgreSQL, PGlite): checked that way too. */
  readonly transactional?: boolean;
  /** Runs when SCHEMA_SYNC_PROPERTY_RUNS is not set. */
  readonly defaultRuns: number;
  /** Runs whatever SCHEMA_SYNC_PROPERTY_RUNS says (a suite that scales the variable itself). */
  readonly runs?: number;
  readonly pairs?: PairOptions;
}

/** The SQL a pair runs: the copy of A, then migrate and rollback of the plan A -> B. */
export interface PairSql {
  readonly copy: readonly StatementGroup[];
  readonly migrate: readonly StatementGroup[];
  readonly rollback: readonly StatementGroup[];
}

/** Renders what verifyRoundTrip runs for a pair: A from nothing, and the plan A -> B with --drop and no renames. */
export function renderPair(pair: SchemaPair, online?: OnlineTarget): PairSql {
  const sql = sqlDialectFor(pair.a.dialect);
  const empty: Schema = { dialect: pair.a.dialect, tables: [], enums: [] };
  const copy = renderPlan(planMigration(empty, pair.a, { allowDrop: true, renames: [] }), empty, sql);
  // The migration in the form `sync` writes by default: on MariaDB every ALTER states its algorithm and lock.
  const plan = renderPlan(planMigration(pair.a, pair.b, { allowDrop: true, renames: [], reorderPrimaryKeys: true }), pair.a, sql, online);
  return { copy: copy.migrate, migrate: plan.migrate, rollback: plan.rollback };
}

/** Statement groups as numbered lines, the way verifyRoundTrip counts them. */
export function formatStatements(groups: readonly StatementGroup[]): string {
  let n = 0;
  const lines = groups.flatMap((group) => [`  -- ${group.comment}`, ...group.statements.map((statement) => `  ${++n}. ${statement};`)]);
  return lines.length === 0 ? '  (none)' : lines.join('\n');
}

/**
 * How a pair is run:
 *  - `verifyRoundTrip`: the tool's own verification. Create A from nothing and check the introspected schema is
 *    exactly A, migrate and check B, roll back and check A, migrate and rollback in transactions as `apply` runs them.
 *  - `as applied`: the same steps, run here rather than by verifyRoundTrip: migrate and rollback each inside one
 *    transaction (BEGIN … COMMIT), after the leading statements that must commit first (leadingCommitFirst), as
 *    `apply` and `rollback` run a migration where DDL is transactional (PostgreSQL, PGlite).
 */
export type RoundTripMode = 'verifyRoundTrip' | 'as applied';

/**
 * The property for one pair, on an empty database, in the given modes (on a non-transactional target, `as applied`
 * is the same as verifyRoundTrip and is skipped). A failure carries the tool's message, the mode and all the SQL.
 */
export async function roundTripPair(
  target: Pick<PropertyTarget, 'client' | 'label' | 'reset' | 'transactional'>,
  pair: SchemaPair,
  modes: readonly RoundTripMode[] = ['verifyRoundTrip', 'as applied'],
): Promise<PairSql> {
  let rendered: PairSql | null = null;
  let step = 'rendering';
  try {
    const online = pair.a.dialect === 'postgres' ? undefined : { dialect: pair.a.dialect, version: parseServerVersion(await target.client.serverVersion()) };
    rendered = renderPair(pair, online);
    if (modes.includes('verifyRoundTrip')) {
      step = 'verifyRoundTrip';
      await verifyRoundTrip({
        shadow: target.client,
        shadowDescription: target.label,
        sql: sqlDialectFor(pair.a.dialect),
        before: pair.a,
        after: pair.b,
        migrate: rendered.migrate,
        rollback: rendered.rollback,
      });
    }
    if (target.transactional === true && modes.includes('as applied')) {
      step = 'as applied: migrate and rollback each in one transaction, as `apply` and `rollback` run them';
      if (modes.includes('verifyRoundTrip')) await target.reset();
      await appliedRoundTrip(target.client, pair, rendered);
    }
    return rendered;
  } catch (error) {
    const sql =
      rendered === null
        ? '(rendering failed)'
        : [`copy of A:`, formatStatements(rendered.copy), `migrate A -> B:`, formatStatements(rendered.migrate), `rollback B -> A:`, formatStatements(rendered.rollback)].join('\n');
    const stack = error instanceof Error && !(error instanceof SchemaSyncError) ? `\n${error.stack ?? ''}` : '';
    throw new Error(`[${step}] ${messageOf(error)}${stack}\n\nSQL:\n${sql}`);
  }
}

/** Copy of A, then migrate and rollback each in one transaction, checking the schema after each, as the applier runs them. */
async function appliedRoundTrip(client: DatabaseClient, pair: SchemaPair, rendered: PairSql): Promise<void> {
  const schemas = [...new Set([...pair.a.tables, ...pair.a.enums, ...pair.b.tables, ...pair.b.enums].flatMap((x) => (x.schema === null ? [] : [x.schema])))];
  const run = async (groups: readonly StatementGroup[], phase: string, transaction: boolean) => {
    const statements = groups.flatMap((group) => group.statements);
    // As the applier splits them: the leading statements that must commit first in a transaction of their own.
    const first = transaction ? leadingCommitFirst(statements, historySqlFor(client).transaction) : 0;
    for (const [i, statement] of statements.entries()) {
      if (transaction && (i === 0 || i === first)) await client.execute('BEGIN');
      try {
        await client.execute(statement);
      } catch (error) {
        if (transaction) await client.execute('ROLLBACK').catch(() => undefined);
        throw new Error(`${phase}, statement ${i + 1}${transaction ? ' (in its transaction)' : ''}:\n  ${statement}\n  ${messageOf(error)}`);
      }
      if (transaction && (i + 1 === first || i + 1 === statements.length)) await client.execute('COMMIT');
    }
  };
  const expect = async (expected: Schema, what: string) => {
    const found = normalizeSchema({ ...(await introspect(client, { extraSchemas: schemas })), dialect: expected.dialect });
    const differences = diffSchemas(found, expected).changes;
    if (differences.length > 0) throw new Error(`${what} differs from what was expected:\n${differences.map((c) => `  - ${describeChange(c).detail}`).join('\n')}`);
  };
  await run(rendered.copy, 'copying A', false);
  await expect(pair.a, 'the copy of A');
  await run(rendered.migrate, 'migrate', true);
  await expect(pair.b, 'the schema after migrate');
  await run(rendered.rollback, 'rollback', true);
  await expect(pair.a, 'the schema after rollback');
}

/** The shrinking budget after a first failure: SCHEMA_SYNC_PROPERTY_SHRINK_SECONDS, 90 s by default. */
function shrinkBudgetMs(): number {
  const text = process.env.SCHEMA_SYNC_PROPERTY_SHRINK_SECONDS;
  const seconds = text === undefined || text.trim() === '' ? 90 : Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`SCHEMA_SYNC_PROPERTY_SHRINK_SECONDS must be a number of seconds, not "${text}"`);
  return seconds * 1000;
}

/** What a property run exercised, for the summary line. */
export interface PropertySummary {
  readonly runs: number;
  readonly seed: number;
  readonly statements: number;
  readonly changeKinds: ReadonlyMap<string, number>;
  readonly milliseconds: number;
}

/**
 * Runs the migration property on a target: SCHEMA_SYNC_PROPERTY_RUNS pairs (default `target.defaultRuns`), seeded
 * from SCHEMA_SYNC_PROPERTY_SEED (and SCHEMA_SYNC_PROPERTY_PATH to replay one shrunk case) or a fresh seed that a
 * failure prints. Shrinking stops after the budget: every later candidate passes untried, so fast-check reports the
 * smallest failure found so far.
 */
export async function assertMigrationProperty(target: PropertyTarget): Promise<PropertySummary> {
  const numRuns = target.runs ?? propertyRuns(target.defaultRuns);
  const { seed, path } = propertySeed();
  const budget = shrinkBudgetMs();
  const started = Date.now();
  let firstFailure: number | null = null;
  let statements = 0;
  const changeKinds = new Map<string, number>();
  // On a transactional target each pair runs in one of the two modes (half the time each), not both: twice the pairs
  // for the same time. A counterexample keeps its mode while it shrinks.
  const modes: fc.Arbitrary<RoundTripMode> = target.transactional === true ? fc.constantFrom<RoundTripMode>('verifyRoundTrip', 'as applied') : fc.constant('verifyRoundTrip');
  const property = fc.asyncProperty(schemaPairArb(target.family, target.pairs), modes, async (pair, mode) => {
    if (firstFailure !== null && Date.now() - firstFailure > budget) return;
    await target.reset();
    try {
      const rendered = await roundTripPair(target, pair, [mode]);
      if (firstFailure === null) {
        for (const group of rendered.migrate) statements += group.statements.length;
        for (const change of planMigration(pair.a, pair.b, { allowDrop: true, renames: [], reorderPrimaryKeys: true }).forward) changeKinds.set(change.kind, (changeKinds.get(change.kind) ?? 0) + 1);
      }
    } catch (error) {
      firstFailure ??= Date.now();
      throw error;
    }
  });
  try {
    await fc.assert(property, { numRuns, seed, includeErrorInReport: true, ...(path === undefined ? {} : { path }) });
  } catch (error) {
    const replay = `Replay: SCHEMA_SYNC_PROPERTY_SEED=${seed} and SCHEMA_SYNC_PROPERTY_PATH=<the path above> (or only the seed to rerun every pair)`;
    throw new Error(`Migration property failed on ${target.label} (seed ${seed}).\n${replay}\n\n${messageOf(error)}`);
  }
  return { runs: numRuns, seed, statements, changeKinds, milliseconds: Date.now() - started };
}

/** One line saying what a passing run covered. */
export function formatSummary(label: string, summary: PropertySummary): string {
  const kinds = [...summary.changeKinds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([kind, count]) => `${kind} ${count}`);
  return `${label}: ${summary.runs} schema pairs in ${(summary.milliseconds / 1000).toFixed(1)} s (seed ${summary.seed}), ${summary.statements} migrate statements; changes: ${kinds.join(', ')}`;
}

/** A test timeout that fits the run count, the shrinking budget and some slack. */
export function propertyTimeoutMs(defaultRuns: number, msPerRun: number): number {
  return propertyRuns(defaultRuns) * msPerRun + shrinkBudgetMs() + 120_000;
}
