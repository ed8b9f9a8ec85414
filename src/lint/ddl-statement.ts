import type { TableRef } from '../change/change';
import type { CheckConstraint, Column, ColumnDefault, ColumnType, ForeignKey, Index, UniqueConstraint } from '../model/schema';

/** The algorithm and lock a MySQL-family statement states (`ALGORITHM=INSTANT, LOCK=NONE`); null where it states none. */
export interface StatedAlgorithm {
  readonly algorithm: string | null;
  readonly lock: string | null;
}

/** What lint reads from one SQL statement: enough to know its locks, nothing more. */
export type DdlStatement =
  | { readonly kind: 'create_table'; readonly table: TableRef }
  | { readonly kind: 'drop_table'; readonly tables: readonly TableRef[] }
  | { readonly kind: 'rename_table'; readonly from: TableRef; readonly to: TableRef }
  | { readonly kind: 'create_index'; readonly table: TableRef; readonly index: Index; readonly concurrently: boolean; readonly stated: StatedAlgorithm }
  | { readonly kind: 'drop_index'; readonly name: string; readonly table: TableRef | null; readonly concurrently: boolean }
  | { readonly kind: 'alter_table'; readonly table: TableRef; readonly actions: readonly AlterAction[]; readonly stated: StatedAlgorithm }
  /** A statement that rebuilds tables or indexes where they are: PostgreSQL's VACUUM FULL, CLUSTER, REINDEX; MySQL's OPTIMIZE TABLE. */
  | RebuildStatement
  /** Anything else: data statements, session settings, functions, DDL lint has no rule for. */
  | { readonly kind: 'other' };

/** The maintenance commands that rebuild a table or its indexes in place. */
export type RebuildCommand = 'VACUUM FULL' | 'CLUSTER' | 'REINDEX' | 'OPTIMIZE TABLE';

/** A rebuild, and what it names: tables, an index (REINDEX INDEX), or everything of a scope (`SCHEMA app`, `DATABASE`). */
export interface RebuildStatement {
  readonly kind: 'rebuild';
  readonly command: RebuildCommand;
  readonly tables: readonly TableRef[];
  /** REINDEX INDEX's index. */
  readonly index: string | null;
  /** What the command covers when it names no table or index: `every table`, `SCHEMA app`, `DATABASE`, `SYSTEM`. */
  readonly whole: string | null;
  /** REINDEX … CONCURRENTLY (PostgreSQL 12+). */
  readonly concurrently: boolean;
}

/** One clause of an ALTER TABLE. */
export type AlterAction =
  /** `references`: an inline `REFERENCES t (id)` in the column's definition, a foreign key added with it. */
  | { readonly kind: 'add_column'; readonly column: Column; readonly references?: ForeignKey }
  | { readonly kind: 'drop_column'; readonly name: string }
  /** PostgreSQL `ALTER COLUMN … TYPE`; `using`: the USING expression's text, null without one. */
  | { readonly kind: 'alter_type'; readonly name: string; readonly type: ColumnType; readonly using: string | null }
  | { readonly kind: 'set_not_null'; readonly name: string }
  | { readonly kind: 'drop_not_null'; readonly name: string }
  | { readonly kind: 'set_default'; readonly name: string; readonly default: ColumnDefault | null }
  /** MySQL `MODIFY col …` and `CHANGE old new …`: the whole new definition. */
  | { readonly kind: 'modify_column'; readonly from: string; readonly column: Column }
  | { readonly kind: 'rename_column'; readonly from: string; readonly to: string }
  | { readonly kind: 'rename_table'; readonly to: TableRef }
  | { readonly kind: 'add_foreign_key'; readonly foreignKey: ForeignKey; readonly notValid: boolean }
  | { readonly kind: 'add_check'; readonly check: CheckConstraint; readonly notValid: boolean }
  /** `usingIndex`: PostgreSQL's `UNIQUE USING INDEX`, over an index built beforehand (CONCURRENTLY). */
  | { readonly kind: 'add_unique'; readonly unique: UniqueConstraint; readonly usingIndex: boolean }
  | { readonly kind: 'add_primary_key'; readonly columns: readonly string[]; readonly usingIndex: boolean }
  /** MySQL `ADD [UNIQUE|FULLTEXT|SPATIAL] INDEX`. */
  | { readonly kind: 'add_index'; readonly index: Index }
  | { readonly kind: 'validate_constraint'; readonly name: string }
  | { readonly kind: 'drop_constraint'; readonly name: string }
  | { readonly kind: 'drop_index'; readonly name: string }
  | { readonly kind: 'drop_foreign_key'; readonly name: string }
  | { readonly kind: 'drop_primary_key' }
  | { readonly kind: 'rename_index'; readonly from: string; readonly to: string }
  | { readonly kind: 'comment' }
  | { readonly kind: 'other'; readonly text: string };
