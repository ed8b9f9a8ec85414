/**
 * Junction tables TypeORM builds twice (both-sided @JoinTable, closure tables under inheritance) are merged; two
 * entities on one table are not, and the error names both classes.
 */
import * as path from 'node:path';
import { loadModels } from '../../src/source/typeorm/load-models';

const ROOT = path.resolve(__dirname, '..', '..');

describe('two entities on one table', () => {
  it('is refused with both class names', async () => {
    await expect(
      loadModels({ projectDir: ROOT, source: { kind: 'globs', globs: ['test/fixtures/shared-table-entities/*.ts'] }, dialect: 'postgres', serverVersion: 'PostgreSQL 15.8' }),
    ).rejects.toThrow('entity CustomerAccount and entity VendorAccount both map to table "accounts"');
  });
});

describe('an entity on the table of a @JoinTable', () => {
  it('is the table, and the junction adds only what it lacks', async () => {
    const models = await loadModels({ projectDir: ROOT, source: { kind: 'globs', globs: ['test/fixtures/entity-on-join-table/*.ts'] }, dialect: 'postgres', serverVersion: 'PostgreSQL 15.8' });
    const table = models.schema.tables.find((candidate) => candidate.name === 'note_label');
    expect(table?.primaryKey?.columns).toEqual(['id']);
    expect(table?.columns.map((column) => column.name)).toEqual(['id', 'note_id', 'label_id', 'created_at']);
    expect(table?.foreignKeys.map((foreignKey) => `${foreignKey.columns.join(',')} -> ${foreignKey.referencedTable}`).sort()).toEqual(['label_id -> label', 'note_id -> note']);
    expect(table?.indexes.map((index) => `${index.unique ? 'unique ' : ''}${index.columns.join(',')}`).sort()).toEqual(['label_id', 'note_id', 'unique note_id,label_id']);
  });
});
