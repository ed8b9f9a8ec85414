import { diffSchemas } from '../../src/diff/diff-schemas';
import { normalizeDefault, normalizeSchema, OWN_TABLES } from '../../src/model/normalize';
import { canonicalExpression } from '../../src/model/normalize-expression';
import type { ColumnDefault, ColumnType } from '../../src/model/schema';
import {
  bigint,
  bool,
  check,
  col,
  decimal,
  double,
  expr,
  fk,
  index,
  int,
  json,
  jsonb,
  literal,
  pgEnum,
  schema,
  table,
  text,
  tinyint,
  unique,
  uuid,
  varchar,
} from '../support/schema-builders';

describe('normalizeDefault', () => {
  type DefaultCase = readonly [name: string, type: ColumnType, mysql: boolean, a: string, b: string];

  // Pairs that must normalise to the same literal.
  const same: readonly DefaultCase[] = [
    ['decimal 5 = 5.00', decimal(10, 2), false, '5', '5.00'],
    ['decimal 5 = 5.', decimal(10, 2), false, '5', '5.'],
    ['decimal 0.5 = .5', decimal(10, 2), false, '0.5', '.5'],
    ['decimal -0.50 = -.5', decimal(10, 2), false, '-0.50', '-.5'],
    ['decimal -0.50 = -0.5', decimal(10, 2), false, '-0.50', '-0.5'],
    ['decimal +5 = 5', decimal(10, 2), false, '+5', '5'],
    ['decimal 005.10 = 5.1', decimal(10, 2), false, '005.10', '5.1'],
    ['decimal 0.00 = 0', decimal(10, 2), false, '0.00', '0'],
    ['decimal -0 = 0', decimal(10, 2), false, '-0', '0'],
    ['decimal exponent 1.5e3 = 1500', decimal(10, 2), false, '1.5e3', '1500'],
    ['integer 007 = 7', int(), false, '007', '7'],
    ['integer padded with spaces', bigint(), false, ' 42 ', '42'],
    ['double 1.50 = 1.5', double(), true, '1.50', '1.5'],
    ['boolean 1 = true', bool(), false, '1', 'true'],
    ['boolean t = true', bool(), false, 't', 'true'],
    ['boolean TRUE = true', bool(), false, 'TRUE', 'true'],
    ['boolean 0 = false', bool(), true, '0', 'false'],
    ['boolean f = false', bool(), false, 'f', 'false'],
    ['mysql tinyint true = 1', tinyint(), true, 'true', '1'],
    ['mysql tinyint false = 0', tinyint(), true, 'false', '0'],
    ['json spacing', json(), false, '{"a": 1}', '{"a":1}'],
    ['jsonb spacing and newlines', jsonb(), false, '{\n  "a": [1, 2]\n}', '{"a":[1,2]}'],
    ['jsonb key order (PostgreSQL reorders jsonb keys; content is the same)', jsonb(), false, '{"b": 1, "a": 2}', '{"a":2,"b":1}'],
  ];
  it.each(same)('%s', (_name, type, mysql, a, b) => {
    expect(normalizeDefault(literal(a), type, mysql)).toEqual(normalizeDefault(literal(b), type, mysql));
  });

  // Pairs that must stay different.
  const different: readonly DefaultCase[] = [
    ['decimal 5 != 50', decimal(10, 2), false, '5', '50'],
    ['decimal 0.5 != 5', decimal(10, 2), false, '0.5', '5'],
    ['decimal -1 != 1', decimal(10, 2), false, '-1', '1'],
    ['postgres integer: true is not rewritten to 1', int(), false, 'true', '1'],
    ['boolean true != false', bool(), false, 'true', 'false'],
    ['json different content', json(), false, '{"a": 1}', '{"a": 2}'],
    ['varchar literals are compared verbatim', varchar(10), false, 'a ', 'a'],
    ['text literals are case-sensitive', text(), false, 'Active', 'active'],
  ];
  it.each(different)('%s', (_name, type, mysql, a, b) => {
    expect(normalizeDefault(literal(a), type, mysql)).not.toEqual(normalizeDefault(literal(b), type, mysql));
  });

  it('gives the canonical spelling', () => {
    expect(normalizeDefault(literal('5.00'), decimal(10, 2), false)).toEqual(literal('5'));
    expect(normalizeDefault(literal('t'), bool(), false)).toEqual(literal('true'));
    expect(normalizeDefault(literal('true'), tinyint(), true)).toEqual(literal('1'));
    expect(normalizeDefault(literal('{"a": 1}'), json(), false)).toEqual(literal('{"a":1}'));
  });

  it('leaves expressions, null, invalid JSON and non-numbers alone', () => {
    const now: ColumnDefault = expr('now()');
    expect(normalizeDefault(now, decimal(10, 2), false)).toBe(now);
    expect(normalizeDefault(null, int(), false)).toBeNull();
    expect(normalizeDefault(literal('{oops'), json(), false)).toEqual(literal('{oops'));
    expect(normalizeDefault(literal('abc'), int(), false)).toEqual(literal('abc'));
    expect(normalizeDefault(literal('x'), uuid(), false)).toEqual(literal('x'));
  });
});

describe('normalizeSchema', () => {
  it('folds MySQL unique constraints into unique indexes', () => {
    const normalized = normalizeSchema(
      schema('mysql', [table('users', [col('id', int()), col('email', varchar(255))], { uniques: [unique('UQ_email', ['email'])], indexes: [index('IDX_id', ['id'])] })]),
    );
    expect(normalized.tables[0]?.uniques).toEqual([]);
    expect(normalized.tables[0]?.indexes).toEqual([index('IDX_id', ['id']), index('UQ_email', ['email'], { unique: true })]);
  });

  it('keeps PostgreSQL unique constraints apart from indexes', () => {
    const normalized = normalizeSchema(
      schema('postgres', [table('users', [col('id', int()), col('email', varchar(255))], { uniques: [unique('UQ_email', ['email'])] })]),
    );
    expect(normalized.tables[0]?.uniques).toEqual([unique('UQ_email', ['email'])]);
    expect(normalized.tables[0]?.indexes).toEqual([]);
  });

  it('keeps RESTRICT as written (TypeORM tells it apart); the diff treats it as NO ACTION on MySQL and MariaDB only', () => {
    const restrict = fk('FK_a', ['b_id'], 'b', ['id'], { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' });
    const noAction = fk('FK_a', ['b_id'], 'b', ['id']);
    const build = (dialect: 'postgres' | 'mysql' | 'mariadb', key: typeof restrict) =>
      normalizeSchema(schema(dialect, [table('a', [col('b_id', int())], { foreignKeys: [key] }), table('b', [col('id', int())], { pk: ['id'] })]));
    expect(build('mysql', restrict).tables[0]?.foreignKeys).toEqual([restrict]);
    expect(diffSchemas(build('mysql', noAction), build('mysql', restrict)).changes).toEqual([]);
    expect(diffSchemas(build('mariadb', restrict), build('mariadb', noAction)).changes).toEqual([]);
    expect(diffSchemas(build('postgres', noAction), build('postgres', restrict)).changes.map((c) => c.kind)).toEqual(['drop_foreign_key', 'add_foreign_key']);
  });

  it('forces primary key columns NOT NULL', () => {
    const normalized = normalizeSchema(
      schema('postgres', [table('t', [col('id', int(), { nullable: true }), col('note', text(), { nullable: true })], { pk: ['id'] })]),
    );
    expect(normalized.tables[0]?.columns.map((column) => column.nullable)).toEqual([false, true]);
  });

  it('calls every MySQL primary key PRIMARY and keeps PostgreSQL names', () => {
    const t = table('t', [col('id', int())], { pk: ['id'], pkName: 'PK_custom' });
    expect(normalizeSchema(schema('mysql', [t])).tables[0]?.primaryKey).toEqual({ name: 'PRIMARY', columns: ['id'] });
    expect(normalizeSchema(schema('postgres', [t])).tables[0]?.primaryKey).toEqual({ name: 'PK_custom', columns: ['id'] });
  });

  it('removes the tool’s own tables', () => {
    expect(OWN_TABLES).toEqual(expect.arrayContaining(['schema_sync_history', 'schema_sync_lock']));
    const normalized = normalizeSchema(
      schema('postgres', [table('schema_sync_history', [col('id', int())]), table('users', [col('id', int())]), table('schema_sync_lock', [col('id', int())])]),
    );
    expect(normalized.tables.map((t) => t.name)).toEqual(['users']);
  });

  it('sorts tables (schema, then name), enums, indexes, uniques, foreign keys and checks by name; keeps column order', () => {
    const t = table('t', [col('z', int()), col('a', int())], {
      indexes: [index('IDX_b', ['a']), index('IDX_a', ['z'])],
      uniques: [unique('UQ_b', ['a']), unique('UQ_a', ['z'])],
      foreignKeys: [fk('FK_b', ['a'], 'u', ['id']), fk('FK_a', ['z'], 'u', ['id'])],
      checks: [check('CHK_b', 'a > 0'), check('CHK_a', 'z > 0')],
    });
    const normalized = normalizeSchema(
      schema(
        'postgres',
        [table('b', []), t, table('a', [], { schema: 'x' }), table('a', [])],
        [pgEnum('zeta', ['1']), pgEnum('alpha', ['1']), pgEnum('beta', ['1'], 'x')],
      ),
    );
    expect(normalized.tables.map((x) => `${x.schema ?? ''}.${x.name}`)).toEqual(['.a', '.b', '.t', 'x.a']);
    expect(normalized.enums.map((x) => `${x.schema ?? ''}.${x.name}`)).toEqual(['.alpha', '.zeta', 'x.beta']);
    const sorted = normalized.tables[2];
    expect(sorted?.columns.map((c) => c.name)).toEqual(['z', 'a']);
    expect(sorted?.indexes.map((x) => x.name)).toEqual(['IDX_a', 'IDX_b']);
    expect(sorted?.uniques.map((x) => x.name)).toEqual(['UQ_a', 'UQ_b']);
    expect(sorted?.foreignKeys.map((x) => x.name)).toEqual(['FK_a', 'FK_b']);
    expect(sorted?.checks.map((x) => x.name)).toEqual(['CHK_a', 'CHK_b']);
  });

  it('keeps enum values in their declared order (order is meaningful)', () => {
    expect(normalizeSchema(schema('postgres', [], [pgEnum('e', ['b', 'a'])])).enums).toEqual([pgEnum('e', ['b', 'a'])]);
  });

  it('drops the default of a generated column (serial / identity / auto increment own it)', () => {
    const normalized = normalizeSchema(
      schema('postgres', [table('t', [col('id', int(), { generation: 'increment', default: expr("nextval('t_id_seq'::regclass)") })])]),
    );
    expect(normalized.tables[0]?.columns[0]?.default).toBeNull();
  });

  it('keeps check and predicate SQL as written (it is rendered), lower-cases index methods and drops btree', () => {
    const normalized = normalizeSchema(
      schema('postgres', [
        table('t', [col('price', decimal(10, 2))], {
          checks: [check('CHK_price', '((price > (0)::numeric))')],
          indexes: [index('IDX_a', ['price'], { where: '(price IS NOT NULL)', method: 'BTREE' }), index('IDX_b', ['price'], { method: 'GIN' })],
        }),
      ]),
    );
    expect(normalized.tables[0]?.checks).toEqual([check('CHK_price', '((price > (0)::numeric))')]);
    expect(normalized.tables[0]?.indexes).toEqual([index('IDX_a', ['price'], { where: '(price IS NOT NULL)' }), index('IDX_b', ['price'], { method: 'gin' })]);
  });

  it('states a MySQL collation alone, since it names its character set (COLLATE x_y = CHARACTER SET x COLLATE x_y)', () => {
    const columns = [col('a', varchar(5), { charset: 'latin1', collation: 'latin1_bin' }), col('b', varchar(5), { charset: 'latin1' })];
    const charsets = (dialect: 'mysql' | 'postgres') => normalizeSchema(schema(dialect, [table('t', columns)])).tables[0]?.columns.map((c) => [c.charset, c.collation]);
    expect(charsets('mysql')).toEqual([[null, 'latin1_bin'], ['latin1', null]]);
    expect(charsets('postgres')).toEqual([['latin1', 'latin1_bin'], ['latin1', null]]);
  });

  it('turns empty comments into no comment', () => {
    const normalized = normalizeSchema(schema('mysql', [table('t', [col('a', int(), { comment: '' })], { comment: '' })]));
    expect(normalized.tables[0]?.comment).toBeNull();
    expect(normalized.tables[0]?.columns[0]?.comment).toBeNull();
  });

  it('is idempotent', () => {
    const s = schema('mysql', [
      table('t', [col('id', int(), { nullable: true }), col('p', decimal(10, 2), { default: literal('5.00') })], {
        pk: ['id'],
        uniques: [unique('UQ_p', ['p'])],
        checks: [check('CHK', '(`p` > 0)')],
        foreignKeys: [fk('FK', ['id'], 'u', ['id'], { onDelete: 'RESTRICT' })],
      }),
    ]);
    const once = normalizeSchema(s);
    expect(normalizeSchema(once)).toEqual(once);
  });
});

describe('canonicalExpression', () => {
  // [what the catalog prints, what a TypeORM model says]
  const same: readonly (readonly [catalog: string, model: string])[] = [
    // PostgreSQL pg_get_constraintdef / pg_get_expr, as printed by a real server.
    [`((status)::text = 'active'::text)`, `"status" = 'active'`],
    [`(("status")::text = 'active'::text)`, `"status" = 'active'`],
    [`((price > (0)::numeric))`, `"price" > 0`],
    [`(price > (0)::numeric)`, `price > 0`],
    [`((id)::numeric(10,2) > 1.5)`, `"id" > 1.5`],
    [`(((v)::character varying(5))::text <> 'x'::text)`, `"v" <> 'x'`],
    [`((ts > '2020-01-01 00:00:00'::timestamp without time zone) AND (note IS NOT NULL))`, `"ts" > '2020-01-01 00:00:00' AND "note" IS NOT NULL`],
    [`(price > (0)::double precision)`, `price > 0`],
    [`(tags <> '{}'::text[])`, `"tags" <> '{}'`],
    [`(kind = 'a'::"MyEnum")`, `"kind" = 'a'`],
    // MariaDB keeps the text but adds backticks.
    ['`price` > 0', '"price" > 0'],
    ['(`status` = \'active\')', `"status" = 'active'`],
    // Case and whitespace outside string literals do not matter.
    [`PRICE   >  0`, `price > 0`],
  ];
  it.each(same)('%s ≡ %s', (catalog, model) => {
    expect(canonicalExpression(catalog)).toBe(canonicalExpression(model));
  });

  it('removes casts, quotes, parentheses, whitespace and case', () => {
    expect(canonicalExpression(`((status)::text = 'active'::text)`)).toBe("status='active'");
    expect(canonicalExpression(`((price > (0)::numeric))`)).toBe('price>0');
    expect(canonicalExpression('`price` > 0')).toBe('price>0');
  });

  it('preserves string literals verbatim, including ::, parentheses, quotes, spaces and case inside them', () => {
    expect(canonicalExpression(`(note <> 'a::b (c)'::text)`)).toBe("note<>'a::b (c)'");
    expect(canonicalExpression(`"Name" = 'It''s (Mine)'`)).toBe("name='It''s (Mine)'");
    expect(canonicalExpression(`x = '"quoted" \`back\`'`)).toBe(`x='"quoted" \`back\`'`);
  });

  it('keeps different literals different', () => {
    expect(canonicalExpression(`status = 'Active'`)).not.toBe(canonicalExpression(`status = 'active'`));
    expect(canonicalExpression(`price > 0`)).not.toBe(canonicalExpression(`price > 1`));
  });

  it('is idempotent', () => {
    const once = canonicalExpression(`((status)::text = 'a::b'::text) AND (price > (0)::numeric)`);
    expect(canonicalExpression(once)).toBe(once);
  });

  // Spellings a real PostgreSQL server prints that the canonical form does not yet absorb (see the report).
  it('absorbs a cast whose modifier comes before "without time zone" (timestamp(3) without time zone)', () => {
    // PostgreSQL prints `'…'::timestamp(3)` back as `'…'::timestamp(3) without time zone`.
    expect(canonicalExpression(`(ts > '2020-01-01 00:00:00'::timestamp(3) without time zone)`)).toBe(
      canonicalExpression(`"ts" > '2020-01-01 00:00:00'::timestamp(3)`),
    );
  });

  it('absorbs negative constants, which PostgreSQL prints as quoted literals with a cast', () => {
    // CHECK (n > -1) comes back as (n > '-1'::integer); CHECK (price > -0.5) as (price > '-0.5'::numeric).
    expect(canonicalExpression(`(n > '-1'::integer)`)).toBe(canonicalExpression(`"n" > -1`));
    expect(canonicalExpression(`(price > '-0.5'::numeric)`)).toBe(canonicalExpression(`"price" > -0.5`));
  });
});
