import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Author } from './entities/author';
import { Book } from './entities/book';
import { AuditEntrySchema } from './entities/audit-entry.schema';

/** The project's DataSource, as an application would keep it: the runner replaces only where it connects. */
export const AppDataSource = new DataSource({
  type: process.env.SCHEMA_SYNC_DIALECT === 'mariadb' ? 'mariadb' : 'postgres',
  url: process.env.DATABASE_URL,
  database: process.env.SCHEMA_SYNC_DIALECT === 'mariadb' ? 'library' : undefined,
  entities: [Author, Book, AuditEntrySchema],
  migrationsTableName: 'typeorm_migrations',
});
