import type { Change } from '../../change/change';
import type { Column } from '../../model/schema';
import { extensionsForColumn } from './extension-types';
import { quotePostgresIdentifier } from './quote';

/**
 * Statements a PostgreSQL migration needs before its changes: the schemas new tables live in and the extensions
 * their columns use (pgvector's `vector`, citext, hstore, ltree, cube, uuid-ossp's `uuid_generate_v4()`). All idempotent, never rolled back:
 * other objects may depend on them.
 */
export function postgresPrerequisites(changes: readonly Change[]): string[] {
  const schemas = new Set<string>();
  const extensions = new Set<string>();
  const noteColumn = (column: Column) => {
    for (const extension of extensionsForColumn(column)) extensions.add(extension);
  };
  for (const change of changes) {
    if (change.kind === 'create_table') {
      if (change.table.schema !== null) schemas.add(change.table.schema);
      change.table.columns.forEach(noteColumn);
    } else if (change.kind === 'create_enum' && change.enumType.schema !== null) {
      schemas.add(change.enumType.schema);
    } else if (change.kind === 'add_column') {
      noteColumn(change.column);
    } else if (change.kind === 'alter_column') {
      noteColumn(change.to);
    } else if (change.kind === 'rename_table' && change.to.schema !== null) {
      schemas.add(change.to.schema);
    }
  }
  return [
    ...[...schemas].sort().map((schema) => `CREATE SCHEMA IF NOT EXISTS ${quotePostgresIdentifier(schema)}`),
    ...[...extensions].sort().map((extension) => `CREATE EXTENSION IF NOT EXISTS ${quotePostgresIdentifier(extension)}`),
  ];
}
