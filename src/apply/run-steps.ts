import type { DatabaseClient } from '../connect/client';
import type { MigrationContext } from '../migrations/context';

/** Runs a migration function and returns the statements it asked for, without executing them (dry run, counting). */
export async function collectStatements(client: DatabaseClient, run: (db: MigrationContext) => Promise<void>): Promise<string[]> {
  const statements: string[] = [];
  await run({
    dialect: client.dialect,
    dryRun: true,
    execute: async (sql) => void statements.push(sql),
    // Reads still reach the database: a data migration may need them to decide what it would do.
    query: (sql, params) => client.query(sql, params),
    log: () => undefined,
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
