/**
 * The migration property on PGlite, the embedded PostgreSQL 17 that `sync` also uses as its shadow database (see
 * migration-properties.postgres.test.ts): the same property and generator, with a quarter of the server's pairs, as
 * PGlite is slower and mostly shares the server's code paths. Its loader needs NODE_OPTIONS=--experimental-vm-modules.
 */
import * as vm from 'node:vm';
import { PgliteClient } from '../../src/connect/pglite-client';
import { assertMigrationProperty, formatSummary, propertyRuns, propertyTimeoutMs } from '../support/schema-arbitraries';

const DEFAULT_RUNS = 50;

/** SCHEMA_SYNC_PROPERTY_RUNS sizes the server suites; PGlite runs a quarter of it (at least one). */
const runs = (): number => Math.max(1, Math.round(propertyRuns(DEFAULT_RUNS * 4) / 4));

describe('migration property on PGlite', () => {
  let client: PgliteClient;

  beforeAll(async () => {
    if ((vm as { SourceTextModule?: unknown }).SourceTextModule === undefined) {
      throw new Error('PGlite under jest needs NODE_OPTIONS=--experimental-vm-modules (its loader uses dynamic import())');
    }
    client = await PgliteClient.open(null);
    // pgvector lives in its own schema, created once and on the search path, so a reset need not re-create it.
    await client.execute('CREATE SCHEMA extensions; CREATE EXTENSION vector SCHEMA extensions; SET search_path = public, extensions');
  });
  afterAll(async () => {
    await client?.close();
  });

  it(
    'migrate A -> B gives exactly B, rollback gives exactly A',
    async () => {
      const summary = await assertMigrationProperty({
        family: 'postgres',
        label: 'PGlite',
        client,
        defaultRuns: DEFAULT_RUNS,
        runs: runs(),
        transactional: true,
        reset: () => client.execute('DROP SCHEMA IF EXISTS app CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public'),
      });
      console.log(formatSummary('PGlite', summary));
    },
    propertyTimeoutMs(DEFAULT_RUNS * 4, 1_500),
  );
});
