import type { ChangeCost } from '../dialect/lock-impacts';
import type { TableRewrite } from '../dialect/lock-impact';

/** A change's cost as reports print it (the `--json` fields of a change). */
export interface CostSummary {
  /** The strongest lock the change takes (PostgreSQL lock level; MySQL/MariaDB algorithm and lock). */
  readonly lock: string;
  readonly rewrite: TableRewrite;
  /** The table is scanned or rewritten while writers wait. */
  readonly blocking: boolean;
  readonly lockNote?: string;
  /** The table's bytes on disk (with indexes); null for a table the plan creates. */
  readonly tableBytes: number | null;
  readonly rowsEstimate: number | null;
}

/** The report fields of a change's cost. */
export function costSummary(cost: ChangeCost): CostSummary {
  const { impact, size } = cost;
  return {
    lock: impact.lock,
    rewrite: impact.rewrite,
    blocking: impact.blocking,
    ...(impact.note === undefined ? {} : { lockNote: impact.note }),
    tableBytes: size?.bytes ?? null,
    rowsEstimate: size?.rowsEstimate ?? null,
  };
}

const REWRITE_WORDS: Record<TableRewrite, string> = { none: 'no rewrite', scan: 'scans the table', rewrite: 'rewrites the table' };

/**
 * One line of cost for a change: `lock ACCESS EXCLUSIVE, rewrites the table, 1.2 MB (~10,000 rows)`, and a warning
 * when the table is scanned or rewritten while writers wait.
 */
export function formatCost(cost: CostSummary): string {
  const parts = [cost.lock === 'none' ? 'no lock on live rows' : `lock ${cost.lock}`, REWRITE_WORDS[cost.rewrite]];
  if (cost.tableBytes !== null) {
    parts.push(`${formatBytes(cost.tableBytes)}${cost.rowsEstimate === null ? '' : ` (~${Math.round(cost.rowsEstimate).toLocaleString('en-US')} rows)`}`);
  }
  let line = parts.join(', ');
  if (cost.lockNote !== undefined) line += `: ${cost.lockNote}`;
  if (cost.blocking) line += ' [blocks writes while it runs]';
  return line;
}

/** Bytes in the largest unit that keeps a number of at least 1 (1024-based, as the servers report sizes). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
