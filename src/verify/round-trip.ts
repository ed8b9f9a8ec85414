import type { DatabaseClient } from '../connect/client';
import { diffSchemas } from '../diff/diff-schemas';
import { historySqlFor } from '../apply/history';
import { leadingCommitFirst } from '../apply/run-steps';
import { introspect } from '../introspect/introspect';
import type { StatementGroup } from '../migrations/emit';
import { normalizeSchema } from '../model/normalize';
import type { Schema } from '../model/schema';
import { tableKey } from '../model/schema';
import { seedRows, tablesWithRows, type SeedOutcome } from './seed-rows';
import { planMigration } from '../plan/plan';
import { renderPlan } from '../plan/render-plan';
import type { SqlDialect } from '../dialect/sql-dialect';
import { describeChange } from '../report/describe-change';
import { SchemaSyncError, messageOf } from '../util/errors';
import { counted } from '../util/plural';
import type { HistorySql } from '../apply/history-sql';

type TransactionSql = NonNullable<HistorySql['transaction']>;

const NOTHING_SEEDED: SeedOutcome = { seeded: new Set(), skipped: [] };

/** What verification proves before a file is written. */
export interface RoundTripInput {
  readonly shadow: DatabaseClient;
  readonly shadowDescription: string;
  readonly sql: SqlDialect;
  /** The live schema now (normalised). */
  readonly before: Schema;
  /** The schema `migrate` must produce (normalised). */
  readonly after: Schema;
  readonly migrate: readonly StatementGroup[];
  readonly rollback: readonly StatementGroup[];
  /**
   * Keys of the tables that hold rows in the live database: they get generated rows before `migrate`, since
   * `migrate` runs on their data next. Every other table gets rows before `rollback`, which runs on data written later.
   * Absent: no rows at all (the schema-only round trip the property tests check).
   */
  readonly tablesWithRows?: ReadonlySet<string>;
}

/**
 * Copies the current schema into the shadow database, runs `migrate`, checks the result is exactly the expected
 * schema, runs `rollback`, and checks the starting schema is back; with generated rows in the tables (see
 * `tablesWithRows`), so a statement that only works on an empty table fails here and not on the first real database; `migrate` and `rollback` run in transactions as
 * `apply` and `rollback` run them. A failure names the statement or the difference.
 */
export async function verifyRoundTrip(input: RoundTripInput): Promise<string[]> {
  const notes: string[] = [];
  const schemas = schemasOf(input.before, input.after);
  const copy = renderPlan(planMigration(emptyLike(input.before), input.before, { allowDrop: true, renames: [] }), emptyLike(input.before), input.sql);
  await run(input, copy.migrate, 'copying the current schema into the shadow database', notes);
  await expectSchema(input, input.before, schemas, 'the copy of the current schema');
  const seed = input.tablesWithRows !== undefined;
  const beforeMigrate = seed ? await seedRows(input.shadow, input.sql, input.before, input.tablesWithRows ?? []) : NOTHING_SEEDED;
  notes.push(...skippedNotes(beforeMigrate));
  await run(input, input.migrate, 'migrate', notes, true, beforeMigrate.seeded);
  await expectSchema(input, input.after, schemas, 'the schema after migrate');
  const beforeRollback = seed ? await seedRows(input.shadow, input.sql, input.after, await emptyTables(input), { labelsFrom: input.before }) : NOTHING_SEEDED;
  notes.push(...skippedNotes(beforeRollback));
  await run(input, input.rollback, 'rollback', notes, true, new Set([...beforeMigrate.seeded, ...beforeRollback.seeded]));
  await expectSchema(input, input.before, schemas, 'the schema after rollback');
  return notes;
}

/**
 * Runs the groups' statements. `asApplied`: in the transactions `apply` and `rollback` use where DDL is transactional
 * (the leading statements that must commit first in one, the rest in another), so that what only fails inside a
 * transaction fails here too.
 */
async function run(input: RoundTripInput, groups: readonly StatementGroup[], phase: string, notes: string[], asApplied = false, withRows: ReadonlySet<string> = new Set()): Promise<void> {
  const transaction = asApplied ? historySqlFor(input.shadow).transaction : null;
  const steps = groups.flatMap((group) => group.statements.map((statement) => ({ statement, comment: group.comment })));
  const first = leadingCommitFirst(
    steps.map((step) => step.statement),
    transaction,
  );
  const parts = transaction === null ? [steps] : [steps.slice(0, first), ...aloneSplit(steps.slice(first), transaction)].filter((part) => part.length > 0);
  let n = 0;
  for (const part of parts) {
    // A statement that cannot run in a transaction (CREATE INDEX CONCURRENTLY) runs as apply runs it: by itself.
    const outside = transaction?.online !== undefined && !input.shadow.embedded && part.length === 1 && transaction.online.noTransaction.test(part[0]?.statement ?? '');
    try {
      await runPart(input, part, phase, n, outside ? null : transaction, withRows);
    } catch (error) {
      if (transaction === null || !(error instanceof SchemaSyncError) || transaction.lockBudget?.isOutOfLocks(error.cause) !== true) throw error;
      // Every statement of a PostgreSQL transaction keeps its locks to the end; a migration over a thousand tables
      // needs more than the shadow's lock table holds (a server's default, or PGlite's, which cannot be raised). The
      // statements still get checked, one by one, and the header says so: apply will meet the same limit.
      notes.push(
        `${phase}: ${counted(part.length, 'statement')} need more locks than one transaction of ${input.shadowDescription} can hold, ` +
          'so verification ran them one by one. apply and rollback count the locks first and refuse such a transaction before it runs: ' +
          'raise max_locks_per_transaction on the server (the embedded database cannot raise it), or pass --split-transactions.',
      );
      await runPart(input, part, phase, n, null, withRows);
    }
    n += part.length;
  }
}

/** Cuts the statements at each one apply runs by itself (OnlineStatements.runsAlone), which gets a part of its own. */
function aloneSplit<T extends { statement: string }>(steps: readonly T[], transaction: TransactionSql): T[][] {
  const online = transaction.online;
  if (online === undefined) return [[...steps]];
  const parts: T[][] = [[]];
  for (const step of steps) {
    if (online.runsAlone.test(step.statement)) parts.push([step], []);
    else parts[parts.length - 1]?.push(step);
  }
  return parts;
}

async function runPart(
  input: RoundTripInput,
  part: readonly { statement: string; comment: string }[],
  phase: string,
  before: number,
  transaction: TransactionSql | null,
  withRows: ReadonlySet<string>,
): Promise<void> {
  let n = before;
  if (transaction !== null) await input.shadow.execute(transaction.begin);
  for (const { statement, comment } of part) {
    n++;
    try {
      await input.shadow.execute(statement);
    } catch (error) {
      if (transaction !== null) await input.shadow.execute(transaction.rollback).catch(() => undefined);
      const where = transaction === null ? '' : ' (in its transaction, as apply runs it)';
      const rows = withRows.size === 0 ? '' : `, with generated rows in ${counted(withRows.size, 'table')} (as a database in use has them)`;
      throw new SchemaSyncError(
        'VERIFY_FAILED',
        `Verification failed in ${phase}, statement ${n}${where} (${comment}) on ${input.shadowDescription}${rows}:\n  ${statement}\n  ${messageOf(error)}`,
        { cause: error },
      );
    }
  }
  if (transaction !== null) await input.shadow.execute(transaction.commit);
}

async function expectSchema(input: RoundTripInput, expected: Schema, schemas: readonly string[], what: string): Promise<void> {
  const ormMetadataTable = expected.ormMetadata?.table;
  const ormMetadataSchema = expected.ormMetadata?.schema;
  const scope =
    ormMetadataTable === undefined
      ? { extraSchemas: schemas }
      : { extraSchemas: schemas, ormMetadataTable, ...(ormMetadataSchema === undefined ? {} : { ormMetadataSchema }) };
  const found = normalizeSchema({ ...(await introspect(input.shadow, scope)), dialect: expected.dialect });
  const differences = diffSchemas(found, normalizeSchema(expected)).changes;
  if (differences.length > 0) {
    const lines = differences.slice(0, 10).map((change) => `  - ${describeChange(change).detail}`);
    if (differences.length > 10) lines.push(`  … and ${differences.length - 10} more`);
    throw new SchemaSyncError('VERIFY_FAILED', `Verification failed: ${what} differs from what was expected in ${input.shadowDescription}:\n${lines.join('\n')}`);
  }
}

/** The shadow's tables (of the schema after migrate) that hold no row yet. */
async function emptyTables(input: RoundTripInput): Promise<Set<string>> {
  const full = await tablesWithRows(input.shadow, input.sql, input.after);
  return new Set(input.after.tables.map(tableKey).filter((key) => !full.has(key)));
}

function skippedNotes(outcome: SeedOutcome): string[] {
  return outcome.skipped.map((skip) => `table ${skip.table} was verified without rows: ${skip.reason}`);
}

function emptyLike(schema: Schema): Schema {
  return { dialect: schema.dialect, tables: [], enums: [] };
}

function schemasOf(...all: Schema[]): string[] {
  const names = new Set<string>();
  for (const schema of all) {
    for (const table of schema.tables) if (table.schema !== null) names.add(table.schema);
    for (const enumType of schema.enums) if (enumType.schema !== null) names.add(enumType.schema);
    for (const view of schema.views ?? []) if (view.schema !== null) names.add(view.schema);
  }
  return [...names];
}
