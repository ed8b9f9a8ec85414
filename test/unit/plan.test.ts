import type { Change } from '../../src/change/change';
import { dataChecksFor } from '../../src/change/data-checks';
import { applyChanges } from '../../src/change/apply-in-memory';
import { normalizeSchema } from '../../src/model/normalize';
import type { Schema } from '../../src/model/schema';
import { expandTableKeys } from '../../src/plan/expand';
import { planMigration } from '../../src/plan/plan';
import { applyRenameHints, parseRenameHint } from '../../src/plan/renames';
import { diffSchemas } from '../../src/diff/diff-schemas';
import { bigint, col, enumType, fk, index, int, literal, pgEnum, schema, table, text, varchar } from '../support/schema-builders';
import { leadingCommitFirst } from '../../src/apply/run-steps';
import { postgresHistory } from '../../src/dialect/postgres/history';
import { postgresSql } from '../../src/dialect/postgres/render';
import { renderPlan } from '../../src/plan/render-plan';
import { mysqlSql } from '../../src/dialect/mysql/render';
import { ONLINE_FOREIGN_KEY_BLOCK } from '../../src/dialect/mysql/online-foreign-key';

const users = table('users', [col('id', int()), col('email', varchar(255)), col('nick', varchar(50), { nullable: true })], { pk: ['id'] });
const posts = table('posts', [col('id', int()), col('author_id', int())], {
  pk: ['id'],
  foreignKeys: [fk('FK_posts_author', ['author_id'], 'users', ['id'])],
  indexes: [index('IDX_posts_author', ['author_id'])],
});

const kinds = (changes: readonly Change[]) => changes.map((c) => c.kind);
const n = (s: Schema) => normalizeSchema(s);

describe('planMigration', () => {
  it('creates tables before the foreign keys that point at them, cycles included', () => {
    const a = table('a', [col('id', int()), col('b_id', int())], { pk: ['id'], foreignKeys: [fk('FK_a_b', ['b_id'], 'b', ['id'])] });
    const b = table('b', [col('id', int()), col('a_id', int())], { pk: ['id'], foreignKeys: [fk('FK_b_a', ['a_id'], 'a', ['id'])] });
    const plan = planMigration(n(schema('postgres', [])), n(schema('postgres', [a, b])), { allowDrop: false, renames: [] });
    expect(kinds(plan.forward)).toEqual(['create_table', 'create_table', 'add_foreign_key', 'add_foreign_key']);
    expect(plan.forward.every((c) => c.kind !== 'create_table' || c.table.foreignKeys.length === 0)).toBe(true);
    expect(kinds(plan.rollback)).toEqual(['drop_foreign_key', 'drop_foreign_key', 'drop_table', 'drop_table']);
  });

  it('reports a primary key that differs only in column order, but plans it only with --reorder-primary-keys', () => {
    const junction = (pk: string[]) => table('post_tags', [col('post_id', int()), col('tag_id', int())], { pk });
    const actual = n(schema('mariadb', [junction(['tag_id', 'post_id'])]));
    const desired = n(schema('mariadb', [junction(['post_id', 'tag_id'])]));
    expect(kinds(diffSchemas(actual, desired).changes)).toEqual(['alter_primary_key']);
    const plain = planMigration(actual, desired, { allowDrop: true, renames: [] });
    expect(plain.forward).toEqual([]);
    expect(kinds(plain.reorders)).toEqual(['alter_primary_key']);
    const asked = planMigration(actual, desired, { allowDrop: true, renames: [], reorderPrimaryKeys: true });
    expect(asked.forward.length).toBeGreaterThan(0);
    expect(asked.forward.every((change) => change.kind === 'alter_primary_key')).toBe(true);
    expect(asked.reorders).toEqual([]);
    // A key over other columns is no reorder: planned as before.
    const widened = planMigration(actual, n(schema('mariadb', [junction(['post_id'])])), { allowDrop: true, renames: [] });
    expect(widened.forward.some((change) => change.kind === 'alter_primary_key')).toBe(true);
    expect(widened.reorders).toEqual([]);
  });

  it('holds guarded changes back without --drop and plans them with it', () => {
    const actual = n(schema('postgres', [users, table('legacy', [col('id', int())], { pk: ['id'] })]));
    const desired = n(schema('postgres', [table('users', [col('id', int()), col('email', varchar(255))], { pk: ['id'] })]));
    const held = planMigration(actual, desired, { allowDrop: false, renames: [] });
    expect(held.forward).toEqual([]);
    expect(kinds(held.held).sort()).toEqual(['drop_column', 'drop_table']);
    const dropped = planMigration(actual, desired, { allowDrop: true, renames: [] });
    expect(kinds(dropped.forward)).toEqual(['drop_column', 'drop_table']);
    expect(dropped.held).toEqual([]);
  });

  it('keeps a narrowing held back but plans a widening', () => {
    const actual = n(schema('mysql', [table('t', [col('id', int()), col('a', varchar(100)), col('b', varchar(100))], { pk: ['id'] })]));
    const desired = n(schema('mysql', [table('t', [col('id', int()), col('a', varchar(50)), col('b', varchar(200))], { pk: ['id'] })]));
    const plan = planMigration(actual, desired, { allowDrop: false, renames: [] });
    expect(plan.forward.map((c) => (c.kind === 'alter_column' ? c.to.name : c.kind))).toEqual(['b']);
    expect(plan.held.map((c) => (c.kind === 'alter_column' ? c.to.name : c.kind))).toEqual(['a']);
  });

  it('reports a likely rename (drop + add of the same shape) for the caller to refuse', () => {
    const actual = n(schema('postgres', [users]));
    const desired = n(schema('postgres', [table('users', [col('id', int()), col('email', varchar(255)), col('handle', varchar(50), { nullable: true })], { pk: ['id'] })]));
    const plan = planMigration(actual, desired, { allowDrop: true, renames: [] });
    expect(plan.likelyRenames).toEqual([{ table: { schema: null, name: 'users' }, from: 'nick', to: 'handle', hint: '--rename users.nick=handle' }]);
  });

  it('turns a hinted drop + add into rename_column, followed by an alter for what else changed', () => {
    const actual = n(schema('postgres', [users]));
    const desired = n(schema('postgres', [table('users', [col('id', int()), col('email', varchar(255)), col('handle', varchar(80))], { pk: ['id'] })]));
    const plan = planMigration(actual, desired, { allowDrop: false, renames: [parseRenameHint('users.nick=handle')] });
    expect(kinds(plan.forward)).toEqual(['rename_column', 'alter_column']);
    const alter = plan.forward[1];
    expect(alter?.kind === 'alter_column' ? alter.changed : []).toEqual(['type', 'nullable']);
    expect(plan.likelyRenames).toEqual([]);
    // Applying the plan gives the desired schema; its rollback gives the original back.
    const after = applyChanges(actual, plan.forward);
    expect(diffSchemas(n(after), desired).changes).toEqual([]);
    expect(diffSchemas(n(applyChanges(after, plan.rollback)), actual).changes).toEqual([]);
  });

  it('turns a hinted drop + create of tables into rename_table, and foreign keys follow', () => {
    const actual = n(schema('postgres', [users, posts]));
    const renamedUsers = { ...users, name: 'accounts' };
    const renamedPosts = { ...posts, foreignKeys: [fk('FK_posts_author', ['author_id'], 'accounts', ['id'])] };
    const desired = n(schema('postgres', [renamedUsers, renamedPosts]));
    const plan = planMigration(actual, desired, { allowDrop: false, renames: [parseRenameHint('users=accounts')] });
    expect(kinds(plan.forward)).toEqual(['rename_table']);
    expect(plan.held).toEqual([]);
    expect(diffSchemas(n(applyChanges(actual, plan.forward)), desired).changes).toEqual([]);
  });

  it('rolls enum type changes back first, so a value comes back before a default that uses it', () => {
    const withDefault = n(schema('postgres', [table('users', [col('mood', enumType(['a', 'b'], 'mood'), { default: literal('b') })])], [pgEnum('mood', ['a', 'b'])]));
    const without = n(schema('postgres', [table('users', [col('mood', enumType(['a'], 'mood'))])], [pgEnum('mood', ['a'])]));
    const plan = planMigration(withDefault, without, { allowDrop: true, renames: [] });
    expect(kinds(plan.forward)).toEqual(['alter_enum', 'alter_column']);
    expect(kinds(plan.rollback)).toEqual(['alter_enum', 'alter_column']);
    expect(diffSchemas(n(applyChanges(without, plan.rollback)), withDefault).changes).toEqual([]);
  });
});

describe('renderPlan on PostgreSQL', () => {
  it('puts the enum values it adds first, where apply commits them before the statements that use them', () => {
    const before = n(schema('postgres', [table('users', [col('mood', enumType(['a'], 'mood'))])], [pgEnum('mood', ['a'])]));
    const after = n(
      schema(
        'postgres',
        [table('users', [col('mood', enumType(['a', 'b'], 'mood'), { default: literal('b') })]), table('tags', [col('id', int())], { schema: 'app' })],
        [pgEnum('mood', ['a', 'b'])],
      ),
    );
    const rendered = renderPlan(planMigration(before, after, { allowDrop: true, renames: [] }), before, postgresSql);
    const statements = rendered.migrate.flatMap((group) => group.statements);
    expect(statements[0]).toBe(`ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'b'`);
    expect(statements[1]).toMatch(/^CREATE SCHEMA/);
    expect(leadingCommitFirst(statements, postgresHistory.transaction)).toBe(1);
    expect(leadingCommitFirst(statements, null)).toBe(0);
  });
});

describe('rename hints', () => {
  it('parses table and column hints, schema-qualified too', () => {
    expect(parseRenameHint('users=accounts')).toEqual({ kind: 'table', from: 'users', to: 'accounts' });
    expect(parseRenameHint('users.nick=handle')).toEqual({ kind: 'column', table: 'users', from: 'nick', to: 'handle' });
    expect(parseRenameHint('audit.log.old=new')).toEqual({ kind: 'column', table: 'audit.log', from: 'old', to: 'new' });
    expect(parseRenameHint('audit.old=audit.new')).toEqual({ kind: 'table', from: 'audit.old', to: 'audit.new' });
  });

  it('rejects malformed hints and hints that match nothing, by name', () => {
    expect(() => parseRenameHint('users.nick')).toThrow('--rename users.nick: expected old_table=new_table or table.old_column=new_column');
    const changes = diffSchemas(n(schema('postgres', [users])), n(schema('postgres', [users]))).changes;
    expect(() => applyRenameHints(changes, [parseRenameHint('users.nik=handle')])).toThrow('--rename users.nik=handle: no column "nik" is being dropped from users');
    expect(() => applyRenameHints(changes, [parseRenameHint('users=people')])).toThrow('--rename users=people: no table "users" is being dropped');
  });
});

describe('expandTableKeys', () => {
  it('splits keys out of a dropped table so they go before it', () => {
    expect(kinds(expandTableKeys([{ kind: 'drop_table', table: posts }]))).toEqual(['drop_foreign_key', 'drop_table']);
  });
});

describe('dataChecksFor', () => {
  const ref = { schema: null, name: 'users' };
  it('asks how much data each guarded or risky change touches', () => {
    expect(dataChecksFor({ kind: 'drop_table', table: users }).map((c) => [c.question.kind, c.severity])).toEqual([['row_count', 'destroys']]);
    expect(dataChecksFor({ kind: 'drop_column', table: ref, column: col('nick', varchar(50)) })[0]?.question).toEqual({ kind: 'non_null_count', table: ref, column: 'nick' });
    expect(dataChecksFor({ kind: 'add_column', table: ref, column: col('age', int()) })[0]?.describe(3)).toBe(
      'adding NOT NULL column users.age without a default fails: the table has 3 rows (--fill users.age=value fills them, or add a default, or make it nullable)',
    );
    expect(dataChecksFor({ kind: 'add_column', table: ref, column: col('age', int(), { nullable: true }) })).toEqual([]);
    const narrow: Change = { kind: 'alter_column', table: ref, from: col('email', varchar(255)), to: col('email', varchar(50)), changed: ['type'] };
    expect(dataChecksFor(narrow)[0]?.question).toEqual({ kind: 'too_long_count', table: ref, column: 'email', maxLength: 50 });
    const notNull: Change = { kind: 'alter_column', table: ref, from: col('nick', text(), { nullable: true }), to: col('nick', text()), changed: ['nullable'] };
    expect(dataChecksFor(notNull)[0]?.describe(1)).toBe('making users.nick NOT NULL fails: 1 row hold NULL');
    const toInt: Change = { kind: 'alter_column', table: ref, from: col('code', varchar(10)), to: col('code', bigint()), changed: ['type'] };
    expect(dataChecksFor(toInt)[0]?.question.kind).toBe('not_integer_count');
    expect(dataChecksFor({ kind: 'create_index', table: ref, index: index('UQ_email', ['email'], { unique: true }) })[0]?.question).toEqual({
      kind: 'duplicate_count',
      table: ref,
      columns: ['email'],
    });
    expect(dataChecksFor({ kind: 'create_index', table: ref, index: index('IDX_email', ['email']) })).toEqual([]);
  });
});

describe('primary key changes around column changes', () => {
  it('drops the old key before its column becomes nullable, and adds the new key after', () => {
    const actual = n(schema('postgres', [table('t', [col('a', int()), col('b', int())], { pk: ['a'] })]));
    const desired = n(schema('postgres', [table('t', [col('a', int(), { nullable: true }), col('b', int())], { pk: ['b'] })]));
    const plan = planMigration(actual, desired, { allowDrop: false, renames: [] });
    expect(plan.forward.map((c) => (c.kind === 'alter_primary_key' ? `pk ${c.from?.columns ?? '-'} -> ${c.to?.columns ?? '-'}` : c.kind))).toEqual([
      'pk a -> -',
      'alter_column',
      'pk - -> b',
    ]);
    expect(diffSchemas(n(applyChanges(actual, plan.forward)), desired).changes).toEqual([]);
    expect(diffSchemas(n(applyChanges(applyChanges(actual, plan.forward), plan.rollback)), actual).changes).toEqual([]);
  });
});

describe('foreign keys around changes of their columns', () => {
  const keyed = (dialect: 'postgres' | 'mariadb', userId: ReturnType<typeof int>, authorId: ReturnType<typeof int>, nick = varchar(50)) =>
    n(
      schema(dialect, [
        table('posts', [col('id', int()), col('author_id', authorId, { nullable: true }), col('nick', nick)], {
          pk: ['id'],
          foreignKeys: [fk('FK_posts_author', ['author_id'], 'users', ['id'])],
        }),
        table('users', [col('id', userId)], { pk: ['id'] }),
      ]),
    );
  const steps = (changes: readonly Change[]) =>
    changes.map((c) => (c.kind === 'alter_column' ? `alter ${c.table.name}.${c.to.name}` : 'foreignKey' in c ? `${c.kind} ${c.foreignKey.name}` : c.kind));

  it.each(['postgres', 'mariadb'] as const)('drops the key before its columns change type and adds it back after (%s)', (dialect) => {
    const actual = keyed(dialect, int(), int());
    const desired = keyed(dialect, bigint(), bigint());
    const plan = planMigration(actual, desired, { allowDrop: false, renames: [] });
    expect(steps(plan.forward)).toEqual(['drop_foreign_key FK_posts_author', 'alter posts.author_id', 'alter users.id', 'add_foreign_key FK_posts_author']);
    expect(steps(plan.rollback)).toEqual(['drop_foreign_key FK_posts_author', 'alter users.id', 'alter posts.author_id', 'add_foreign_key FK_posts_author']);
    expect(diffSchemas(n(applyChanges(actual, plan.forward)), desired).changes).toEqual([]);
  });

  it('drops it when only the referenced column changes, and leaves it alone when other columns change', () => {
    const plan = (desired: Schema) => steps(planMigration(keyed('mariadb', int(), int()), desired, { allowDrop: false, renames: [] }).forward);
    expect(plan(keyed('mariadb', bigint(), int()))).toEqual(['drop_foreign_key FK_posts_author', 'alter users.id', 'add_foreign_key FK_posts_author']);
    expect(plan(keyed('mariadb', int(), int(), varchar(80)))).toEqual(['alter posts.nick']);
  });

  it('does not drop a key twice that the diff already redefines', () => {
    const desired = n({
      ...keyed('mariadb', bigint(), bigint()),
      tables: keyed('mariadb', bigint(), bigint()).tables.map((t) => ({ ...t, foreignKeys: t.foreignKeys.map((f) => ({ ...f, onDelete: 'CASCADE' as const })) })),
    });
    expect(steps(planMigration(keyed('mariadb', int(), int()), desired, { allowDrop: false, renames: [] }).forward)).toEqual([
      'drop_foreign_key FK_posts_author',
      'alter posts.author_id',
      'alter users.id',
      'add_foreign_key FK_posts_author',
    ]);
  });
});

describe('rollback of a renamed indexed column', () => {
  it('renames the column back before it restores the index that names it', () => {
    const before = n(schema('postgres', [table('docs', [col('id', int()), col('title', varchar(50))], { pk: ['id'], indexes: [index('IDX_docs_title', ['title'])] })]));
    const after = n(schema('postgres', [table('docs', [col('id', int()), col('heading', varchar(50))], { pk: ['id'], indexes: [index('IDX_docs_heading', ['heading'])] })]));
    const plan = planMigration(before, after, { allowDrop: false, renames: [parseRenameHint('docs.title=heading')] });
    expect(kinds(plan.forward)).toEqual(['rename_column', 'drop_index', 'create_index']);
    expect(kinds(plan.rollback)).toEqual(['drop_index', 'rename_column', 'create_index']);
    // Replayed in memory, every step finds the columns it names, and the rollback ends where it began.
    const rolledBack = applyChanges(applyChanges(before, plan.forward), plan.rollback);
    expect(diffSchemas(rolledBack, before).changes).toEqual([]);
    const sql = renderPlan(plan, before, postgresSql).rollback.flatMap((group) => group.statements);
    expect(sql.findIndex((s) => s.startsWith('ALTER TABLE "docs" RENAME COLUMN "heading" TO "title"'))).toBeLessThan(sql.findIndex((s) => s.startsWith('CREATE INDEX "IDX_docs_title"')));
  });
});

describe('renderPlan on MariaDB, online', () => {
  it("writes the online foreign key block where a migration adds a key to a live table, and where its rollback adds one back", () => {
    const users = table('users', [col('id', int())], { pk: ['id'] });
    const posts = (keys: boolean) => table('posts', [col('id', int()), col('user_id', int(), { nullable: true })], { pk: ['id'], indexes: [index('posts_user', ['user_id'])], foreignKeys: keys ? [fk('fk_posts_user', ['user_id'], 'users', ['id'])] : [] });
    const without = n(schema('mariadb', [users, posts(false)]));
    const withKey = n(schema('mariadb', [users, posts(true)]));
    const online = { dialect: 'mariadb' as const, version: { major: 10, minor: 11, patch: 0 } };
    const adding = renderPlan(planMigration(without, withKey, { allowDrop: true, renames: [] }), without, mysqlSql, online);
    const dropping = renderPlan(planMigration(withKey, without, { allowDrop: true, renames: [] }), withKey, mysqlSql, online);
    for (const statements of [adding.migrate, dropping.rollback].map((groups) => groups.flatMap((group) => group.statements))) {
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(ONLINE_FOREIGN_KEY_BLOCK);
      // posts_user serves the key: nothing to build.
      expect(statements[0]).toContain('ADD CONSTRAINT `fk_posts_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION ON UPDATE NO ACTION, ALGORITHM=INSTANT;');
    }
    // --offline: the plain form.
    expect(renderPlan(planMigration(without, withKey, { allowDrop: true, renames: [] }), without, mysqlSql).migrate.flatMap((group) => group.statements)[0]).not.toMatch(ONLINE_FOREIGN_KEY_BLOCK);
  });
});
