import type { Change, TableRef } from '../change/change';
import { dataChecksFor, type DataCheck, type DataQuestion } from '../change/data-checks';
import type { DatabaseClient } from '../connect/client';
import type { Schema } from '../model/schema';
import { mysqlDataQuery } from '../dialect/mysql/data-questions';
import { postgresDataQuery } from '../dialect/postgres/data-questions';
import { SchemaSyncError, messageOf } from '../util/errors';

/** A data check with its answer from the live database. */
export interface DataCheckResult {
  readonly check: DataCheck;
  readonly count: number;
  /** The check's sentence for this count. */
  readonly message: string;
}

/**
 * Asks the live database every question the changes declare, one `count(*)` each, and returns the non-zero
 * answers. Questions run against the tables as they are now: names a rename in the same plan introduces are mapped
 * back to the names that exist. `before` (the live schema) lets enum type changes find the columns that use them.
 */
export async function runDataChecks(client: DatabaseClient, changes: readonly Change[], before?: Schema): Promise<DataCheckResult[]> {
  const created = new Set(changes.filter((c) => c.kind === 'create_table').map((c) => (c.kind === 'create_table' ? key(c.table) : '')));
  const results: DataCheckResult[] = [];
  for (const change of changes) {
    for (const check of dataChecksFor(change, before)) {
      if (created.has(key(check.question.table))) continue;
      const question = liveNames(check.question, changes);
      const sql = client.dialect === 'postgres' ? postgresDataQuery(question) : mysqlDataQuery(question);
      let count: number;
      try {
        const rows = await client.query<{ n: unknown }>(sql);
        count = Number(rows[0]?.n ?? 0);
      } catch (error) {
        throw new SchemaSyncError('INTROSPECTION_FAILED', `Data check failed on ${client.target}: ${sql}: ${messageOf(error)}`, { cause: error });
      }
      if (count > 0) results.push({ check, count, message: check.describe(count) });
    }
  }
  return results;
}

function key(table: TableRef): string {
  return `${table.schema ?? ''}.${table.name}`;
}

/** Maps a question's table and column names back through the renames of the same plan. */
function liveNames(question: DataQuestion, changes: readonly Change[]): DataQuestion {
  let table = question.table;
  for (const change of changes) {
    if (change.kind === 'rename_table' && key(change.to) === key(table)) table = change.from;
  }
  const column = (name: string): string => {
    const rename = changes.find((c) => c.kind === 'rename_column' && key(c.table) === key(question.table) && c.to.name === name);
    return rename !== undefined && rename.kind === 'rename_column' ? rename.from.name : name;
  };
  switch (question.kind) {
    case 'row_count':
    case 'any_row':
      return { ...question, table };
    case 'duplicate_count':
      return { ...question, table, columns: question.columns.map(column) };
    default:
      return { ...question, table, column: column(question.column) };
  }
}
