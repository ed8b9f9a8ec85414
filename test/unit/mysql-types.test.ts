import { canonicalMysqlExpression, canonicalMysqlNumber, mariadbTypes, mysqlIntegerDisplay, mysqlTypes } from '../../src/dialect/mysql/types';
import type { ColumnDefault, ColumnType } from '../../src/model/schema';

const int = (size: 'tiny' | 'small' | 'medium' | 'int' | 'big', unsigned = false): ColumnType => ({ kind: 'integer', size, unsigned });
const decimal = (precision: number, scale: number, unsigned = false): ColumnType => ({ kind: 'decimal', precision, scale, unsigned });
const string = (fixed: boolean, binary: boolean, length: number | null): ColumnType => ({ kind: 'string', fixed, binary, length });
const text = (size: 'tiny' | 'regular' | 'medium' | 'long', binary = false): ColumnType => ({ kind: 'text', size, binary });
const temporal = (name: 'datetime' | 'timestamp' | 'time' | 'date' | 'year', precision: number | null = null): ColumnType => ({
  kind: 'temporal',
  name,
  precision,
});
const raw = (sql: string): ColumnType => ({ kind: 'raw', sql });

const TYPES: readonly [string, ColumnType][] = [
  // Integers: display widths are noise, synonyms collapse, UNSIGNED stays, ZEROFILL is ignored.
  ['int(11)', int('int')],
  ['int', int('int')],
  ['INTEGER', int('int')],
  ['int4', int('int')],
  ['int(10) unsigned', int('int', true)],
  ['INT UNSIGNED', int('int', true)],
  ['int(10) unsigned zerofill', int('int', true)],
  ['tinyint(4)', int('tiny')],
  ['tinyint', int('tiny')],
  ['tinyint(3) unsigned', int('tiny', true)],
  ['smallint', int('small')],
  ['smallint(6)', int('small')],
  ['mediumint(9)', int('medium')],
  ['middleint', int('medium')],
  ['bigint(20) unsigned', int('big', true)],
  ['bigint unsigned', int('big', true)],
  ['BIGINT', int('big')],
  // BOOL is a signed TINYINT(1).
  ['tinyint(1)', { kind: 'boolean' }],
  ['bool', { kind: 'boolean' }],
  ['BOOLEAN', { kind: 'boolean' }],
  ['tinyint(1) unsigned', int('tiny', true)],
  // Decimals: bare DECIMAL is (10,0), DECIMAL(p) is (p,0).
  ['decimal(10,2)', decimal(10, 2)],
  ['decimal', decimal(10, 0)],
  ['decimal(10)', decimal(10, 0)],
  ['decimal(10,0)', decimal(10, 0)],
  ['numeric(5)', decimal(5, 0)],
  ['NUMERIC(12, 4)', decimal(12, 4)],
  ['dec(8,3) unsigned', decimal(8, 3, true)],
  ['fixed(6,1)', decimal(6, 1)],
  // Floating point.
  ['float', { kind: 'float', size: 'single', unsigned: false }],
  ['float(24)', { kind: 'float', size: 'single', unsigned: false }],
  ['float(30)', { kind: 'float', size: 'double', unsigned: false }],
  ['double', { kind: 'float', size: 'double', unsigned: false }],
  ['double precision', { kind: 'float', size: 'double', unsigned: false }],
  ['real', { kind: 'float', size: 'double', unsigned: false }],
  ['double unsigned', { kind: 'float', size: 'double', unsigned: true }],
  ['float(7,2)', raw('float(7,2)')],
  ['double precision(10, 3)', raw('double(10,3)')],
  // Strings and binary strings.
  ['varchar(255)', string(false, false, 255)],
  ['VARCHAR (255)', string(false, false, 255)],
  ['character varying(20)', string(false, false, 20)],
  ['nvarchar(10)', string(false, false, 10)],
  ['varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', string(false, false, 255)],
  ['char(36)', string(true, false, 36)],
  ['char', string(true, false, 1)],
  ['national char(2)', string(true, false, 2)],
  ['varbinary(16)', string(false, true, 16)],
  ['binary(16)', string(true, true, 16)],
  ['binary', string(true, true, 1)],
  // Text and blob families.
  ['tinytext', text('tiny')],
  ['text', text('regular')],
  ['mediumtext', text('medium')],
  ['longtext', text('long')],
  ['long varchar', text('medium')],
  ['text(100)', text('regular')],
  ['text(50)', text('tiny')],
  ['tinyblob', text('tiny', true)],
  ['blob', text('regular', true)],
  ['mediumblob', text('medium', true)],
  ['longblob', text('long', true)],
  ['blob(100)', text('tiny', true)],
  ['blob(70000)', text('medium', true)],
  // Temporal: precision 0 is the default and reads as null.
  ['datetime', temporal('datetime')],
  ['datetime(0)', temporal('datetime')],
  ['datetime(6)', temporal('datetime', 6)],
  ['timestamp', temporal('timestamp')],
  ['timestamp(3)', temporal('timestamp', 3)],
  ['date', temporal('date')],
  ['time', temporal('time')],
  ['time(6)', temporal('time', 6)],
  ['year', temporal('year')],
  ['year(4)', temporal('year')],
  // JSON, UUID (MariaDB 10.7+), vector (MariaDB 11.7+).
  ['json', { kind: 'json', binary: false }],
  ['JSON', { kind: 'json', binary: false }],
  ['uuid', { kind: 'uuid' }],
  ['vector(768)', { kind: 'vector', dimensions: 768 }],
  // Inline enums and sets: values unescaped, case kept.
  ["enum('a','b','it''s')", { kind: 'enum', values: ['a', 'b', "it's"], typeName: null }],
  ["ENUM('Up', 'Down')", { kind: 'enum', values: ['Up', 'Down'], typeName: null }],
  ["enum('a\\\\b','x,y','')", { kind: 'enum', values: ['a\\b', 'x,y', ''], typeName: null }],
  ["set('x','y')", { kind: 'set', values: ['x', 'y'] }],
  ["set('read', 'write') CHARACTER SET latin1", { kind: 'set', values: ['read', 'write'] }],
  // Everything else is raw canonical lower-case.
  ['bit', raw('bit(1)')],
  ['bit(3)', raw('bit(3)')],
  ['GEOMETRY', raw('geometry')],
  ['point', raw('point')],
  ['inet6', raw('inet6')],
  ['  MultiPolygon  ', raw('multipolygon')],
];

describe('mysqlTypes.parseType', () => {
  it.each(TYPES)('%s', (sql, expected) => {
    expect(mysqlTypes.parseType(sql)).toEqual(expected);
    expect(mariadbTypes.parseType(sql)).toEqual(expected);
  });

  it('names its dialect', () => {
    expect(mysqlTypes.dialect).toBe('mysql');
    expect(mariadbTypes.dialect).toBe('mariadb');
  });

  it('treats display widths, synonyms and zerofill as the same type', () => {
    const same = (a: string, b: string) => expect(mysqlTypes.parseType(a)).toEqual(mysqlTypes.parseType(b));
    same('int(11)', 'integer');
    same('decimal', 'decimal(10,0)');
    same('decimal(10)', 'decimal(10,0)');
    same('bool', 'tinyint(1)');
    same('real', 'double');
    same('year(4)', 'year');
    same('datetime(0)', 'datetime');
  });
});

const literal = (value: string): ColumnDefault => ({ kind: 'literal', value });
const expression = (sql: string): ColumnDefault => ({ kind: 'expression', sql });

const DEFAULTS: readonly [string | null | undefined, ColumnDefault | null][] = [
  // No default.
  [null, null],
  [undefined, null],
  ['NULL', null],
  ['null', null],
  // Quoted literals, as MariaDB (10.2.7+) and TypeORM print them.
  ["'abc'", literal('abc')],
  ["'it''s'", literal("it's")],
  ["'NULL'", literal('NULL')],
  ["''", literal('')],
  ["'x,y'", literal('x,y')],
  ["'2020-01-01 00:00:00'", literal('2020-01-01 00:00:00')],
  ["'current_timestamp'", literal('current_timestamp')],
  ["'now()'", literal('now()')],
  // MariaDB's backslash escapes in COLUMN_DEFAULT.
  ["'a\\\\b'", literal('a\\b')],
  ["'x\\ny'", literal('x\ny')],
  ["'tab\\there'", literal('tab\there')],
  ["'r\\rz\\0'", literal('r\rz\0')],
  ["'50\\%'", literal('50\\%')],
  // Numbers (MariaDB unquoted); the scale printed by the server is kept, zero-fill padding is not.
  ['0', literal('0')],
  ['1', literal('1')],
  ['-5', literal('-5')],
  ['1.50', literal('1.50')],
  ['0000000005', literal('5')],
  ['+1.0', literal('1.0')],
  ['.5', literal('0.5')],
  ['-0', literal('0')],
  ['1e3', literal('1000')],
  ['1.5e-7', literal('0.00000015')],
  ['12345678901234567890.5000000000', literal('12345678901234567890.5000000000')],
  // TypeORM prints numbers quoted (toFixed(scale)) and booleans as 1/0.
  ["'1.50'", literal('1.50')],
  ['TRUE', literal('1')],
  ['false', literal('0')],
  // Every spelling of "now".
  ['current_timestamp()', expression('current_timestamp()')],
  ['CURRENT_TIMESTAMP', expression('current_timestamp()')],
  ['CURRENT_TIMESTAMP()', expression('current_timestamp()')],
  ['current_timestamp(0)', expression('current_timestamp()')],
  ['now()', expression('current_timestamp()')],
  ['NOW( )', expression('current_timestamp()')],
  ['localtimestamp', expression('current_timestamp()')],
  ['LOCALTIMESTAMP()', expression('current_timestamp()')],
  ['current_timestamp(6)', expression('current_timestamp(6)')],
  ['CURRENT_TIMESTAMP(6)', expression('current_timestamp(6)')],
  ['now(6)', expression('current_timestamp(6)')],
  ['(CURRENT_TIMESTAMP(3))', expression('current_timestamp(3)')],
  ['current_date', expression('curdate()')],
  ['curdate()', expression('curdate()')],
  // Other expressions: lower case outside quotes, whitespace collapsed, wrapping parentheses dropped.
  ['uuid()', expression('uuid()')],
  ['UUID()', expression('uuid()')],
  ['(UUID())', expression('uuid()')],
  ['rand()', expression('rand()')],
  ['(1 + 2)', expression('1 + 2')],
  ["concat('A','b')", expression("concat('A','b')")],
  ["CONCAT( 'A' ,  'b' )", expression("concat('A','b')")],
  ['(current_timestamp() + interval 1 day)', expression('current_timestamp() + interval 1 day')],
  ['(NOW() + INTERVAL 1 DAY)', expression('current_timestamp() + interval 1 day')],
  ["b'101'", expression("b'101'")],
  // An expression that is only a literal (MySQL 8 `DEFAULT ('abc')`, charset introducers) is a literal.
  ["('abc')", literal('abc')],
  ["_utf8mb4'abc'", literal('abc')],
  ['(42)', literal('42')],
];

describe('mysqlTypes.parseDefault', () => {
  it.each(DEFAULTS)('%p', (sql, expected) => {
    expect(mysqlTypes.parseDefault(sql)).toEqual(expected);
    expect(mariadbTypes.parseDefault(sql)).toEqual(expected);
  });
});

describe('canonicalMysqlExpression', () => {
  it.each([
    ['`a` > 0', '`a` > 0'],
    ['(`a` > 0)', '`a` > 0'],
    ["`a` <> 'it\\'s' and `p` between 1 and 10", "`a` <> 'it''s' and `p` between 1 and 10"],
    ["(`Status` IN (_utf8mb4'A', _utf8mb4'b'))", "`Status` in ('A','b')"],
    ['(`a` > 0) AND (`b` > 0)', '(`a` > 0) and (`b` > 0)'],
    ['`MixedCase` IS NOT NULL', '`MixedCase` is not null'],
    ['`we``ird` > 1', '`we``ird` > 1'],
    ['json_valid(`j`)', 'json_valid(`j`)'],
    ['JSON_VALID( `j` )', 'json_valid(`j`)'],
    ['"double" = `x`', "'double' = `x`"],
  ])('%s -> %s', (sql, expected) => {
    expect(canonicalMysqlExpression(sql)).toBe(expected);
  });
});

describe('canonicalMysqlNumber', () => {
  it.each([
    ['007', '7'],
    ['0.0', '0.0'],
    ['-0.50', '-0.50'],
    ['2.5E2', '250'],
    ['25e-1', '2.5'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalMysqlNumber(input)).toBe(expected);
  });
});

describe('MySQL integer display attributes (rendered, never compared)', () => {
  it.each([
    ['int(11)', undefined],
    ['int(10) unsigned', undefined],
    ['int(10)', { width: 10, zerofill: false }],
    ['tinyint(2)', { width: 2, zerofill: false }],
    ['tinyint(1)', undefined],
    ['mediumint(8) unsigned zerofill', { width: null, zerofill: true }],
    ['int(9) unsigned zerofill', { width: 9, zerofill: true }],
    ['bigint(20) unsigned', undefined],
    ['bigint(12) unsigned', { width: 12, zerofill: false }],
    ['varchar(10)', undefined],
  ])('%s', (sql, expected) => {
    expect(mysqlIntegerDisplay(sql)).toEqual(expected);
  });
});
