import type { TableRef } from '../../change/change';
import { quoteMysqlList, quoteMysqlTable } from './quote';

/**
 * `INSERT IGNORE`: a row that collides with a unique key is skipped. IGNORE also turns other row errors (a value out
 * of range, a foreign key without its parent) into warnings, which suits seeding: a row is kept or skipped, never
 * the reason the whole table stays empty.
 */
export function insertMysqlSkippingDuplicates(table: TableRef, columns: readonly string[], rows: readonly (readonly string[])[]): string {
  if (columns.length === 0) return `INSERT IGNORE INTO ${quoteMysqlTable(table)} () VALUES ()`;
  const values = rows.map((row) => `(${row.join(', ')})`).join(', ');
  return `INSERT IGNORE INTO ${quoteMysqlTable(table)} (${quoteMysqlList(columns)}) VALUES ${values}`;
}
