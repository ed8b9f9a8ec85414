import type { DatabaseClient } from '../connect/client';
import { postgresDefaultProbe } from '../dialect/postgres/default-probe';
import { typeSystemFor } from '../dialect/type-systems';
import { deepEqual } from '../model/compare';
import { normalizeDefault } from '../model/normalize';
import type { Column, Schema, Table } from '../model/schema';
import { tableKey } from '../model/schema';

/** More differing expression defaults than this are left to the plain comparison: each probe is a round trip. */
const MAX_PROBES = 200;

/**
 * PostgreSQL stores a default expression in its own spelling (`'AA' || coalesce(NULL, '1')` comes back as
 * `'AA'::text || COALESCE(NULL::text, '1'::text)`), which no text rule can predict in general. Where a model's
 * expression default differs from the live one, the server is asked how it would store the model's: when that is the
 * live default, the model column takes the live spelling and the diff sees no change. An expression the server rejects
 * stays as it is, and is reported.
 */
export async function withServerSpelledDefaults(client: DatabaseClient, actual: Schema, desired: Schema): Promise<Schema> {
  if (client.dialect !== 'postgres') return desired;
  const live = new Map(actual.tables.map((table) => [tableKey(table), table]));
  let probes = 0;
  const tables: Table[] = [];
  for (const table of desired.tables) {
    const existing = live.get(tableKey(table));
    if (existing === undefined) {
      tables.push(table);
      continue;
    }
    const columns: Column[] = [];
    for (const column of table.columns) {
      const liveColumn = existing.columns.find((candidate) => candidate.name === column.name);
      if (liveColumn === undefined || !differingExpressions(liveColumn, column) || probes >= MAX_PROBES) {
        columns.push(column);
        continue;
      }
      probes++;
      const spelled = await spelledByServer(client, column);
      columns.push(spelled !== null && deepEqual(spelled, liveColumn.default) ? { ...column, default: liveColumn.default } : column);
    }
    tables.push({ ...table, columns });
  }
  return { ...desired, tables };
}

function differingExpressions(live: Column, model: Column): boolean {
  return (
    live.default?.kind === 'expression' &&
    model.default?.kind === 'expression' &&
    live.generation === null &&
    model.generation === null &&
    !deepEqual(live.default, model.default)
  );
}

async function spelledByServer(client: DatabaseClient, column: Column): Promise<Column['default']> {
  const probe = postgresDefaultProbe(column);
  await client.execute('BEGIN');
  try {
    await client.execute(probe.create);
    const rows = await client.query<{ default_sql: string | null }>(probe.read);
    const parsed = typeSystemFor('postgres').parseDefault(rows[0]?.default_sql ?? null);
    return normalizeDefault(parsed, column.type, false);
  } catch {
    // Not an expression this server can store for this type (a missing function or sequence): compare as written.
    return null;
  } finally {
    await client.execute('ROLLBACK');
  }
}
