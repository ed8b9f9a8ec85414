import type { Change } from '../../change/change';
import type { Column, ColumnDefault, ColumnType, EnumType, ForeignKey, Table } from '../../model/schema';
import type { RenderContext } from '../sql-dialect';
import { quotePostgresIdentifier, quotePostgresLiteral, quotePostgresQualified, quotePostgresTable } from './quote';
import { foreignKeyClause } from './render-constraint';
import { renderPostgresDefault } from './render-type';

type ChangeOf<K extends Change['kind']> = Extract<Change, { readonly kind: K }>;

/** create_enum: `CREATE TYPE … AS ENUM (…)`. */
export function createPostgresEnum(change: ChangeOf<'create_enum'>): readonly string[] {
  return [createEnumSql(change.enumType)];
}

/** drop_enum. */
export function dropPostgresEnum(change: ChangeOf<'drop_enum'>): readonly string[] {
  return [`DROP TYPE ${enumName(change.enumType)}`];
}

/**
 * alter_enum. When every old value survives in its old relative order, the new ones are added in place with
 * `ALTER TYPE … ADD VALUE IF NOT EXISTS [BEFORE|AFTER]`. Since PostgreSQL 12 that may run inside a transaction, but
 * a value added there cannot be used (as a default, in a cast, in a row) until the transaction commits: the plan puts
 * these statements first and `apply` commits them before the rest (ADD_ENUM_VALUE in ./history).
 * Otherwise (a value removed or moved) the type is recreated: the old one is renamed `<name>_old`, the new one
 * created, every column that uses it (found in `context.before`, arrays included) converted through text with its
 * default dropped and restored around the conversion, and the old type dropped. Rows holding a removed value make
 * that conversion fail, which is why removing a value is a guarded change. Columns in schemas that were not
 * introspected are not seen, and then DROP TYPE fails rather than silently dropping them.
 */
export function alterPostgresEnum(change: ChangeOf<'alter_enum'>, context: RenderContext): readonly string[] {
  const { from, to } = change;
  return isInOrderSubset(from.values, to.values) ? addValues(from, to) : recreate(from, to, context);
}

function createEnumSql(enumType: EnumType): string {
  return `CREATE TYPE ${enumName(enumType)} AS ENUM (${enumType.values.map(quotePostgresLiteral).join(', ')})`;
}

function enumName(enumType: { readonly schema: string | null; readonly name: string }): string {
  return quotePostgresQualified(enumType.schema, enumType.name);
}

/** True when `old` appears in `next` in the same relative order (so only insertions are needed). */
function isInOrderSubset(old: readonly string[], next: readonly string[]): boolean {
  let i = 0;
  for (const value of next) if (i < old.length && value === old[i]) i++;
  return i === old.length;
}

/**
 * One ADD VALUE per new value: plain (appended) when it follows every old value, BEFORE the first old value when it
 * precedes them all (each is put just before it, so they stay in order among themselves), else AFTER its predecessor,
 * which is an old value or a new one added by an earlier statement.
 */
function addValues(from: EnumType, to: EnumType): string[] {
  const old = new Set(from.values);
  const oldPositions = to.values.flatMap((value, i) => (old.has(value) ? [i] : []));
  const firstOld = oldPositions[0] ?? -1;
  const lastOld = oldPositions[oldPositions.length - 1] ?? -1;
  return to.values.flatMap((value, i) => {
    if (old.has(value)) return [];
    const sql = `ALTER TYPE ${enumName(to)} ADD VALUE IF NOT EXISTS ${quotePostgresLiteral(value)}`;
    if (i > lastOld) return [sql];
    if (i < firstOld) return [`${sql} BEFORE ${quotePostgresLiteral(to.values[firstOld] ?? '')}`];
    return [`${sql} AFTER ${quotePostgresLiteral(to.values[i - 1] ?? '')}`];
  });
}

function recreate(from: EnumType, to: EnumType, context: RenderContext): string[] {
  const oldName = `${from.name}_old`;
  const newType = enumName(to);
  const users = columnsUsing(context.before.tables, from);
  // A foreign key refuses each one-column conversion while the columns at its other end still have the old type.
  const keys = foreignKeysOver(context.before.tables, users);
  const out = [
    `ALTER TYPE ${enumName(from)} RENAME TO ${quotePostgresIdentifier(oldName)}`,
    createEnumSql(to),
    ...keys.map(({ table, foreignKey }) => `ALTER TABLE ${quotePostgresTable(table)} DROP CONSTRAINT ${quotePostgresIdentifier(foreignKey.name)}`),
  ];
  for (const { table, column } of users) {
    const alter = (action: string): string =>
      `ALTER TABLE ${quotePostgresTable(table)} ALTER COLUMN ${quotePostgresIdentifier(column.name)} ${action}`;
    const array = column.type.kind === 'array';
    if (column.default !== null) out.push(alter('DROP DEFAULT'));
    const name = quotePostgresIdentifier(column.name);
    out.push(alter(array ? `TYPE ${newType}[] USING ${name}::text[]::${newType}[]` : `TYPE ${newType} USING ${name}::text::${newType}`));
    // A default naming a removed value cannot be restored; the alter_column that follows in the plan sets the new one.
    if (column.default !== null && defaultFits(column.default, array, to)) {
      out.push(alter(`SET DEFAULT ${renderPostgresDefault(column.default, column.type)}`));
    }
  }
  out.push(...keys.map(({ table, foreignKey }) => `ALTER TABLE ${quotePostgresTable(table)} ADD ${foreignKeyClause(foreignKey)}`));
  out.push(`DROP TYPE ${quotePostgresQualified(from.schema, oldName)}`);
  return out;
}

/** Whether a default only names values the new type has (an expression is taken to fit). */
function defaultFits(value: ColumnDefault, array: boolean, to: EnumType): boolean {
  if (value.kind !== 'literal') return true;
  const used = array ? arrayLiteralElements(value.value) : [value.value];
  return used === null || used.every((element) => element === null || to.values.includes(element));
}

/**
 * The elements of a one-dimensional array literal (`{a,"b c",NULL}`), NULL as null; null when the text is not such a
 * literal.
 */
function arrayLiteralElements(text: string): (string | null)[] | null {
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  const inner = text.slice(1, -1);
  const elements: (string | null)[] = [];
  let i = 0;
  while (i < inner.length) {
    let element = '';
    if (inner[i] === '"') {
      i++;
      while (i < inner.length && inner[i] !== '"') {
        if (inner[i] === '\\') i++;
        element += inner[i] ?? '';
        i++;
      }
      if (i >= inner.length) return null;
      i++;
      elements.push(element);
    } else {
      while (i < inner.length && inner[i] !== ',') element += inner[i++];
      if (element.includes('{') || element.includes('"')) return null;
      const trimmed = element.trim();
      elements.push(trimmed.toUpperCase() === 'NULL' ? null : trimmed);
    }
    if (i < inner.length && inner[i] !== ',') return null;
    i++;
  }
  return elements;
}

/** The foreign keys with a column among `columns` at either end, once each, with the table that owns them. */
function foreignKeysOver(tables: readonly Table[], columns: readonly { table: Table; column: Column }[]): { table: Table; foreignKey: ForeignKey }[] {
  const converted = (schema: string | null, name: string, column: string) =>
    columns.some((use) => use.table.schema === schema && use.table.name === name && use.column.name === column);
  return tables.flatMap((table) =>
    table.foreignKeys
      .filter(
        (foreignKey) =>
          foreignKey.columns.some((column) => converted(table.schema, table.name, column)) ||
          foreignKey.referencedColumns.some((column) => converted(foreignKey.referencedSchema, foreignKey.referencedTable, column)),
      )
      .map((foreignKey) => ({ table, foreignKey })),
  );
}

/** Every column whose type is the enum or an array of it, by the model's type key (`name` or `schema.name`). */
function columnsUsing(tables: readonly Table[], enumType: EnumType): { table: Table; column: Column }[] {
  const key = enumType.schema === null ? enumType.name : `${enumType.schema}.${enumType.name}`;
  const uses = (type: ColumnType): boolean =>
    (type.kind === 'enum' && type.typeName === key) || (type.kind === 'array' && uses(type.element));
  return tables.flatMap((table) => table.columns.filter((column) => uses(column.type)).map((column) => ({ table, column })));
}
