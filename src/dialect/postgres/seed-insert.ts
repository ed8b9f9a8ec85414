import type { TableRef } from '../../change/change';
import { quotePostgresList, quotePostgresTable } from './quote';

/** `INSERT … ON CONFLICT DO NOTHING`: a row that collides with any unique key or the primary key is skipped. */
export function insertPostgresSkippingDuplicates(table: TableRef, columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const values = rows.map((row) => `(${row.join(', ')})`).join(', ');
  // A table whose every column fills itself (serial id only) takes DEFAULT VALUES, one row per statement.
  if (columns.length === 0) return `INSERT INTO ${quotePostgresTable(table)} DEFAULT VALUES ON CONFLICT DO NOTHING`;
  return `INSERT INTO ${quotePostgresTable(table)} (${quotePostgresList(columns)}) VALUES ${values} ON CONFLICT DO NOTHING`;
}
