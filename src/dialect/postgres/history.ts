import type { HistorySql } from '../../apply/history-sql';
import { postgresLockBudget } from './lock-budget';
import { postgresOnlineStatements } from './online-statements';

/**
 * `ALTER TYPE … ADD VALUE IF NOT EXISTS …`: a value added inside a transaction cannot be used (as a default, in a
 * cast, in a row) until that transaction commits ("unsafe use of new value"), so a migration that adds values and
 * uses them commits the additions first. IF NOT EXISTS lets them run again after the rest of the migration failed.
 */
export const ADD_ENUM_VALUE = /^\s*ALTER\s+TYPE\s+.+\s+ADD\s+VALUE\s+IF\s+NOT\s+EXISTS\s/is;

/**
 * History and lock SQL for PostgreSQL (and PGlite). The lock is a session-level advisory lock keyed by a hash of
 * the lock name: it is released when the session ends, so a killed applier never leaves it behind. Each migration
 * runs in one transaction together with its history row: it is applied, and recorded, entirely or not at all, except
 * for the enum values it adds first (ADD_ENUM_VALUE) and the online statements that must not share its transaction
 * (postgresOnlineStatements), before which it commits in steps.
 */
export const postgresHistory: HistorySql = {
  createTable: `CREATE TABLE IF NOT EXISTS schema_sync_history (
  id varchar(255) PRIMARY KEY,
  release varchar(64) NOT NULL,
  name varchar(255) NOT NULL,
  checksum char(64) NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  duration_ms integer,
  statements_done integer NOT NULL DEFAULT 0,
  statements_total integer NOT NULL,
  status varchar(16) NOT NULL,
  error text,
  intent_fingerprint varchar(64)
)`,
  tableExists: `SELECT count(*)::int AS n FROM pg_catalog.pg_tables WHERE tablename = 'schema_sync_history' AND schemaname = current_schema()`,
  columns: `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_sync_history'`,
  upgrade: [{ column: 'intent_fingerprint', add: 'ALTER TABLE schema_sync_history ADD COLUMN IF NOT EXISTS intent_fingerprint varchar(64)' }],
  selectAll: `SELECT * FROM schema_sync_history ORDER BY started_at, id`,
  insert: `INSERT INTO schema_sync_history (id, release, name, checksum, statements_total, status, statements_done) VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (id) DO UPDATE SET checksum = EXCLUDED.checksum, statements_total = EXCLUDED.statements_total, status = EXCLUDED.status, statements_done = EXCLUDED.statements_done, intent_fingerprint = NULL, started_at = now(), error = NULL, finished_at = NULL`,
  updateProgress: `UPDATE schema_sync_history SET statements_done = $1, intent_fingerprint = NULL WHERE id = $2`,
  recordIntent: `UPDATE schema_sync_history SET statements_done = $1, intent_fingerprint = $2 WHERE id = $3`,
  finish: `UPDATE schema_sync_history SET status = $1, statements_done = $2, duration_ms = $3, error = $4, checksum = $5, finished_at = now() WHERE id = $6`,
  remove: `DELETE FROM schema_sync_history WHERE id = $1`,
  tryLock: `SELECT CASE WHEN pg_try_advisory_lock(hashtext($1)) THEN 1 ELSE 0 END AS ok, $2::int AS timeout`,
  unlock: `SELECT pg_advisory_unlock(hashtext($1)) AS ok`,
  transaction: { begin: 'BEGIN', commit: 'COMMIT', rollback: 'ROLLBACK', commitFirst: ADD_ENUM_VALUE, online: postgresOnlineStatements, lockBudget: postgresLockBudget },
  journal: null,
};
