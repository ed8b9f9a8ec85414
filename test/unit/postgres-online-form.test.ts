import type { Change } from '../../src/change/change';
import type { LockContext } from '../../src/dialect/lock-impact';
import { postgresOnlineForm } from '../../src/dialect/postgres/online';
import { postgresOnlineStatements } from '../../src/dialect/postgres/online-statements';
import { postgresLockImpact } from '../../src/dialect/postgres/lock-impact';
import { postgresSql } from '../../src/dialect/postgres/render';
import { col, int, schema, table, varchar } from '../support/schema-builders';

const users = table('users', [col('id', int()), col('email', varchar(100), { nullable: true }), col('team_id', int(), { nullable: true })]);
const T = { schema: null, name: 'users' } as const;
const existing: LockContext = { version: { major: 15, minor: 0, patch: 0 }, online: true, table: users };
const render = (change: Change, context = existing) => postgresOnlineForm(change, postgresSql.render(change, { before: schema('postgres', [users]) }), context);
const emailIndex = { name: 'users_email', columns: ['email'], unique: true, where: null, method: null };

describe('PostgreSQL online forms', () => {
  it('builds and drops indexes of an existing table concurrently, and a new table plainly', () => {
    expect(render({ kind: 'create_index', table: T, index: emailIndex })).toEqual(['CREATE UNIQUE INDEX CONCURRENTLY "users_email" ON "users" ("email")']);
    expect(render({ kind: 'drop_index', table: T, index: emailIndex })).toEqual(['DROP INDEX CONCURRENTLY "users_email"']);
    expect(render({ kind: 'create_index', table: T, index: emailIndex }, { ...existing, newTable: true })).toEqual(['CREATE UNIQUE INDEX "users_email" ON "users" ("email")']);
  });

  it('adds foreign keys and checks NOT VALID, then validates them in a statement of their own', () => {
    const fk = { name: 'users_team', columns: ['team_id'], referencedSchema: null, referencedTable: 'teams', referencedColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' } as const;
    expect(render({ kind: 'add_foreign_key', table: T, foreignKey: fk as never })).toEqual([
      'ALTER TABLE "users" ADD CONSTRAINT "users_team" FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION NOT VALID',
      'ALTER TABLE "users" VALIDATE CONSTRAINT "users_team"',
    ]);
    expect(render({ kind: 'add_check', table: T, check: { name: 'users_id_positive', expression: 'id > 0' } })).toEqual([
      'ALTER TABLE "users" ADD CONSTRAINT "users_id_positive" CHECK (id > 0) NOT VALID',
      'ALTER TABLE "users" VALIDATE CONSTRAINT "users_id_positive"',
    ]);
  });

  it('builds a unique constraint as a unique index CONCURRENTLY, then attaches it with UNIQUE USING INDEX', () => {
    const change: Change = { kind: 'add_unique', table: T, unique: { name: 'users_email_key', columns: ['email', 'team_id'], deferrable: 'INITIALLY DEFERRED' } };
    expect(render(change)).toEqual([
      'CREATE UNIQUE INDEX CONCURRENTLY "users_email_key" ON "users" ("email", "team_id")',
      'ALTER TABLE "users" ADD CONSTRAINT "users_email_key" UNIQUE USING INDEX "users_email_key" DEFERRABLE INITIALLY DEFERRED',
    ]);
    expect(render(change, { ...existing, newTable: true })).toEqual(['ALTER TABLE "users" ADD CONSTRAINT "users_email_key" UNIQUE ("email", "team_id") DEFERRABLE INITIALLY DEFERRED']);
    expect(postgresLockImpact(change, existing)).toMatchObject({ lock: 'ACCESS EXCLUSIVE', rewrite: 'scan', blocking: false });
    expect(postgresLockImpact(change, { ...existing, online: false })).toMatchObject({ lock: 'ACCESS EXCLUSIVE', rewrite: 'scan', blocking: true });
    // Its rollback drops the constraint, and the index with it.
    expect(render({ kind: 'drop_unique', table: T, unique: { name: 'users_email_key', columns: ['email', 'team_id'] } })).toEqual(['ALTER TABLE "users" DROP CONSTRAINT "users_email_key"']);
  });

  it('sets NOT NULL through a validated check on PostgreSQL 12 and later, plainly before', () => {
    const from = users.columns[1]!;
    const change: Change = { kind: 'alter_column', table: T, from, to: { ...from, nullable: false }, changed: ['nullable'] };
    expect(render(change)).toEqual([
      'ALTER TABLE "users" ADD CONSTRAINT "users_email_not_null" CHECK ("email" IS NOT NULL) NOT VALID',
      'ALTER TABLE "users" VALIDATE CONSTRAINT "users_email_not_null"',
      'ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL',
      'ALTER TABLE "users" DROP CONSTRAINT "users_email_not_null"',
    ]);
    expect(render(change, { ...existing, version: { major: 11, minor: 0, patch: 0 } })).toEqual(['ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL']);
    expect(postgresLockImpact(change, existing)).toMatchObject({ lock: 'ACCESS EXCLUSIVE', rewrite: 'scan', blocking: false });
    expect(postgresLockImpact(change, { ...existing, online: false })).toMatchObject({ rewrite: 'scan', blocking: true });
  });

  it('tells the applier which statements run alone and which outside any transaction', () => {
    const { runsAlone, noTransaction } = postgresOnlineStatements;
    expect(noTransaction.test('CREATE UNIQUE INDEX CONCURRENTLY "a" ON "t" ("x")')).toBe(true);
    expect(noTransaction.test('DROP INDEX CONCURRENTLY "s"."a"')).toBe(true);
    expect(noTransaction.test('ALTER TABLE "t" VALIDATE CONSTRAINT "c"')).toBe(false);
    expect(runsAlone.test('ALTER TABLE "t" VALIDATE CONSTRAINT "c"')).toBe(true);
    expect(runsAlone.test('CREATE INDEX "a" ON "t" ("x")')).toBe(false);
    expect(postgresOnlineStatements.embeddedForm('CREATE UNIQUE INDEX CONCURRENTLY "a" ON "t" ("x")')).toBe('CREATE UNIQUE INDEX "a" ON "t" ("x")');
    expect(postgresOnlineStatements.embeddedForm('DROP INDEX CONCURRENTLY "a"')).toBe('DROP INDEX "a"');
  });
});
