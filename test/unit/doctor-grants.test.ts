/**
 * mysqlPrivilegesOn, the doctor's reading of SHOW GRANTS lines as MariaDB 10.11 prints them, and its catalog cache
 * verdict (a warning needs more than 400 tables, too many for the end-to-end suite). The end-to-end check
 * against real users is in test/e2e/cli-diagnose.mariadb.test.ts.
 */
import { catalogCacheCheck, mysqlPrivilegesOn } from '../../src/doctor/doctor';

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

describe('catalogCacheCheck', () => {
  it('is ok while table_definition_cache holds every table', () => {
    expect(catalogCacheCheck(12, 400)).toEqual({ name: 'catalog cache', status: 'ok', detail: 'table_definition_cache (400) holds all 12 tables' });
    expect(catalogCacheCheck(400, 400).status).toBe('ok');
  });

  it('warns past it, with a SET GLOBAL that fits the table count', () => {
    const small = catalogCacheCheck(401, 400);
    expect(small.status).toBe('warn');
    expect(small.detail).toMatch(/^401 tables but table_definition_cache is 400: /);
    expect(small.fix).toMatch(/^SET GLOBAL table_definition_cache = 2000;/);
    expect(catalogCacheCheck(3000, 2000).fix).toMatch(/^SET GLOBAL table_definition_cache = 3800;/);
  });
});
