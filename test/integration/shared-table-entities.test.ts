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
