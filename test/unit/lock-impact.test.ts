import type { Change } from '../../src/change/change';
import { costChanges } from '../../src/dialect/lock-impacts';
import { atLeast, parseServerVersion } from '../../src/dialect/lock-impact';
import { mysqlLockImpact, withAlgorithm } from '../../src/dialect/mysql/lock-impact';
import { mysqlOnlineForm } from '../../src/dialect/mysql/online';
import { isVolatileDefault, keepsStoredValues, postgresLockImpact } from '../../src/dialect/postgres/lock-impact';
import { buildDiffReport } from '../../src/report/diff-report';
import { formatBytes, formatCost } from '../../src/report/format-cost';
import { col, expr, fk, index, int, literal, schema, table, varchar } from '../support/schema-builders';

const T = { schema: null, name: 'users' } as const;
const users = table('users', [col('id', int()), col('name', varchar(100), { nullable: true })], { indexes: [index('users_name', ['name'])] });
const pg = (major: number, minor = 0) => ({ version: { major, minor, patch: 0 }, online: false, table: users });

describe('server versions', () => {
  it('reads PostgreSQL, MariaDB and MySQL version strings', () => {
    expect(parseServerVersion('PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64')).toEqual({ major: 15, minor: 20, patch: 0 });
    expect(parseServerVersion('10.11.19-MariaDB-0+deb12u1')).toEqual({ major: 10, minor: 11, patch: 19 });
    expect(parseServerVersion('8.0.29')).toEqual({ major: 8, minor: 0, patch: 29 });
    expect(parseServerVersion('unknown')).toEqual({ major: 0, minor: 0, patch: 0 });
  });
  it('compares major, minor and patch in that order', () => {
    expect(atLeast({ major: 10, minor: 11, patch: 0 }, 10, 4)).toBe(true);
    expect(atLeast({ major: 10, minor: 3, patch: 9 }, 10, 4)).toBe(false);
    expect(atLeast({ major: 8, minor: 0, patch: 28 }, 8, 0, 29)).toBe(false);
  });
});

describe('PostgreSQL lock facts', () => {
  const addColumn = (defaultValue: ReturnType<typeof expr> | null): Change => ({ kind: 'add_column', table: T, column: col('x', int(), { nullable: true, default: defaultValue }) });

  it('tells stable and constant defaults from volatile ones', () => {
    expect(isVolatileDefault(expr('now()'))).toBe(false);
    expect(isVolatileDefault(expr('CURRENT_TIMESTAMP'))).toBe(false);
    expect(isVolatileDefault(expr("'abc'::character varying"))).toBe(false);
    expect(isVolatileDefault(literal('5'))).toBe(false);
    expect(isVolatileDefault(expr('clock_timestamp()'))).toBe(true);
    expect(isVolatileDefault(expr('gen_random_uuid()'))).toBe(true);
    expect(isVolatileDefault(expr('my_function()'))).toBe(true);
  });
  it('rewrites on ADD COLUMN with any default before PostgreSQL 11, only with a volatile one after', () => {
    expect(postgresLockImpact(addColumn(expr('now()')), pg(10)).rewrite).toBe('rewrite');
    expect(postgresLockImpact(addColumn(expr('now()')), pg(11)).rewrite).toBe('none');
    expect(postgresLockImpact(addColumn(expr('clock_timestamp()')), pg(15))).toMatchObject({ lock: 'ACCESS EXCLUSIVE', rewrite: 'rewrite', blocking: true });
  });
  it('keeps stored values for widening varchar, numeric precision and timestamp precision only', () => {
    expect(keepsStoredValues(varchar(127), varchar(255))).toBe(true);
    expect(keepsStoredValues(varchar(127), varchar(null))).toBe(true);
    expect(keepsStoredValues(varchar(255), varchar(127))).toBe(false);
    expect(keepsStoredValues({ kind: 'decimal', precision: 10, scale: 2, unsigned: false }, { kind: 'decimal', precision: 12, scale: 2, unsigned: false })).toBe(true);
    expect(keepsStoredValues({ kind: 'decimal', precision: 10, scale: 2, unsigned: false }, { kind: 'decimal', precision: 12, scale: 3, unsigned: false })).toBe(false);
    expect(keepsStoredValues({ kind: 'temporal', name: 'timestamp', precision: 3 }, { kind: 'temporal', name: 'timestamptz', precision: 3 })).toBe(false);
    expect(keepsStoredValues(int(), { kind: 'integer', size: 'big', unsigned: false })).toBe(false);
  });
  it('renames an index under SHARE UPDATE EXCLUSIVE from PostgreSQL 12, ACCESS EXCLUSIVE before', () => {
    const rename: Change = { kind: 'rename_index', table: T, from: index('a', ['name']), to: index('b', ['name']) };
    expect(postgresLockImpact(rename, pg(12)).lock).toBe('SHARE UPDATE EXCLUSIVE');
    expect(postgresLockImpact(rename, pg(11)).lock).toBe('ACCESS EXCLUSIVE');
  });
  it('lets writes go on during an online index build and constraint validation', () => {
    const create: Change = { kind: 'create_index', table: T, index: index('users_id', ['id']) };
    expect(postgresLockImpact(create, pg(15))).toMatchObject({ lock: 'SHARE', blocking: true });
    expect(postgresLockImpact(create, { ...pg(15), online: true })).toMatchObject({ lock: 'SHARE UPDATE EXCLUSIVE', rewrite: 'scan', blocking: false });
    const check: Change = { kind: 'add_check', table: T, check: { name: 'c', expression: '(id > 0)' } };
    expect(postgresLockImpact(check, pg(15))).toMatchObject({ lock: 'ACCESS EXCLUSIVE', rewrite: 'scan', blocking: true });
    expect(postgresLockImpact(check, { ...pg(15), online: true })).toMatchObject({ rewrite: 'scan', blocking: false });
  });
});

describe('MySQL-family lock facts', () => {
  const context = (major: number, minor: number, patch = 0) => ({ version: { major, minor, patch }, online: false, table: users });
  const add: Change = { kind: 'add_column', table: T, column: col('x', int(), { nullable: true }) };
  const drop: Change = { kind: 'drop_column', table: T, column: col('id', int()) };

  it('adds and drops columns instantly only from the versions that can', () => {
    expect(mysqlLockImpact(add, 'mariadb', context(10, 2)).lock).toBe('INPLACE, LOCK=NONE');
    expect(mysqlLockImpact(add, 'mariadb', context(10, 3)).lock).toBe('INSTANT');
    expect(mysqlLockImpact(drop, 'mariadb', context(10, 3)).rewrite).toBe('rewrite');
    expect(mysqlLockImpact(drop, 'mariadb', context(10, 11)).lock).toBe('INSTANT');
    expect(mysqlLockImpact(drop, 'mysql', context(8, 0, 28)).lock).toBe('INPLACE, LOCK=NONE');
    expect(mysqlLockImpact(drop, 'mysql', context(8, 0, 29)).lock).toBe('INSTANT');
    const dropIndexed: Change = { kind: 'drop_column', table: T, column: col('name', varchar(100), { nullable: true }) };
    expect(mysqlLockImpact(dropIndexed, 'mariadb', context(10, 11))).toMatchObject({ lock: 'INPLACE, LOCK=NONE', rewrite: 'rewrite' });
  });
  it('widens a varchar instantly until its length prefix needs a second byte', () => {
    const widen = (from: number, to: number, charset: string | null = null): Change => ({
      kind: 'alter_column',
      table: T,
      from: col('name', varchar(from), { charset }),
      to: col('name', varchar(to), { charset }),
      changed: ['type'],
    });
    expect(mysqlLockImpact(widen(60, 63), 'mariadb', context(10, 11)).lock).toBe('INSTANT');
    expect(mysqlLockImpact(widen(60, 64), 'mariadb', context(10, 11))).toMatchObject({ lock: 'COPY, LOCK=SHARED', blocking: true });
    expect(mysqlLockImpact(widen(200, 255, 'latin1'), 'mariadb', context(10, 11)).lock).toBe('INSTANT');
    expect(mysqlLockImpact(widen(200, 256, 'latin1'), 'mariadb', context(10, 11)).lock).toBe('COPY, LOCK=SHARED');
  });
  it('says INPLACE on MySQL where MariaDB says NOCOPY', () => {
    const create: Change = { kind: 'create_index', table: T, index: index('users_id', ['id']) };
    expect(mysqlLockImpact(create, 'mariadb', context(10, 11)).lock).toBe('NOCOPY, LOCK=NONE');
    expect(mysqlLockImpact(create, 'mysql', context(8, 0, 36)).lock).toBe('INPLACE, LOCK=NONE');
  });
  it('puts the algorithm where each statement takes it', () => {
    expect(withAlgorithm('ALTER TABLE `t` ADD COLUMN `x` int NULL', 'INSTANT', 'NONE')).toBe('ALTER TABLE `t` ADD COLUMN `x` int NULL, ALGORITHM=INSTANT, LOCK=NONE');
    expect(withAlgorithm('CREATE INDEX `i` ON `t` (`x`)', 'NOCOPY', 'NONE')).toBe('CREATE INDEX `i` ON `t` (`x`) ALGORITHM=NOCOPY LOCK=NONE');
    expect(withAlgorithm('DROP INDEX `i` ON `t`', 'NOCOPY', 'NONE')).toBe('ALTER TABLE `t` DROP INDEX `i`, ALGORITHM=NOCOPY, LOCK=NONE');
    expect(withAlgorithm('RENAME TABLE `a` TO `b`', 'INSTANT', 'NONE')).toBe('RENAME TABLE `a` TO `b`');
  });
});

describe('costs in reports', () => {
  const actual = schema('postgres', [users]);
  const changes: Change[] = [
    { kind: 'create_index', table: T, index: index('users_id', ['id']) },
    { kind: 'create_table', table: table('posts', [col('id', int())]) },
    { kind: 'rename_table', from: T, to: { schema: null, name: 'people' } },
  ];
  const costs = costChanges(changes, { dialect: 'postgres', version: { major: 15, minor: 0, patch: 0 }, actual, tableSizes: { users: { rowsEstimate: 12000, bytes: 5_300_000 } }, online: false });

  it('gives each change the size of the live table it touches, none to a table the plan creates', () => {
    expect(costs.map((cost) => cost.size)).toEqual([{ rowsEstimate: 12000, bytes: 5_300_000 }, null, { rowsEstimate: 12000, bytes: 5_300_000 }]);
  });
  it('puts lock, rewrite and tableBytes on each change of the JSON report', () => {
    const report = buildDiffReport('postgres', 'db', changes, [], [], costs);
    expect(report.changes[0]).toMatchObject({ lock: 'SHARE', rewrite: 'scan', blocking: true, tableBytes: 5_300_000, rowsEstimate: 12000 });
    expect(report.changes[1]).toMatchObject({ lock: 'none', rewrite: 'none', tableBytes: null });
  });
  it('prints a cost line with the size and a warning when writers wait for a scan', () => {
    expect(formatBytes(5_300_000)).toBe('5.1 MB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatCost({ lock: 'SHARE', rewrite: 'scan', blocking: true, tableBytes: 5_300_000, rowsEstimate: 12000 })).toBe('lock SHARE, scans the table, 5.1 MB (~12,000 rows) [blocks writes while it runs]');
  });
});

describe('costs of changes to a table the same migration creates', () => {
  const posts = table('posts', [col('id', int()), col('user_id', int()), col('parent_id', int(), { nullable: true })]);
  const P = { schema: null, name: 'posts' } as const;
  const changes: Change[] = [
    { kind: 'create_table', table: posts },
    { kind: 'add_foreign_key', table: P, foreignKey: fk('posts_user', ['user_id'], 'users', ['id']) },
    { kind: 'add_foreign_key', table: P, foreignKey: fk('posts_parent', ['parent_id'], 'posts', ['id']) },
    { kind: 'create_index', table: P, index: index('posts_user_id', ['user_id']) },
    { kind: 'add_foreign_key', table: T, foreignKey: fk('users_post', ['id'], 'posts', ['id']) },
  ];
  for (const dialect of ['postgres', 'mariadb'] as const) {
    const version = dialect === 'postgres' ? { major: 15, minor: 0, patch: 0 } : { major: 10, minor: 11, patch: 0 };
    const costs = costChanges(changes, { dialect, version, actual: schema(dialect, [users]), tableSizes: {}, online: false });
    it(`warns of no scan on a table with no rows yet (${dialect})`, () => {
      expect(costs.slice(1, 4).map((cost) => cost.impact.blocking)).toEqual([false, false, false]);
      expect(costs.slice(1, 4).map((cost) => cost.impact.rewrite)).toEqual(['none', 'none', 'none']);
    });
    it(`keeps the instant lock on an existing referenced table, and none when both tables are new (${dialect})`, () => {
      expect(costs[1]!.impact.lock).not.toBe('none');
      expect(costs[1]!.impact.note).toContain('referenced table');
      expect(costs[2]!.impact).toMatchObject({ lock: 'none', blocksWrites: false });
      expect(costs[3]!.impact).toMatchObject({ lock: 'none', blocksWrites: false });
    });
    it(`still costs a foreign key added to a live table in full (${dialect})`, () => {
      expect(costs[4]!.impact.lock).not.toBe('none');
      expect(costs[4]!.impact.blocksWrites).toBe(true);
    });
  }
});

describe('MariaDB online forms', () => {
  const withKey = { ...users, primaryKey: { name: 'PRIMARY', columns: ['id'] } };
  const context = { version: { major: 10, minor: 11, patch: 0 }, online: true, table: withKey };
  const add: Change = { kind: 'add_column', table: T, column: col('x', int(), { nullable: true }) };
  const addSql = ['ALTER TABLE `users` ADD COLUMN `x` int NULL'];

  it('states the claimed algorithm and lock on the ALTER', () => {
    expect(mysqlOnlineForm(add, addSql, 'mariadb', context)).toEqual(['ALTER TABLE `users` ADD COLUMN `x` int NULL, ALGORITHM=INSTANT, LOCK=NONE']);
    const check: Change = { kind: 'add_check', table: T, check: { name: 'c', expression: '`id` > 0' } };
    expect(mysqlOnlineForm(check, ['ALTER TABLE `users` ADD CONSTRAINT `c` CHECK (`id` > 0)'], 'mariadb', context)).toEqual([
      'ALTER TABLE `users` ADD CONSTRAINT `c` CHECK (`id` > 0), ALGORITHM=COPY, LOCK=SHARED',
    ]);
  });
  it('adds a foreign key to a live table with foreign_key_checks off and checks its rows (10.6+), and claims what that costs', () => {
    const key: Change = { kind: 'add_foreign_key', table: T, foreignKey: fk('users_self', ['id'], 'users', ['id']) };
    const sql = ['ALTER TABLE `users` ADD CONSTRAINT `users_self` FOREIGN KEY (`id`) REFERENCES `users` (`id`)'];
    const [block] = mysqlOnlineForm(key, sql, 'mariadb', context);
    expect(block).toMatch(/SET SESSION foreign_key_checks = 0;\n {4}ALTER TABLE `users` ADD CONSTRAINT `users_self` .*, ALGORITHM=INSTANT;\n {4}SET SESSION foreign_key_checks = 1;/);
    // The primary key serves it: INSTANT, then the scan of the check.
    expect(mysqlLockImpact(key, 'mariadb', context)).toMatchObject({ lock: 'INSTANT', rewrite: 'scan', blocksWrites: false, blocking: false });
    const other: Change = { kind: 'add_foreign_key', table: T, foreignKey: fk('users_pair', ['name', 'id'], 'users', ['name', 'id']) };
    expect(mysqlLockImpact(other, 'mariadb', context)).toMatchObject({ lock: 'NOCOPY, LOCK=NONE', rewrite: 'scan', blocking: false });
    for (const plain of [{ ...context, online: false }, { ...context, version: { major: 10, minor: 5, patch: 0 } }, { ...context, newTable: true }]) {
      expect(mysqlOnlineForm(key, sql, 'mariadb', plain)[0]).not.toMatch(/foreign_key_checks/);
    }
    expect(mysqlLockImpact(key, 'mariadb', { ...context, online: false })).toMatchObject({ lock: 'COPY, LOCK=SHARED', blocking: true });
    expect(mysqlLockImpact(key, 'mysql', { ...context, version: { major: 8, minor: 0, patch: 36 } })).toMatchObject({ lock: 'COPY, LOCK=SHARED' });
  });
  it('keeps the plain form on MySQL, on a table without primary key and for changes the rules do not fully cover', () => {
    expect(mysqlOnlineForm(add, addSql, 'mysql', { ...context, version: { major: 8, minor: 0, patch: 36 } })).toEqual(addSql);
    expect(mysqlOnlineForm(add, addSql, 'mariadb', { ...context, table: users })).toEqual(addSql);
    const drop: Change = { kind: 'drop_column', table: T, column: col('name', varchar(100), { nullable: true }) };
    expect(mysqlOnlineForm(drop, ['ALTER TABLE `users` DROP COLUMN `name`'], 'mariadb', context)).toEqual(['ALTER TABLE `users` DROP COLUMN `name`']);
  });
});
