import type { DatabaseClient } from '../connect/client';
import { UNDECIDABLE, type HistoryRecord } from './history';
import type { StatementJournal } from './history-sql';

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
