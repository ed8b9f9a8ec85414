/**
 * mysqlPrivilegesOn, the doctor's reading of SHOW GRANTS lines as MariaDB 10.11 prints them. The end-to-end check
 * against real users is in test/e2e/cli-diagnose.mariadb.test.ts.
 */
import { mysqlPrivilegesOn } from '../../src/doctor/doctor';

describe('mysqlPrivilegesOn', () => {
  it('counts grants on the whole server and on this database', () => {
    expect(mysqlPrivilegesOn("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION", 'app')).toEqual(['ALL PRIVILEGES']);
    expect(mysqlPrivilegesOn("GRANT SELECT, CREATE, ALTER ON `app`.* TO `u`@`%`", 'app')).toEqual(['SELECT', 'CREATE', 'ALTER']);
    expect(mysqlPrivilegesOn("GRANT ALL ON app.* TO 'u'@'%'", 'app')).toEqual(['ALL PRIVILEGES']);
  });

  it('ignores other databases, single tables and role grants', () => {
    expect(mysqlPrivilegesOn("GRANT ALL PRIVILEGES ON `app_other`.* TO `u`@`%`", 'app')).toEqual([]);
    expect(mysqlPrivilegesOn("GRANT ALL PRIVILEGES ON `app`.`documents` TO `u`@`%`", 'app')).toEqual([]);
    expect(mysqlPrivilegesOn("GRANT SELECT (`id`, `title`) ON `app`.`documents` TO `u`@`%`", 'app')).toEqual([]);
    expect(mysqlPrivilegesOn('GRANT `developer` TO `u`@`%`', 'app')).toEqual([]);
    expect(mysqlPrivilegesOn("GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*AB'", 'app')).toEqual(['USAGE']);
  });

  it('reads the database name as a LIKE pattern, with escaped wildcards literal', () => {
    expect(mysqlPrivilegesOn('GRANT CREATE ON `app\\_%`.* TO `u`@`%`', 'app_eu')).toEqual(['CREATE']);
    expect(mysqlPrivilegesOn('GRANT CREATE ON `app\\_%`.* TO `u`@`%`', 'appxeu')).toEqual([]);
    expect(mysqlPrivilegesOn('GRANT CREATE ON `a_p`.* TO `u`@`%`', 'axp')).toEqual(['CREATE']);
  });

  it('keeps privilege names whole: CREATE TEMPORARY TABLES and CREATE VIEW are not CREATE', () => {
    expect(mysqlPrivilegesOn('GRANT SELECT, CREATE TEMPORARY TABLES, CREATE VIEW, DROP HISTORY ON `app`.* TO `u`@`%`', 'app')).toEqual(['SELECT', 'CREATE TEMPORARY TABLES', 'CREATE VIEW', 'DROP HISTORY']);
  });
});
