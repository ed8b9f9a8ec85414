import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { explainError } from '../../explain/explain';
import { lastMissingObjectError } from '../../explain/parse-error';
import { SchemaSyncError } from '../../util/errors';
import { ignoreGlobsOf, modelSourceOf, projectDirOf } from '../common-options';
import { out } from '../output';
import { migrationsDirOf, openDatabase, withMigrationOptions, type MigrationArgs } from './apply';

/** Arguments of `explain`. */
export interface ExplainArgs extends MigrationArgs {
  /** The error text; absent or `-` to read standard input. */
  readonly error?: string;
  /** A log file to take the newest such error from. */
  readonly file?: string;
}

/** The error text from the argument, the log file (--file) or standard input, in that order. */
function errorTextOf(args: ExplainArgs): string {
  if (args.error !== undefined && args.error !== '-') {
    if (args.file !== undefined) throw new SchemaSyncError('BAD_ARGUMENT', 'Give the error text or --file, not both');
    return args.error;
  }
  if (args.file !== undefined) return lastMissingObjectError(fs.readFileSync(path.resolve(args.file), 'utf8'));
  if (process.stdin.isTTY === true) throw new SchemaSyncError('BAD_ARGUMENT', 'Give the error text: schema-sync explain "<error>", --file <log>, or pipe it in');
  return lastMissingObjectError(fs.readFileSync(0, 'utf8'));
}

async function runExplain(args: ExplainArgs): Promise<number> {
  const text = errorTextOf(args);
  const projectDir = projectDirOf(args);
  const client = await openDatabase(args, projectDir);
  try {
    const explanation = await explainError(client, text, { projectDir, source: modelSourceOf(args), ignore: ignoreGlobsOf(args, projectDir), migrationsDir: migrationsDirOf(args, projectDir) });
    if (args.json === true) {
      out(JSON.stringify(explanation, null, 2));
    } else {
      const object = explanation.missing.kind === 'table' ? `table ${explanation.missing.table}` : `column ${explanation.table ?? '?'}.${explanation.missing.column}`;
      const owner = explanation.entity === null ? '' : ` (${explanation.entity}${explanation.property === null ? '' : `.${explanation.property}`})`;
      out(`${chalk.bold('Missing:')} ${object}${owner}`);
      out(`${chalk.bold('In the models:')} ${explanation.inModels ? 'yes' : 'no'}   ${chalk.bold('In the database:')} ${explanation.inDatabase ? 'yes' : 'no'}${explanation.pendingMigration === null ? '' : `   ${chalk.bold('Pending migration:')} ${explanation.pendingMigration}`}`);
      out(`${chalk.bold('Cause:')} ${explanation.cause}`);
      out(`${chalk.bold('Fix:')} ${chalk.cyan(explanation.fix)}`);
      for (const note of explanation.notes) out(chalk.yellow(`Note: ${note}`));
    }
    return 0;
  } finally {
    await client.close();
  }
}

/** `schema-sync explain "<error>"`: why the application says a column or table is missing, and the fix. */
export const explainCommand: CommandModule<object, ExplainArgs> = {
  command: 'explain [error]',
  describe: 'Explain an "Unknown column" / "does not exist" error from the application and give the command that fixes it',
  builder: (yargs: Argv) =>
    withMigrationOptions(yargs)
      .positional('error', { type: 'string', describe: 'The error text, quoted; - or nothing to read it from standard input' })
      .option('file', { type: 'string', describe: 'A log file: explains the newest such error in it' }) as Argv<ExplainArgs>,
  handler: async (args: ArgumentsCamelCase<ExplainArgs>) => {
    process.exitCode = await runExplain(args);
  },
};
