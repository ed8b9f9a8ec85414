import type { Table } from '../model/schema';

/**
 * What a change does to its table besides changing it: nothing beyond the catalog (`none`), a read of every row
 * (`scan`: an index build, a constraint validated), or a new copy of the table and its indexes (`rewrite`).
 */
export type TableRewrite = 'none' | 'scan' | 'rewrite';

/** The cost of one planned change on a live table, as the server's own rules decide it. */
export interface LockImpact {
  /**
   * The strongest lock the change takes: a PostgreSQL lock level (`ACCESS EXCLUSIVE`, `SHARE`, …) or, on MySQL and
   * MariaDB, the algorithm and lock the server uses (`INSTANT`, `NOCOPY, LOCK=NONE`, `COPY, LOCK=SHARED`); `none`
   * when no existing table is locked (a table being created).
   */
  readonly lock: string;
  /** Writers to the table wait while that lock is held (for an instant when nothing is scanned or rewritten). */
  readonly blocksWrites: boolean;
  /** Readers wait too (PostgreSQL ACCESS EXCLUSIVE; a MySQL-family LOCK=EXCLUSIVE). */
  readonly blocksReads: boolean;
  readonly rewrite: TableRewrite;
  /** The table is scanned or rewritten while writers wait: on a large, busy table that is an outage. */
  readonly blocking: boolean;
  /** Why, when the rule is not obvious from the change (the boundary it crosses, the server version it needs). */
  readonly note?: string;
}

/** What the lock rules may consult besides the change: the server and the table as it stands before the change. */
export interface LockContext {
  readonly version: ServerVersion;
  /** The table the change alters, as introspected (absent for a table the change creates, or schema-level changes). */
  readonly table?: Table;
  /** Whether the plan uses the online forms (CONCURRENTLY, NOT VALID + VALIDATE) where the server has them. */
  readonly online: boolean;
  /** The table is created earlier in the same migration: nobody reads or writes it yet, so the plain forms cost nothing. */
  readonly newTable?: boolean;
}

/** A server version as numbers; `10.11.19-MariaDB` and `PostgreSQL 15.20 (Debian…)` alike. */
export interface ServerVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** Reads the first `major.minor[.patch]` of a version string; an unreadable one counts as 0.0.0 (the oldest rules apply). */
export function parseServerVersion(text: string): ServerVersion {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match === null ? { major: 0, minor: 0, patch: 0 } : { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

/** True when `version` is `major.minor.patch` or later. */
export function atLeast(version: ServerVersion, major: number, minor = 0, patch = 0): boolean {
  if (version.major !== major) return version.major > major;
  if (version.minor !== minor) return version.minor > minor;
  return version.patch >= patch;
}

const REWRITE_ORDER: readonly TableRewrite[] = ['none', 'scan', 'rewrite'];

/** The costlier of two rewrites. */
export function worseRewrite(a: TableRewrite, b: TableRewrite): TableRewrite {
  return REWRITE_ORDER.indexOf(a) >= REWRITE_ORDER.indexOf(b) ? a : b;
}
