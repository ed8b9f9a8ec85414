import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The project's own migration: named by the DataSource's `migrations` glob, needed by neither runner nor build. */
export class Init1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE customers (id serial PRIMARY KEY, email varchar(120) NOT NULL)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE customers');
  }
}
