import type { Dialect, Index, IndexKeyOptions } from '../model/schema';
import type { DeclaredIndex } from '../source/declared-indexes';
import { SchemaSyncError } from '../util/errors';

/*
 * The `"indexes"` setting of schema-sync.json: indexes the TypeORM decorators cannot describe (an hnsw index with an
 * operator class and storage parameters, an expression key, INCLUDE columns, a prefix length), declared once so the
 * diff creates and then keeps them. Every error names the file and the key path (`indexes[2].with.m`).
 *
 *   { "table": "chunks", "name": "idx_chunks_embedding_hnsw", "columns": ["embedding"], "using": "hnsw",
 *     "opclass": "vector_cosine_ops", "with": { "m": 16, "ef_construction": 64 }, "dialects": ["postgres"] }
 *
 * A key is a column name, or `{ "column" | "expression", "opclass", "order": "asc"|"desc", "nulls": "first"|"last",
 * "length" }`; `"expression": "lower(email)"` at the top is a one-key index on that expression, and a top-level
 * `"opclass"` applies to every key that names none.
 */

const INDEX_SETTINGS = ['table', 'name', 'columns', 'expression', 'using', 'opclass', 'with', 'where', 'unique', 'include', 'dialects'];
const KEY_SETTINGS = ['column', 'expression', 'opclass', 'order', 'nulls', 'length'];
const DIALECTS: readonly Dialect[] = ['postgres', 'mysql', 'mariadb'];

/** Reads and checks the `"indexes"` list of a settings file. */
export function parseDeclaredIndexes(value: unknown, file: string): DeclaredIndex[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw bad(file, 'indexes', 'must be a list of index declarations');
  const declared = value.map((entry, i) => parseDeclaredIndex(entry, file, `indexes[${i}]`));
  const seen = new Set<string>();
  for (const [i, entry] of declared.entries()) {
    const key = `${entry.table.schema ?? ''}.${entry.table.name}.${entry.index.name}.${(entry.dialects ?? DIALECTS).join(',')}`;
    if (seen.has(key)) throw bad(file, `indexes[${i}].name`, `declares "${entry.index.name}" on ${entry.table.name} a second time`);
    seen.add(key);
  }
  return declared;
}

function parseDeclaredIndex(value: unknown, file: string, at: string): DeclaredIndex {
  const record = objectAt(value, file, at);
  const unknown = Object.keys(record).filter((key) => !INDEX_SETTINGS.includes(key));
  if (unknown.length > 0) throw bad(file, `${at}.${unknown[0]}`, `is not an index setting (known: ${INDEX_SETTINGS.join(', ')})`);
  const table = requiredName(record.table, file, `${at}.table`);
  const name = requiredName(record.name, file, `${at}.name`);
  if ((record.columns === undefined) === (record.expression === undefined)) {
    throw bad(file, at, 'needs exactly one of "columns" (a list of keys) or "expression" (one key)');
  }
  const defaultOpclass = optionalName(record.opclass, file, `${at}.opclass`);
  const rawKeys: unknown[] =
    record.expression !== undefined ? [{ expression: requiredText(record.expression, file, `${at}.expression`) }] : listAt(record.columns, file, `${at}.columns`);
  if (rawKeys.length === 0) throw bad(file, `${at}.columns`, 'must name at least one key');
  const keys = rawKeys.map((key, k) => parseKey(key, defaultOpclass, file, record.expression !== undefined ? `${at}.expression` : `${at}.columns[${k}]`));
  const dot = table.indexOf('.');
  const index: Index = {
    name,
    columns: keys.map((key) => key.key),
    unique: optionalBoolean(record.unique, file, `${at}.unique`) ?? false,
    where: optionalText(record.where, file, `${at}.where`),
    method: optionalName(record.using, file, `${at}.using`),
    keys: keys.map((key) => key.options),
    ...(record.include === undefined ? {} : { include: listAt(record.include, file, `${at}.include`).map((column, k) => requiredName(column, file, `${at}.include[${k}]`)) }),
    ...(record.with === undefined ? {} : { parameters: parseParameters(record.with, file, `${at}.with`) }),
  };
  return {
    table: dot < 0 ? { schema: null, name: table } : { schema: table.slice(0, dot), name: table.slice(dot + 1) },
    index,
    dialects: record.dialects === undefined ? null : parseDialects(record.dialects, file, `${at}.dialects`),
    source: `${file} ${at}`,
    columnNames: [...keys.filter((key) => key.column).map((key) => key.key), ...(index.include ?? [])],
  };
}

interface ParsedKey {
  readonly key: string;
  /** Whether `key` names a column (else it is an expression). */
  readonly column: boolean;
  readonly options: IndexKeyOptions;
}

function parseKey(value: unknown, defaultOpclass: string | null, file: string, at: string): ParsedKey {
  const plain = (key: string, column: boolean): ParsedKey => ({ key, column, options: { opclass: defaultOpclass, descending: false, nulls: null, length: null } });
  if (typeof value === 'string') return plain(requiredName(value, file, at), true);
  const record = objectAt(value, file, at);
  if (at.endsWith('.expression')) return plain(requiredText(record.expression, file, at), false);
  const unknown = Object.keys(record).filter((key) => !KEY_SETTINGS.includes(key));
  if (unknown.length > 0) throw bad(file, `${at}.${unknown[0]}`, `is not a key setting (known: ${KEY_SETTINGS.join(', ')})`);
  if ((record.column === undefined) === (record.expression === undefined)) throw bad(file, at, 'needs exactly one of "column" or "expression"');
  const key = record.column !== undefined ? requiredName(record.column, file, `${at}.column`) : requiredText(record.expression, file, `${at}.expression`);
  const order = oneOf(record.order, ['asc', 'desc'], file, `${at}.order`);
  const nulls = oneOf(record.nulls, ['first', 'last'], file, `${at}.nulls`);
  const length = record.length === undefined ? null : record.length;
  if (length !== null && (typeof length !== 'number' || !Number.isInteger(length) || length < 1)) throw bad(file, `${at}.length`, 'must be a positive whole number');
  return {
    key,
    column: record.column !== undefined,
    options: {
      opclass: record.opclass === undefined ? defaultOpclass : optionalName(record.opclass, file, `${at}.opclass`),
      descending: order === 'desc',
      nulls: nulls as IndexKeyOptions['nulls'],
      length: length as number | null,
    },
  };
}

/** `WITH` parameters: names as PostgreSQL words, values numbers, booleans or short strings. */
function parseParameters(value: unknown, file: string, at: string): Record<string, string> {
  const record = objectAt(value, file, at);
  const parameters: Record<string, string> = {};
  for (const [name, raw] of Object.entries(record)) {
    if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw bad(file, `${at}.${name}`, 'is not a storage parameter name (letters, digits, _)');
    if (typeof raw !== 'number' && typeof raw !== 'boolean' && typeof raw !== 'string') throw bad(file, `${at}.${name}`, 'must be a number, boolean or string');
    parameters[name.toLowerCase()] = String(raw);
  }
  return parameters;
}

function parseDialects(value: unknown, file: string, at: string): Dialect[] {
  return listAt(value, file, at).map((dialect, k) => {
    if (typeof dialect !== 'string' || !DIALECTS.includes(dialect as Dialect)) throw bad(file, `${at}[${k}]`, `must be one of ${DIALECTS.join(', ')}`);
    return dialect as Dialect;
  });
}

function objectAt(value: unknown, file: string, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(file, at, 'must be an object');
  return value as Record<string, unknown>;
}

function listAt(value: unknown, file: string, at: string): unknown[] {
  if (!Array.isArray(value)) throw bad(file, at, 'must be a list');
  return value;
}

function requiredText(value: unknown, file: string, at: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw bad(file, at, 'must be a non-empty string');
  return value.trim();
}

function optionalText(value: unknown, file: string, at: string): string | null {
  return value === undefined || value === null ? null : requiredText(value, file, at);
}

function requiredName(value: unknown, file: string, at: string): string {
  const text = requiredText(value, file, at);
  if (text.includes('\u0000')) throw bad(file, at, 'must not contain NUL');
  return text;
}

/** An access method or operator class: a word, optionally schema-qualified (`public.gin_trgm_ops`). */
function optionalName(value: unknown, file: string, at: string): string | null {
  if (value === undefined || value === null) return null;
  const text = requiredText(value, file, at);
  if (!/^[a-z_][a-z0-9_$]*(\.[a-z_][a-z0-9_$]*)?$/i.test(text)) throw bad(file, at, `"${text}" is not a name (letters, digits, _, one optional schema prefix)`);
  return text.toLowerCase();
}

function optionalBoolean(value: unknown, file: string, at: string): boolean | null {
  if (value === undefined) return null;
  if (typeof value !== 'boolean') throw bad(file, at, 'must be true or false');
  return value;
}

function oneOf(value: unknown, allowed: readonly string[], file: string, at: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !allowed.includes(value.toLowerCase())) throw bad(file, at, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return value.toLowerCase();
}

function bad(file: string, at: string, problem: string): SchemaSyncError {
  return new SchemaSyncError('BAD_ARGUMENT', `${file}: "${at}" ${problem}`);
}
