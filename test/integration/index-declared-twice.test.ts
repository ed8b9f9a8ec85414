/**
 * One index declared twice alike is one index (the real-world `duplicate-index` project goes through the databases);
 * one name given to two different indexes is refused, with the entity, the name and both column lists.
 */
import * as path from 'node:path';
import { loadModels } from '../../src/source/typeorm/load-models';

const ROOT = path.resolve(__dirname, '..', '..');

describe('two different indexes under one name', () => {
  it('is refused, naming the entity, the index and both column lists', async () => {
    await expect(
      loadModels({ projectDir: ROOT, source: { kind: 'globs', globs: ['test/fixtures/index-name-clash/*.ts'] }, dialect: 'postgres', serverVersion: 'PostgreSQL 15.8' }),
    ).rejects.toThrow('Entity MeterReading (table "meter_readings") declares two different indexes named "IDX_meter_reading_lookup": (meterId) and (meterId, takenAt)');
  });
});

describe('one index declared twice alike', () => {
  it('is one index', async () => {
    const models = await loadModels({ projectDir: ROOT, source: { kind: 'globs', globs: ['test/real-world/projects/duplicate-index/src/*.ts'] }, dialect: 'postgres', serverVersion: 'PostgreSQL 15.8' });
    const table = models.schema.tables.find((candidate) => candidate.name === 'status_timeline');
    expect(table?.indexes.map((index) => index.columns.join(',')).sort()).toEqual(['deviceId', 'deviceId,projectId,startsAt', 'deviceId,startsAt']);
  });
});
