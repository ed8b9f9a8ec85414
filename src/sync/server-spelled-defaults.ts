import type { DatabaseClient } from '../connect/client';
import { postgresDefaultProbe } from '../dialect/postgres/default-probe';
import { typeSystemFor } from '../dialect/type-systems';
import { deepEqual } from '../model/compare';
import { normalizeDefault } from '../model/normalize';
import type { Column, ColumnDefault, Schema, Table } from '../model/schema';
import { tableKey } from '../model/schema';

/** Columns per probe table: PostgreSQL allows 1,600 columns in a table. */
const PROBE_BATCH = 1000;

/** One model column whose expression default the server is asked to spell. */
interface Probe {
  readonly column: Column;
  /** The live column's default, when the column exists already. */
  readonly live: ColumnDefault | null;
}

/**
 * PostgreSQL stores a default expression in its own spelling (`'AA' || coalesce(NULL, '1')` comes back as
 * `'AA'::text || COALESCE(NULL::text, '1'::text)`), which no text rule can predict in general. The server is asked
 * how it would store each model expression that is not already the live column's, in one rolled-back transaction per
 * thousand columns; the model column then carries that spelling. So a database that has it diffs clean, and a column
 * the migration creates reads back as expected when verified. An expression the server rejects (a function or type
 * that does not exist yet) stays as written.
 */
export async function withServerSpelledDefaults(client: DatabaseClient, actual: Schema, desired: Schema): Promise<Schema> {
  if (client.dialect !== 'postgres') return desired;
  const probes = probesFor(actual, desired);
  if (probes.length === 0) return desired;
  const spelled = new Map<Column, ColumnDefault>();
  for (let start = 0; start < probes.length; start += PROBE_BATCH) {
    const batch = probes.slice(start, start + PROBE_BATCH);
    const results = (await spelledByServer(client, batch)) ?? (await eachOnItsOwn(client, batch));
    batch.forEach((probe, i) => {
      const result = results[i];
      if (result !== null && result !== undefined) spelled.set(probe.column, result);
    });
  }
  const withSpelling = (table: Table): Table => ({
    ...table,
    columns: table.columns.map((column) => {
      const spelling = spelled.get(column);
      return spelling === undefined ? column : { ...column, default: spelling };
    }),
  });
  return { ...desired, tables: desired.tables.map(withSpelling) };
}

function probesFor(actual: Schema, desired: Schema): Probe[] {
  const live = new Map(actual.tables.map((table) => [tableKey(table), table]));
  const probes: Probe[] = [];
  for (const table of desired.tables) {
    const existing = live.get(tableKey(table));
    for (const column of table.columns) {
      if (column.default?.kind !== 'expression' || column.generation !== null || column.computed !== undefined) continue;
      // An enum type may not exist before the migration; its defaults are literals in practice.
      if (column.type.kind === 'enum' || column.type.kind === 'array') continue;
      const liveDefault = existing?.columns.find((candidate) => candidate.name === column.name)?.default ?? null;
      if (!deepEqual(liveDefault, column.default)) probes.push({ column, live: liveDefault });
    }
  }
  return probes;
}

/** Consecutive failed probes after which the role is taken to have no TEMP privilege (a read-only drift check). */
const GIVE_UP_AFTER = 5;

/** A batch that failed as a whole (one expression the server rejects) is retried column by column. */
async function eachOnItsOwn(client: DatabaseClient, batch: readonly Probe[]): Promise<(ColumnDefault | null)[]> {
  const results: (ColumnDefault | null)[] = [];
  let failedInARow = 0;
  for (const probe of batch) {
    const result = failedInARow >= GIVE_UP_AFTER ? null : ((await spelledByServer(client, [probe])) ?? [null])[0] ?? null;
    failedInARow = result === null ? failedInARow + 1 : 0;
    results.push(result);
  }
  return results;
}

async function spelledByServer(client: DatabaseClient, batch: readonly Probe[]): Promise<(ColumnDefault | null)[] | null> {
  let probe: ReturnType<typeof postgresDefaultProbe>;
  try {
    probe = postgresDefaultProbe(batch.map((entry) => entry.column));
  } catch {
    // A type PostgreSQL cannot spell: left to the plain comparison, and to the renderer's own error.
    return null;
  }
  const parse = typeSystemFor('postgres');
  await client.execute('BEGIN');
  try {
    await client.execute(probe.create);
    const rows = await client.query<{ position: number; default_sql: string | null }>(probe.read);
    const byPosition = new Map(rows.map((row) => [Number(row.position), row.default_sql]));
    return batch.map((entry, i) => normalizeDefault(parse.parseDefault(byPosition.get(i) ?? null), entry.column.type, false));
  } catch {
    return null;
  } finally {
    await client.execute('ROLLBACK');
  }
}
