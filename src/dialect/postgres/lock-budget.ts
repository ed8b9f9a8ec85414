import type { DatabaseClient } from '../../connect/client';
import type { LockBudgetSql } from '../../apply/history-sql';
import type { LockCapacity, LockFacts, RelationFacts, StatementLocks } from '../../apply/lock-budget';

/** A PostgreSQL identifier as written: double-quoted (with "" inside) or a bare word. */
const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
/** `[schema.]name`. */
const QUALIFIED = String.raw`${IDENT}(?:\s*\.\s*${IDENT})?`;
/** A comma-separated list of them (DROP TABLE a, b). */
const QUALIFIED_LIST = String.raw`${QUALIFIED}(?:\s*,\s*${QUALIFIED})*`;

/** Statements whose first name is an object that exists before them (or is looked up like one). */
const NAMES_EXISTING: readonly RegExp[] = [
  new RegExp(String.raw`^\s*ALTER\s+(?:TABLE|INDEX|SEQUENCE|VIEW|MATERIALIZED\s+VIEW|TYPE)\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QUALIFIED})`, 'is'),
  new RegExp(String.raw`^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?(${QUALIFIED})`, 'is'),
  new RegExp(String.raw`^\s*COMMENT\s+ON\s+(?:TABLE|VIEW|INDEX|SEQUENCE|TYPE)\s+(${QUALIFIED})`, 'is'),
  new RegExp(String.raw`^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:${IDENT}\s+)?ON\s+(?:ONLY\s+)?(${QUALIFIED})`, 'is'),
];

/** `COMMENT ON COLUMN [schema.]table.column`: the table is all but the last part. */
const COMMENT_ON_COLUMN = new RegExp(String.raw`^\s*COMMENT\s+ON\s+COLUMN\s+(${QUALIFIED})\s*\.\s*${IDENT}\s+IS`, 'is');

/** Statements that drop what they name, with everything that belongs to it. */
const DROPS = new RegExp(String.raw`^\s*DROP\s+(?:TABLE|INDEX|SEQUENCE|VIEW|MATERIALIZED\s+VIEW|TYPE)\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?(${QUALIFIED_LIST})`, 'is');

/** Statements that rewrite their table (new files for it, its indexes and toast table): they lock all of it, as a drop does. */
const REWRITES = /^\s*(?:TRUNCATE\b|ALTER\s+TABLE\s.*\b(?:TYPE|SET\s+DATA\s+TYPE|SET\s+(?:UN)?LOGGED|SET\s+TABLESPACE)\b)/is;

/** Tables a statement's foreign keys reference: locked too (their triggers change). */
const REFERENCES = new RegExp(String.raw`\bREFERENCES\s+(${QUALIFIED})`, 'gis');

/**
 * Lock entries of what a statement creates or drops by a name the catalog query does not look up, counted from its
 * words (string literals removed first), as measured in pg_locks on PostgreSQL 15: a new table holds itself, its
 * toast table and toast index, its row and array types; a key or unique constraint its index and itself; a foreign
 * key itself and four triggers; a check or a column default one entry; a serial or identity column its sequence; a
 * new index, sequence, type or view about one each; a column added or dropped the row and array types; a dropped
 * constraint up to six.
 */
const CREATED: readonly { readonly pattern: RegExp; readonly locks: number }[] = [
  { pattern: /^\s*CREATE\s+(?:UNLOGGED\s+)?TABLE\s/gis, locks: 5 },
  { pattern: /^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s/gis, locks: 1 },
  { pattern: /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:SEQUENCE|TYPE|VIEW|MATERIALIZED\s+VIEW)\s/gis, locks: 2 },
  { pattern: /\b(?:PRIMARY\s+KEY|UNIQUE\s*\(|EXCLUDE\b)/gi, locks: 2 },
  { pattern: /\bREFERENCES\b/gi, locks: 5 },
  { pattern: /\b(?:CHECK\s*\(|DEFAULT\b)/gi, locks: 1 },
  { pattern: /\b(?:small|big)?serial\b|\bAS\s+IDENTITY\b/gi, locks: 1 },
  // A column added or dropped changes the table's row type and its array type.
  { pattern: /\b(?:ADD|DROP)\s+COLUMN\b/gi, locks: 2 },
  // The text does not say which kind it is: count a foreign key's (itself, its four triggers, the referenced table).
  { pattern: /\bDROP\s+CONSTRAINT\b/gi, locks: 6 },
];

/** A statement with its string literals emptied, so that words inside them are not read as SQL. */
function words(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "''");
}

/** What a statement creates, in lock entries. */
function createdLocks(sql: string): number {
  const text = words(sql);
  return CREATED.reduce((sum, c) => sum + (text.match(c.pattern)?.length ?? 0) * c.locks, 0);
}

/** An identifier as the catalog spells it, quoted again so that to_regclass reads it back exactly. */
function canonical(name: string): string {
  const parts = name.match(new RegExp(IDENT, 'g')) ?? [];
  return parts.map((part) => (part.startsWith('"') ? part : `"${part.toLowerCase()}"`)).join('.');
}

/** What one statement locks, read from its text. */
export function postgresStatementLocks(sql: string): StatementLocks {
  const names: string[] = [];
  const whole: string[] = [];
  const drop = DROPS.exec(sql);
  if (drop !== null) {
    const list = (drop[1] as string).match(new RegExp(QUALIFIED, 'g')) ?? [];
    for (const name of list.map(canonical)) names.push(name), whole.push(name);
  }
  const column = COMMENT_ON_COLUMN.exec(sql);
  if (column !== null) names.push(canonical(column[1] as string));
  for (const pattern of NAMES_EXISTING) {
    const match = pattern.exec(sql);
    if (match !== null) names.push(canonical(match[1] as string));
  }
  if (REWRITES.test(words(sql)) && names[0] !== undefined) whole.push(names[0]);
  for (const match of sql.matchAll(REFERENCES)) names.push(canonical(match[1] as string));
  const created = createdLocks(sql);
  // A statement that names nothing it can read (a DO block, a function) still takes at least one lock.
  return { names: [...new Set(names)], whole: [...new Set(whole)], created: names.length === 0 && created === 0 ? 1 : created };
}

/**
 * One catalog query for every name: its identity, and what a drop or rewrite of it locks besides itself: its
 * indexes, owned sequences, toast table and toast index, constraints and their triggers, column defaults, row and array
 * types, and the tables its foreign keys reference (an index: its table). Measured against pg_locks on PostgreSQL 15:
 * DROP TABLE of a table with a serial key, a text column, one index, a check and a foreign key holds 17 entries;
 * this counts 16 for it and the referenced table.
 */
const FACTS_QUERY = `
SELECT n.name, c.oid::text AS key,
  1 + (SELECT count(*) FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid)
    + (CASE WHEN c.reltoastrelid <> 0 THEN 2 ELSE 0 END)
    + (SELECT count(*) FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
        WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refobjid = c.oid AND d.deptype IN ('a', 'i'))
    + (SELECT count(*) FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid)
    + (SELECT count(*) FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid OR t.tgconstraint IN (SELECT k.oid FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid))
    + (SELECT count(*) FROM pg_catalog.pg_attrdef a WHERE a.adrelid = c.oid)
    + (CASE WHEN c.reltype <> 0 THEN 2 ELSE 0 END) AS whole_locks,
  ARRAY(SELECT i.indrelid::text FROM pg_catalog.pg_index i WHERE i.indexrelid = c.oid
        UNION SELECT k.confrelid::text FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f' AND k.confrelid <> c.oid) AS related
FROM unnest($1::text[]) AS n(name)
LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(n.name)`;

/** The row FACTS_QUERY returns per name. */
type FactsRow = {
  readonly name: string;
  readonly key: string | null;
  readonly whole_locks: unknown;
  readonly related: readonly string[] | string | null;
};

/** A text[] as the driver hands it: an array (pg, PGlite) or its literal `{1,2}`. */
function textArray(value: readonly string[] | string | null): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return [...value];
  const inner = String(value).replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',');
}

/** Reads the lock facts of every name in one query. */
async function readFacts(client: DatabaseClient, names: readonly string[]): Promise<LockFacts> {
  const facts = new Map<string, RelationFacts>();
  if (names.length === 0) return facts;
  const rows = await client.query<FactsRow>(FACTS_QUERY, [[...names]]);
  for (const row of rows) {
    const exists = row.key !== null && row.key !== undefined;
    facts.set(row.name, exists ? { key: row.key, wholeLocks: Number(row.whole_locks), related: textArray(row.related) } : { key: null, wholeLocks: 1, related: [] });
  }
  return facts;
}

/** The settings that size the lock table (max_locks_per_transaction × (MaxBackends + max_prepared_transactions), as in lock.c). */
async function readCapacity(client: DatabaseClient): Promise<LockCapacity> {
  const rows = await client.query<{ locks: unknown; connections: unknown; others: unknown; prepared: unknown }>(
    `SELECT current_setting('max_locks_per_transaction') AS locks, current_setting('max_connections') AS connections,
       current_setting('autovacuum_max_workers')::int + 1 + current_setting('max_worker_processes')::int + current_setting('max_wal_senders')::int AS others,
       current_setting('max_prepared_transactions') AS prepared`,
  );
  const row = rows[0];
  return { maxLocksPerTransaction: Number(row?.locks), maxConnections: Number(row?.connections), otherProcesses: Number(row?.others), maxPreparedTransactions: Number(row?.prepared) };
}

/** PostgreSQL's "out of shared memory" (SQLSTATE 53200): the lock table is full. */
export function postgresOutOfLocks(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '53200' || (typeof message === 'string' && /out of shared memory/i.test(message));
}

/** How the applier counts a PostgreSQL migration's locks before it runs (see lock-budget.ts). */
export const postgresLockBudget: LockBudgetSql = {
  locksOf: postgresStatementLocks,
  facts: readFacts,
  capacity: readCapacity,
  isOutOfLocks: postgresOutOfLocks,
  setting: (value) => `ALTER SYSTEM SET max_locks_per_transaction = ${value}`,
};
