import type { Change } from '../change/change';
import type { Dialect } from '../model/schema';
import type { LockContext } from './lock-impact';
import { mysqlOnlineForm } from './mysql/online';

/**
 * A change's statements in the online form the server has for them. PostgreSQL's online forms (CONCURRENTLY,
 * NOT VALID + VALIDATE) need statements outside the migration's transaction and are not generated yet.
 */
export function onlineForm(dialect: Dialect, change: Change, statements: readonly string[], context: LockContext): readonly string[] {
  return dialect === 'postgres' ? statements : mysqlOnlineForm(change, statements, dialect, context);
}
