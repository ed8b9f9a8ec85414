import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { applyMigrations, type ApplyEvent } from '../../apply/applier';
import { connect, defaultEmbeddedDir } from '../../connect/connect';
import { DEFAULT_MIGRATIONS_DIR } from '../../migrations/directory';
import { readConfigFile } from '../config-file';
import { databaseUrlOf, projectDirOf, withCommonOptions, type CommonArgs } from '../common-options';
import { err, out } from '../output';
import { counted } from '../../util/plural';
import { parsePhase } from '../../apply/phase-selection';
import { DEFAULT_LOCK_POLICY, type LockPolicy } from '../../apply/transactional-run';
import { SchemaSyncError } from '../../util/errors';

/** Arguments shared by the commands that read the migration folders. */
export interface MigrationArgs extends CommonArgs {
  readonly 'migrations-dir'?: string;
  readonly 'dry-run'?: boolean;
  readonly to?: string;
  readonly 'allow-changed'?: boolean;
  readonly 'lock-timeout'?: number;
  readonly 'ddl-lock-timeout'?: number;
  readonly 'ddl-lock-retries'?: number;
  readonly config?: string;
  readonly phase?: string;
  readonly 'split-transactions'?: boolean;
}

/** Adds --migrations-dir, --dry-run, --to, --allow-changed and --lock-timeout. */
export function withMigrationOptions<T>(yargs: Argv<T>): Argv<T & MigrationArgs> {
  return withCommonOptions(yargs)
    .option('migrations-dir', { type: 'string', describe: `Root of the release folders (default ${DEFAULT_MIGRATIONS_DIR})` })
    .option('dry-run', { type: 'boolean', describe: 'Print the SQL that would run, in order, and change nothing' })
    .option('allow-changed', { type: 'boolean', describe: 'Go on although an applied migration file changed or disappeared' })
    .option('lock-timeout', { type: 'number', default: 60, describe: 'Seconds to wait for another applier to finish' })
    .option('ddl-lock-timeout', { type: 'number', describe: `Milliseconds each statement waits for a table lock (PostgreSQL lock_timeout; MySQL/MariaDB lock_wait_timeout, rounded up to whole seconds; default ${DEFAULT_LOCK_POLICY.timeoutMs})` })
    .option('ddl-lock-retries', { type: 'number', describe: `Retries when a statement could not get its lock (default ${DEFAULT_LOCK_POLICY.retries})` })
    .option('config', { type: 'string', describe: 'Settings file (default schema-sync.json in the project)' }) as Argv<T & MigrationArgs>;
}

/** lock_timeout and retries: the flags, else schema-sync.json's ddlLockTimeoutMs / ddlLockRetries, else the defaults. */
export function lockPolicyOf(args: MigrationArgs, projectDir: string): LockPolicy {
  const config = readConfigFile(projectDir, args.config);
  const timeoutMs = args['ddl-lock-timeout'] ?? config.ddlLockTimeoutMs ?? DEFAULT_LOCK_POLICY.timeoutMs;
  const retries = args['ddl-lock-retries'] ?? config.ddlLockRetries ?? DEFAULT_LOCK_POLICY.retries;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new SchemaSyncError('BAD_ARGUMENT', `--ddl-lock-timeout ${timeoutMs}: must be a whole number of milliseconds, at least 1`);
  if (!Number.isInteger(retries) || retries < 0) throw new SchemaSyncError('BAD_ARGUMENT', `--ddl-lock-retries ${retries}: must be a whole number, at least 0`);
  return { ...DEFAULT_LOCK_POLICY, timeoutMs, retries };
}

/** The migration root for a command: --migrations-dir, else the config file's, else generated-migrations/. */
export function migrationsDirOf(args: MigrationArgs, projectDir: string): string {
  const config = readConfigFile(projectDir, args.config);
  return path.resolve(projectDir, args['migrations-dir'] ?? config.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
}

/** Adds --split-transactions (apply and rollback). */
export function withSplitOption<T>(yargs: Argv<T>): Argv<T> {
  return yargs.option('split-transactions', {
    type: 'boolean',
    describe:
      'PostgreSQL: run a migration whose one transaction would hold more locks than the lock table has in several smaller transactions, each committed with its progress (a kill between them resumes where it stopped)',
  }) as Argv<T>;
}

/** Opens the database a command names (URL, DATABASE_URL, or the embedded database). */
export function openDatabase(args: CommonArgs, projectDir: string): ReturnType<typeof connect> {
  return connect({ url: databaseUrlOf(args), embeddedDir: path.resolve(projectDir, args['embedded-dir'] ?? defaultEmbeddedDir(projectDir)) });
}

/** Applies every pending migration; returns the exit code. */
export async function runApply(args: MigrationArgs): Promise<number> {
  const projectDir = projectDirOf(args);
  const client = await openDatabase(args, projectDir);
  const json = args.json === true;
  try {
    const applied = await applyMigrations(client, {
      projectDir,
      migrationsDir: migrationsDirOf(args, projectDir),
      dryRun: args['dry-run'] === true,
      ...(args.to === undefined ? {} : { to: args.to }),
      ...(args.phase === undefined ? {} : { phase: parsePhase(args.phase) }),
      allowChanged: args['allow-changed'] === true,
      lockTimeoutSeconds: args['lock-timeout'] ?? 60,
      lockPolicy: lockPolicyOf(args, projectDir),
      splitTransactions: args['split-transactions'] === true,
      onEvent: json ? undefined : printEvent,
    });
    if (json) {
      out(JSON.stringify({ target: client.target, dryRun: args['dry-run'] === true, applied }, null, 2));
    } else if (applied.length === 0 && !fs.existsSync(migrationsDirOf(args, projectDir))) {
      // A wrong --project or --migrations-dir must not read as "nothing to do".
      err(chalk.yellow(`No migrations folder at ${migrationsDirOf(args, projectDir)}: nothing applied (check --project or --migrations-dir).`));
    } else if (applied.length === 0) {
      out(chalk.green(`Up to date: no pending ${args.phase === undefined ? '' : `${args.phase} `}migrations for ${client.target}.`));
    } else if (args['dry-run'] !== true) {
      out(chalk.green(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to ${client.target}.`));
    }
    return 0;
  } finally {
    await client.close();
  }
}

function printEvent(event: ApplyEvent): void {
  switch (event.kind) {
    case 'would-run':
      out(chalk.bold(`-- ${event.id} (${counted(event.statements.length, 'statement')})`));
      for (const sql of event.statements) out(`${sql};`);
      out('');
      return;
    case 'start':
      err(chalk.dim(`applying ${event.id} (${counted(event.statements, 'statement')}${event.resumeAt > 0 ? `, resuming at ${event.resumeAt + 1}` : ''}) …`));
      return;
    case 'done':
      out(`${chalk.green('✓')} ${event.id} ${chalk.dim(`${counted(event.statements, 'statement')}, ${(event.ms / 1000).toFixed(2)} s`)}`);
      return;
    case 'cannot-dry-run':
      // A SQL comment, so the dry run's output stays a script.
      out(chalk.yellow(`-- cannot dry-run ${event.file}: ${event.reason.replace(/\n/g, ' ')}`));
      out(chalk.yellow('--   (it may read what an earlier pending migration creates; apply runs them in order)'));
      out('');
      return;
    case 'log':
      err(chalk.dim(`  ${event.id}: ${event.message}`));
      return;
  }
}

/** `schema-sync apply` (also `sync --apply`): apply pending migrations under the deploy lock. */
export const applyCommand: CommandModule<object, MigrationArgs> = {
  command: 'apply',
  describe: 'Apply pending migrations in order (safe to run from every replica at once)',
  builder: (yargs: Argv) =>
    withSplitOption(withMigrationOptions(yargs))
      .option('to', { type: 'string', describe: 'Stop after this migration id or release' })
      .option('phase', { type: 'string', choices: ['expand', 'contract'], describe: 'Only the pending migrations of this deploy phase: expand before the rollout, contract after it' }) as Argv<MigrationArgs>,
  handler: async (args: ArgumentsCamelCase<MigrationArgs>) => {
    process.exitCode = await runApply(args);
  },
};
