/**
 * Agreement fixtures on MariaDB: TypeORM's synchronize() (as `type: 'mariadb'`, never `mysql`, which reports phantom
 * changes on MariaDB) builds models/ and the feature entities, and its schema builder then has nothing left to do.
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
selectDialect('mariadb');
const models = loadModels();
const features = loadFeatureEntities();
const checkEntities = loadCheckEntities();

const EMBEDDING_TYPE = `SELECT column_type AS type FROM information_schema.columns
  WHERE table_schema = DATABASE() AND table_name = 'chunks' AND column_name = 'embedding'`;

const CHECKS_ON_PRICED_ITEMS = `SELECT COUNT(*) AS n FROM information_schema.CHECK_CONSTRAINTS
  WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'priced_items'`;

describe('TypeORM synchronize() on MariaDB leaves nothing to do', () => {
  const databases: ThrowawayDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it('loads both entity sets', () => {
    expect(models.length).toBeGreaterThanOrEqual(11);
    expect(features.length).toBeGreaterThanOrEqual(20);
  });

  it('models/', async () => {
    const database = await createDatabase('mariadb', 'typeorm_sync_models');
    databases.push(database);
    const result = await synchronizeThenLog('mariadb', database.url, models, { probe: EMBEDDING_TYPE });
    if (result.pending.length > 0) throw new Error(describePending('models/ on MariaDB', result.pending));
    // The dialect switch took effect: JSON (MariaDB's longtext alias), not pgvector.
    expect(result.probeRows).toEqual([{ type: 'longtext' }]);
  });

  it('feature entities', async () => {
    const database = await createDatabase('mariadb', 'typeorm_sync_features');
    databases.push(database);
    const result = await synchronizeThenLog('mariadb', database.url, features);
    if (result.pending.length > 0) throw new Error(describePending('feature entities on MariaDB', result.pending));
  });

  it('@Check: TypeORM does not create it on MariaDB, and schema-sync does not ask for it', async () => {
    const database = await createDatabase('mariadb', 'typeorm_sync_checks');
    databases.push(database);
    const result = await synchronizeThenLog('mariadb', database.url, checkEntities, { probe: CHECKS_ON_PRICED_ITEMS });
    if (result.pending.length > 0) throw new Error(describePending('check entities on MariaDB', result.pending));
    expect(result.probeRows.map((row) => Number(row.n))).toEqual([0]);
    expect(await ourChanges('mariadb', database.url, CHECK_ENTITY_GLOBS)).toEqual([]);
  });
});
