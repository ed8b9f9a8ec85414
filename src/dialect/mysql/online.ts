import type { Change, ChangeKind } from '../../change/change';
import type { Dialect } from '../../model/schema';
import type { LockContext } from '../lock-impact';
import { mysqlAlterCost, withAlgorithm } from './lock-impact';
import { onlineForeignKeyApplies, onlineForeignKeyBlock } from './online-foreign-key';

/**
 * The changes whose ALTER states its algorithm. Column drops and alterations and index drops keep the plain form: the
 * migration property on MariaDB found cases the lock rules do not yet cover (a column drop InnoDB does in place, not
 * instantly, for reasons the model does not show), and a wrong explicit claim stops a migration.
 */
export const EXPLICIT_ALGORITHM: ReadonlySet<ChangeKind> = new Set<ChangeKind>([
  'add_column',
  'rename_column',
  'create_index',
  'rename_index',
  'rename_unique',
  'add_foreign_key',
  'rename_foreign_key',
  'add_check',
  'drop_check',
  'alter_table_comment',
]);

/**
 * The online form of a change's statements on MariaDB: each ALTER states the algorithm and lock the lock rules
 * claim (ALGORITHM=INSTANT, or NOCOPY/INPLACE with LOCK=NONE, or COPY with LOCK=SHARED), so a server that cannot do
 * it that way refuses the statement instead of silently copying the table under a write lock. A foreign key is added
 * without copying and its rows checked by a query (MariaDB 10.6+, onlineForeignKeyBlock). MySQL 8 keeps the plain
 * form: its rules are not checked against a server here, and a wrong claim would stop a migration.
 */
export function mysqlOnlineForm(change: Change, statements: readonly string[], dialect: Exclude<Dialect, 'postgres'>, context: LockContext): readonly string[] {
  // Without a primary key InnoDB clusters the rows by a NOT NULL unique index, if any, which many more changes then
  // rebuild; such a table keeps the plain form rather than a claim the rules do not cover.
  if (dialect !== 'mariadb' || context.table === undefined || context.table.primaryKey === null || !EXPLICIT_ALGORITHM.has(change.kind)) return statements;
  // A foreign key is added with foreign_key_checks off (no copy) and its rows checked after: see online-foreign-key.ts.
  if (change.kind === 'add_foreign_key' && onlineForeignKeyApplies(context) && statements.length === 1) return [onlineForeignKeyBlock(change, context.table, statements[0] as string)];
  const alter = mysqlAlterCost(change, dialect, context);
  return statements.map((statement) => withAlgorithm(statement, alter.algorithm, alter.lock));
}

