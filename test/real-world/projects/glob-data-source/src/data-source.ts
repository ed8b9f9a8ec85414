import 'reflect-metadata';
import { DataSource } from 'typeorm';

/**
 * Entities, migrations and subscribers named by globs, as `typeorm init` writes them: nothing imports the entity files,
 * and the same `{.ts,.js}` glob finds the sources under ts-node and the compiled files in the build.
 */
export const AppDataSource = new DataSource({
  type: process.env.SCHEMA_SYNC_DIALECT === 'mariadb' ? 'mariadb' : 'postgres',
  url: process.env.DATABASE_URL,
  database: process.env.SCHEMA_SYNC_DIALECT === 'mariadb' ? 'shop' : undefined,
  entities: [__dirname + '/entities/*.entity{.ts,.js}'],
  migrations: [__dirname + '/migrations/*{.ts,.js}'],
  subscribers: [__dirname + '/subscribers/*{.ts,.js}'],
});
