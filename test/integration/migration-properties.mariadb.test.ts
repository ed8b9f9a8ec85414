/**
 * The migration property on a real MariaDB server (see migration-properties.postgres.test.ts): for random valid
 * schema pairs (A, B), in one throwaway database emptied between runs,
 *   A built from nothing introspects as exactly A; migrate A -> B gives exactly B; rollback gives exactly A.
 */
import { MysqlClient } from '../../src/connect/mysql-client';
import { normalizeSchema } from '../../src/model/normalize';
import type { ColumnType, Schema } from '../../src/model/schema';
import { assertMigrationProperty, formatSummary, KNOWN_BUGS, knownBugsTripped, propertyTimeoutMs, roundTripPair, type KnownBug } from '../support/schema-arbitraries';
import { bigint, col, fk, int, integer, schema, table, text, varchar } from '../support/schema-builders';
import { createMysqlDatabase, type ThrowawayDatabase } from '../support/servers';

const DEFAULT_RUNS = 150;

describe('migration property on MariaDB', () => {
  let database: ThrowawayDatabase;
  let client: MysqlClient;

  beforeAll(async () => {
    database = await createMysqlDatabase('prop_migration_mariadb');
    client = await MysqlClient.connect(database.url, database.url);
  });
  afterAll(async () => {
    await client?.close();
    await database?.drop();
  });

  /** Drops every table of the database in one statement, with foreign key checks off so the order does not matter. */
  async function reset(): Promise<void> {
    const rows = await client.query<{ name: string }>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()');
    if (rows.length === 0) return;
    const names = rows.map((row) => `\`${row.name.replace(/`/g, '``')}\``).join(', ');
    await client.execute(`SET foreign_key_checks = 0; DROP TABLE ${names}; SET foreign_key_checks = 1`);
  }

  it(
    'migrate A -> B gives exactly B, rollback gives exactly A',
    async () => {
      const summary = await assertMigrationProperty({ family: 'mariadb', label: 'MariaDB', client, defaultRuns: DEFAULT_RUNS, reset });
      console.log(formatSummary('MariaDB', summary));
    },
    propertyTimeoutMs(DEFAULT_RUNS, 3_000),
  );

  /** The shrunk counterexamples of the bugs the property found (see the PostgreSQL suite); each fails until fixed. */
  // it.failing: each passes while its bug is in src/ and starts failing the day it is fixed, so the pin cannot rot.
  describe('known bugs, pinned (it.failing until fixed)', () => {
    const pinned = (bug: KnownBug, name: string, a: Schema, b: Schema) =>
      it.failing(`${bug}: ${name}`, async () => {
        const pair = { a: normalizeSchema(a), b: normalizeSchema(b), edits: [] };
        expect(knownBugsTripped(pair)).toContain(bug);
        await reset();
        await roundTripPair({ client, label: 'MariaDB', reset }, pair).catch((error: Error) => {
          throw new Error(`${bug}: ${KNOWN_BUGS[bug].what}\nfix in: ${KNOWN_BUGS[bug].where}\n\n${error.message}`);
        });
      });

    pinned(
      'autoIncrementKeyChange',
      'AUTO_INCREMENT on the new key column',
      schema('mariadb', [table('users', [col('id', integer('tiny')), col('qty', integer('tiny'))], { pk: ['qty'] })]),
      schema('mariadb', [table('users', [col('id', integer('tiny'), { generation: 'increment' }), col('qty', integer('tiny'))], { pk: ['id'] })]),
    );
    const extended = (pk: readonly string[]) =>
      schema('mariadb', [table('users', [col('id', int(), { generation: 'increment' }), col('name', varchar(10))], { pk })]);
    pinned('autoIncrementKeyChange', 'the key of an AUTO_INCREMENT column gains a column', extended(['id']), extended(['id', 'name']));

    const keyTyped = (type: ColumnType) =>
      schema('mariadb', [
        table('posts', [col('id', int()), col('users_ref', type, { nullable: true })], { pk: ['id'], foreignKeys: [fk('posts_users_ref_fk', ['users_ref'], 'users', ['id'])] }),
        table('users', [col('id', type)], { pk: ['id'] }),
      ]);
    pinned('foreignKeyColumnTypeChange', 'int to bigint on both sides', keyTyped(int()), keyTyped(bigint()));

    pinned(
      'charsetChangeKeepsCollation',
      'utf8mb4_bin to latin1',
      schema('mariadb', [table('users', [col('score', text(), { collation: 'utf8mb4_bin' })])]),
      schema('mariadb', [table('users', [col('score', text(), { charset: 'latin1' })])]),
    );
  });
});
