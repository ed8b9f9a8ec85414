import type { Change } from '../../src/change/change';
import { normalizeSchema } from '../../src/model/normalize';
import type { Schema } from '../../src/model/schema';
import { classifyChanges } from '../../src/plan/phase';
import { planMigration } from '../../src/plan/plan';
import { check, col, fk, index, int, literal, pgEnum, schema, table, text, unique, varchar } from '../support/schema-builders';

const n = (s: Schema) => normalizeSchema(s);
const users = (extra: ReturnType<typeof col>[] = [], options: Parameters<typeof table>[2] = {}) =>
  table('users', [col('id', int()), col('email', varchar(100)), col('team_id', int(), { nullable: true }), ...extra], { pk: ['id'], ...options });
const teams = table('teams', [col('id', int())], { pk: ['id'] });

/** The planned changes from `before` to `after` (drops allowed), each with its phase. */
function phased(before: Schema, after: Schema): { kind: Change['kind']; phase: string; reason: string }[] {
  const plan = planMigration(n(before), n(after), { allowDrop: true, renames: [] });
  const tags = classifyChanges(plan.forward);
  return plan.forward.map((change, i) => ({ kind: change.kind, phase: tags[i]?.phase ?? '?', reason: tags[i]?.reason ?? '' }));
}

const pg = (...tables: Parameters<typeof schema>[1]) => schema('postgres', tables);

describe('classifyChange: expand is what the old release survives, contract what must wait for it to go', () => {
  const cases: { name: string; before: Schema; after: Schema; expect: [Change['kind'], 'expand' | 'contract'][] }[] = [
    { name: 'a new table', before: pg(teams), after: pg(teams, table('tags', [col('id', int())], { pk: ['id'] })), expect: [['create_table', 'expand']] },
    { name: 'a nullable column', before: pg(users()), after: pg(users([col('bio', text(), { nullable: true })])), expect: [['add_column', 'expand']] },
    { name: 'a NOT NULL column with a default', before: pg(users()), after: pg(users([col('score', int(), { default: literal('0') })])), expect: [['add_column', 'expand']] },
    { name: 'a NOT NULL column without a default', before: pg(users()), after: pg(users([col('score', int())])), expect: [['add_column', 'contract']] },
    { name: 'a plain index', before: pg(users()), after: pg(users([], { indexes: [index('IDX_email', ['email'])] })), expect: [['create_index', 'expand']] },
    { name: 'a unique index over an existing column', before: pg(users()), after: pg(users([], { indexes: [index('UQ_email', ['email'], { unique: true })] })), expect: [['create_index', 'contract']] },
    { name: 'a widened varchar', before: pg(users()), after: pg(table('users', [col('id', int()), col('email', varchar(255)), col('team_id', int(), { nullable: true })], { pk: ['id'] })), expect: [['alter_column', 'expand']] },
    { name: 'a narrowed varchar', before: pg(users()), after: pg(table('users', [col('id', int()), col('email', varchar(50)), col('team_id', int(), { nullable: true })], { pk: ['id'] })), expect: [['alter_column', 'contract']] },
    { name: 'SET NOT NULL', before: pg(users()), after: pg(table('users', [col('id', int()), col('email', varchar(100)), col('team_id', int())], { pk: ['id'] })), expect: [['alter_column', 'contract']] },
    { name: 'DROP NOT NULL', before: pg(users()), after: pg(table('users', [col('id', int()), col('email', varchar(100), { nullable: true }), col('team_id', int(), { nullable: true })], { pk: ['id'] })), expect: [['alter_column', 'expand']] },
    { name: 'a dropped column', before: pg(users([col('bio', text(), { nullable: true })])), after: pg(users()), expect: [['drop_column', 'contract']] },
    { name: 'a dropped table', before: pg(users(), teams), after: pg(users()), expect: [['drop_table', 'contract']] },
    { name: 'a dropped index', before: pg(users([], { indexes: [index('IDX_email', ['email'])] })), after: pg(users()), expect: [['drop_index', 'contract']] },
    { name: 'a foreign key over an existing column', before: pg(users(), teams), after: pg(users([], { foreignKeys: [fk('FK_team', ['team_id'], 'teams', ['id'])] }), teams), expect: [['add_foreign_key', 'contract']] },
    { name: 'a check on an existing table', before: pg(users()), after: pg(users([], { checks: [check('CHK_email', "email <> ''")] })), expect: [['add_check', 'contract']] },
  ];
  it.each(cases)('$name', ({ before, after, expect: expected }) => {
    expect(phased(before, after).map((c) => [c.kind, c.phase])).toEqual(expected);
  });

  it('puts a foreign key, a unique key and a check on new things in the expand phase', () => {
    const after = pg(
      users([col('mentor_id', int(), { nullable: true }), col('handle', varchar(30), { nullable: true })], {
        foreignKeys: [fk('FK_mentor', ['mentor_id'], 'users', ['id'])],
        uniques: [unique('UQ_handle', ['handle'])],
      }),
      table('tags', [col('id', int()), col('label', varchar(20))], { pk: ['id'], checks: [check('CHK_label', "label <> ''")] }),
    );
    const result = phased(pg(users()), after);
    expect(result.every((c) => c.phase === 'expand')).toBe(true);
    expect(result.find((c) => c.kind === 'add_foreign_key')?.reason).toBe('on new column mentor_id');
    expect(result.map((c) => c.kind).sort()).toEqual(['add_column', 'add_column', 'add_foreign_key', 'add_unique', 'create_table']);
  });

  it('splits enum changes by whether a value goes', () => {
    const withEnum = (values: string[]) => schema('postgres', [table('t', [col('id', int()), col('s', { kind: 'enum', values, typeName: 'state' })], { pk: ['id'] })], [pgEnum('state', values)]);
    expect(phased(withEnum(['a', 'b']), withEnum(['a', 'b', 'c'])).map((c) => c.phase)).toEqual(['expand']);
    const removed = phased(withEnum(['a', 'b', 'c']), withEnum(['a', 'b']));
    expect(removed.map((c) => c.phase)).toEqual(['contract']);
    expect(removed[0]?.reason).toContain('removes enum value c');
  });

  it('keeps a foreign key rebuilt around a widening in the expand phase with its column', () => {
    const parent = (type: ReturnType<typeof int>) => table('teams', [col('id', type)], { pk: ['id'] });
    const child = (type: ReturnType<typeof int>) => table('members', [col('id', int()), col('team_id', type)], { pk: ['id'], foreignKeys: [fk('FK_members_team', ['team_id'], 'teams', ['id'])] });
    const big = { kind: 'integer', size: 'big', unsigned: false } as const;
    const result = phased(schema('mariadb', [parent(int()), child(int())]), schema('mariadb', [parent(big), child(big)]));
    expect(result.map((c) => c.kind).sort()).toEqual(['add_foreign_key', 'alter_column', 'alter_column', 'drop_foreign_key']);
    expect(result.every((c) => c.phase === 'expand')).toBe(true);
  });

  it('names the strict aspect of a column change in its reason', () => {
    const after = pg(table('users', [col('id', int()), col('email', varchar(20)), col('team_id', int(), { nullable: true })], { pk: ['id'] }));
    expect(phased(pg(users()), after)[0]?.reason).toBe('email becomes a type that may not hold what the old release writes');
  });
});
