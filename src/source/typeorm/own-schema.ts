import type { Dialect } from '../../model/schema';

/** What an entity (or junction) metadata says about where its table lives. */
export interface TablePlace {
  readonly schema?: string | undefined;
  readonly database?: string | undefined;
}

/**
 * The qualifier of a model's table or view, `null` when it is the connection's own place. PostgreSQL qualifies by
 * schema (`home` is `public`); MySQL and MariaDB by database (`home` is the connection's database), since
 * `@Entity({ database: 'other' })` puts the table in `other` on the same server (MysqlDriver.buildTableName), and its
 * `schema` option means nothing there. TypeORM gives a child entity and a junction table their owner's database.
 */
export function ownSchema(place: TablePlace, dialect: Dialect, home: string | null): string | null {
  const declared = dialect === 'postgres' ? place.schema : place.database;
  if (declared === undefined || declared === '' || declared === home) return null;
  return declared;
}
