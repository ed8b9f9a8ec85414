import type { DatabaseClient } from '../connect/client';
import type { MigrationContext } from '../migrations/context';
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

/**
 * Runs a migration function for real, skipping the first `skip` statements (already done by a run that failed or
 * was killed) and reporting each statement done, so progress can be recorded statement by statement.
 */
export async function executeStatements(
  client: DatabaseClient,
  run: (db: MigrationContext) => Promise<void>,
  options: { skip: number; afterEach: (done: number) => Promise<void>; log: (message: string) => void },
): Promise<number> {
  let index = 0;
  await run({
    dialect: client.dialect,
    dryRun: false,
    execute: async (sql) => {
      index++;
      if (index <= options.skip) return;
      await client.execute(sql);
      await options.afterEach(index);
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
    await client.execute(sql);
    afterEach(i + 1);
  }
  await client.execute(transaction.commit);
}
