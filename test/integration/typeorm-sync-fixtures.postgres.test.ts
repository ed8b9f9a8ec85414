/**
 * Agreement fixtures on PostgreSQL: TypeORM's synchronize() builds models/ and the feature entities, and its schema
 * builder then has nothing left to do. models/chunk.ts needs pgvector on the server.
 */
import type { ThrowawayDatabase } from '../support/servers';
import {
  CHECK_ENTITY_GLOBS,
  createDatabase,
  describePending,
  loadCheckEntities,
  loadFeatureEntities,
  loadModels,
  ourChanges,
  selectDialect,
  synchronizeThenLog,
} from './typeorm-sync-fixtures.shared';

// Before any entity file is required: their decorators read the dialect when they run.
selectDialect('postgres');
const models = loadModels();
const features = loadFeatureEntities();
const checkEntities = loadCheckEntities();

// Debian bookworm has no postgresql-15-pgvector package: it is built from Debian's pgvector source package (trixie)
// with postgresql-server-dev-15 (`make && make install`).
const VECTOR_HINT = 'CREATE EXTENSION vector failed: pgvector is not installed for this PostgreSQL server';

const EMBEDDING_TYPE = `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
  WHERE attrelid = 'public.chunks'::regclass AND attname = 'embedding'`;
const AUDIT_TABLE = `SELECT to_regclass('audit.audit_log')::text AS name`;

const CHECKS_ON_PRICED_ITEMS = `SELECT conname AS name FROM pg_constraint
  WHERE conrelid = 'public.priced_items'::regclass AND contype = 'c'`;

describe('TypeORM synchronize() on PostgreSQL leaves nothing to do', () => {
  const databases: ThrowawayDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it('loads both entity sets', () => {
    expect(models.length).toBeGreaterThanOrEqual(11);
    expect(features.length).toBeGreaterThanOrEqual(20);
  });

  it('models/', async () => {
    const database = await createDatabase('postgres', 'typeorm_sync_models');
    databases.push(database);
    const result = await synchronizeThenLog('postgres', database.url, models, {
      prepare: ['CREATE EXTENSION IF NOT EXISTS vector'],
      probe: EMBEDDING_TYPE,
    }).catch((error: unknown) => {
      throw /extension "vector"/.test(String(error)) ? new Error(`${VECTOR_HINT}: ${String(error)}`) : error;
    });
    if (result.pending.length > 0) throw new Error(describePending('models/ on PostgreSQL', result.pending));
    // The dialect switch took effect: pgvector, not the MySQL fallback.
    expect(result.probeRows).toEqual([{ type: 'vector(768)' }]);
  });

  it('feature entities', async () => {
    const database = await createDatabase('postgres', 'typeorm_sync_features');
    databases.push(database);
    // TypeORM does not create the schema named in @Entity({ schema }): audit_log lives in "audit".
    const result = await synchronizeThenLog('postgres', database.url, features, {
      prepare: ['CREATE SCHEMA IF NOT EXISTS audit'],
      probe: AUDIT_TABLE,
    });
    if (result.pending.length > 0) throw new Error(describePending('feature entities on PostgreSQL', result.pending));
    expect(result.probeRows).toEqual([{ name: 'audit.audit_log' }]);
  });

  it('@Check: TypeORM creates it on PostgreSQL, and schema-sync reads it back in sync', async () => {
    const database = await createDatabase('postgres', 'typeorm_sync_checks');
    databases.push(database);
    const result = await synchronizeThenLog('postgres', database.url, checkEntities, { probe: CHECKS_ON_PRICED_ITEMS });
    if (result.pending.length > 0) throw new Error(describePending('check entities on PostgreSQL', result.pending));
    expect(result.probeRows).toEqual([{ name: 'chk_priced_items_price' }]);
    expect(await ourChanges('postgres', database.url, CHECK_ENTITY_GLOBS)).toEqual([]);
  });
});
