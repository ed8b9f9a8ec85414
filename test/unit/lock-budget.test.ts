import { decideTransactions, locksNeeded, lockTableSize, settingToFit, type LockCapacity, type LockFacts, type RelationFacts } from '../../src/apply/lock-budget';
import { postgresStatementLocks } from '../../src/dialect/postgres/lock-budget';

/** A default PostgreSQL 15: 64 × (100 connections + 3 autovacuum + 1 launcher + 8 workers + 10 WAL senders + 0 prepared). */
const DEFAULT_15: LockCapacity = { maxLocksPerTransaction: 64, maxConnections: 100, otherProcesses: 22, maxPreparedTransactions: 0 };

/** Facts for tables t0 … t(n-1): each taking `wholeLocks` entries when dropped or rewritten. */
function tableFacts(n: number, wholeLocks: number): LockFacts {
  const facts = new Map<string, RelationFacts>();
  for (let t = 0; t < n; t++) facts.set(`"t${t}"`, { key: `oid${t}`, wholeLocks, related: [] });
  return facts;
}

describe('what a PostgreSQL statement locks, read from its text', () => {
  it.each([
    ['ALTER TABLE "public"."Users" ADD COLUMN "x" integer', ['"public"."Users"'], [], 2],
    ['ALTER TABLE "t" ALTER COLUMN "x" TYPE bigint', ['"t"'], ['"t"'], 0],
    ['ALTER TABLE "t" ADD COLUMN "kind" text DEFAULT \'TYPE\'', ['"t"'], [], 3],
    ['ALTER TABLE "t" DROP CONSTRAINT "FK_1"', ['"t"'], [], 6],
    ['ALTER TABLE IF EXISTS ONLY users DROP COLUMN x', ['"users"'], [], 2],
    ['DROP TABLE "a", "s"."b" CASCADE', ['"a"', '"s"."b"'], ['"a"', '"s"."b"'], 0],
    ['DROP INDEX CONCURRENTLY IF EXISTS "s"."idx"', ['"s"."idx"'], ['"s"."idx"'], 0],
    ['CREATE UNIQUE INDEX "u" ON "t" ("a")', ['"t"'], [], 1],
    ['COMMENT ON COLUMN "s"."t"."c" IS \'has a DEFAULT in it\'', ['"s"."t"'], [], 0],
    ['INSERT INTO "t" ("a") VALUES (1)', ['"t"'], [], 0],
  ])('%s', (sql, names, whole, created) => {
    expect(postgresStatementLocks(sql)).toEqual({ names, whole, created });
  });

  it('counts what CREATE TABLE brings, and locks the referenced table by itself', () => {
    const locks = postgresStatementLocks(
      'CREATE TABLE "child" ("id" SERIAL NOT NULL, "note" text DEFAULT \'PRIMARY KEY\', "p" integer, CONSTRAINT "PK_c" PRIMARY KEY ("id"), CONSTRAINT "FK_c" FOREIGN KEY ("p") REFERENCES "parent"("id"))',
    );
    // Table 5 (itself, toast table and index, two types) + serial 1 + default 1 + key 2 + foreign key 5; the quoted words do not count.
    expect(locks).toEqual({ names: ['"parent"'], whole: [], created: 14 });
  });

  it('a statement that names nothing it can read still takes a lock', () => {
    expect(postgresStatementLocks('DO $$ BEGIN PERFORM 1; END $$').created).toBe(1);
  });
});

describe('the locks a transaction needs', () => {
  it('counts each object once however it is spelled, a drop or rewrite with everything that belongs to it', () => {
    const facts = new Map<string, RelationFacts>([
      ['"t"', { key: '1', wholeLocks: 12, related: [] }],
      ['"public"."t"', { key: '1', wholeLocks: 12, related: [] }],
      ['"idx"', { key: '2', wholeLocks: 1, related: ['1'] }],
    ]);
    const alter = postgresStatementLocks('ALTER TABLE "t" RENAME COLUMN "a" TO "b"');
    const again = postgresStatementLocks('ALTER TABLE public.t ALTER COLUMN "b" SET NOT NULL');
    const dropIndex = postgresStatementLocks('DROP INDEX "idx"');
    expect(locksNeeded([alter, again], facts)).toBe(1);
    expect(locksNeeded([alter, again, dropIndex], facts)).toBe(2);
    expect(locksNeeded([dropIndex], facts)).toBe(2);
    expect(locksNeeded([postgresStatementLocks('DROP TABLE "t"'), alter], facts)).toBe(12);
    expect(locksNeeded([alter, postgresStatementLocks('ALTER TABLE "public"."t" ALTER COLUMN "a" TYPE bigint')], facts)).toBe(12);
  });

  it('a name the catalog does not know counts one entry', () => {
    expect(locksNeeded([postgresStatementLocks('ALTER TYPE "mood" ADD VALUE IF NOT EXISTS \'ok\'')], new Map())).toBe(1);
  });
});

describe('deciding how a migration runs against the lock table', () => {
  it('sizes the table as PostgreSQL does, and names the setting that would hold the migration', () => {
    expect(lockTableSize(DEFAULT_15)).toBe(7808);
    // 17,000 entries over 122 slots is 140 per slot: the next multiple of 64.
    expect(settingToFit(17_000, DEFAULT_15)).toBe(192);
    expect(settingToFit(7_900, DEFAULT_15)).toBe(128);
  });

  const drops = (n: number) => Array.from({ length: n }, (_, t) => postgresStatementLocks(`DROP TABLE "t${t}"`));

  it('keeps one transaction when it fits, whatever the split flag says', () => {
    const facts = tableFacts(400, 17);
    expect(decideTransactions(drops(400), facts, DEFAULT_15, { split: false })).toEqual({ kind: 'fits', needed: 6800 });
    expect(decideTransactions(drops(400), facts, DEFAULT_15, { split: true })).toEqual({ kind: 'fits', needed: 6800 });
  });

  it('refuses a transaction over the table without the flag (a rollback dropping 1,000 tables)', () => {
    expect(decideTransactions(drops(1000), tableFacts(1000, 17), DEFAULT_15, { split: false })).toEqual({ kind: 'refuse', needed: 17_000 });
  });

  it('with the flag, cuts it into parts that each fit, at statement boundaries, covering every statement once', () => {
    const decision = decideTransactions(drops(1000), tableFacts(1000, 17), DEFAULT_15, { split: true });
    if (decision.kind !== 'split') throw new Error(`expected a split, got ${decision.kind}`);
    expect(decision.parts.map((part) => [part.from, part.to])).toEqual([
      [0, 459],
      [459, 918],
      [918, 1000],
    ]);
    for (const part of decision.parts) expect(part.locks).toBeLessThanOrEqual(7808);
    expect(decision.cuts).toEqual([459, 918]);
  });

  it('keeps consecutive statements on one table in the same part', () => {
    // Each table: an ALTER (1 entry), a foreign key to a new table (6 more: the key, its triggers, that table), a comment.
    const statements = Array.from({ length: 1800 }, (_, t) => [
      `ALTER TABLE "t${t}" ALTER COLUMN "a" SET NOT NULL`,
      `ALTER TABLE "t${t}" ADD CONSTRAINT "fk" FOREIGN KEY ("b") REFERENCES "r${t}" ("id")`,
      `COMMENT ON TABLE "t${t}" IS 'x'`,
    ])
      .flat()
      .map(postgresStatementLocks);
    const decision = decideTransactions(statements, tableFacts(1800, 17), DEFAULT_15, { split: true });
    if (decision.kind !== 'split') throw new Error(`expected a split, got ${decision.kind}`);
    // 1,115 tables need 7,805 entries; the next one's first statement would still fit, its foreign key not: the cut goes before the table.
    expect(decision.cuts).toEqual([1115 * 3]);
  });

  it('ends a part at a statement that runs by itself, and counts the parts around it apart', () => {
    const statements = [...drops(300), postgresStatementLocks('CREATE INDEX CONCURRENTLY "i" ON "t0" ("a")'), ...drops(300).map((_, t) => postgresStatementLocks(`DROP TABLE "t${t + 300}"`))];
    const facts = tableFacts(600, 17);
    const alone = (i: number) => i === 300;
    // 600 drops would need 10,200 entries in one transaction; the concurrent build cuts them into two of 5,100.
    expect(decideTransactions(statements, facts, DEFAULT_15, { split: false, alone })).toEqual({ kind: 'fits', needed: 5100 });
  });

  it('reports one table whose statements alone exceed the table: only the setting helps', () => {
    const facts = tableFacts(1, 9000);
    const decision = decideTransactions([postgresStatementLocks('ALTER TABLE "t0" ALTER COLUMN "x" TYPE bigint')], facts, DEFAULT_15, { split: true });
    expect(decision).toEqual({ kind: 'part-too-large', needed: 9000, part: { from: 0, to: 1, locks: 9000 } });
  });
});
