import type { TableRef } from '../change/change';
import type { LockContext, LockImpact, ServerVersion } from '../dialect/lock-impact';
import type { Dialect, Table } from '../model/schema';
import type { DdlStatement } from './ddl-statement';
import type { DdlDialect } from './parse-ddl';

/** `error` fails the lint (exit 2); `warning` needs a look; `info` is advice. */
export type LintSeverity = 'error' | 'warning' | 'info';

/** What one rule found in one statement. */
export interface RuleHit {
  /** Stable id, for scripts and for silencing: `pg-index-not-concurrent`, `mysql-alter-copy`, `rename-column`. */
  readonly rule: string;
  readonly severity: LintSeverity;
  readonly table: TableRef | null;
  readonly message: string;
  readonly hint: string;
  /** The lock facts behind the finding, when it is about a lock. */
  readonly impact?: LockImpact;
}

/** What rules may ask about the database while reading a run of statements. */
export interface RuleContext {
  readonly dialect: Dialect;
  readonly version: ServerVersion;
  /** Whether the live catalog was read (--url): otherwise a table not created by the statements so far is assumed to exist. */
  readonly catalog: boolean;
  /** True when the table holds rows others use: it exists in the catalog (or, without one, the statements did not create it). */
  exists(table: TableRef): boolean;
  /** The table as it stands before the statement (the catalog's, with what earlier statements did to it); null when unknown. */
  tableOf(table: TableRef): Table | null;
  /** The lock rules' context for a change on that table. */
  lockContext(table: TableRef, online: boolean): LockContext;
  /** The table a named index belongs to (PostgreSQL's DROP INDEX names none). */
  tableOfIndex(name: string): TableRef | null;
}

/** A dialect's lint: how its SQL is spelled and the rules only it has. */
export interface DialectLint {
  readonly ddl: DdlDialect;
  /**
   * `form` is `online-block` for the statement a dialect's online block runs (see `onlineBlock`), judged as that block
   * runs it; `plain` for any other statement.
   */
  check(statement: DdlStatement, context: RuleContext, form: 'plain' | 'online-block'): RuleHit[];
  /**
   * A block sync writes that runs one schema statement in a way the statement alone does not show (MariaDB's online
   * foreign key: with foreign_key_checks off, then its rows checked): that statement, judged as one statement of the
   * file; null for any other text.
   */
  onlineBlock?(text: string): string | null;
}
