import type {
  CheckConstraint,
  ExclusionConstraint,
  Column,
  EnumType,
  ForeignKey,
  Index,
  OrmRecord,
  PrimaryKey,
  Table,
  UniqueConstraint,
  View,
} from '../model/schema';

/** Identifies a table in a change: schema (null = default) and name. */
export interface TableRef {
  readonly schema: string | null;
  readonly name: string;
}

/**
 * The value a NOT NULL column without a default takes in the rows that exist when it is added: given by the user
 * (`--fill table.column=value`) or, for a rollback that re-adds a dropped column, the type's neutral value.
 */
export interface ColumnFill {
  /** The literal, unquoted (the dialect quotes it as it quotes any default). */
  readonly value: string;
  readonly chosenBy: 'user' | 'schema-sync';
}

/** The column properties an `alter_column` can change. */
export type ColumnAspect = 'type' | 'nullable' | 'default' | 'generation' | 'comment' | 'charset' | 'collation' | 'onUpdate' | 'computed';

/**
 * One schema change. Every change carries the complete objects on both sides (a drop carries what it drops), so
 * its inverse can always be computed and rendered by the same dialect; no change holds SQL text.
 */
export type Change =
  | { readonly kind: 'create_table'; readonly table: Table }
  /** Only from an explicit hint (`--rename old=new`): a rename is never guessed. */
  | { readonly kind: 'rename_table'; readonly from: TableRef; readonly to: TableRef }
  | { readonly kind: 'drop_table'; readonly table: Table }
  /** `fill`: a NOT NULL column without a default that must also work on a table with rows (see column-fill.ts). */
  | { readonly kind: 'add_column'; readonly table: TableRef; readonly column: Column; readonly fill?: ColumnFill }
  | { readonly kind: 'drop_column'; readonly table: TableRef; readonly column: Column }
  /** Only from an explicit hint; `from` and `to` differ in name only (other differences follow as alter_column). */
  | { readonly kind: 'rename_column'; readonly table: TableRef; readonly from: Column; readonly to: Column }
  | {
      readonly kind: 'alter_column';
      readonly table: TableRef;
      readonly from: Column;
      readonly to: Column;
      readonly changed: readonly ColumnAspect[];
    }
  | { readonly kind: 'alter_primary_key'; readonly table: TableRef; readonly from: PrimaryKey | null; readonly to: PrimaryKey | null }
  | { readonly kind: 'create_index'; readonly table: TableRef; readonly index: Index }
  /** `from` and `to` have the same definition and differ in name only (a cheap rename, never drop + create). */
  | { readonly kind: 'rename_index'; readonly table: TableRef; readonly from: Index; readonly to: Index }
  | { readonly kind: 'rename_unique'; readonly table: TableRef; readonly from: UniqueConstraint; readonly to: UniqueConstraint }
  | { readonly kind: 'rename_foreign_key'; readonly table: TableRef; readonly from: ForeignKey; readonly to: ForeignKey }
  | { readonly kind: 'drop_index'; readonly table: TableRef; readonly index: Index }
  | { readonly kind: 'add_unique'; readonly table: TableRef; readonly unique: UniqueConstraint }
  | { readonly kind: 'drop_unique'; readonly table: TableRef; readonly unique: UniqueConstraint }
  | { readonly kind: 'add_foreign_key'; readonly table: TableRef; readonly foreignKey: ForeignKey }
  | { readonly kind: 'drop_foreign_key'; readonly table: TableRef; readonly foreignKey: ForeignKey }
  | { readonly kind: 'add_check'; readonly table: TableRef; readonly check: CheckConstraint }
  | { readonly kind: 'drop_check'; readonly table: TableRef; readonly check: CheckConstraint }
  | { readonly kind: 'add_exclusion'; readonly table: TableRef; readonly exclusion: ExclusionConstraint }
  | { readonly kind: 'drop_exclusion'; readonly table: TableRef; readonly exclusion: ExclusionConstraint }
  | { readonly kind: 'alter_table_comment'; readonly table: TableRef; readonly from: string | null; readonly to: string | null }
  | { readonly kind: 'create_enum'; readonly enumType: EnumType }
  | { readonly kind: 'drop_enum'; readonly enumType: EnumType }
  | { readonly kind: 'alter_enum'; readonly from: EnumType; readonly to: EnumType }
  | { readonly kind: 'create_view'; readonly view: View }
  | { readonly kind: 'drop_view'; readonly view: View }
  /**
   * A view whose query (or materialization) differs: what the diff reports. Planning turns it into a drop and a
   * create, since a view's columns may change with its query and PostgreSQL's CREATE OR REPLACE cannot drop columns.
   */
  | { readonly kind: 'replace_view'; readonly from: View; readonly to: View }
  /**
   * A phased rename's copy (plan/phase-split.ts): fills `to` from `from` where `to` is NULL, in batches along the
   * primary key `key` (its columns in key order; keyset pagination on the tuple). It never overwrites a value, so
   * running it again is harmless.
   */
  | { readonly kind: 'copy_column'; readonly table: TableRef; readonly from: string; readonly to: string; readonly key: readonly string[] }
  /** A phased rename's trigger (`--sync-trigger`): keeps `from` and `to` in step while old and new releases both write. */
  | { readonly kind: 'create_sync_trigger'; readonly table: TableRef; readonly name: string; readonly from: string; readonly to: string }
  | { readonly kind: 'drop_sync_trigger'; readonly table: TableRef; readonly name: string; readonly from: string; readonly to: string }
  /** A row written into the ORM's metadata table (`table`), so the ORM reads the object as in step with its models. */
  | { readonly kind: 'add_orm_record'; readonly table: TableRef; readonly record: OrmRecord }
  | { readonly kind: 'remove_orm_record'; readonly table: TableRef; readonly record: OrmRecord };

/** The discriminant of a change. */
export type ChangeKind = Change['kind'];

/**
 * Every change kind, in the order a migration applies them: keys and indexes that may stand in the way go first
 * (a column in a foreign key or primary key cannot change type or nullability under it), then creations, then the
 * keys that point at created tables, and data-destroying drops last.
 */
export const CHANGE_KINDS: readonly ChangeKind[] = [
  // Views go first and come back last: they may read any column or table the other changes touch.
  'drop_view',
  'replace_view',
  'remove_orm_record',
  'create_enum',
  'alter_enum',
  'rename_table',
  'rename_column',
  'drop_sync_trigger',
  'rename_index',
  'rename_unique',
  'rename_foreign_key',
  'drop_foreign_key',
  'drop_unique',
  'drop_index',
  'drop_check',
  'drop_exclusion',
  'create_table',
  'add_column',
  'alter_column',
  'create_sync_trigger',
  'copy_column',
  'alter_primary_key',
  'create_index',
  'add_unique',
  'add_check',
  'add_exclusion',
  'add_foreign_key',
  'alter_table_comment',
  'drop_column',
  'drop_table',
  'drop_enum',
  'create_view',
  'add_orm_record',
];

/** The table (or view) a change belongs to, or null for schema-level changes (enum types). */
export function tableOf(change: Change): TableRef | null {
  switch (change.kind) {
    case 'create_table':
    case 'drop_table':
      return { schema: change.table.schema, name: change.table.name };
    case 'rename_table':
      return change.to;
    case 'create_enum':
    case 'drop_enum':
    case 'alter_enum':
      return null;
    case 'create_view':
    case 'drop_view':
      return { schema: change.view.schema, name: change.view.name };
    case 'replace_view':
      return { schema: change.to.schema, name: change.to.name };
    default:
      return change.table;
  }
}
