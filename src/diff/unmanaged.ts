/**
 * An object in the database that the models say must be left alone (TypeORM's `synchronize: false`, an expression
 * index the model cannot express…): reported once, never planned.
 */
export interface UnmanagedObject {
  readonly kind: 'table' | 'view' | 'index';
  /** Qualified table key (`schema.table`, or `table` in the default schema). */
  readonly table: string;
  readonly name: string;
  readonly reason: string;
}
