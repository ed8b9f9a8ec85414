import type { Change, ChangeKind, TableRef } from '../change/change';
import type { DataQuestion } from '../change/data-checks';
import type { ColumnType, Schema } from '../model/schema';

/** What a renderer may consult besides the change itself. */
export interface RenderContext {
  /** The schema as it is just before this change runs (enum recreation needs the columns that use the type). */
  readonly before: Schema;
}

/**
 * One SQL renderer per change kind. A new change kind without a renderer is a compile error in every dialect,
 * not a runtime surprise.
 */
export type ChangeRenderers = {
  readonly [K in ChangeKind]: (change: Extract<Change, { readonly kind: K }>, context: RenderContext) => readonly string[];
};

/**
 * A phased rename's copy as keyset batches: the first keys, the keys after a key, and the update of a key range. The
 * key is a tuple of `keys` columns, read as `k0`, `k1`, …; the statements take `?` parameters, each a column of a key
 * tuple: `nextParams` index the key after which to go on, `updateParams` the batch's first tuple then its last.
 */
export interface BatchedCopySql {
  readonly keys: number;
  readonly first: string;
  readonly next: string;
  readonly nextParams: readonly number[];
  readonly update: string;
  readonly updateParams: readonly number[];
}

/** Everything that turns the neutral model into one SQL family's text. The only place SQL is written. */
export interface SqlDialect {
  readonly family: 'postgres' | 'mysql';
  /** Quotes an identifier, doubling the quote character inside it. */
  quoteIdentifier(name: string): string;
  /** Quotes a string literal. */
  quoteLiteral(value: string): string;
  /** A table name, qualified when its schema is not the default one. */
  quoteTable(table: TableRef): string;
  /** The one `SELECT count(*) AS n` that answers a data question. */
  dataQuery(question: DataQuestion): string;
  /**
   * One INSERT of `rows` (each a list of SQL expressions, one per column) that skips a row colliding with a unique
   * key instead of failing: the shape verification seeds a shadow's tables with.
   */
  insertSkippingDuplicates(table: TableRef, columns: readonly string[], rows: readonly (readonly string[])[]): string;
  /** The SQL spelling of a type. */
  renderType(type: ColumnType): string;
  /**
   * The copy of a phased rename as keyset batches the migration file loops over (`render` then gives the final
   * sweep); null where the statement `render` gives batches itself on the server (PostgreSQL's DO block).
   */
  batchedCopy(change: Extract<Change, { kind: 'copy_column' }>): BatchedCopySql | null;
  /** The statements for one change, each a complete SQL statement without a trailing semicolon. */
  render(change: Change, context: RenderContext): readonly string[];
}
