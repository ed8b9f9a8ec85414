import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileTableGlob, type TableGlob } from '../diff/table-glob';
import type { DeclaredIndex } from '../source/declared-indexes';
import { SchemaSyncError, messageOf } from '../util/errors';
import { parseDeclaredIndexes } from './config-indexes';

/** The project's `schema-sync.json`: settings that would otherwise be repeated on every command line. */
export interface ConfigFile {
  /** Rename hints, as `--rename` takes them: `table.old_column=new_column`, `old_table=new_table`. */
  readonly renames: readonly string[];
  readonly models?: readonly string[];
  readonly migrationsDir?: string;
  /** Tables to leave alone (names or globs), compiled and checked when the file is read. */
  readonly ignore: readonly TableGlob[];
  /** Indexes the decorators cannot describe (see config-indexes.ts). */
  readonly indexes?: readonly DeclaredIndex[];
  /** Each migration statement's lock wait in milliseconds (`--ddl-lock-timeout`; PostgreSQL lock_timeout, MySQL/MariaDB lock_wait_timeout rounded up to seconds). */
  readonly ddlLockTimeoutMs?: number;
  /** Retries when a statement could not get its lock (`--ddl-lock-retries`). */
  readonly ddlLockRetries?: number;
}

/** The file name looked for in the project directory. */
export const CONFIG_FILE = 'schema-sync.json';

/** Reads `schema-sync.json` from the project (or `--config`); a missing default file is simply no config. */
export function readConfigFile(projectDir: string, explicit: string | undefined): ConfigFile {
  const file = path.resolve(projectDir, explicit ?? CONFIG_FILE);
  if (!fs.existsSync(file)) {
    if (explicit !== undefined) throw new SchemaSyncError('BAD_ARGUMENT', `--config ${explicit}: no such file`);
    return { renames: [], ignore: [] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SchemaSyncError('BAD_ARGUMENT', `${file}: not valid JSON (${messageOf(error)})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SchemaSyncError('BAD_ARGUMENT', `${file}: expected a JSON object`);
  const record = raw as Record<string, unknown>;
  const known = new Set(['renames', 'models', 'migrationsDir', 'ignore', 'indexes', 'ddlLockTimeoutMs', 'ddlLockRetries']);
  const unknown = Object.keys(record).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new SchemaSyncError('BAD_ARGUMENT', `${file}: unknown setting ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${[...known].join(', ')})`);
  return {
    renames: stringList(record.renames, file, 'renames') ?? [],
    ignore: (stringList(record.ignore, file, 'ignore') ?? []).map((pattern) => compileTableGlob(pattern, `${file}: "ignore"`)),
    ...(record.models === undefined ? {} : { models: stringList(record.models, file, 'models') ?? [] }),
    ...(typeof record.migrationsDir === 'string' ? { migrationsDir: record.migrationsDir } : {}),
    ...(record.indexes === undefined ? {} : { indexes: parseDeclaredIndexes(record.indexes, file) }),
    ...(record.ddlLockTimeoutMs === undefined ? {} : { ddlLockTimeoutMs: wholeNumber(record.ddlLockTimeoutMs, file, 'ddlLockTimeoutMs', 1) }),
    ...(record.ddlLockRetries === undefined ? {} : { ddlLockRetries: wholeNumber(record.ddlLockRetries, file, 'ddlLockRetries', 0) }),
  };
}

function wholeNumber(value: unknown, file: string, key: string, least: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < least) throw new SchemaSyncError('BAD_ARGUMENT', `${file}: "${key}" must be a whole number, at least ${least}`);
  return value;
}

function stringList(value: unknown, file: string, key: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new SchemaSyncError('BAD_ARGUMENT', `${file}: "${key}" must be a list of strings`);
  }
  return value as string[];
}
