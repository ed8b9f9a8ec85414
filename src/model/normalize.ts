import { compareText, deepEqual } from './compare';
import { PLAIN_INDEX_KEY, type Column, type ColumnDefault, type ColumnType, type Index, type IndexKeyOptions, type Schema, type Table, type View } from './schema';

/** Tables the tool owns; they never appear in a diff. */
export const OWN_TABLES: readonly string[] = ['schema_sync_history', 'schema_sync_lock'];

/**
 * Brings a schema into the one canonical form the diff compares. Runs on both sides, so a quirk absorbed here can
 * never show up as a phantom change: sorting, literal defaults compared by value for their type, MySQL unique
 * constraints as unique indexes.
 */
export function normalizeSchema(schema: Schema): Schema {
  const mysqlFamily = schema.dialect !== 'postgres';
  return {
    dialect: schema.dialect,
    tables: schema.tables
      .filter((table) => !OWN_TABLES.includes(table.name))
      .map((table) => normalizeTable(table, mysqlFamily))
      .sort((a, b) => compareText(a.schema ?? '', b.schema ?? '') || compareText(a.name, b.name)),
    enums: [...schema.enums]
      .map((enumType) => ({ ...enumType }))
      .sort((a, b) => compareText(a.schema ?? '', b.schema ?? '') || compareText(a.name, b.name)),
    ...normalizeViews(schema.views ?? []),
    ...(schema.ormMetadata === undefined ? {} : { ormMetadata: schema.ormMetadata }),
  };
}

/** Views sorted by name; the key is left out when there are none, so schemas without views compare as before. */
function normalizeViews(views: readonly View[]): { views?: View[] } {
  if (views.length === 0) return {};
  const normalized = views.map((view) => {
    const { indexes, ...rest } = view;
    const sorted = (indexes ?? []).map((index) => normalizeIndex(index, false)).sort(byName);
    return { ...rest, reads: [...new Set(view.reads)].sort(compareText), ...(sorted.length === 0 ? {} : { indexes: sorted }) };
  });
  return { views: normalized.sort((a, b) => compareText(a.schema ?? '', b.schema ?? '') || compareText(a.name, b.name)) };
}

function normalizeTable(table: Table, mysqlFamily: boolean): Table {
  const uniquesAsIndexes: Index[] = mysqlFamily
    ? table.uniques.map((unique) => ({ name: unique.name, columns: unique.columns, unique: true, where: null, method: null }))
    : [];
  return {
    ...table,
    columns: table.columns.map((column) => normalizeColumn(column, table, mysqlFamily)),
    primaryKey: table.primaryKey === null ? null : { ...table.primaryKey, name: mysqlFamily ? 'PRIMARY' : table.primaryKey.name },
    indexes: [...table.indexes, ...uniquesAsIndexes].map((index) => normalizeIndex(index, mysqlFamily)).sort(byName),
    uniques: mysqlFamily ? [] : [...table.uniques].sort(byName),
    // RESTRICT and NO ACTION stay as written (TypeORM tells them apart); the diff compares them as equal on MySQL.
    foreignKeys: [...table.foreignKeys].sort(byName),
    // Check and predicate text stays real SQL (it is rendered); the diff compares it through canonicalExpression.
    checks: [...table.checks].sort(byName),
    comment: emptyToNull(table.comment),
  };
}

function normalizeColumn(column: Column, table: Table, mysqlFamily: boolean): Column {
  const inPrimaryKey = table.primaryKey?.columns.includes(column.name) ?? false;
  return {
    ...column,
    // MariaDB has no NULL/NOT NULL on a generated column (its catalog says nullable), and TypeORM writes none there.
    nullable: inPrimaryKey ? false : mysqlFamily && column.computed !== undefined ? true : column.nullable,
    default: column.generation !== null ? null : normalizeDefault(column.default, column.type, mysqlFamily),
    comment: emptyToNull(column.comment),
    // On MySQL a collation names its character set, so `CHARACTER SET x COLLATE x_y` and `COLLATE x_y` are one column.
    charset: mysqlFamily && column.collation !== null ? null : column.charset,
  };
}

/**
 * One spelling per index: the default method, key options and storage parameters absent rather than stated, names of
 * methods, operator classes and parameters in lower case, NULLS placement only where it is not the direction's own.
 */
export function normalizeIndex(index: Index, mysqlFamily: boolean): Index {
  const { keys, include, parameters, ...rest } = index;
  const method = index.method === null || index.method.toLowerCase() === 'btree' ? null : index.method.toLowerCase();
  const normalizedKeys = index.columns.map((_, k) => normalizeKey(keys?.[k] ?? PLAIN_INDEX_KEY, mysqlFamily));
  const parameterEntries = Object.entries(parameters ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)] as const);
  return {
    ...rest,
    method,
    ...(normalizedKeys.some((key) => !deepEqual(key, PLAIN_INDEX_KEY)) ? { keys: normalizedKeys } : {}),
    ...(include === undefined || include.length === 0 ? {} : { include: [...include] }),
    ...(parameterEntries.length === 0 ? {} : { parameters: Object.fromEntries(parameterEntries.sort(([a], [b]) => compareText(a, b))) }),
  };
}

function normalizeKey(key: IndexKeyOptions, mysqlFamily: boolean): IndexKeyOptions {
  // MySQL has neither operator classes nor NULLS placement (NULLs sort first ascending); PostgreSQL has no prefixes.
  const nulls = mysqlFamily || key.nulls === (key.descending ? 'first' : 'last') ? null : key.nulls;
  return {
    opclass: mysqlFamily || key.opclass === null ? null : key.opclass.toLowerCase(),
    descending: key.descending,
    nulls,
    length: mysqlFamily ? key.length : null,
  };
}

/** Literal defaults compared by value: `5` and `5.00` on a decimal, `1` and `true` on a boolean, JSON by content. */
export function normalizeDefault(value: ColumnDefault | null, type: ColumnType, mysqlFamily: boolean): ColumnDefault | null {
  if (value === null || value.kind !== 'literal') return value;
  const literal = value.value;
  switch (type.kind) {
    case 'integer':
    case 'decimal':
    case 'float': {
      if (mysqlFamily && type.kind === 'integer' && (literal === 'true' || literal === 'false')) {
        return { kind: 'literal', value: literal === 'true' ? '1' : '0' };
      }
      return { kind: 'literal', value: canonicalNumber(literal) };
    }
    case 'boolean':
      return { kind: 'literal', value: canonicalBoolean(literal) };
    case 'json':
      return { kind: 'literal', value: canonicalJson(literal) };
    default:
      return value;
  }
}

function canonicalNumber(text: string): string {
  const trimmed = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return trimmed;
  const negative = trimmed.startsWith('-');
  let digits = trimmed.replace(/^[-+]/, '');
  if (/e/i.test(digits)) return String(Number(trimmed));
  if (digits.includes('.')) digits = digits.replace(/0+$/, '').replace(/\.$/, '');
  digits = digits.replace(/^0+(?=\d)/, '');
  if (digits.startsWith('.')) digits = `0${digits}`;
  if (digits === '' || digits === '0') return '0';
  return negative ? `-${digits}` : digits;
}

function canonicalBoolean(text: string): string {
  const lower = text.trim().toLowerCase();
  if (['1', 'true', 't', 'yes', 'y', 'on'].includes(lower)) return 'true';
  if (['0', 'false', 'f', 'no', 'n', 'off'].includes(lower)) return 'false';
  return lower;
}

function canonicalJson(text: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return text;
  }
}

/** JSON objects are unordered (jsonb and MySQL JSON store keys sorted), so keys are compared in one fixed order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).sort(compareText).map((key) => [key, sortKeys(record[key])]));
  }
  return value;
}

function emptyToNull(value: string | null): string | null {
  return value === null || value === '' ? null : value;
}

function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return compareText(a.name, b.name);
}
