import { canonicalNumber, canonicalPostgresExpression, postgresTypes } from '../../src/dialect/postgres/types';
import type { ColumnDefault, ColumnType } from '../../src/model/schema';

const int = (size: 'small' | 'int' | 'big'): ColumnType => ({ kind: 'integer', size, unsigned: false });
const decimal = (precision: number | null, scale: number | null): ColumnType => ({ kind: 'decimal', precision, scale, unsigned: false });
const float = (size: 'single' | 'double'): ColumnType => ({ kind: 'float', size, unsigned: false });
const varchar = (length: number | null): ColumnType => ({ kind: 'string', fixed: false, binary: false, length });
const char = (length: number | null): ColumnType => ({ kind: 'string', fixed: true, binary: false, length });
const text: ColumnType = { kind: 'text', size: 'regular', binary: false };
const bytea: ColumnType = { kind: 'text', size: 'regular', binary: true };
const temporal = (name: 'timestamp' | 'timestamptz' | 'time' | 'timetz' | 'date' | 'interval', precision: number | null = null): ColumnType => ({
  kind: 'temporal',
  name,
  precision,
});
const array = (element: ColumnType): ColumnType => ({ kind: 'array', element });
const raw = (sql: string): ColumnType => ({ kind: 'raw', sql });

describe('postgresTypes.parseType', () => {
  const cases: ReadonlyArray<readonly [string, ColumnType]> = [
    // What format_type() prints.
    ['character varying(255)', varchar(255)],
    ['character varying', varchar(null)],
    ['character(3)', char(3)],
    ['character(1)', char(1)],
    ['integer', int('int')],
    ['bigint', int('big')],
    ['smallint', int('small')],
    ['numeric(10,2)', decimal(10, 2)],
    ['numeric(10,0)', decimal(10, 0)],
    ['numeric', decimal(null, null)],
    ['real', float('single')],
    ['double precision', float('double')],
    ['boolean', { kind: 'boolean' }],
    ['text', text],
    ['bytea', bytea],
    ['uuid', { kind: 'uuid' }],
    ['json', { kind: 'json', binary: false }],
    ['jsonb', { kind: 'json', binary: true }],
    ['timestamp(6) without time zone', temporal('timestamp')],
    ['timestamp(3) without time zone', temporal('timestamp', 3)],
    ['timestamp(0) without time zone', temporal('timestamp', 0)],
    ['timestamp without time zone', temporal('timestamp')],
    ['timestamp with time zone', temporal('timestamptz')],
    ['timestamp(3) with time zone', temporal('timestamptz', 3)],
    ['time without time zone', temporal('time')],
    ['time(6) without time zone', temporal('time')],
    ['time with time zone', temporal('timetz')],
    ['time(2) with time zone', temporal('timetz', 2)],
    ['date', temporal('date')],
    ['interval', temporal('interval')],
    ['interval(6)', temporal('interval')],
    ['interval(3)', temporal('interval', 3)],
    ['interval day to second(3)', raw('interval day to second(3)')],
    ['vector(768)', { kind: 'vector', dimensions: 768 }],
    ['vector', { kind: 'vector', dimensions: null }],
    ['extensions.vector(3)', { kind: 'vector', dimensions: 3 }],
    ['integer[]', array(int('int'))],
    ['character varying(20)[]', array(varchar(20))],
    ['timestamp(3) with time zone[]', array(temporal('timestamptz', 3))],
    ['text[]', array(text)],
    ['inet', raw('inet')],
    ['tsvector', raw('tsvector')],
    ['"char"', raw('"char"')],
    ['bpchar', char(null)],
    ['bit varying(5)', raw('bit varying(5)')],
    ['public.mood', raw('public.mood')],
    ['"MyType"', raw('"MyType"')],
    ['numeric(5,-2)', decimal(5, -2)],
    // What TypeORM and users write.
    ['varchar(255)', varchar(255)],
    ['varchar', varchar(null)],
    ['int', int('int')],
    ['int4', int('int')],
    ['int8', int('big')],
    ['int2', int('small')],
    ['serial', int('int')],
    ['bigserial', int('big')],
    ['smallserial', int('small')],
    ['bool', { kind: 'boolean' }],
    ['float8', float('double')],
    ['float4', float('single')],
    ['float', float('double')],
    ['float(24)', float('single')],
    ['float(25)', float('double')],
    ['decimal(10,2)', decimal(10, 2)],
    ['decimal(10)', decimal(10, 0)],
    ['decimal', decimal(null, null)],
    ['timestamptz', temporal('timestamptz')],
    ['timestamptz(3)', temporal('timestamptz', 3)],
    ['timestamp', temporal('timestamp')],
    ['timestamp(6)', temporal('timestamp')],
    ['timestamp(3)', temporal('timestamp', 3)],
    ['timetz', temporal('timetz')],
    ['time', temporal('time')],
    ['char', char(1)],
    ['char(2)', char(2)],
    ['character', char(1)],
    ['pg_catalog.int4', int('int')],
    ['int[]', array(int('int'))],
    ['integer[][]', array(int('int'))],
    ['integer[3]', array(int('int'))],
    ['integer ARRAY', array(int('int'))],
    // TypeORM's DDL spellings (createTable): `text array`, upper-case time types, quoted qualified enum names.
    ['text array', array(text)],
    ['TIMESTAMP WITH TIME ZONE', temporal('timestamptz')],
    ['TIMESTAMP(3)', temporal('timestamp', 3)],
    ['"public"."thing_status_enum" array', array(raw('"public"."thing_status_enum"'))],
    // Case and spacing.
    ['CHARACTER VARYING ( 255 )', varchar(255)],
    ['  Numeric( 10 , 2 ) ', decimal(10, 2)],
    ['TIMESTAMP   WITH TIME   ZONE', temporal('timestamptz')],
    ['Timestamp (3)  With Time Zone', temporal('timestamptz', 3)],
    ['INET', raw('inet')],
    ['Bit  Varying ( 5 )', raw('bit varying(5)')],
    ['VARCHAR(20) []', array(varchar(20))],
  ];

  it.each(cases)('%s', (sql, expected) => {
    expect(postgresTypes.parseType(sql)).toEqual(expected);
  });
});

const literal = (value: string): ColumnDefault => ({ kind: 'literal', value });
const expression = (sql: string): ColumnDefault => ({ kind: 'expression', sql });

describe('postgresTypes.parseDefault', () => {
  const cases: ReadonlyArray<readonly [string | null | undefined, ColumnDefault | null]> = [
    // No default.
    [null, null],
    [undefined, null],
    ['', null],
    ['   ', null],
    ['NULL', null],
    ['null', null],
    ['NULL::character varying', null],
    ['(NULL)::text', null],
    // Strings as pg_get_expr prints them.
    ["'abc'::character varying", literal('abc')],
    ["'{}'::jsonb", literal('{}')],
    ["'[1, 2]'::json", literal('[1, 2]')],
    ["'active'::my_enum", literal('active')],
    ["'active'::\"MyEnum\"", literal('active')],
    ["'active'::other.mood", literal('active')],
    ["'2020-01-01 00:00:00'::timestamp without time zone", literal('2020-01-01 00:00:00')],
    ["'it''s'::text", literal("it's")],
    ["''::text", literal('')],
    ["'a\\b'::text", literal('a\\b')],
    ["E'a\\\\b'", literal('a\\b')],
    ["E'line\\nbreak\\tand \\'quote\\''::text", literal("line\nbreak\tand 'quote'")],
    ["E'\\x41\\101\\u00e9'", literal('AAé')],
    ["'{a,b}'::text[]", literal('{a,b}')],
    ["'{ok}'::mood[]", literal('{ok}')],
    ["'{}'::character varying[]", literal('{}')],
    ["'x'::character varying(5)", literal('x')],
    ["'NaN'::double precision", literal('NaN')],
    ["'001'::text", literal('001')],
    // Strings as TypeORM prints them (no cast; numbers quoted too).
    ["'abc'", literal('abc')],
    ["'0'", literal('0')],
    ["'{\"a\":1}'", literal('{"a":1}')],
    // Numbers.
    ['0', literal('0')],
    ['-1', literal('-1')],
    ['1.5', literal('1.5')],
    ['1.50', literal('1.5')],
    ["'-1'::integer", literal('-1')],
    ["'-1.5'::numeric", literal('-1.5')],
    ["'9999999999'::bigint", literal('9999999999')],
    ["'10000000000'::numeric", literal('10000000000')],
    ["'1.50'::numeric(10,2)", literal('1.5')],
    ['(-1)', literal('-1')],
    ['(-1.5)::numeric', literal('-1.5')],
    ['((42))', literal('42')],
    ['1e3', literal('1000')],
    ['-0', literal('0')],
    ['.5', literal('0.5')],
    ['+007', literal('7')],
    // Booleans.
    ['true', literal('true')],
    ['false', literal('false')],
    ['TRUE', literal('true')],
    ["'t'::boolean", literal('true')],
    ["'off'::bool", literal('false')],
    // Expressions.
    ['now()', expression('now()')],
    ['NOW()', expression('now()')],
    ['(now())', expression('now()')],
    ['CURRENT_TIMESTAMP', expression('current_timestamp')],
    ['CURRENT_DATE', expression('current_date')],
    ['LOCALTIMESTAMP(2)', expression('localtimestamp(2)')],
    ['gen_random_uuid()', expression('gen_random_uuid()')],
    ['uuid_generate_v4()', expression('uuid_generate_v4()')],
    ["('now'::text)::date", expression("('now'::text)::date")],
    // TypeORM turns CURRENT_TIMESTAMP(3) into this, and the catalog prints it back unchanged.
    ["('now'::text)::timestamp(3) with time zone", expression("('now'::text)::timestamp(3) with time zone")],
    ["nextval('users_id_seq'::regclass)", expression("nextval('users_id_seq'::regclass)")],
    ["('a'::text || 'B'::text)", expression("'a'::text || 'B'::text")],
    ['(1 + 2)', expression('1 + 2')],
    ['(a) + (b)', expression('(a) + (b)')],
    ["ARRAY['A'::text, 'b'::text]", expression("array['A'::text, 'b'::text]")],
    ['  Lower(  "Name"  )  ', expression('lower("Name")')],
    ["to_tsvector('English'::regconfig,\n   'X')", expression("to_tsvector('English'::regconfig, 'X')")],
  ];

  it.each(cases)('%p', (sql, expected) => {
    expect(postgresTypes.parseDefault(sql)).toEqual(expected);
  });
});

describe('canonicalPostgresExpression', () => {
  it.each([
    ['((deleted_at IS NULL) AND (a > 0))', '(deleted_at is null) and (a > 0)'],
    ['deleted_at IS NULL', 'deleted_at is null'],
    ["status = 'Active'::text", "status = 'Active'::text"],
    ['"Select" > 0', '"Select" > 0'],
    ["n > '-10'::integer", "n > '-10'::integer"],
    ["E'It\\'s' = x", "e'It\\'s' = x"],
  ])('%s', (sql, expected) => {
    expect(canonicalPostgresExpression(sql)).toBe(expected);
  });
});

describe('canonicalNumber', () => {
  it.each([
    ['0', '0'],
    ['-0.0', '0'],
    ['00012.3400', '12.34'],
    ['1.5e-3', '0.0015'],
    ['-2.5E2', '-250'],
    ['abc', null],
    ['.', null],
  ])('%s', (input, expected) => {
    expect(canonicalNumber(input)).toBe(expected);
  });
});
