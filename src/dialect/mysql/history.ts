import type { HistorySql } from '../../apply/history-sql';
import { mysqlStatementJournal } from './statement-journal';

/**
 * History and lock SQL for MySQL and MariaDB. DDL commits itself there, so there is no transaction: each statement is
 * journaled (see mysqlStatementJournal), and a failed or killed run resumes at the statement that did not take effect.
 * GET_LOCK is server-wide, so the lock name carries the database; it is released when the session ends.
 */
export const mysqlHistory: HistorySql = {
  createTable: `CREATE TABLE IF NOT EXISTS schema_sync_history (
  id varchar(255) NOT NULL PRIMARY KEY,
  \`release\` varchar(64) NOT NULL,
  name varchar(255) NOT NULL,
  checksum char(64) NOT NULL,
  started_at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  finished_at datetime(3) NULL,
  duration_ms int NULL,
  statements_done int NOT NULL DEFAULT 0,
  statements_total int NOT NULL,
  status varchar(16) NOT NULL,
  error text NULL,
  intent_fingerprint varchar(64) NULL
) ENGINE=InnoDB`,
  tableExists: `SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'schema_sync_history'`,
  columns: `SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'schema_sync_history'`,
  upgrade: [{ column: 'intent_fingerprint', add: 'ALTER TABLE schema_sync_history ADD COLUMN intent_fingerprint varchar(64) NULL' }],
  selectAll: `SELECT * FROM schema_sync_history ORDER BY started_at, id`,
  insert: `INSERT INTO schema_sync_history (id, \`release\`, name, checksum, statements_total, status, statements_done) VALUES (?, ?, ?, ?, ?, ?, ?)
ON DUPLICATE KEY UPDATE checksum = VALUES(checksum), statements_total = VALUES(statements_total), status = VALUES(status), statements_done = VALUES(statements_done), intent_fingerprint = NULL, error = NULL, finished_at = NULL`,
  updateProgress: `UPDATE schema_sync_history SET statements_done = ?, intent_fingerprint = NULL WHERE id = ?`,
  recordIntent: `UPDATE schema_sync_history SET statements_done = ?, intent_fingerprint = ? WHERE id = ?`,
  finish: `UPDATE schema_sync_history SET status = ?, statements_done = ?, duration_ms = ?, error = ?, checksum = ?, finished_at = CURRENT_TIMESTAMP(3) WHERE id = ?`,
  remove: `DELETE FROM schema_sync_history WHERE id = ?`,
  tryLock: `SELECT GET_LOCK(?, ?) AS ok`,
  unlock: `SELECT RELEASE_LOCK(?) AS ok`,
  transaction: null,
  journal: mysqlStatementJournal,
};
