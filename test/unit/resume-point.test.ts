import { UNDECIDABLE } from '../../src/apply/history';
import { resumePoint } from '../../src/apply/resume-point';
import { mysqlStatementJournal, tablesNamedBy } from '../../src/dialect/mysql/statement-journal';

describe('resumePoint: whether the statement in flight at a crash took effect', () => {
  const cases: { name: string; done: number; intent: string | null; live: string | null; expect: ReturnType<typeof resumePoint> }[] = [
    { name: 'no intent: the progress row is exact', done: 3, intent: null, live: 'whatever', expect: { kind: 'at', done: 3 } },
    { name: 'catalog as before the statement: it did not take effect, run it', done: 3, intent: 'before', live: 'before', expect: { kind: 'at', done: 3 } },
    { name: 'catalog changed since the intent: it took effect, go on after it', done: 3, intent: 'before', live: 'after', expect: { kind: 'at', done: 4 } },
    { name: 'an effect the catalog cannot show: stop', done: 3, intent: UNDECIDABLE, live: null, expect: { kind: 'undecidable', statement: 4 } },
    { name: 'the statement can no longer be read: stop', done: 0, intent: 'before', live: null, expect: { kind: 'undecidable', statement: 1 } },
  ];
  it.each(cases)('$name', ({ done, intent, live, expect: expected }) => {
    expect(resumePoint({ statementsDone: done, intentFingerprint: intent }, live)).toEqual(expected);
  });
});

describe('tablesNamedBy: the tables whose definition tells whether a MySQL DDL statement ran', () => {
  it.each([
    ['CREATE TABLE `chunks` (`id` int)', ['chunks']],
    ['create table if not exists chunks (id int)', ['chunks']],
    ['CREATE TABLE `app`.`odd``name` (id int)', ['app.odd`name']],
    ['ALTER TABLE `documents` ADD CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `users` (`id`)', ['documents']],
    ['ALTER ONLINE IGNORE TABLE t ADD c int', ['t']],
    ['DROP TABLE IF EXISTS `a`, `b`', ['a', 'b']],
    ['RENAME TABLE `a` TO `b`, `c` TO `d`', ['a', 'b', 'c', 'd']],
    ['CREATE UNIQUE INDEX `users_email` ON `users` (`email`)', ['users']],
    ['DROP INDEX `users_email` ON `users`', ['users']],
    ['-- why\nCREATE TABLE x (id int)', ['x']],
    ['CREATE VIEW `v` AS SELECT 1', ['v']],
  ])('%s', (sql, tables) => {
    expect(tablesNamedBy(sql)).toEqual(tables);
    expect(mysqlStatementJournal.kindOf(sql)).toBe('schema');
  });

  it.each([['CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1'], ['TRUNCATE TABLE x'], ['GRANT SELECT ON x TO y'], ['CALL fill()']])(
    '%s names nothing the catalog check can read',
    (sql) => {
      expect(tablesNamedBy(sql)).toBeNull();
      expect(mysqlStatementJournal.kindOf(sql)).toBe('unknown');
    },
  );

  it('tells data changes and session settings from DDL', () => {
    expect(mysqlStatementJournal.kindOf('UPDATE `t` SET a = 1')).toBe('data');
    expect(mysqlStatementJournal.kindOf('  insert into t values (1)')).toBe('data');
    expect(mysqlStatementJournal.kindOf('SELECT SLEEP(1)')).toBe('data');
    expect(mysqlStatementJournal.kindOf('SET FOREIGN_KEY_CHECKS = 0')).toBe('session');
    expect(mysqlStatementJournal.kindOf('SET GLOBAL max_connections = 10')).toBe('unknown');
  });
});
