/**
 * The migration property on a real PostgreSQL server (DESIGN.md, testing layer 4, with random scenarios): for random
 * valid schema pairs (A, B) from test/support/schema-arbitraries.ts, in one throwaway database reset between runs,
 *   A built from nothing introspects as exactly A; migrate A -> B gives exactly B; rollback gives exactly A.
 *
 * Each pair runs either through the tool's own verifyRoundTrip or "as applied", with migrate and rollback each in one
 * transaction as `apply` and `rollback` run them here (see roundTripPair).
 *
 * SCHEMA_SYNC_PROPERTY_RUNS sets the number of pairs (default below, sized for CI), SCHEMA_SYNC_PROPERTY_SEED the
 * seed (printed on failure), SCHEMA_SYNC_PROPERTY_PATH replays one shrunk case, SCHEMA_SYNC_PROPERTY_AVOID chooses
 * the known bugs the generator steers clear of (`none` to check fixes).
 */
import fc from 'fast-check';
import { PgClient } from '../../src/connect/pg-client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { typeSystemFor } from '../../src/dialect/type-systems';
import { normalizeSchema } from '../../src/model/normalize';
import type { Schema } from '../../src/model/schema';
import {
  assertMigrationProperty,
  formatSummary,
  knownBug,
  knownBugsTripped,
  propertyTimeoutMs,
  roundTripPair,
  schemaPairArb,
  type KnownBug,
  type RoundTripMode,
  type SchemaPair,
} from '../support/schema-arbitraries';
import { createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

const DEFAULT_RUNS = 300;

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

  it('generates only column types whose renderType and parseType round-trip', () => {
    const sql = sqlDialectFor('postgres');
    const types = typeSystemFor('postgres');
    fc.assert(
      fc.property(schemaPairArb('postgres', { avoid: [] }), (pair) => {
        for (const column of [...pair.a.tables, ...pair.b.tables].flatMap((t) => t.columns)) {
          // Enum columns are read back through the catalog's enum types, not by parsing the type's name.
          if (column.type.kind === 'enum' || (column.type.kind === 'array' && column.type.element.kind === 'enum')) continue;
          expect(types.parseType(sql.renderType(column.type))).toEqual(column.type);
        }
      }),
      { numRuns: 300 },
    );
  });

  it(
    'migrate A -> B gives exactly B, rollback gives exactly A',
    async () => {
      const summary = await assertMigrationProperty({ family: 'postgres', label: 'PostgreSQL', client, defaultRuns: DEFAULT_RUNS, reset, transactional: true });
      console.log(formatSummary('PostgreSQL', summary));
    },
    propertyTimeoutMs(DEFAULT_RUNS, 3_000),
  );

  /**
   * The shrunk counterexamples of the bugs the property found (KNOWN_BUGS, whose shapes the generator avoids).
   * it.failing: each passes while its bug is in src/ and starts failing the day it is fixed, so the pin cannot rot;
   * then delete the pin and its KNOWN_BUGS entry, and the property covers the shape again.
   */
  describe('known bugs, pinned (it.failing until fixed)', () => {
    const pins: { bug: KnownBug; pair: SchemaPair }[] = [];
    /** `modes`: the runs that show this bug alone. */
    const pinned = (bug: KnownBug, a: Schema, b: Schema, modes: readonly RoundTripMode[] = ['verifyRoundTrip', 'as applied'], name = '') => {
      const pair = { a: normalizeSchema(a), b: normalizeSchema(b), edits: [] };
      pins.push({ bug, pair });
      it.failing(`${bug}${name === '' ? '' : `: ${name}`}`, async () => {
        await reset();
        await roundTripPair({ client, label: 'PostgreSQL', reset, transactional: true }, pair, modes).catch((error: Error) => {
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
});
