import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatabaseClient } from '../connect/client';
import { loadMigrationModule, type LoadedMigration } from '../apply/load-migration';
import { declaredPhase } from '../apply/phase-selection';
import { collectStatements } from '../apply/run-steps';
import { parseServerVersion } from '../dialect/lock-impact';
import { DATABASE_DEFAULTS_SQL } from '../dialect/mysql/database-collation';
import { lintRulesFor } from '../dialect/lint-rules';
import { introspect } from '../introspect/introspect';
import type { MigrationContext } from '../migrations/context';
import { normalizeSchema } from '../model/normalize';
import type { Dialect } from '../model/schema';
import { SchemaSyncError, messageOf } from '../util/errors';
import { schemasNamed, SqlLinter, type LintDatabase, type LintFinding } from './lint-sql';

/** What `lint` reads. */
export interface LintFilesOptions {
  readonly projectDir: string;
  /** Migration files, absolute, in the order they will run. */
  readonly files: readonly string[];
  /** The live database (--url): table sizes, the catalog and the server version come from it. */
  readonly client: DatabaseClient | null;
  /** --dialect, for files that do not say and no URL. */
  readonly dialect?: Dialect;
}

/** What `lint` found. */
export interface LintResult {
  readonly dialect: Dialect;
  readonly target: string | null;
  readonly files: readonly string[];
  readonly findings: readonly LintFinding[];
}

/**
 * Without a server, the rules of the newest versions the lock facts are checked against (PostgreSQL 15, MariaDB
 * 10.11) apply; MySQL's follow its manual for 8.0.
 */
const ASSUMED_VERSIONS: Record<Dialect, string> = { postgres: '15.0', mariadb: '10.11.0-MariaDB', mysql: '8.0.36' };

/**
 * Collects the SQL each file's migrate() would run, as `apply --dry-run` does (a collecting context, reads answered by
 * the database when there is one), and lints it in file order.
 */
export async function lintMigrationFiles(options: LintFilesOptions): Promise<LintResult> {
  const loaded = options.files.map((file) => ({ file, module: load(file, options.projectDir) }));
  const dialect = dialectOf(loaded, options);
  const client = options.client;
  const rules = lintRulesFor(dialect);
  const collected: { where: string; statements: string[] }[] = [];
  for (const { file, module } of loaded) {
    const where = path.relative(process.cwd(), file) || file;
    collected.push({ where, statements: await statementsOf(module, where, dialect, client) });
  }
  // PostgreSQL schemas besides public that the statements name are read too; MySQL reads the URL's database only.
  const readSchemas = client?.dialect === 'postgres' ? schemasNamed(collected.flatMap((c) => c.statements), rules) : [];
  const live = client === null ? null : await introspect(client, { extraSchemas: readSchemas });
  const database: LintDatabase = {
    dialect,
    version: parseServerVersion(client === null ? ASSUMED_VERSIONS[dialect] : await client.serverVersion()),
    live: live === null ? null : normalizeSchema(live),
    tableSizes: live?.tableSizes ?? {},
    database: client === null || client.dialect === 'postgres' ? null : await currentDatabase(client),
    readSchemas: new Set(readSchemas),
  };
  const linter = new SqlLinter(database, rules);
  const contractFiles = new Set(loaded.filter(({ file }) => declaredPhase(fs.readFileSync(file, 'utf8')) === 'contract').map(({ file }) => path.relative(process.cwd(), file) || file));
  const findings = collected.flatMap(({ where, statements }) => linter.lint(where, statements).map((finding) => (contractFiles.has(where) ? inContractFile(finding) : finding)));
  return { dialect, target: client?.target ?? null, files: loaded.map(({ file }) => path.relative(process.cwd(), file) || file), findings };
}

/** A drop in a file that declares the contract phase is already where it belongs: the hint says when to run it instead. */
function inContractFile(finding: LintFinding): LintFinding {
  if (finding.rule !== 'drop-column' && finding.rule !== 'drop-table') return finding;
  return { ...finding, hint: 'this file declares the contract phase: apply --phase contract once no pod of the previous release runs (schema-sync compat --phase contract --against <previous release> lists what it would lose)' };
}

function load(file: string, projectDir: string): LoadedMigration {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new SchemaSyncError('BAD_ARGUMENT', `lint: no such file ${path.relative(process.cwd(), file) || file}`);
  return loadMigrationModule(file, projectDir);
}

/** The dialect: the database's, else --dialect, else what the files say; files written for another family are refused. */
function dialectOf(loaded: readonly { file: string; module: LoadedMigration }[], options: LintFilesOptions): Dialect {
  const family = (dialect: string) => (dialect === 'postgres' ? 'postgres' : 'mysql');
  const stated = loaded.flatMap(({ file, module }) => (module.dialect === null ? [] : [{ file, dialect: module.dialect }]));
  const chosen = options.client?.dialect ?? options.dialect ?? (stated[0]?.dialect as Dialect | undefined);
  if (chosen === undefined) throw new SchemaSyncError('BAD_ARGUMENT', 'lint: the files do not say which database they are for: give --dialect postgres|mysql|mariadb, or --url');
  if (!['postgres', 'mysql', 'mariadb'].includes(chosen)) throw new SchemaSyncError('BAD_ARGUMENT', `lint: unknown dialect ${chosen} in ${stated[0]?.file}`);
  const other = stated.find((s) => family(s.dialect) !== family(chosen));
  if (other !== undefined) throw new SchemaSyncError('BAD_ARGUMENT', `lint: ${path.relative(process.cwd(), other.file)} is written for ${other.dialect}, but the others (or --url, --dialect) are ${chosen}`);
  return chosen;
}

async function statementsOf(module: LoadedMigration, where: string, dialect: Dialect, client: DatabaseClient | null): Promise<string[]> {
  try {
    if (client !== null) return await collectStatements(client, module.migrate);
    const statements: string[] = [];
    const context: MigrationContext = {
      dialect,
      dryRun: true,
      execute: async (sql) => void statements.push(sql),
      query: async () => {
        throw new Error('it reads the database, which lint can only answer with --url');
      },
      log: () => undefined,
    };
    await module.migrate(context);
    return statements;
  } catch (error) {
    throw new SchemaSyncError('MIGRATION_FAILED', `lint: cannot collect the SQL of ${where}: its migrate() threw: ${messageOf(error)}`, { cause: error });
  }
}

async function currentDatabase(client: DatabaseClient): Promise<string | null> {
  const row = (await client.query<{ db: unknown }>(DATABASE_DEFAULTS_SQL))[0];
  return typeof row?.db === 'string' ? row.db : null;
}
