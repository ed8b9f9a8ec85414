import type { DatabaseClient } from '../connect/client';
import { mysqlHistory } from '../dialect/mysql/history';
import { postgresHistory } from '../dialect/postgres/history';
import type { HistorySql } from './history-sql';

/**
 * Where a migration stands in the history table: `running` and `rolling-back` are runs that never finished (killed),
 * `failed` and `rollback-failed` runs that stopped on an error; a finished rollback removes the row.
 */
export type HistoryStatus = 'running' | 'applied' | 'failed' | 'rolling-back' | 'rollback-failed';

/** One row of `schema_sync_history`. */
export interface HistoryRecord {
  readonly id: string;
  readonly release: string;
  readonly name: string;
  readonly checksum: string;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly durationMs: number | null;
  readonly statementsDone: number;
  readonly statementsTotal: number;
  readonly status: HistoryStatus;
  readonly error: string | null;
  /**
   * Where DDL commits itself: the fingerprint of what statement `statementsDone + 1` touches, taken just before it
   * ran; null when no statement was in flight. UNDECIDABLE when its effect cannot be read from the catalog.
   */
  readonly intentFingerprint: string | null;
}

/** The intent recorded for a statement whose effect the catalog cannot show. */
export const UNDECIDABLE = 'undecidable';

/** The history and lock SQL of a client's dialect. */
export function historySqlFor(client: DatabaseClient): HistorySql {
  return client.dialect === 'postgres' ? postgresHistory : mysqlHistory;
}

/** Reads and writes `schema_sync_history` through one client. */
export class History {
  private readonly sql: HistorySql;

  constructor(private readonly client: DatabaseClient) {
    this.sql = historySqlFor(client);
  }

  /** Whether the table exists yet (a dry run must not create it). */
  async exists(): Promise<boolean> {
    const rows = await this.client.query<{ n: unknown }>(this.sql.tableExists);
    return Number(rows[0]?.n ?? 0) > 0;
  }

  /** Creates the table when missing, and adds the columns a table made by an older version lacks. */
  async ensure(): Promise<void> {
    await this.client.execute(this.sql.createTable);
    const present = new Set((await this.client.query<{ name: unknown }>(this.sql.columns)).map((row) => String(row.name).toLowerCase()));
    for (const { column, add } of this.sql.upgrade) if (!present.has(column)) await this.client.execute(add);
  }

  /** Every record, oldest first; none when the table does not exist. */
  async all(): Promise<HistoryRecord[]> {
    if (!(await this.exists())) return [];
    const rows = await this.client.query(this.sql.selectAll);
    return rows.map((row) => ({
      id: String(row.id),
      release: String(row.release),
      name: String(row.name),
      checksum: String(row.checksum).trim(),
      startedAt: toDate(row.started_at),
      finishedAt: toDate(row.finished_at),
      durationMs: row.duration_ms === null || row.duration_ms === undefined ? null : Number(row.duration_ms),
      statementsDone: Number(row.statements_done),
      statementsTotal: Number(row.statements_total),
      status: String(row.status) as HistoryStatus,
      error: row.error === null || row.error === undefined ? null : String(row.error),
      intentFingerprint: row.intent_fingerprint === null || row.intent_fingerprint === undefined ? null : String(row.intent_fingerprint),
    }));
  }

  /**
   * Records a migration as started, restarted or resumed, with the statements already done, in one statement: a
   * crash can never leave a new status beside an old count.
   */
  async start(record: { id: string; release: string; name: string; checksum: string; total: number; status: HistoryStatus; done?: number }): Promise<void> {
    await this.client.query(this.sql.insert, [record.id, record.release, record.name, record.checksum, record.total, record.status, record.done ?? 0]);
  }

  /** Records how many statements have run. */
  async progress(id: string, done: number): Promise<void> {
    await this.client.query(this.sql.updateProgress, [done, id]);
  }

  /** Records that the statement after the first `done` is about to run, and what it touches looks like now. */
  async intent(id: string, done: number, fingerprint: string): Promise<void> {
    await this.client.query(this.sql.recordIntent, [done, fingerprint, id]);
  }

  /** Records the end of a run. */
  async finish(id: string, outcome: { status: HistoryStatus; done: number; durationMs: number; error: string | null; checksum: string }): Promise<void> {
    await this.client.query(this.sql.finish, [outcome.status, outcome.done, Math.round(outcome.durationMs), outcome.error, outcome.checksum, id]);
  }

  /** Forgets a migration (after its rollback). */
  async remove(id: string): Promise<void> {
    await this.client.query(this.sql.remove, [id]);
  }
}

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}
