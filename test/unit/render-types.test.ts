/**
 * The renderers' types, defaults and quoting: `parseType(renderType(t))` gives `t` back for every type a dialect
 * supports (in the canonical form its parser produces), over random types; types a dialect lacks fail with a typed
 * error naming them; and the quoting rules on hostile text.
 */
import fc from 'fast-check';
import { mysqlSql } from '../../src/dialect/mysql/render';
import { renderMysqlDefault } from '../../src/dialect/mysql/render-type';
import { mysqlTypes } from '../../src/dialect/mysql/types';
import { postgresSql } from '../../src/dialect/postgres/render';
import { renderPostgresDefault } from '../../src/dialect/postgres/render-type';
import { postgresTypes } from '../../src/dialect/postgres/types';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import type { ColumnType } from '../../src/model/schema';
import { SchemaSyncError } from '../../src/util/errors';
import { array, bool, decimal, enumType, expr, float, int, integer, json, jsonb, literal, raw, set, temporal, text, tinyint, uuid, varchar, vector } from '../support/schema-builders';

const precision = (max: number) => fc.option(fc.integer({ min: 1, max }), { nil: null });

/** Enum and set values with every character that needs escaping on either dialect. */
const valueArb = fc.oneof(
  fc.string({ unit: fc.constantFrom("'", '\\', '"', '`', ',', ')', ' ', 'a', 'é', 'ü', '%', '_', '\n', '\t', '\0'), minLength: 1, maxLength: 6 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
);

/** Every PostgreSQL type the parser models, in its canonical form (precision 6 is the default and reads as null). */
const postgresScalarArb: fc.Arbitrary<ColumnType> = fc.oneof(
  fc.constantFrom<ColumnType>(
    integer('small'),
    int(),
    integer('big'),
    bool(),
    decimal(),
    float(),
    { kind: 'float', size: 'double', unsigned: false },
    text(),
    { kind: 'text', size: 'regular', binary: true },
    temporal('date'),
    json(),
    jsonb(),
    uuid(),
    raw('inet'),
    raw('tsvector'),
    raw('point'),
    raw('bit(3)'),
  ),
  fc.integer({ min: 1, max: 1000 }).chain((p) => fc.integer({ min: 0, max: p }).map((s) => decimal(p, s))),
  fc.record({ fixed: fc.boolean(), length: precision(10_485_760) }).map(({ fixed, length }): ColumnType => ({ kind: 'string', fixed, binary: false, length })),
  fc
    .record({ name: fc.constantFrom('timestamp', 'timestamptz', 'time', 'timetz', 'interval' as const), precision: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }) })
    .map(({ name, precision: p }) => temporal(name, p)),
  precision(16_000).map(vector),
);
const postgresTypeArb = fc.oneof(postgresScalarArb, postgresScalarArb.map(array));

/** Every MySQL/MariaDB type the parser models, in its canonical form (precision 0 reads as null). */
const mysqlTypeArb: fc.Arbitrary<ColumnType> = fc.oneof(
  fc
    .record({ size: fc.constantFrom('tiny', 'small', 'medium', 'int', 'big' as const), unsigned: fc.boolean() })
    .map(({ size, unsigned }) => integer(size, { unsigned })),
  fc.constant(bool()),
  fc
    .record({ p: fc.integer({ min: 1, max: 65 }), unsigned: fc.boolean() })
    .chain(({ p, unsigned }) => fc.integer({ min: 0, max: Math.min(p, 30) }).map((s) => decimal(p, s, { unsigned }))),
  fc.record({ size: fc.constantFrom('single', 'double' as const), unsigned: fc.boolean() }).map(({ size, unsigned }): ColumnType => ({ kind: 'float', size, unsigned })),
  fc
    .record({ fixed: fc.boolean(), binary: fc.boolean(), length: fc.integer({ min: 1, max: 255 }) })
    .map(({ fixed, binary, length }): ColumnType => ({ kind: 'string', fixed, binary, length })),
  fc.record({ size: fc.constantFrom('tiny', 'regular', 'medium', 'long' as const), binary: fc.boolean() }).map(({ size, binary }): ColumnType => ({ kind: 'text', size, binary })),
  fc
    .record({ name: fc.constantFrom('datetime', 'timestamp', 'time' as const), precision: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }) })
    .map(({ name, precision: p }) => temporal(name, p)),
  fc.constantFrom(temporal('date'), temporal('year'), json(), uuid(), raw('geometry'), raw('point'), raw('bit(3)')),
  fc.array(valueArb, { minLength: 1, maxLength: 5 }).map((values) => enumType(values)),
  fc.array(valueArb, { minLength: 1, maxLength: 5 }).map(set),
  precision(16_000).map(vector),
);

describe('renderType round-trips through the dialect parser', () => {
  it('PostgreSQL: parseType(renderType(t)) equals t for every modelled type but enums', () => {
    fc.assert(
      fc.property(postgresTypeArb, (type) => {
        expect(postgresTypes.parseType(postgresSql.renderType(type))).toEqual(type);
      }),
      { numRuns: 500 },
    );
  });

  it('MySQL: parseType(renderType(t)) equals t for every modelled type', () => {
    fc.assert(
      fc.property(mysqlTypeArb, (type) => {
        expect(mysqlTypes.parseType(mysqlSql.renderType(type))).toEqual(type);
      }),
      { numRuns: 500 },
    );
  });

  it('PostgreSQL enums render as their quoted, qualified type name (the introspector finds them by oid, not by parsing)', () => {
    expect(postgresSql.renderType(enumType(['a'], 'mood'))).toBe('"mood"');
    expect(postgresSql.renderType(enumType(['a'], 'audit.Mood "x"'))).toBe('"audit"."Mood ""x"""');
    expect(postgresSql.renderType(array(enumType(['a'], 'audit.mood')))).toBe('"audit"."mood"[]');
  });

  it('MySQL JSON renders as json, which MariaDB stores as longtext with a json_valid check', () => {
    expect(mysqlSql.renderType(json())).toBe('json');
    expect(mysqlSql.renderType(bool())).toBe('tinyint(1)');
    expect(mysqlSql.renderType(enumType(["it's", 'a\\b']))).toBe(String.raw`enum('it''s','a\\b')`);
  });
});

describe('types a dialect lacks fail with a typed error', () => {
  it.each<[string, ColumnType, RegExp]>([
    ['tinyint', tinyint(), /no tinyint type/],
    ['unsigned', int({ unsigned: true }), /no unsigned integer type/],
    ['set', set(['a']), /no set type/],
    ['inline enum', enumType(['a']), /no inline enum type/],
    ['nested array', array(array(int())), /no nested array type/],
    ['mediumtext', text('medium'), /no mediumtext type/],
    ['varbinary', { kind: 'string', fixed: false, binary: true, length: 4 }, /no length-limited binary string type/],
    ['datetime', temporal('datetime'), /no datetime type/],
  ])('PostgreSQL: %s', (_name, type, message) => {
    expect(() => postgresSql.renderType(type)).toThrow(SchemaSyncError);
    expect(() => postgresSql.renderType(type)).toThrow(message);
  });

  it.each<[string, ColumnType, RegExp]>([
    ['array', array(int()), /no array type/],
    ['jsonb', jsonb(), /no binary json \(jsonb\) type/],
    ['timestamptz', temporal('timestamptz'), /no timestamptz type/],
    ['interval', temporal('interval'), /no interval type/],
    ['varchar without a length', varchar(null), /no varchar without a length type/],
  ])('MySQL: %s', (_name, type, message) => {
    expect(() => mysqlSql.renderType(type)).toThrow(SchemaSyncError);
    expect(() => mysqlSql.renderType(type)).toThrow(message);
  });
});

describe('defaults', () => {
  it.each<[string, Parameters<typeof renderPostgresDefault>[0], ColumnType, string, string]>([
    ['a negative number on an integer', literal('-1'), int(), '-1', '-1'],
    ['a number on a decimal', literal('1.50'), decimal(10, 2), '1.50', '1.50'],
    ['not a number on a float', literal('NaN'), float(), "'NaN'", "'NaN'"],
    ['a boolean', literal('true'), bool(), 'true', '1'],
    ['a boolean spelled as a number', literal('0'), bool(), 'false', '0'],
    ['a string with a quote and a backslash', literal(`it's \\ x`), varchar(10), `'it''s \\ x'`, `'it''s \\\\ x'`],
    ['a string on text (MySQL 8 needs an expression)', literal('x'), text(), "'x'", "('x')"],
    ['a number-looking string on varchar', literal('5'), varchar(10), "'5'", "'5'"],
    ['the current time', expr('current_timestamp(6)'), temporal('datetime', 6), 'current_timestamp(6)', 'current_timestamp(6)'],
    ['another expression (MySQL 8 needs parentheses)', expr('uuid()'), varchar(36), 'uuid()', '(uuid())'],
  ])('%s', (_name, value, type, postgres, mysql) => {
    expect(renderPostgresDefault(value, type)).toBe(postgres);
    expect(renderMysqlDefault(value, type)).toBe(mysql);
  });
});

describe('quoting', () => {
  it('doubles the quote character of identifiers', () => {
    expect(postgresSql.quoteIdentifier('we"ird`')).toBe('"we""ird`"');
    expect(mysqlSql.quoteIdentifier('we"ird`')).toBe('`we"ird```');
    expect(postgresSql.quoteIdentifier('café_ünïcode')).toBe('"café_ünïcode"');
  });

  it('doubles quotes in literals, and on MySQL escapes backslashes too', () => {
    expect(postgresSql.quoteLiteral(`it's C:\\dir`)).toBe(`'it''s C:\\dir'`);
    expect(mysqlSql.quoteLiteral(`it's C:\\dir`)).toBe(`'it''s C:\\\\dir'`);
  });

  it('gives each dialect its family', () => {
    expect(sqlDialectFor('postgres')).toBe(postgresSql);
    expect(sqlDialectFor('mysql')).toBe(mysqlSql);
    expect(sqlDialectFor('mariadb')).toBe(mysqlSql);
  });
});
