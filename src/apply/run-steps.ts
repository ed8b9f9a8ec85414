import type { DatabaseClient } from '../connect/client';
import type { MigrationContext } from '../migrations/context';
import { messageOf } from '../util/errors';
import type { HistorySql } from './history-sql';

/**
 * Runs a migration function and returns the statements it asked for, without executing them (dry run, counting).
 * `log` receives what the migration logs; a dry run shows it, counting does not.
 */
export async function collectStatements(client: DatabaseClient, run: (db: MigrationContext) => Promise<void>, log: (message: string) => void = () => undefined): Promise<string[]> {
  const statements: string[] = [];
  await run({
    dialect: client.dialect,
    dryRun: true,
    execute: async (sql) => void statements.push(sql),
    // Reads still reach the database: a data migration may need them to decide what it would do.
    query: (sql, params) => client.query(sql, params),
    log,
  });
  return statements;
}

/** A statement the database refused, as opposed to an error thrown by the migration's own code. */
export class StatementFailure extends Error {
  constructor(
    /** 1-based position of the statement in the migration. */
    readonly index: number,
    readonly sql: string,
    readonly original: unknown,
  ) {
    super(withDetail(original), { cause: original });
    this.name = 'StatementFailure';
  }
}

/**
 * The database's message, with PostgreSQL's DETAIL when it has one: for a unique index or constraint refused by
 * duplicates, the key that is duplicated (`Key (email)=(a@example.com) is duplicated.`).
 */
function withDetail(error: unknown): string {
  const detail = (error as { detail?: unknown } | null)?.detail;
  return typeof detail === 'string' && detail !== '' ? `${messageOf(error)} (${detail})` : messageOf(error);
}

/** Runs one statement, turning the database's refusal into a StatementFailure that knows which statement it was. */
export async function runStatement(client: DatabaseClient, index: number, sql: string): Promise<void> {
  try {
    await client.execute(sql);
  } catch (error) {
    throw new StatementFailure(index, sql, error);
  }
}

/**
 * Runs a migration function for real, skipping the first `skip` statements (already done by a run that failed or
 * was killed; `onSkipped` may still run one, as a session setting the new session lacks) and handing every other
 * statement to `run` with its 1-based position. Returns how many statements the function asked for.
 */
export async function executeStatements(
  client: DatabaseClient,
  migration: (db: MigrationContext) => Promise<void>,
  options: {
    skip: number;
    run: (index: number, sql: string) => Promise<void>;
    onSkipped?: (index: number, sql: string) => Promise<void>;
    log: (message: string) => void;
  },
): Promise<number> {
  let index = 0;
  await migration({
    dialect: client.dialect,
    dryRun: false,
    // The statement after the current point was already done: so was whatever ran before it.
    get replaying() {
      return index < options.skip;
    },
    execute: async (sql) => {
      index++;
      if (index <= options.skip) await options.onSkipped?.(index, sql);
      else await options.run(index, sql);
    },
    query: (sql, params) => client.query(sql, params),
    log: options.log,
  });
  return index;
}

/**
 * How many of a migration's first statements commit in a transaction of their own before the rest runs in its
 * transaction: the leading run of statements whose effect the rest could not use before a commit (PostgreSQL's
 * `ADD VALUE IF NOT EXISTS`, which the plan puts first). Elsewhere in a migration they stay in its transaction.
 * None where DDL commits itself.
 */
export function leadingCommitFirst(statements: readonly string[], transaction: HistorySql['transaction']): number {
  if (transaction === null) return 0;
  const first = statements.findIndex((sql) => !transaction.commitFirst.test(sql));
  return first < 0 ? statements.length : first;
}

/** Runs statements in one transaction of their own and commits them (none: no transaction). */
export async function runCommitted(
  client: DatabaseClient,
  statements: readonly string[],
  transaction: NonNullable<HistorySql['transaction']>,
  afterEach: (done: number) => void,
): Promise<void> {
  if (statements.length === 0) return;
  await client.execute(transaction.begin);
  for (const [i, sql] of statements.entries()) {
    await runStatement(client, i + 1, sql);
    afterEach(i + 1);
  }
  await client.execute(transaction.commit);
}
