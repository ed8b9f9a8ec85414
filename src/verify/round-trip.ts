import type { DatabaseClient } from '../connect/client';
import { diffSchemas } from '../diff/diff-schemas';
import { historySqlFor } from '../apply/history';
import { leadingCommitFirst } from '../apply/run-steps';
import { introspect } from '../introspect/introspect';
import type { StatementGroup } from '../migrations/emit';
import { normalizeSchema } from '../model/normalize';
import type { Schema } from '../model/schema';
import { planMigration } from '../plan/plan';
import { renderPlan } from '../plan/render-plan';
import type { SqlDialect } from '../dialect/sql-dialect';
import { describeChange } from '../report/describe-change';
import { SchemaSyncError, messageOf } from '../util/errors';

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
}

/**
 * Copies the current schema into the shadow database, runs `migrate`, checks the result is exactly the expected
 * schema, runs `rollback`, and checks the starting schema is back; `migrate` and `rollback` run in transactions as
 * `apply` and `rollback` run them. A failure names the statement or the difference.
 */
export async function verifyRoundTrip(input: RoundTripInput): Promise<void> {
  const schemas = schemasOf(input.before, input.after);
  const copy = renderPlan(planMigration(emptyLike(input.before), input.before, { allowDrop: true, renames: [] }), emptyLike(input.before), input.sql);
  await run(input, copy.migrate, 'copying the current schema into the shadow database');
  await expectSchema(input, input.before, schemas, 'the copy of the current schema');
  await run(input, input.migrate, 'migrate', true);
  await expectSchema(input, input.after, schemas, 'the schema after migrate');
  await run(input, input.rollback, 'rollback', true);
  await expectSchema(input, input.before, schemas, 'the schema after rollback');
}

/**
 * Runs the groups' statements. `asApplied`: in the transactions `apply` and `rollback` use where DDL is transactional
 * (the leading statements that must commit first in one, the rest in another), so that what only fails inside a
 * transaction fails here too.
 */
async function run(input: RoundTripInput, groups: readonly StatementGroup[], phase: string, asApplied = false): Promise<void> {
  const transaction = asApplied ? historySqlFor(input.shadow).transaction : null;
  const steps = groups.flatMap((group) => group.statements.map((statement) => ({ statement, comment: group.comment })));
  const first = leadingCommitFirst(
    steps.map((step) => step.statement),
    transaction,
  );
  const parts = transaction === null ? [steps] : [steps.slice(0, first), steps.slice(first)].filter((part) => part.length > 0);
  let n = 0;
  for (const part of parts) {
    if (transaction !== null) await input.shadow.execute(transaction.begin);
    for (const { statement, comment } of part) {
      n++;
      try {
        await input.shadow.execute(statement);
      } catch (error) {
        if (transaction !== null) await input.shadow.execute(transaction.rollback).catch(() => undefined);
        const where = transaction === null ? '' : ' (in its transaction, as apply runs it)';
        throw new SchemaSyncError(
          'VERIFY_FAILED',
          `Verification failed in ${phase}, statement ${n}${where} (${comment}) on ${input.shadowDescription}:\n  ${statement}\n  ${messageOf(error)}`,
          { cause: error },
        );
      }
    }
    if (transaction !== null) await input.shadow.execute(transaction.commit);
  }
}

async function expectSchema(input: RoundTripInput, expected: Schema, schemas: readonly string[], what: string): Promise<void> {
  const found = normalizeSchema({ ...(await introspect(input.shadow, { extraSchemas: schemas })), dialect: expected.dialect });
  const differences = diffSchemas(found, normalizeSchema(expected)).changes;
  if (differences.length > 0) {
    const lines = differences.slice(0, 10).map((change) => `  - ${describeChange(change).detail}`);
    if (differences.length > 10) lines.push(`  … and ${differences.length - 10} more`);
    throw new SchemaSyncError('VERIFY_FAILED', `Verification failed: ${what} differs from what was expected in ${input.shadowDescription}:\n${lines.join('\n')}`);
  }
}

function emptyLike(schema: Schema): Schema {
  return { dialect: schema.dialect, tables: [], enums: [] };
}

function schemasOf(...all: Schema[]): string[] {
  const names = new Set<string>();
  for (const schema of all) {
    for (const table of schema.tables) if (table.schema !== null) names.add(table.schema);
    for (const enumType of schema.enums) if (enumType.schema !== null) names.add(enumType.schema);
  }
  return [...names];
}
