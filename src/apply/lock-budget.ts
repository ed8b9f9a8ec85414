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
  /**
   * Of those, the ones it drops or rewrites: everything that belongs to them is locked too (indexes, sequences, toast
   * table, constraints, triggers, types). The others it locks by themselves.
   */
  readonly whole: readonly string[];
  /** Lock entries of objects it creates or drops that `names` does not cover (a new table's toast table, key index, row type; a dropped constraint's triggers). */
  readonly created: number;
}

/** What the live catalog says about one name a statement uses. */
export interface RelationFacts {
  /** The object's identity (its oid), so that two spellings of one table count once; null when it does not exist. */
  readonly key: string | null;
  /** Lock entries a drop or rewrite of it takes: itself, its indexes, sequences, toast table, constraints, triggers, defaults, row types. */
  readonly wholeLocks: number;
  /** Keys of other relations a drop or rewrite of it locks: an index's table, the tables its foreign keys reference. */
  readonly related: readonly string[];
}

/** The catalog facts of every name a migration uses, by name as the statements spell it. */
export type LockFacts = ReadonlyMap<string, RelationFacts>;

/** The server settings that size the lock table. */
export interface LockCapacity {
  readonly maxLocksPerTransaction: number;
  readonly maxConnections: number;
  /** autovacuum_max_workers + 1 + max_worker_processes + max_wal_senders: the server counts these as backends too. */
  readonly otherProcesses: number;
  readonly maxPreparedTransactions: number;
}

/**
 * The lock entries the server sets aside: max_locks_per_transaction × (its backends + max_prepared_transactions), as
 * PostgreSQL computes it (the manual's max_connections is most of the backends; 64 × 122 = 7,808 on a default PG 15).
 */
export function lockTableSize(capacity: LockCapacity): number {
  return capacity.maxLocksPerTransaction * slotsOf(capacity);
}

function slotsOf(capacity: LockCapacity): number {
  return Math.max(1, capacity.maxConnections + capacity.otherProcesses + capacity.maxPreparedTransactions);
}

/**
 * How many lock entries one migration's transaction may use: the table set aside. Past it the table borrows free
 * shared memory, which every session competes for; measured on a default PostgreSQL 15 (7,808 set aside), one
 * transaction creating tables failed with "out of shared memory" at about 16,000 entries, PGlite at about 34,000.
 * Keeping one migration within what is set aside leaves at least as much again to the other sessions.
 */
export function lockBudget(capacity: LockCapacity): number {
  return lockTableSize(capacity);
}

/** The max_locks_per_transaction under which `needed` fits the budget (above the current one), rounded up to a multiple of 64. */
export function settingToFit(needed: number, capacity: LockCapacity): number {
  const exact = Math.max(Math.ceil(needed / slotsOf(capacity)), capacity.maxLocksPerTransaction + 1);
  return Math.ceil(exact / 64) * 64;
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
  const whole = new Set(statement.whole);
  for (const name of statement.names) {
    const fact = facts.get(name);
    if (fact === undefined || fact.key === null) {
      put(`name:${name}`, 1);
      continue;
    }
    put(fact.key, whole.has(name) ? fact.wholeLocks : 1);
    if (!whole.has(name)) continue;
    // A dropped index locks its table; a dropped table's foreign keys lock the tables they reference.
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

/** What to do with a migration's transaction, decided from its statements' locks and the server's lock table. */
export type TransactionDecision =
  /** It fits: one transaction, as always. */
  | { readonly kind: 'fits'; readonly needed: number }
  /** It does not fit and no split was asked for: refuse before anything runs. */
  | { readonly kind: 'refuse'; readonly needed: number }
  /** Split: the statements (0-based) before which the run commits; each part fits. */
  | { readonly kind: 'split'; readonly needed: number; readonly cuts: readonly number[]; readonly parts: readonly TransactionPart[] }
  /** Even split, one table's statements need more than the table: only raising the setting helps. */
  | { readonly kind: 'part-too-large'; readonly needed: number; readonly part: TransactionPart };

/**
 * Decides how a migration's statements run. `alone(i)`: statement i runs by itself anyway (online DDL), so the
 * transactions around it end there. `needed` is the largest transaction's estimate. Split parts keep consecutive
 * statements on the same table (their first name) together.
 */
export function decideTransactions(
  statements: readonly StatementLocks[],
  facts: LockFacts,
  capacity: LockCapacity,
  options: { readonly split: boolean; readonly alone?: (i: number) => boolean },
): TransactionDecision {
  const alone = options.alone ?? (() => false);
  const mustCut = (i: number) => i > 0 && (alone(i) || alone(i - 1));
  const budget = lockBudget(capacity);
  const needed = Math.max(0, ...cutIntoParts(statements, facts, { mustCut }).map((part) => part.locks));
  if (needed <= budget) return { kind: 'fits', needed };
  if (!options.split) return { kind: 'refuse', needed };
  const subject = (i: number) => statements[i]?.names[0];
  const parts = cutIntoParts(statements, facts, { mustCut, budget, sameGroup: (i) => subject(i) !== undefined && subject(i) === subject(i - 1) });
  const over = parts.find((part) => part.locks > budget);
  if (over !== undefined) return { kind: 'part-too-large', needed: over.locks, part: over };
  return { kind: 'split', needed, cuts: parts.filter((part) => part.from > 0 && !mustCut(part.from)).map((part) => part.from), parts };
}
