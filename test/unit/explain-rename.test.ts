/**
 * explain's `--rename` advice when the names are not alike: the model's column is missing from the database, and the
 * database has exactly one column of the same type that no model declares.
 */
import { explainColumn } from '../../src/explain/explain';
import { normalizeSchema } from '../../src/model/normalize';
import { col, int, schema, table, text, varchar } from '../support/schema-builders';

const files = (type: string, extra: ReturnType<typeof col>[] = []) =>
  normalizeSchema(schema('mariadb', [table('files', [col('id', int()), col(type, varchar(127)), ...extra], { pk: ['id'] })]));
const missing = { kind: 'column', table: 'files', column: 'content_type', flavour: 'mysql' } as const;

describe('explainColumn: a rename by type', () => {
  it('suggests --rename old=new for the one orphan column of the same type', () => {
    const explanation = explainColumn(missing, files('content_type'), files('mime_type'), [], [], 'mysql://db');
    expect(explanation.fix).toBe('schema-sync sync --rename files.mime_type=content_type --single-phase   # then: schema-sync apply');
    expect(explanation.cause).toBe('files.content_type is column content_type in the models, but mysql://db calls it mime_type: the model and the database disagree on the name.');
  });

  it('does not guess when two orphans share the type, or when the type differs', () => {
    const two = files('mime_type', [col('kind', varchar(127))]);
    expect(explainColumn(missing, files('content_type'), two, [], [], 'db').fix).toBe('schema-sync sync   # generate the migration, then: schema-sync apply');
    const other = normalizeSchema(schema('mariadb', [table('files', [col('id', int()), col('mime_type', text())], { pk: ['id'] })]));
    expect(explainColumn(missing, files('content_type'), other, [], [], 'db').fix).toBe('schema-sync sync   # generate the migration, then: schema-sync apply');
  });
});
