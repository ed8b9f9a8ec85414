import type { TableRef } from '../change/change';
import type { DatabaseClient } from '../connect/client';
import type { SqlDialect } from '../dialect/sql-dialect';
import type { Column, ColumnType, Schema, Table } from '../model/schema';
import { tableKey } from '../model/schema';
import { assertNever } from '../util/assert-never';
import { messageOf } from '../util/errors';

/** What seeding did: the tables that hold rows now, and why the others it was asked for do not. */
export interface SeedOutcome {
  /** Keys (tableKey) of the tables that hold at least one generated row. */
  readonly seeded: ReadonlySet<string>;
  readonly skipped: readonly { readonly table: string; readonly reason: string }[];
}

/** How to seed. */
export interface SeedOptions {
  /**
   * A schema whose enum labels the rows keep to where the same column exists there: rows seeded after `migrate` use
   * only labels the rollback keeps, since a label that rows use cannot be taken away by any rollback.
   */
  readonly labelsFrom?: Schema;
  /** Use only an enum's first label (the rollback guard: rows like most real rows, not every label in use). */
  readonly firstLabelOnly?: boolean;
}

/** Rows per table: three, or as many as the largest enum has labels (up to nine), so every label is in use. */
const MIN_ROWS = 3;
const MAX_ROWS = 9;

/**
 * Inserts a few generated rows into each of `tables` (and into the tables their NOT NULL foreign keys need), parents
 * first, with values that fit each column's type, length, enum labels and unique keys: the rows a database in use
 * has, so that a statement which cannot run on data fails where it is tried. A table whose rows cannot be made (a
 * type without a generated value, a check the rows break) is reported in `skipped`, not an error.
 */
export async function seedRows(client: DatabaseClient, sql: SqlDialect, schema: Schema, tables: Iterable<string>, options: SeedOptions = {}): Promise<SeedOutcome> {
  const byKey = new Map(schema.tables.map((table) => [tableKey(table), table]));
  const order = parentsFirst(withParents(new Set(tables), byKey), byKey);
  const seeded = new Set<string>();
  const skipped: { table: string; reason: string }[] = [];
  for (const key of order) {
    const table = byKey.get(key);
    if (table === undefined) continue;
    const reason = await seedTable(client, sql, table, seeded, options);
    if (reason === null) seeded.add(key);
    else skipped.push({ table: key, reason });
  }
  return { seeded, skipped };
}

/** The keys of `schema`'s tables that hold at least one row in `client`'s database (one short query per table). */
export async function tablesWithRows(client: DatabaseClient, sql: SqlDialect, schema: Schema): Promise<Set<string>> {
  const found = new Set<string>();
  for (const table of schema.tables) {
    const rows = await client.query<{ n: unknown }>(sql.dataQuery({ kind: 'any_row', table: refOf(table) }));
    if (Number(rows[0]?.n ?? 0) > 0) found.add(tableKey(table));
  }
  return found;
}

/** Null when the table got rows; else why not. */
async function seedTable(client: DatabaseClient, sql: SqlDialect, table: Table, seeded: ReadonlySet<string>, options: SeedOptions): Promise<string | null> {
  const plan = seedPlan(table, sql, seeded, options);
  if (typeof plan === 'string') return plan;
  const ref = refOf(table);
  try {
    await client.execute(sql.insertSkippingDuplicates(ref, plan.columns, plan.rows));
  } catch {
    // One bad row (a check it breaks, a parent row missing) fails the whole INSERT: try them one by one.
    let lastError = '';
    for (const row of plan.rows) {
      await client.execute(sql.insertSkippingDuplicates(ref, plan.columns, [row])).catch((error: unknown) => void (lastError = messageOf(error)));
    }
    const rows = await client.query<{ n: unknown }>(sql.dataQuery({ kind: 'any_row', table: ref }));
    if (Number(rows[0]?.n ?? 0) === 0) return `no generated row fits: ${lastError}`;
  }
  return null;
}

/** The columns an INSERT names and one list of SQL values per row; or why the table cannot be seeded. */
export function seedPlan(table: Table, sql: SqlDialect, seeded: ReadonlySet<string>, options: SeedOptions): { columns: string[]; rows: string[][] } | string {
  // Serial, identity and generated columns fill themselves.
  const columns = table.columns.filter((column) => column.generation === null && column.computed === undefined);
  const count = rowCount(columns);
  const rows: string[][] = Array.from({ length: count }, () => []);
  for (const column of columns) {
    for (let k = 1; k <= count; k++) {
      const value = valueSql(table, column, k, sql, seeded, options);
      if (value === null) return `no value can be generated for ${table.name}.${column.name} (${describeType(column.type)})`;
      (rows[k - 1] as string[]).push(value);
    }
  }
  return { columns: columns.map((column) => column.name), rows: columns.length === 0 ? [[]] : rows };
}

function rowCount(columns: readonly Column[]): number {
  const labels = columns.map((column) => (column.type.kind === 'enum' || column.type.kind === 'set' ? column.type.values.length : 0));
  return Math.min(MAX_ROWS, Math.max(MIN_ROWS, ...labels));
}

/** Row k's value for a column as SQL, or null when none can be made. */
function valueSql(table: Table, column: Column, k: number, sql: SqlDialect, seeded: ReadonlySet<string>, options: SeedOptions): string | null {
  const foreignKey = table.foreignKeys.find((key) => key.columns.includes(column.name));
  if (foreignKey !== undefined) {
    const parent: TableRef = { schema: foreignKey.referencedSchema, name: foreignKey.referencedTable };
    if (tableKey(parent) === tableKey(table) || !seeded.has(tableKey(parent))) return column.nullable ? 'NULL' : null;
    // Row k points at the parent's row k in the order of the key's columns, so a one-to-one key stays unique.
    const referenced = foreignKey.referencedColumns[foreignKey.columns.indexOf(column.name)] as string;
    const order = foreignKey.referencedColumns.map((name) => sql.quoteIdentifier(name)).join(', ');
    return `(SELECT ${sql.quoteIdentifier(referenced)} FROM ${sql.quoteTable(parent)} ORDER BY ${order} LIMIT 1 OFFSET ${k - 1})`;
  }
  const literal = generatedValue(column.type, k, labelsOf(table, column, options));
  if (literal === null) return column.nullable ? 'NULL' : null;
  return sql.quoteLiteral(literal);
}

function labelsOf(table: Table, column: Column, options: SeedOptions): readonly string[] | null {
  if (column.type.kind !== 'enum' && column.type.kind !== 'set') return null;
  let labels = column.type.values;
  const earlier = options.labelsFrom?.tables.find((t) => tableKey(t) === tableKey(table))?.columns.find((c) => c.name === column.name);
  if (earlier !== undefined && (earlier.type.kind === 'enum' || earlier.type.kind === 'set')) {
    const kept = labels.filter((label) => (earlier.type as { values: readonly string[] }).values.includes(label));
    if (kept.length > 0) labels = kept;
  }
  return options.firstLabelOnly === true ? labels.slice(0, 1) : labels;
}

/**
 * Row k's value as text every server reads into the type: short digit strings (they fit a varchar(1) and cast to a
 * number, as a column changed from text to integer needs), distinct per row for unique keys.
 */
export function generatedValue(type: ColumnType, k: number, labels: readonly string[] | null): string | null {
  const day = String(k).padStart(2, '0');
  switch (type.kind) {
    case 'integer':
    case 'decimal':
    case 'float':
      return String(k);
    case 'boolean':
      return k % 2 === 1 ? '1' : '0';
    case 'string':
    case 'text':
      return String(k % 10);
    case 'temporal':
      return temporalValue(type.name, k, day);
    case 'json':
      return `{"seed": ${k}}`;
    case 'uuid':
      return `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
    case 'enum':
    case 'set': {
      const values = labels ?? type.values;
      return values.length === 0 ? null : (values[(k - 1) % values.length] as string);
    }
    case 'vector':
      return `[${new Array<string>(type.dimensions ?? 1).fill(String(k)).join(',')}]`;
    case 'array':
      return '{}';
    case 'raw':
      return null;
    default:
      return assertNever(type, 'column type');
  }
}

function temporalValue(name: Extract<ColumnType, { kind: 'temporal' }>['name'], k: number, day: string): string {
  switch (name) {
    case 'timestamp':
    case 'datetime':
      return `2000-01-${day} 00:00:00`;
    case 'timestamptz':
      return `2000-01-${day} 00:00:00+00`;
    case 'date':
      return `2000-01-${day}`;
    case 'time':
      return `00:00:${day}`;
    case 'timetz':
      return `00:00:${day}+00`;
    case 'interval':
      return `${k} seconds`;
    case 'year':
      return String(2000 + k);
    default:
      return assertNever(name, 'temporal type');
  }
}

/** The tables plus, transitively, the parents their NOT NULL foreign keys point at (a child row needs one). */
function withParents(tables: ReadonlySet<string>, byKey: ReadonlyMap<string, Table>): Set<string> {
  const all = new Set(tables);
  const queue = [...tables];
  while (queue.length > 0) {
    const table = byKey.get(queue.pop() as string);
    for (const key of table?.foreignKeys ?? []) {
      const required = key.columns.some((name) => table?.columns.find((column) => column.name === name)?.nullable === false);
      const parent = tableKey({ schema: key.referencedSchema, name: key.referencedTable });
      if (required && !all.has(parent) && byKey.has(parent)) {
        all.add(parent);
        queue.push(parent);
      }
    }
  }
  return all;
}

/** Depth-first: every parent before its children; a cycle is broken where it is met (its keys get NULL or skip). */
function parentsFirst(tables: ReadonlySet<string>, byKey: ReadonlyMap<string, Table>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (key: string) => {
    if (done.has(key) || visiting.has(key) || !tables.has(key)) return;
    visiting.add(key);
    for (const foreignKey of byKey.get(key)?.foreignKeys ?? []) visit(tableKey({ schema: foreignKey.referencedSchema, name: foreignKey.referencedTable }));
    visiting.delete(key);
    done.add(key);
    order.push(key);
  };
  for (const key of [...tables].sort()) visit(key);
  return order;
}

function refOf(table: Table): TableRef {
  return { schema: table.schema, name: table.name };
}

function describeType(type: ColumnType): string {
  return type.kind === 'raw' ? type.sql : type.kind;
}
