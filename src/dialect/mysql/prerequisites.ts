import type { Change } from '../../change/change';
import { quoteMysqlName } from './quote';

/**
 * Statements a MySQL migration needs before its changes: the other databases new tables and views live in
 * (`@Entity({ database })`), as PostgreSQL's migration creates their schemas. `IF NOT EXISTS`, and never rolled back:
 * the database may hold tables the models do not know. It gets the server's default character set, as TypeORM's
 * `createDatabase` gives it.
 */
export function mysqlPrerequisites(changes: readonly Change[]): string[] {
  const databases = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'create_table' && change.table.schema !== null) databases.add(change.table.schema);
    else if (change.kind === 'create_view' && change.view.schema !== null) databases.add(change.view.schema);
    else if (change.kind === 'rename_table' && change.to.schema !== null) databases.add(change.to.schema);
  }
  return [...databases].sort().map((database) => `CREATE DATABASE IF NOT EXISTS ${quoteMysqlName(database)}`);
}
