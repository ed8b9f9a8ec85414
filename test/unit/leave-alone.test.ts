import { diffSchemas } from '../../src/diff/diff-schemas';
import { leaveAlone, type LeaveAloneRules } from '../../src/diff/leave-alone';
import { compileTableGlob } from '../../src/diff/table-glob';
import type { Schema } from '../../src/model/schema';
import { col, enumType, int, pgEnum, schema, table, text, varchar } from '../support/schema-builders';

const NO_RULES: LeaveAloneRules = { ormTables: new Set(), ignore: [], unsynchronized: [] };

function changesAfter(actual: Schema, desired: Schema, rules: LeaveAloneRules): string[] {
  const scoped = leaveAlone(actual, desired, rules);
  return diffSchemas(actual, scoped.desired).changes.map((change) => `${change.kind} ${'table' in change ? change.table.name : ''}`);
}

describe('leaveAlone', () => {
  const users = table('users', [col('id', int())], { pk: ['id'] });
  const migrations = table('migrations', [col('id', int()), col('name', varchar(255))]);

  it('changes nothing when no rule matches', () => {
    const actual = schema('postgres', [users]);
    const desired = schema('postgres', [users]);
    expect(leaveAlone(actual, desired, NO_RULES)).toEqual({ desired, unmanaged: [] });
  });

  it("keeps TypeORM's tables out of the diff, unless a model declares the same table", () => {
    const actual = schema('postgres', [users, migrations]);
    const rules = { ...NO_RULES, ormTables: new Set(['migrations']) };
    expect(changesAfter(actual, schema('postgres', [users]), NO_RULES)).toEqual(['drop_table migrations']);
    expect(changesAfter(actual, schema('postgres', [users]), rules)).toEqual([]);
    const declared = table('migrations', [col('id', int())]);
    expect(changesAfter(actual, schema('postgres', [users, declared]), rules)).toEqual(['drop_column migrations']);
  });

  it('leaves ignored tables as they are on both sides, by glob', () => {
    const archive = table('archive_2023', [col('id', int())]);
    const modelled = table('archive_2024', [col('id', int()), col('note', text())]);
    const actual = schema('mariadb', [users, archive]);
    const rules = { ...NO_RULES, ignore: [compileTableGlob('archive_*', '--ignore')] };
    expect(changesAfter(actual, schema('mariadb', [users, modelled]), rules)).toEqual([]);
  });

  it('adopts a synchronize: false table and the enum type it uses, and lists it once', () => {
    const live = table('legacy', [col('id', int()), col('state', enumType(['a', 'b'], 'legacy_state'))]);
    const model = table('legacy', [col('id', int())]);
    const actual = schema('postgres', [users, live], [pgEnum('legacy_state', ['a', 'b'])]);
    const rules: LeaveAloneRules = { ...NO_RULES, unsynchronized: [{ kind: 'table', schema: null, name: 'legacy', reason: 'synchronize: false' }] };
    const scoped = leaveAlone(actual, schema('postgres', [users, model]), rules);
    expect(diffSchemas(actual, scoped.desired).changes).toEqual([]);
    expect(scoped.unmanaged).toEqual([{ kind: 'table', table: 'legacy', name: 'legacy', reason: 'synchronize: false' }]);
  });

  it('still reports a table that is simply not in the models', () => {
    const stray = table('stray', [col('id', int())]);
    expect(changesAfter(schema('postgres', [users, stray]), schema('postgres', [users]), { ...NO_RULES, ormTables: new Set(['migrations']) })).toEqual(['drop_table stray']);
  });
});

describe('compileTableGlob', () => {
  const at = (name: string, schemaName: string | null = null) => ({ schema: schemaName, name });

  it('matches * and ? within a name, in any schema when the pattern has no dot', () => {
    const glob = compileTableGlob('tmp_?_*', '--ignore');
    expect(glob.matches(at('tmp_a_x'))).toBe(true);
    expect(glob.matches(at('tmp_a_x', 'audit'))).toBe(true);
    expect(glob.matches(at('tmp_ab_x'))).toBe(false);
    expect(glob.matches(at('xtmp_a_'))).toBe(false);
  });

  it('matches schema.table patterns against qualified names', () => {
    const glob = compileTableGlob('audit.*', '--ignore');
    expect(glob.matches(at('log', 'audit'))).toBe(true);
    expect(glob.matches(at('log'))).toBe(false);
  });

  it('takes regex characters literally', () => {
    expect(compileTableGlob('a+b', '--ignore').matches(at('a+b'))).toBe(true);
    expect(compileTableGlob('a+b', '--ignore').matches(at('aab'))).toBe(false);
  });

  it.each([
    ['', /--ignore: an empty pattern/],
    [' users', /--ignore " users": remove the surrounding spaces/],
    ['logs/*.ts', /--ignore "logs\/\*\.ts": "\/" is not supported/],
    ['{a,b}', /"\{" is not supported/],
    ['a.b.c', /not more dots/],
  ])('refuses %j with a clear error', (pattern, message) => {
    expect(() => compileTableGlob(pattern, '--ignore')).toThrow(message);
  });
});
