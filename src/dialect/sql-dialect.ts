import type { Change, ChangeKind } from '../change/change';
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

/** Everything that turns the neutral model into one SQL family's text. The only place SQL is written. */
export interface SqlDialect {
  readonly family: 'postgres' | 'mysql';
  /** Quotes an identifier, doubling the quote character inside it. */
  quoteIdentifier(name: string): string;
  /** Quotes a string literal. */
  quoteLiteral(value: string): string;
  /** The SQL spelling of a type. */
  renderType(type: ColumnType): string;
  /** The statements for one change, each a complete SQL statement without a trailing semicolon. */
  render(change: Change, context: RenderContext): readonly string[];
}
