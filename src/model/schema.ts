/**
 * The neutral schema model: plain readonly data shared by every stage.
 * Both the desired schema (from the ORM models) and the actual schema (from the live database) are expressed in it,
 * already normalised per dialect, so the diff can compare structures instead of catalog text.
 */

/** The SQL family a schema belongs to. PGlite reports as `postgres`. */
export type Dialect = 'postgres' | 'mysql' | 'mariadb';

/** A whole database schema: its tables and, on PostgreSQL, its named enum types. */
export interface Schema {
  readonly dialect: Dialect;
  readonly tables: readonly Table[];
  /** PostgreSQL named enum types (`CREATE TYPE … AS ENUM`); always empty on MySQL, where enums are inline. */
  readonly enums: readonly EnumType[];
  /** Views (PostgreSQL materialized views too); absent or empty when there are none. */
  readonly views?: readonly View[];
  /**
   * The rows the ORM keeps about views and generated columns (TypeORM's `typeorm_metadata`), with the table they live
   * in: the ORM compares its models with these rows, not with the server's reformatted definitions. Absent when the
   * models need none and the database has none.
   */
  readonly ormMetadata?: OrmMetadata;
  /**
   * The live size of each table, by {@link tableKey}: only on a schema just read from a database (normalisation and
   * every later stage leave it out), for the lock and rewrite report.
   */
  readonly tableSizes?: Readonly<Record<string, TableSize>>;
}

/** A view, or on PostgreSQL a materialized view. */
export interface View {
  /** Schema name, or null for the default schema. */
  readonly schema: string | null;
  readonly name: string;
  readonly materialized: boolean;
  /**
   * The query the view was created from, as the models state it: what the diff compares. On the live side, the text
   * the ORM recorded when it made the view, or the server's own definition when nothing recorded it.
   */
  readonly query: string;
  /**
   * Live side: whether `query` is the text recorded in the ORM's metadata rows. When false it is the server's
   * reformatted definition, which cannot be compared with the models' text, so the view is replaced. Always true on
   * the models' side.
   */
  readonly recorded: boolean;
  /**
   * Qualified keys (as `tableKey` gives them) of the tables and views the query reads, as far as they are known: the
   * server's dependency catalog on the live side, the views named in `dependsOn` on the models' side. Sets the order
   * of creation and drop, and which views are rebuilt around a change to what they read.
   */
  readonly reads: readonly string[];
  /** Indexes of a PostgreSQL materialized view (TypeORM's `@Index` on its columns); absent when none. */
  readonly indexes?: readonly Index[];
}

/** The ORM's own table of metadata rows and the rows in it that concern this schema. */
export interface OrmMetadata {
  /** The table's name (TypeORM's `metadataTableName`, `typeorm_metadata` by default). */
  readonly table: string;
  /**
   * PostgreSQL: the schema the table is in when not the default one (TypeORM creates it in the DataSource's `schema`);
   * absent in the default schema.
   */
  readonly schema?: string;
  readonly records: readonly OrmRecord[];
}

/** One row of TypeORM's metadata table, column for column. */
export interface OrmRecord {
  /** `VIEW`, `MATERIALIZED_VIEW` or `GENERATED_COLUMN`. */
  readonly type: string;
  readonly database: string | null;
  readonly schema: string | null;
  readonly table: string | null;
  readonly name: string | null;
  readonly value: string | null;
}

/** A table's size from the catalog: the server's row estimate (null when never analysed) and its bytes on disk. */
export interface TableSize {
  readonly rowsEstimate: number | null;
  readonly bytes: number;
}

/** A PostgreSQL enum type. */
export interface EnumType {
  /** Schema name, or null for the connection's default schema (`public`). */
  readonly schema: string | null;
  readonly name: string;
  readonly values: readonly string[];
}

/** One table with everything the diff compares. */
export interface Table {
  /** Schema name, or null for the default schema (PostgreSQL `public`, the current MySQL database). */
  readonly schema: string | null;
  readonly name: string;
  /** Columns in their physical order. */
  readonly columns: readonly Column[];
  readonly primaryKey: PrimaryKey | null;
  /** Indexes that are not the backing index of a primary key, unique constraint or (MySQL) foreign key. */
  readonly indexes: readonly Index[];
  /** Unique constraints (PostgreSQL). MySQL has only unique indexes, which live in `indexes`. */
  readonly uniques: readonly UniqueConstraint[];
  readonly foreignKeys: readonly ForeignKey[];
  readonly checks: readonly CheckConstraint[];
  /** PostgreSQL EXCLUDE constraints (TypeORM's `@Exclusion`); absent or empty when the table has none. */
  readonly exclusions?: readonly ExclusionConstraint[];
  readonly comment: string | null;
}

/** A generated (computed) column: the expression the server evaluates, and whether it stores the values. */
export interface ComputedColumn {
  readonly expression: string;
  /** STORED; false for MySQL's VIRTUAL (PostgreSQL 15 stores every generated column). */
  readonly stored: boolean;
}

/** How a column produces its own values. */
export type ColumnGeneration = 'increment' | 'identity-always' | 'identity-by-default';

/** One column. */
export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly default: ColumnDefault | null;
  /** Auto increment / serial / identity; null for an ordinary column. */
  readonly generation: ColumnGeneration | null;
  readonly comment: string | null;
  /**
   * MySQL character set; null for the table's (what a definition naming none gets), when `collation` names it (the
   * normalised form), or when not applicable.
   */
  readonly charset: string | null;
  /**
   * Collation; null for what a definition naming none gets, or when not applicable: on MySQL the table's collation
   * when `charset` is null, else the default collation of `charset`; on PostgreSQL the type's default collation.
   */
  readonly collation: string | null;
  /**
   * MySQL's `ON UPDATE` expression (`current_timestamp(6)` on TypeORM's UpdateDateColumn), canonical as defaults are;
   * always null on PostgreSQL, which has no such clause.
   */
  readonly onUpdate: string | null;
  /**
   * Set only on a generated column (`GENERATED ALWAYS AS (…) STORED`, MySQL's `AS (…) VIRTUAL`); the key is absent on
   * every other column, so that columns built without it compare equal.
   */
  readonly computed?: ComputedColumn;
  /**
   * MySQL's display attributes of an integer column (TypeORM 0.3's `width` and `zerofill`): a width other than the
   * server's default for the type, ZEROFILL. Absent when neither. Rendered, never compared: they change no stored
   * value, MySQL 8.0.17 deprecated both and TypeORM 1.x dropped them, but TypeORM 0.3 compares them and would want a
   * column our migration made without them changed again.
   */
  readonly display?: IntegerDisplay;
}

/** A MySQL integer column's display width (null: the server's default) and ZEROFILL. */
export interface IntegerDisplay {
  readonly width: number | null;
  readonly zerofill: boolean;
}

/**
 * A column default, already normalised by the dialect: a literal keeps its unquoted value (`'abc'::varchar` and
 * MariaDB's `'abc'` both become `{ literal, 'abc' }`); an expression keeps canonical SQL (`now()`, `current_timestamp(6)`).
 */
export type ColumnDefault =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'expression'; readonly sql: string };

/** Integer widths from MySQL's TINYINT to BIGINT. */
export type IntegerSize = 'tiny' | 'small' | 'medium' | 'int' | 'big';

/** Date and time types as the server stores them. */
export type TemporalName = 'timestamp' | 'timestamptz' | 'datetime' | 'date' | 'time' | 'timetz' | 'interval' | 'year';

/**
 * A structured column type. Display widths (`int(11)`), spellings (`character varying`, `int4`, `bool`) and
 * other catalog noise are removed by the dialect's parser before a type ever reaches this shape.
 */
export type ColumnType =
  | { readonly kind: 'integer'; readonly size: IntegerSize; readonly unsigned: boolean }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'decimal'; readonly precision: number | null; readonly scale: number | null; readonly unsigned: boolean }
  | { readonly kind: 'float'; readonly size: 'single' | 'double'; readonly unsigned: boolean }
  /** varchar / char / varbinary / binary; `length` null means unbounded (PostgreSQL `varchar` with no length). */
  | { readonly kind: 'string'; readonly fixed: boolean; readonly binary: boolean; readonly length: number | null }
  /** text / blob family and PostgreSQL `text` / `bytea`. */
  | { readonly kind: 'text'; readonly size: 'tiny' | 'regular' | 'medium' | 'long'; readonly binary: boolean }
  | { readonly kind: 'temporal'; readonly name: TemporalName; readonly precision: number | null }
  /** `binary` is true for PostgreSQL `jsonb`. */
  | { readonly kind: 'json'; readonly binary: boolean }
  | { readonly kind: 'uuid' }
  /** PostgreSQL names its enum type (`typeName`); MySQL enums are inline and `typeName` is null. */
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly typeName: string | null }
  | { readonly kind: 'set'; readonly values: readonly string[] }
  | { readonly kind: 'vector'; readonly dimensions: number | null }
  | { readonly kind: 'array'; readonly element: ColumnType }
  /** Escape hatch for types the tool does not model (inet, geometry, tsvector…): canonical lower-case SQL. */
  | { readonly kind: 'raw'; readonly sql: string };

/** A primary key. Its name is kept for rendering but never compared (MySQL always calls it PRIMARY). */
export interface PrimaryKey {
  readonly name: string | null;
  readonly columns: readonly string[];
}

/** A secondary index. */
export interface Index {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  /** PostgreSQL partial index predicate, normalised; null when the index covers every row. */
  readonly where: string | null;
  /** Access method when it is not the default b-tree (`gin`, `hnsw`, `fulltext`, `spatial`…); null for b-tree. */
  readonly method: string | null;
  /**
   * How each key (by position in `columns`) is ordered and compared. Absent when every key is a plain ascending key,
   * which is the normalised form; optional so that the many indexes that have none need not say so.
   */
  readonly keys?: readonly IndexKeyOptions[];
  /** PostgreSQL `INCLUDE` columns, stored in the index but not part of its key; absent when none. */
  readonly include?: readonly string[];
  /** PostgreSQL storage parameters (`WITH (m = 16, ef_construction = 64)`): lower-case names, values as text; absent when none. */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** One key of an index beyond its column or expression. */
export interface IndexKeyOptions {
  /** PostgreSQL operator class when it is not the default one for the key's type (`gin_trgm_ops`, `vector_cosine_ops`). */
  readonly opclass: string | null;
  readonly descending: boolean;
  /** PostgreSQL `NULLS FIRST|LAST` when it is not the direction's default (LAST ascending, FIRST descending); else null. */
  readonly nulls: 'first' | 'last' | null;
  /** MySQL/MariaDB prefix length (`name(10)`); null for the whole column. */
  readonly length: number | null;
}

/** The options of a key that is a plain ascending key of the whole column with the default operator class. */
export const PLAIN_INDEX_KEY: IndexKeyOptions = { opclass: null, descending: false, nulls: null, length: null };

/** A unique constraint (PostgreSQL). */
export interface UniqueConstraint {
  readonly name: string;
  readonly columns: readonly string[];
  readonly deferrable?: Deferrable;
}

/**
 * When a PostgreSQL constraint may be checked: at the end of the transaction or, unless a transaction says otherwise,
 * per statement. Absent: not deferrable (and always absent on MySQL and MariaDB, which have no such thing).
 */
export type Deferrable = 'INITIALLY IMMEDIATE' | 'INITIALLY DEFERRED';

/** Referential actions, upper-case as SQL spells them. */
export type ForeignKeyAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

/** A foreign key constraint. */
export interface ForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  /** Schema of the referenced table, or null for the default schema. */
  readonly referencedSchema: string | null;
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
  readonly onDelete: ForeignKeyAction;
  readonly onUpdate: ForeignKeyAction;
  readonly deferrable?: Deferrable;
}

/** A CHECK constraint with its normalised expression. */
export interface CheckConstraint {
  readonly name: string;
  readonly expression: string;
}

/** A PostgreSQL exclusion constraint; `expression` is what follows EXCLUDE (`USING gist (room WITH =, …)`). */
export interface ExclusionConstraint {
  readonly name: string;
  readonly expression: string;
  readonly deferrable?: Deferrable;
}

/** The qualified name of a table, used as a key: `schema.table` or just `table` for the default schema. */
export function tableKey(table: { readonly schema: string | null; readonly name: string }): string {
  return table.schema === null ? table.name : `${table.schema}.${table.name}`;
}
