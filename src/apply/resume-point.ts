import type { DatabaseClient } from '../connect/client';
import { UNDECIDABLE, type HistoryRecord } from './history';
import type { HistorySql, OnlineStatements, StatementJournal } from './history-sql';

/** Where an interrupted run goes on: at a statement, or nowhere because the catalog cannot tell. */
export type ResumePoint =
  | { readonly kind: 'at'; readonly done: number }
  /** The statement that was in flight, 1-based, whose effect could not be read. */
  | { readonly kind: 'undecidable'; readonly statement: number };

/**
 * Decides how many statements of an interrupted run took effect. With no intent recorded, the progress row is exact
 * (the statement after it never started, failed, or was a data change rolled back with its progress). With an
 * intent, statement `done + 1` was in flight: DDL being atomic, its objects are either as they were before it (the
 * recorded fingerprint: it did not take effect) or not (it did).
 */
export function resumePoint(record: Pick<HistoryRecord, 'statementsDone' | 'intentFingerprint'>, live: string | null): ResumePoint {
  const done = record.statementsDone;
  if (record.intentFingerprint === null) return { kind: 'at', done };
  if (record.intentFingerprint === UNDECIDABLE || live === null) return { kind: 'undecidable', statement: done + 1 };
  return { kind: 'at', done: record.intentFingerprint === live ? done : done + 1 };
}

/** The resume point of a record, reading the live fingerprint of the statement that was in flight. */
export async function findResumePoint(client: DatabaseClient, journal: StatementJournal, record: HistoryRecord, statements: readonly string[]): Promise<ResumePoint> {
  const inFlight = statements[record.statementsDone];
  if (record.intentFingerprint === null || record.intentFingerprint === UNDECIDABLE || inFlight === undefined) {
    return resumePoint(record, null);
  }
  return resumePoint(record, await journal.fingerprint(client, inFlight));
}

/**
 * Where a transactional run that committed in steps goes on (see runInTransactions): its row's progress is exact,
 * except when a statement outside any transaction was in flight, which `settle` reads from the catalog (dropping an
 * INVALID index a killed build left, so the statement runs again).
 */
export async function findSteppedResumePoint(client: DatabaseClient, online: OnlineStatements, record: HistoryRecord, statements: readonly string[]): Promise<ResumePoint> {
  const done = record.statementsDone;
  if (record.intentFingerprint === null) return { kind: 'at', done };
  const inFlight = statements[done];
  const outcome = inFlight === undefined ? 'unknown' : await online.settle(client, inFlight);
  if (outcome === 'unknown') return { kind: 'undecidable', statement: done + 1 };
  return { kind: 'at', done: outcome === 'done' ? done + 1 : done };
}

/** The resume point of an interrupted run on either kind of dialect; null where a failed run never half-happened. */
export async function resumePointFor(client: DatabaseClient, sql: HistorySql, record: HistoryRecord, statements: readonly string[]): Promise<ResumePoint | null> {
  if (sql.journal !== null) return findResumePoint(client, sql.journal, record, statements);
  const online = sql.transaction?.online;
  return online === undefined ? null : findSteppedResumePoint(client, online, record, statements);
}
