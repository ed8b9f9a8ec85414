/**
 * Whether a migration's transaction fits the server's lock table, and where to cut it when asked to. Pure: the
 * statements' lock needs (what they name) and the catalog facts come from the dialect (see LockBudgetSql).
 *
 * PostgreSQL keeps every lock a transaction takes until it commits, in one shared table of about
 * max_locks_per_transaction × (max_connections + max_prepared_transactions) entries; a migration over a thousand
 * tables fills it and fails with "out of shared memory" after minutes of work. Counting first stops it before harm.
 */

/** What one statement locks, as its text tells. */
export interface StatementLocks {
  /** Relations (and other objects) it names that may exist before it runs, as the catalog can look them up. */
  readonly names: readonly string[];
  /** Of those, the ones it drops: everything that depends on them is locked too (constraints, triggers, types). */
  readonly dropped: readonly string[];
  /** Of those, the ones locked by themselves, without their indexes (the table a foreign key references). */
  readonly alone: readonly string[];
  /** Lock entries of the objects it creates (a new table brings its toast table, key index, row type …). */
  readonly created: number;
}

/** What the live catalog says about one name a statement uses. */
export interface RelationFacts {
  /** The object's identity (its oid), so that two spellings of one table count once; null when it does not exist. */
  readonly key: string | null;
  /** Lock entries it takes with its own indexes, sequences and toast table (1 + those). */
  readonly locks: number;
  /** Lock entries dropping it takes: `locks` plus its constraints, triggers, defaults and row types. */
  readonly dropLocks: number;
  /** Keys of other relations locked with it: an index's table, and (when dropped) the tables its foreign keys reference. */
  readonly related: readonly string[];
}

/** The catalog facts of every name a migration uses, by name as the statements spell it. */
export type LockFacts = ReadonlyMap<string, RelationFacts>;

/** The server settings that size the lock table. */
export interface LockCapacity {
  readonly maxLocksPerTransaction: number;
  readonly maxConnections: number;
  readonly maxPreparedTransactions: number;
}

/**
 * The share of the lock table one migration may count on: other sessions hold locks too while it runs (and the
 * server's real table is somewhat larger than the formula, which is why the formula is what the check uses).
 */
export const LOCK_BUDGET_SHARE = 0.75;

/** The lock table's size as PostgreSQL documents it. */
export function lockTableSize(capacity: LockCapacity): number {
  return capacity.maxLocksPerTransaction * (capacity.maxConnections + capacity.maxPreparedTransactions);
}

/** How many lock entries one migration's transaction may use. */
export function lockBudget(capacity: LockCapacity): number {
  return Math.floor(lockTableSize(capacity) * LOCK_BUDGET_SHARE);
}

/** The max_locks_per_transaction under which `needed` fits the budget, rounded up to a multiple of 64. */
export function settingToFit(needed: number, capacity: LockCapacity): number {
  const slots = Math.max(1, capacity.maxConnections + capacity.maxPreparedTransactions);
  const exact = Math.ceil(needed / (slots * LOCK_BUDGET_SHARE));
  return Math.max(capacity.maxLocksPerTransaction + 64, Math.ceil(exact / 64) * 64);
}

/** A running tally of distinct lock entries: each key counts once, at the largest weight it was seen with. */
class LockTally {
  private readonly weights = new Map<string, number>();
  total = 0;

  /** What adding these entries would add to the total, without adding them. */
  delta(entries: ReadonlyMap<string, number>): number {
    let delta = 0;
    for (const [key, weight] of entries) delta += Math.max(0, weight - (this.weights.get(key) ?? 0));
    return delta;
  }

  add(entries: ReadonlyMap<string, number>): void {
    this.total += this.delta(entries);
    for (const [key, weight] of entries) this.weights.set(key, Math.max(weight, this.weights.get(key) ?? 0));
  }
}

/** The lock entries of one statement, keyed by object, with what it creates under a key of its own. */
export function entriesOf(statement: StatementLocks, facts: LockFacts, position: number): Map<string, number> {
  const entries = new Map<string, number>();
  const put = (key: string, weight: number) => entries.set(key, Math.max(weight, entries.get(key) ?? 0));
  const dropped = new Set(statement.dropped);
  const alone = new Set(statement.alone);
  for (const name of statement.names) {
    const fact = facts.get(name);
    if (fact === undefined || fact.key === null) {
      put(`name:${name}`, 1);
      continue;
    }
    put(fact.key, dropped.has(name) ? fact.dropLocks : alone.has(name) ? 1 : fact.locks);
    // An index's table is locked with it; a dropped table's foreign keys lock the tables they reference.
    for (const related of fact.related) put(related, 1);
  }
  if (statement.created > 0) put(`created:${position}`, statement.created);
  return entries;
}

/** The lock entries a transaction running these statements holds at its end, by the estimate. */
export function locksNeeded(statements: readonly StatementLocks[], facts: LockFacts): number {
  const tally = new LockTally();
  statements.forEach((statement, i) => tally.add(entriesOf(statement, facts, i)));
  return tally.total;
}

/** A run of statements [from, to) that runs as one transaction, with its estimated lock entries. */
export interface TransactionPart {
  readonly from: number;
  readonly to: number;
  readonly locks: number;
}

/**
 * Cuts statements into transactions. `mustCut(i)`: a transaction must end before statement i whatever the budget
 * (one that runs by itself). With a `budget`, a transaction also ends before the statement group that would take it
 * over; `sameGroup(i)` keeps statement i with the one before it (the same table's statements stay together). A group
 * larger than the budget by itself becomes a part of its own, over budget: the caller reports it.
 */
export function cutIntoParts(
  statements: readonly StatementLocks[],
  facts: LockFacts,
  options: { readonly mustCut: (i: number) => boolean; readonly budget?: number; readonly sameGroup?: (i: number) => boolean },
): TransactionPart[] {
  const parts: TransactionPart[] = [];
  let from = 0;
  let tally = new LockTally();
  const close = (to: number) => {
    if (to > from) parts.push({ from, to, locks: tally.total });
    from = to;
    tally = new LockTally();
  };
  let i = 0;
  while (i < statements.length) {
    if (options.mustCut(i)) close(i);
    const end = groupEnd(statements.length, i, options);
    const group = new Map<string, number>();
    for (let j = i; j < end; j++) for (const [key, weight] of entriesOf(statements[j] as StatementLocks, facts, j)) group.set(key, Math.max(weight, group.get(key) ?? 0));
    if (options.budget !== undefined && i > from && tally.total + tally.delta(group) > options.budget) close(i);
    tally.add(group);
    i = end;
  }
  close(statements.length);
  return parts;
}

/** Where the group starting at statement `i` ends: at the first statement that starts a group or must be cut before. */
function groupEnd(length: number, i: number, options: { readonly mustCut: (i: number) => boolean; readonly sameGroup?: (i: number) => boolean }): number {
  let end = i + 1;
  while (end < length && !options.mustCut(end) && options.sameGroup?.(end) === true) end++;
  return end;
}
