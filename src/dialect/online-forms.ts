import type { Change } from '../change/change';
import type { Dialect } from '../model/schema';
import type { LockContext } from './lock-impact';
import { mysqlOnlineForm } from './mysql/online';
import { postgresOnlineForm } from './postgres/online';

/**
 * A change's statements in the online form the server has for them: PostgreSQL's CONCURRENTLY and NOT VALID +
 * VALIDATE (which the applier runs outside the migration's one transaction), MariaDB's explicit ALGORITHM and LOCK.
 */
export function onlineForm(dialect: Dialect, change: Change, statements: readonly string[], context: LockContext): readonly string[] {
  return dialect === 'postgres' ? postgresOnlineForm(change, statements, context) : mysqlOnlineForm(change, statements, dialect, context);
}
