import type { DatabaseClient } from '../connect/client';
import { SchemaSyncError } from '../util/errors';
import { counted } from '../util/plural';
import type { HistorySql, LockBudgetSql } from './history-sql';
import { decideTransactions, lockTableSize, settingToFit, type LockCapacity } from './lock-budget';
import type { RunDirection } from './migration-run';
import { historySqlFor } from './history';
import { StatementFailure, leadingCommitFirst } from './run-steps';

type Transaction = NonNullable<HistorySql['transaction']>;

/** The flag that runs a migration too large for the lock table in several transactions. */
export const SPLIT_FLAG = '--split-transactions';

/** What a migration's lock count came to, for the messages. */
export interface LockCount {
  readonly needed: number;
  readonly statements: number;
  readonly capacity: LockCapacity;
}

/** Where a run commits on its way (before these 1-based statements), and the lock count it was decided on. */
export interface TransactionCuts {
  readonly cuts: ReadonlySet<number>;
  /** Null where nothing was counted (no lock budget in this dialect, or no statement left to run). */
  readonly count: LockCount | null;
}

/** Which migration is checked, and how. */
export interface PartsRequest {
  readonly id: string;
  readonly direction: RunDirection;
  readonly statements: readonly string[];
  readonly resumeAt: number;
  /** `--split-transactions`: cut the run into transactions that fit instead of refusing it. */
  readonly split: boolean;
}

/**
 * Before a migration runs in one transaction: counts the locks that transaction will hold (one catalog query) against
 * the server's lock table. When it fits, nothing changes (no cut). When it does not, refuses before anything runs,
 * unless `split`: then returns the statements (1-based) before which the run commits with its progress, so each
 * transaction fits and a kill between them resumes where it stopped. Statements of one table stay together.
 */
export async function transactionCuts(client: DatabaseClient, transaction: Transaction, request: PartsRequest): Promise<TransactionCuts> {
  const budgetSql = transaction.lockBudget;
  if (budgetSql === undefined) return { cuts: new Set(), count: null };
  const from = Math.max(request.resumeAt, leadingCommitFirst(request.statements, transaction));
  const statements = request.statements.slice(from);
  if (statements.length === 0) return { cuts: new Set(), count: null };
  const locks = statements.map((sql) => budgetSql.locksOf(sql));
  const facts = await budgetSql.facts(client, [...new Set(locks.flatMap((l) => l.names))]);
  const capacity = await budgetSql.capacity(client);
  const online = transaction.online;
  const decision = decideTransactions(locks, facts, capacity, { split: request.split, alone: (i) => online !== undefined && online.runsAlone.test(statements[i] ?? '') });
  const count: LockCount = { needed: decision.needed, statements: statements.length, capacity };
  switch (decision.kind) {
    case 'fits':
      return { cuts: new Set(), count };
    case 'refuse':
      throw tooManyLocks(client, budgetSql, request, count);
    case 'part-too-large':
      throw partTooLarge(client, budgetSql, request, { ...count, statements: decision.part.to - decision.part.from }, from + decision.part.from + 1);
    case 'split':
      return { cuts: new Set(decision.cuts.map((cut) => from + cut + 1)), count };
  }
}

/** How the lock table is sized, in the settings' own words. */
export function capacityText(capacity: LockCapacity): string {
  return (
    `${lockTableSize(capacity)} entries (max_locks_per_transaction ${capacity.maxLocksPerTransaction} × (max_connections ${capacity.maxConnections}` +
    ` + ${capacity.otherProcesses} background processes + max_prepared_transactions ${capacity.maxPreparedTransactions}))`
  );
}

/** The two ways out: raise the setting (a server can, the embedded database cannot), or split the run. */
export function lockAdvice(client: DatabaseClient, budgetSql: LockBudgetSql, direction: RunDirection, count: LockCount): string {
  const again = direction === 'apply' ? 'schema-sync apply' : 'schema-sync rollback';
  const split = `run it in several smaller transactions, each committed with its progress (a kill between them resumes where it stopped):\n  ${again} ${SPLIT_FLAG}`;
  if (client.embedded) return `${EMBEDDED_CANNOT_RAISE}: ${split}`;
  return `Either raise the limit and restart the server:\n${raiseStatement(budgetSql, count)}\nor ${split}`;
}

const EMBEDDED_CANNOT_RAISE = 'The embedded database cannot raise its lock table';

/** The setting that makes room for `count`, as the line to run. */
function raiseStatement(budgetSql: LockBudgetSql, count: LockCount): string {
  return `  ${budgetSql.setting(settingToFit(count.needed, count.capacity))};   -- then restart PostgreSQL`;
}

/** The figures behind a refusal, for --json. */
function lockDetails(count: LockCount): Record<string, number> {
  return { locksNeeded: count.needed, lockTable: lockTableSize(count.capacity), maxLocksPerTransaction: settingToFit(count.needed, count.capacity) };
}

function what(request: PartsRequest): string {
  return request.direction === 'apply' ? `Migration ${request.id}` : `Rollback of ${request.id}`;
}

function tooManyLocks(client: DatabaseClient, budgetSql: LockBudgetSql, request: PartsRequest, count: LockCount): SchemaSyncError {
  return new SchemaSyncError(
    'MIGRATION_FAILED',
    `${what(request)} was not started: its ${counted(count.statements, 'statement')} in one transaction would hold about ${count.needed} locks ` +
      `(the tables they name with their indexes, sequences and constraints; each is held until the commit), but ${client.target} sets aside ` +
      `${capacityText(count.capacity)} for all sessions together. ` +
      `It would risk failing with "out of shared memory" part-way. Nothing ran.\n${lockAdvice(client, budgetSql, request.direction, count)}`,
    { details: lockDetails(count) },
  );
}

function partTooLarge(client: DatabaseClient, budgetSql: LockBudgetSql, request: PartsRequest, count: LockCount, at: number): SchemaSyncError {
  const raise = client.embedded ? `${EMBEDDED_CANNOT_RAISE}.` : `Raise the limit and restart the server:\n${raiseStatement(budgetSql, count)}`;
  return new SchemaSyncError(
    'MIGRATION_FAILED',
    `${what(request)} was not started: even cut into transactions (${SPLIT_FLAG}), the ${counted(count.statements, 'statement')} on one table from statement ${at} ` +
      `would hold about ${count.needed} locks, more than the ${capacityText(count.capacity)} ${client.target} sets aside. Nothing ran.\n${raise}`,
    { details: lockDetails(count) },
  );
}

/** transactionCuts for the client's dialect: none where DDL commits itself (nothing holds its locks to the end). */
export async function transactionCutsFor(client: DatabaseClient, request: PartsRequest): Promise<TransactionCuts> {
  const transaction = historySqlFor(client).transaction;
  return transaction === null ? { cuts: new Set(), count: null } : transactionCuts(client, transaction, request);
}

/** The advice to add to a run's failure when the server said its lock table is full; '' for any other failure. */
export function outOfLocksAdvice(client: DatabaseClient, error: unknown, direction: RunDirection, count: LockCount | null): string {
  const budgetSql = historySqlFor(client).transaction?.lockBudget;
  const original = error instanceof StatementFailure ? error.original : error;
  if (budgetSql === undefined || !budgetSql.isOutOfLocks(original)) return '';
  return `\n${outOfLocksNote(client, budgetSql, direction, count)}`;
}

/**
 * The message added when the server ran out of locks anyway (the estimate was short, or other sessions held more than
 * the margin): the transaction rolled back, and the same advice applies, with the setting raised past the table's size.
 */
function outOfLocksNote(client: DatabaseClient, budgetSql: LockBudgetSql, direction: RunDirection, count: LockCount | null): string {
  if (count === null) return `The server's lock table is full ("out of shared memory"): raise max_locks_per_transaction and restart the server, or use ${SPLIT_FLAG}.`;
  const past = { ...count, needed: Math.max(count.needed, lockTableSize(count.capacity)) };
  return `The server's lock table (${capacityText(count.capacity)}) ran out: this run counted on about ${count.needed} locks, and other sessions or objects the count misses took the rest.
${lockAdvice(client, budgetSql, direction, past)}`;
}
