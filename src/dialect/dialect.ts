import type { ColumnDefault, ColumnType, Dialect } from '../model/schema';

/**
 * What a dialect knows about its own spelling of types and defaults. The same parser reads both the catalog's text
 * (format_type, COLUMN_TYPE, column_default) and the text TypeORM would create, so both sides of the diff pass
 * through one normaliser.
 */
export interface DialectTypeSystem {
  readonly dialect: Dialect;
  /**
   * Parses a full SQL type (`character varying(255)`, `int(11) unsigned`, `timestamp(6) with time zone`,
   * `vector(768)`, `integer[]`, `enum('a','b')`) into a structured type. Unknown types become `{ kind: 'raw' }`.
   */
  parseType(sql: string): ColumnType;
  /**
   * Parses a default as the catalog or TypeORM prints it (`'abc'::character varying`, `'abc'`, `now()`,
   * `current_timestamp(6)`, `NULL`). Returns null when the column has no default (or defaults to NULL).
   */
  parseDefault(sql: string | null | undefined): ColumnDefault | null;
  /**
   * A default the model states as a plain string value (`default: "it's"`). TypeORM pastes such a value between quotes
   * without escaping it, so its text cannot be parsed back; the value is quoted here with the dialect's own rules and
   * read like any catalog default, so both sides still meet in one normaliser.
   */
  parseStatedString(value: string): ColumnDefault | null;
}
