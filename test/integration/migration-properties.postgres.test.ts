/**
 * The migration property on a real PostgreSQL server (DESIGN.md, testing layer 4, with random scenarios): for random
 * valid schema pairs (A, B) from test/support/schema-arbitraries.ts, in one throwaway database reset between runs,
 *   A built from nothing introspects as exactly A; migrate A -> B gives exactly B; rollback gives exactly A.
 *
 * SCHEMA_SYNC_PROPERTY_RUNS sets the number of pairs (default below, sized for CI), SCHEMA_SYNC_PROPERTY_SEED the
 * seed (printed on failure), SCHEMA_SYNC_PROPERTY_PATH replays one shrunk case.
 */
import { PgClient } from '../../src/connect/pg-client';
import { normalizeSchema } from '../../src/model/normalize';
import type { Schema } from '../../src/model/schema';
import { assertMigrationProperty, formatSummary, KNOWN_BUGS, knownBugsTripped, propertyTimeoutMs, roundTripPair, type KnownBug } from '../support/schema-arbitraries';
import { array, bool, col, decimal, enumType, fk, int, literal, pgEnum, schema, table, text, unique } from '../support/schema-builders';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

const DEFAULT_RUNS = 150;

describe('migration property on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let client: PgClient;

  beforeAll(async () => {
    database = await createPostgresDatabase('prop_migration_pg');
    client = await PgClient.connect(database.url, database.url);
    // pgvector lives in its own schema, created once and on the search path, so a reset need not re-create it.
    await client.execute('CREATE SCHEMA extensions; CREATE EXTENSION vector SCHEMA extensions; SET search_path = public, extensions');
  });
  afterAll(async () => {
    await client?.close();
    await database?.drop();
  });

  /** Every table and type the pairs create lives in public or app. */
  const reset = () => client.execute('DROP SCHEMA IF EXISTS app CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public');

  it(
    'migrate A -> B gives exactly B, rollback gives exactly A',
    async () => {
      const summary = await assertMigrationProperty({ family: 'postgres', label: 'PostgreSQL', client, defaultRuns: DEFAULT_RUNS, reset, transactional: true });
      console.log(formatSummary('PostgreSQL', summary));
    },
    propertyTimeoutMs(DEFAULT_RUNS, 3_000),
  );

  /**
   * The shrunk counterexamples of the bugs the property found (KNOWN_BUGS, avoided by the generator above). Each fails
   * until its bug is fixed in src/; then delete the KNOWN_BUGS entry so the property covers the shape again.
   */
  // it.failing: each passes while its bug is in src/ and starts failing the day it is fixed, so the pin cannot rot.
  describe('known bugs, pinned (it.failing until fixed)', () => {
    const pinned = (bug: KnownBug, a: Schema, b: Schema) =>
      it.failing(bug, async () => {
        const pair = { a: normalizeSchema(a), b: normalizeSchema(b), edits: [] };
        expect(knownBugsTripped(pair)).toContain(bug);
        await reset();
        await roundTripPair({ client, label: 'PostgreSQL', reset, transactional: true }, pair).catch((error: Error) => {
          throw new Error(`${bug}: ${KNOWN_BUGS[bug].what}\nfix in: ${KNOWN_BUGS[bug].where}\n\n${error.message}`);
        });
      });

    const id = col('id', bool());
    pinned(
      'uniqueSameAsPrimaryKey',
      schema('postgres', [table('users', [id], { pk: ['id'], pkName: 'users_pkey', uniques: [unique('users_id_key', ['id'])] })]),
      schema('postgres', [table('users', [id], { pk: ['id'], pkName: 'users_pkey' })]),
    );

    const level = (values: readonly string[]) => enumType(values, 'level');
    const enumKeyed = (values: readonly string[]) =>
      schema(
        'postgres',
        [
          table('posts', [col('id', int()), col('users_ref', level(values), { nullable: true })], {
            foreignKeys: [fk('posts_users_ref_fk', ['users_ref'], 'users', ['id'])],
          }),
          table('users', [col('id', level(values))], { pk: ['id'], pkName: 'users_pkey' }),
        ],
        [pgEnum('level', values)],
      );
    pinned('enumForeignKey', enumKeyed(['a', 'b']), enumKeyed(['b']));

    pinned(
      'enumValueOfDefaultRemoved',
      schema('postgres', [table('users', [col('id', enumType(['a', 'b'], 'mood'), { default: literal('b') })])], [pgEnum('mood', ['a', 'b'])]),
      schema('postgres', [table('users', [col('id', enumType(['a'], 'mood'))])], [pgEnum('mood', ['a'])]),
    );

    pinned(
      'enumValueOfArrayDefaultRemoved',
      schema('postgres', [table('users', [col('id', array(enumType(['a', 'b'], 'mood')), { default: literal('{b}') })])], [pgEnum('mood', ['a', 'b'])]),
      schema('postgres', [table('users', [col('id', array(enumType(['a'], 'mood')))])], [pgEnum('mood', ['a'])]),
    );

    const keyTyped = (type: ReturnType<typeof int>) =>
      schema('postgres', [
        table('tags', [col('users_ref', type, { nullable: true })], { foreignKeys: [fk('tags_users_ref_fk', ['users_ref'], 'users', ['id'])] }),
        table('users', [col('id', type)], { pk: ['id'], pkName: 'users_pkey' }),
      ]);
    pinned('foreignKeyColumnTypeChange', keyTyped(int()), keyTyped(text()));

    pinned(
      'enumValueAddedAndUsed',
      schema('postgres', [table('users', [col('mood', enumType(['a'], 'mood'), { default: literal('a') })])], [pgEnum('mood', ['a'])]),
      schema('postgres', [table('users', [col('mood', enumType(['a', 'b'], 'mood'), { default: literal('b') })])], [pgEnum('mood', ['a', 'b'])]),
    );

    pinned(
      'castFromEnum',
      schema('postgres', [table('users', [col('code', bool()), col('score', decimal())])]),
      schema('postgres', [table('users', [col('score', decimal()), col('code', enumType(['a', 'b'], 'mood'), { nullable: true })])], [pgEnum('mood', ['a', 'b'])]),
    );
  });
});
