import { mysqlSql } from '../../src/dialect/mysql/render';
import { renameSchemas, renamedKey } from '../../src/model/rename-schemas';
import type { View } from '../../src/model/schema';
import { planMigration } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { qualifiersOf, refuseNamingDatabases, standInStatements } from '../../src/verify/other-databases';
import { col, fk, int, schema, table } from '../support/schema-builders';

const renamed = new Map([['other', 'stand_in']]);
const person = table('person', [col('id', int())], { schema: 'other', pk: ['id'] });
const team = table('team', [col('id', int()), col('lead', int(), { nullable: true })], { pk: ['id'], foreignKeys: [fk('FK_lead', ['lead'], 'person', ['id'], { referencedSchema: 'other' })] });
const report: View = { schema: null, name: 'report', materialized: false, query: 'SELECT 1', recorded: true, reads: ['other.person', 'team'] };

describe('renameSchemas (stand-ins for other MySQL databases)', () => {
  it('renames the schema of tables, of the tables foreign keys reference and of what views read, and nothing else', () => {
    const moved = renameSchemas({ ...schema('mariadb', [person, team]), views: [report] }, renamed);
    expect(moved.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(['stand_in.person', 'null.team']);
    expect(moved.tables[1]?.foreignKeys[0]?.referencedSchema).toBe('stand_in');
    expect(moved.views?.[0]?.reads).toEqual(['stand_in.person', 'team']);
    expect(moved.tables[1]?.columns).toEqual(team.columns);
  });

  it('renames the changes of a plan, so its SQL names the stand-in wherever it named the real database', () => {
    const empty = schema('mariadb', []);
    const plan = planMigration(empty, schema('mariadb', [person, team]), { allowDrop: true, renames: [] });
    const sql = (changes: typeof plan) => renderPlan(changes, empty, mysqlSql).migrate.flatMap((group) => group.statements).join('\n');
    const moved = sql({ ...plan, forward: renameSchemas(plan.forward, renamed), rollback: renameSchemas(plan.rollback, renamed) });
    expect(sql(plan)).toContain('`other`.`person`');
    expect(moved).not.toContain('`other`');
    expect(moved).toContain('CREATE DATABASE IF NOT EXISTS `stand_in`');
    expect(moved).toContain('REFERENCES `stand_in`.`person`');
  });

  it('maps table keys and file statements, and refuses a statement that still names the real database bare', () => {
    expect(renamedKey('other.person', renamed)).toBe('stand_in.person');
    expect(renamedKey('otherwise.person', renamed)).toBe('otherwise.person');
    expect(standInStatements(['DROP TABLE `other`.`person`'], renamed)).toEqual(['DROP TABLE `stand_in`.`person`']);
    expect(() => refuseNamingDatabases(['other'], ['DROP TABLE other.person'], 'Not rolling back', 'escape')).toThrow(/statement 1 names database `other`/);
    expect(() => refuseNamingDatabases(['other'], ["COMMENT 'another.thing'", 'DROP TABLE `stand_in`.`person`'], 'x', 'y')).not.toThrow();
  });

  it('lists the other databases tables and views live in', () => {
    expect(qualifiersOf([schema('mariadb', [person, team]), { ...schema('mariadb', []), views: [{ ...report, schema: 'archive' }] }])).toEqual(['archive', 'other']);
  });
});
