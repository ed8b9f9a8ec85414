import { parseDeclaredIndexes } from '../../src/cli/config-indexes';
import { createIndexSql } from '../../src/dialect/postgres/render-constraint';
import { mysqlSql } from '../../src/dialect/mysql/render';
import { diffSchemas } from '../../src/diff/diff-schemas';
import { setAsideUnmanagedIndexes } from '../../src/diff/unmanaged-indexes';
import { normalizeSchema } from '../../src/model/normalize';
import type { Index } from '../../src/model/schema';
import { withDeclaredIndexes } from '../../src/source/declared-indexes';
import { col, int, schema, table, text } from '../support/schema-builders';

const key = (options: Partial<{ opclass: string | null; descending: boolean; nulls: 'first' | 'last' | null; length: number | null }>) => ({
  opclass: null,
  descending: false,
  nulls: null,
  length: null,
  ...options,
});
const plain = (name: string, columns: string[], extra: Partial<Index> = {}): Index => ({ name, columns, unique: false, where: null, method: null, ...extra });

describe('index options in the model', () => {
  const docs = (indexes: Index[]) => schema('postgres', [table('docs', [col('id', int()), col('body', text()), col('title', text())], { pk: ['id'], indexes })]);

  it('a stated default (ASC, NULLS LAST, no parameters) equals an index that states none', () => {
    const stated = plain('i', ['body'], { keys: [key({ nulls: 'last' })], parameters: {}, include: [] });
    expect(diffSchemas(normalizeSchema(docs([plain('i', ['body'])])), normalizeSchema(docs([stated]))).changes).toEqual([]);
  });

  it('an operator class, a direction, INCLUDE or a storage parameter of its own is a redefinition', () => {
    const variants: Index[] = [
      plain('i', ['body'], { method: 'gin', keys: [key({ opclass: 'gin_trgm_ops' })] }),
      plain('i', ['body'], { keys: [key({ descending: true })] }),
      plain('i', ['body'], { keys: [key({ nulls: 'first' })] }),
      plain('i', ['body'], { include: ['title'] }),
      plain('i', ['body'], { parameters: { fillfactor: '70' } }),
    ];
    for (const variant of variants) {
      const kinds = diffSchemas(normalizeSchema(docs([plain('i', ['body'])])), normalizeSchema(docs([variant]))).changes.map((change) => change.kind);
      expect(kinds).toEqual(['drop_index', 'create_index']);
    }
  });

  it('renders every option on PostgreSQL, and prefix lengths and DESC on MariaDB', () => {
    const owner = docs([]).tables[0];
    const index = plain('i', ['body', 'lower(title)'], {
      method: 'gin',
      keys: [key({ opclass: 'gin_trgm_ops' }), key({ descending: true, nulls: 'last' })],
      include: ['id'],
      parameters: { fastupdate: 'off', note: "it's" },
      where: 'id > 0',
    });
    expect(createIndexSql({ schema: null, name: 'docs' }, index, owner)).toBe(
      `CREATE INDEX "i" ON "docs" USING gin ("body" gin_trgm_ops, (lower(title)) DESC NULLS LAST) INCLUDE ("id") WITH (fastupdate = off, note = 'it''s') WHERE id > 0`,
    );
    const prefix = plain('p', ['body', 'id'], { keys: [key({ length: 20 }), key({ descending: true })] });
    expect(mysqlSql.render({ kind: 'create_index', table: { schema: null, name: 'docs' }, index: prefix }, { before: schema('mariadb', []) })).toEqual([
      'CREATE INDEX `p` ON `docs` (`body`(20), `id` DESC)',
    ]);
  });
});

describe('indexes the models leave alone', () => {
  const live = normalizeSchema(
    schema('postgres', [
      table('docs', [col('id', int()), col('body', text())], {
        pk: ['id'],
        indexes: [plain('hand_gin', ['body'], { method: 'gin' }), plain('by_lower', ['lower(body)']), plain('stale', ['body'])],
      }),
      table('legacy', [col('id', int())], { indexes: [plain('legacy_idx', ['id'])] }),
    ]),
  );
  const models = normalizeSchema(schema('postgres', [table('docs', [col('id', int()), col('body', text())], { pk: ['id'] }), table('legacy', [col('id', int())])]));

  it('sets aside synchronize:false and expression indexes, and every index of a synchronize:false entity', () => {
    const { actual, unmanaged } = setAsideUnmanagedIndexes(live, models, [
      { table: { schema: null, name: 'docs' }, names: ['hand_gin'], why: '@Index({ synchronize: false }) on Doc' },
      { table: { schema: null, name: 'legacy' }, names: null, why: '@Entity({ synchronize: false }) on Legacy' },
    ]);
    expect(unmanaged.map((object) => `${object.table}.${object.name}: ${object.reason}`)).toEqual([
      'docs.by_lower: expression index the models cannot express',
      'docs.hand_gin: @Index({ synchronize: false }) on Doc',
      'legacy.legacy_idx: @Entity({ synchronize: false }) on Legacy',
    ]);
    // Only the plain index the models do not declare is still a drop.
    expect(diffSchemas(actual, models).changes.map((change) => (change.kind === 'drop_index' ? change.index.name : change.kind))).toEqual(['stale']);
  });
});

describe('schema-sync.json "indexes"', () => {
  const models = schema('postgres', [table('chunks', [col('id', int()), col('embedding', text())], { pk: ['id'] })]);

  it('reads a declaration into the model, key options and parameters included', () => {
    const declared = parseDeclaredIndexes(
      [{ table: 'chunks', name: 'hnsw', columns: ['embedding'], using: 'HNSW', opclass: 'vector_cosine_ops', with: { m: 16, ef_construction: 64 }, dialects: ['postgres'] }],
      'schema-sync.json',
    );
    const withIndex = withDeclaredIndexes(models, declared);
    expect(withIndex.tables[0]?.indexes).toEqual([
      {
        name: 'hnsw',
        columns: ['embedding'],
        unique: false,
        where: null,
        method: 'hnsw',
        keys: [key({ opclass: 'vector_cosine_ops' })],
        parameters: { m: '16', ef_construction: '64' },
      },
    ]);
    expect(withDeclaredIndexes({ ...models, dialect: 'mariadb' }, declared)).toEqual({ ...models, dialect: 'mariadb' });
  });

  it.each([
    [[{ name: 'x', columns: ['a'] }], '"indexes[0].table" must be a non-empty string'],
    [[{ table: 't', name: 'x' }], '"indexes[0]" needs exactly one of "columns" (a list of keys) or "expression" (one key)'],
    [[{ table: 't', name: 'x', columns: ['a'], with: { m: [16] } }], '"indexes[0].with.m" must be a number, boolean or string'],
    [[{ table: 't', name: 'x', columns: [{ column: 'a', order: 'up' }] }], '"indexes[0].columns[0].order" must be one of "asc", "desc"'],
    [[{ table: 't', name: 'x', columns: ['a'], opclass: 'bad ops; drop' }], '"indexes[0].opclass" "bad ops; drop" is not a name'],
    [[{ table: 't', name: 'x', columns: ['a'], usign: 'gin' }], '"indexes[0].usign" is not an index setting'],
    [{}, '"indexes" must be a list of index declarations'],
  ])('names the key at fault: %j', (value, message) => {
    expect(() => parseDeclaredIndexes(value, 'schema-sync.json')).toThrow(message);
  });

  it('skips a declaration for a table the loaded models leave out, and refuses one naming a column the table lacks', () => {
    const onTable = parseDeclaredIndexes([{ table: 'chunk', name: 'x', columns: ['id'] }], 'schema-sync.json');
    expect(withDeclaredIndexes(models, onTable)).toEqual(models);
    const onColumn = parseDeclaredIndexes([{ table: 'chunks', name: 'x', columns: ['embeding'] }], 'schema-sync.json');
    expect(() => withDeclaredIndexes(models, onColumn)).toThrow('names column "embeding", which table "chunks" does not have');
  });
});
