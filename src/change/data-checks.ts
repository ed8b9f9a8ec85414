import type { Change, TableRef } from './change';
import { needsFill } from './column-fill';
import { isWidening } from './safety';
import type { ColumnType, Schema } from '../model/schema';

/**
 * A question about the live data that decides whether a change is safe. Changes declare the data they need; the
 * dialect turns each question into one `SELECT count(*)`; an empty table therefore never warns.
 */
export type DataQuestion =
  | { readonly kind: 'row_count'; readonly table: TableRef }
  /** 1 when the table holds at least one row, else 0. */
  | { readonly kind: 'any_row'; readonly table: TableRef }
  | { readonly kind: 'non_null_count'; readonly table: TableRef; readonly column: string }
  | { readonly kind: 'null_count'; readonly table: TableRef; readonly column: string }
  | { readonly kind: 'too_long_count'; readonly table: TableRef; readonly column: string; readonly maxLength: number }
  | { readonly kind: 'duplicate_count'; readonly table: TableRef; readonly columns: readonly string[] }
  | { readonly kind: 'not_integer_count'; readonly table: TableRef; readonly column: string }
  | { readonly kind: 'not_number_count'; readonly table: TableRef; readonly column: string }
  /** Rows whose column holds one of `values` (enum labels about to be removed). */
  | { readonly kind: 'value_in_count'; readonly table: TableRef; readonly column: string; readonly values: readonly string[] };

/** How bad a non-zero answer is: `destroys` reports what a guarded change would destroy; `blocks` stops the file. */
export type DataCheckSeverity = 'destroys' | 'blocks';

/** One check: the change it guards, the question, and how to say the answer. */
export interface DataCheck {
  readonly change: Change;
  readonly question: DataQuestion;
  readonly severity: DataCheckSeverity;
  /** A sentence for `count` affected rows, naming the table and column. */
  readonly describe: (count: number) => string;
}

/**
 * The data checks a change needs; most changes need none. `before` (the schema the change runs on) lets a PostgreSQL
 * enum type change find the columns that use the type.
 */
export function dataChecksFor(change: Change, before?: Schema): DataCheck[] {
  switch (change.kind) {
    case 'alter_enum':
      return before === undefined ? [] : enumTypeChecks(change, before);
    case 'drop_table':
      // The ORM's metadata rows describe the models' views and generated columns; the ORM writes them again from
      // the models, so they are bookkeeping, not data anybody loses.
      if (before?.ormMetadata !== undefined && change.table.schema === (before.ormMetadata.schema ?? null) && before.ormMetadata.table === change.table.name) return [];
      return [check(change, { kind: 'row_count', table: change.table }, 'destroys', (n) => `dropping table ${name(change.table)} destroys ${rows(n)}`)];
    case 'drop_column': {
      const where = `${name(change.table)}.${change.column.name}`;
      return [check(change, { kind: 'non_null_count', table: change.table, column: change.column.name }, 'destroys', (n) => `dropping column ${where} destroys ${n} non-null value${n === 1 ? '' : 's'}`)];
    }
    case 'add_column': {
      const column = change.column;
      if (!needsFill(column) || change.fill !== undefined) return [];
      return [
        check(change, { kind: 'row_count', table: change.table }, 'blocks', (n) =>
          `adding NOT NULL column ${name(change.table)}.${column.name} without a default fails: the table has ${rows(n)} (--fill ${name(change.table)}.${column.name}=value fills them, or add a default, or make it nullable)`,
        ),
      ];
    }
    case 'alter_column':
      return alterColumnChecks(change);
    case 'create_index':
      return change.index.unique ? [duplicateCheck(change, change.table, change.index.columns, `unique index ${change.index.name}`)] : [];
    case 'add_unique':
      return [duplicateCheck(change, change.table, change.unique.columns, `unique constraint ${change.unique.name}`)];
    default:
      return [];
  }
}

function alterColumnChecks(change: Extract<Change, { kind: 'alter_column' }>): DataCheck[] {
  const checks: DataCheck[] = [];
  const where = `${name(change.table)}.${change.to.name}`;
  const column = change.from.name;
  if (change.changed.includes('nullable') && !change.to.nullable) {
    checks.push(check(change, { kind: 'null_count', table: change.table, column }, 'blocks', (n) => `making ${where} NOT NULL fails: ${rows(n)} hold NULL`));
  }
  if (change.changed.includes('type') && change.from.type.kind === 'enum' && change.to.type.kind === 'enum') {
    const to = change.to.type.values;
    const removed = change.from.type.values.filter((value) => !to.includes(value));
    if (removed.length > 0) checks.push(enumValueCheck(change, change.table, column, where, removed));
  } else if (change.changed.includes('type') && !isWidening(change.from.type, change.to.type)) {
    const maxLength = stringLength(change.to.type);
    if (typeof maxLength === 'number' && stringLength(change.from.type) !== undefined) {
      checks.push(
        check(change, { kind: 'too_long_count', table: change.table, column, maxLength }, 'blocks', (n) => `narrowing ${where} to ${maxLength} characters would cut ${rows(n)} holding longer values`),
      );
    } else if (isIntegerType(change.to.type) && !isIntegerType(change.from.type)) {
      checks.push(check(change, { kind: 'not_integer_count', table: change.table, column }, 'blocks', (n) => `changing ${where} to an integer type fails: ${rows(n)} hold values that are not integers`));
    } else if (isNumericType(change.to.type) && !isNumericType(change.from.type)) {
      checks.push(check(change, { kind: 'not_number_count', table: change.table, column }, 'blocks', (n) => `changing ${where} to a number type fails: ${rows(n)} hold values that are not numbers`));
    }
  }
  return checks;
}

/** Removing labels from a PostgreSQL enum type: one check per column of that type. */
function enumTypeChecks(change: Extract<Change, { kind: 'alter_enum' }>, before: Schema): DataCheck[] {
  const removed = change.from.values.filter((value) => !change.to.values.includes(value));
  if (removed.length === 0) return [];
  const key = change.from.schema === null ? change.from.name : `${change.from.schema}.${change.from.name}`;
  return before.tables.flatMap((table) =>
    table.columns
      .filter((column) => column.type.kind === 'enum' && column.type.typeName === key)
      .map((column) => enumValueCheck(change, { schema: table.schema, name: table.name }, column.name, `${name(table)}.${column.name}`, removed)),
  );
}

function enumValueCheck(change: Change, table: TableRef, column: string, where: string, removed: readonly string[]): DataCheck {
  const labels = removed.map((value) => `'${value}'`).join(', ');
  return check(change, { kind: 'value_in_count', table, column, values: removed }, 'blocks', (n) => `removing enum value${removed.length === 1 ? '' : 's'} ${labels} fails: ${rows(n)} of ${where} hold ${removed.length === 1 ? 'it' : 'them'}`);
}

function duplicateCheck(change: Change, table: TableRef, columns: readonly string[], what: string): DataCheck {
  return check(change, { kind: 'duplicate_count', table, columns }, 'blocks', (n) => `adding ${what} on ${name(table)} (${columns.join(', ')}) fails: ${n} value${n === 1 ? ' is' : 's are'} duplicated`);
}

function check(change: Change, question: DataQuestion, severity: DataCheckSeverity, describe: (count: number) => string): DataCheck {
  return { change, question, severity, describe };
}

/** Max length for a bounded string target; null for other targets; undefined when the source is not text-like. */
function stringLength(type: ColumnType): number | null | undefined {
  if (type.kind === 'string') return type.binary ? undefined : type.length;
  if (type.kind === 'text') return type.binary ? undefined : null;
  return undefined;
}

function isIntegerType(type: ColumnType): boolean {
  return type.kind === 'integer';
}

function isNumericType(type: ColumnType): boolean {
  return type.kind === 'integer' || type.kind === 'decimal' || type.kind === 'float';
}

function name(table: TableRef): string {
  return table.schema === null ? table.name : `${table.schema}.${table.name}`;
}

function rows(n: number): string {
  return `${n} row${n === 1 ? '' : 's'}`;
}
