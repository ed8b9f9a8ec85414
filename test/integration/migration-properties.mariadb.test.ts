/**
 * The migration property on a real MariaDB server (see migration-properties.postgres.test.ts): for random valid
 * schema pairs (A, B), in one throwaway database emptied between runs,
 *   A built from nothing introspects as exactly A; migrate A -> B gives exactly B; rollback gives exactly A.
 */
import fc from 'fast-check';
import { MysqlClient } from '../../src/connect/mysql-client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { typeSystemFor } from '../../src/dialect/type-systems';
import { normalizeSchema } from '../../src/model/normalize';
import type { Column, Schema } from '../../src/model/schema';
import {
  assertMigrationProperty,
  formatSummary,
  knownBug,
  knownBugsTripped,
  propertyTimeoutMs,
  roundTripPair,
  schemaPairArb,
  type KnownBug,
  type SchemaPair,
} from '../support/schema-arbitraries';
import { col, fk, index, integer, schema, table, varchar } from '../support/schema-builders';
import { createMysqlDatabase, type ThrowawayDatabase } from '../support/servers';

const DEFAULT_RUNS = 200;

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

  it('generates only column types whose renderType and parseType round-trip', () => {
    const sql = sqlDialectFor('mariadb');
    const types = typeSystemFor('mariadb');
    fc.assert(
      fc.property(schemaPairArb('mariadb', { avoid: [] }), (pair) => {
        for (const column of [...pair.a.tables, ...pair.b.tables].flatMap((t) => t.columns)) {
          expect(types.parseType(sql.renderType(column.type))).toEqual(column.type);
        }
      }),
      { numRuns: 300 },
    );
  });

  it(
    'migrate A -> B gives exactly B, rollback gives exactly A',
    async () => {
      const summary = await assertMigrationProperty({ family: 'mariadb', label: 'MariaDB', client, defaultRuns: DEFAULT_RUNS, reset });
      console.log(formatSummary('MariaDB', summary));
    },
    propertyTimeoutMs(DEFAULT_RUNS, 3_000),
  );

  /** The shrunk counterexamples of the bugs the property found: it.failing until fixed (see the PostgreSQL suite). */
  describe('known bugs, pinned (it.failing until fixed)', () => {
    const pins: { bug: KnownBug; pair: SchemaPair }[] = [];
    const pinned = (bug: KnownBug, name: string, a: Schema, b: Schema) => {
      const pair = { a: normalizeSchema(a), b: normalizeSchema(b), edits: [] };
      pins.push({ bug, pair });
      it.failing(`${bug}: ${name}`, async () => {
        await reset();
        await roundTripPair({ client, label: 'MariaDB', reset }, pair).catch((error: Error) => {
          throw new Error(`${bug}: ${knownBug(bug).what}\nfix in: ${knownBug(bug).where}\n\n${error.message}`);
        });
      });
    };

    // Pin with pinned(bug, …) here, above this check. With no bug known, there is nothing to check.
    if (pins.length > 0) {
      it('every pin has the shape of its bug, so the generator avoids it', () => {
        for (const { bug, pair } of pins) expect([bug, knownBugsTripped(pair)]).toEqual([bug, expect.arrayContaining([bug])]);
      });
    }
  });

  /** The shrunk counterexamples of bugs the property found and that are fixed, kept as plain regression tests. */
  describe('fixed bugs, their counterexamples', () => {
    const roundTrips = (name: string, a: Schema, b: Schema) =>
      it(name, async () => {
        await reset();
        await roundTripPair({ client, label: 'MariaDB', reset }, { a: normalizeSchema(a), b: normalizeSchema(b), edits: [] });
      });

    // A column left at latin1 when the models say "the table's" (null) kept latin1, so the new key between it and a
    // utf8mb4 column was refused (errno 150): null is now compared as the table's character set.
    const referenced = (tags: Column) =>
      schema('mariadb', [
        table('tags', [tags], { pk: ['id'] }),
        table('users', [col('tags_ref', varchar(10), { nullable: true })], {
          foreignKeys: tags.charset === null ? [fk('users_tags_ref_fk', ['tags_ref'], 'tags', ['id'])] : [],
        }),
      ]);
    roundTrips(
      'inheritedCharsetUnderForeignKey: latin1 to the table\'s, with a new key from a column of the table\'s',
      referenced(col('id', varchar(10), { charset: 'latin1' })),
      referenced(col('id', varchar(10))),
    );

    // AUTO_INCREMENT moved from one column to another was put on the new column while the old one still had it:
    // "there can be only one auto column". It now leaves its old column before any other column change.
    const keyed = (auto: 'id' | 'note') =>
      schema('mariadb', [
        table('users', [col('id', integer('tiny'), { generation: auto === 'id' ? 'increment' : null }), col('note', integer('tiny'), { generation: auto === 'note' ? 'increment' : null })], {
          pk: [auto],
          indexes: [index('users_id_idx', ['id']), index('users_note_idx', ['note'])],
        }),
      ]);
    roundTrips('movedAutoIncrement: AUTO_INCREMENT and the primary key move from one column to another', keyed('note'), keyed('id'));
  });
});
