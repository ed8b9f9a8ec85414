import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { explainError } from '../../explain/explain';
import { modelSourceOf, projectDirOf } from '../common-options';
import { out } from '../output';
import { migrationsDirOf, openDatabase, withMigrationOptions, type MigrationArgs } from './apply';

/** Arguments of `explain`. */
export interface ExplainArgs extends MigrationArgs {
  readonly error: string;
}

async function runExplain(args: ExplainArgs): Promise<number> {
  const projectDir = projectDirOf(args);
  const client = await openDatabase(args, projectDir);
  try {
    const explanation = await explainError(client, args.error, { projectDir, source: modelSourceOf(args), migrationsDir: migrationsDirOf(args, projectDir) });
    if (args.json === true) {
      out(JSON.stringify(explanation, null, 2));
    } else {
      const object = explanation.missing.kind === 'table' ? `table ${explanation.missing.table}` : `column ${explanation.table ?? '?'}.${explanation.missing.column}`;
      const owner = explanation.entity === null ? '' : ` (${explanation.entity}${explanation.property === null ? '' : `.${explanation.property}`})`;
      out(`${chalk.bold('Missing:')} ${object}${owner}`);
      out(`${chalk.bold('In the models:')} ${explanation.inModels ? 'yes' : 'no'}   ${chalk.bold('In the database:')} ${explanation.inDatabase ? 'yes' : 'no'}${explanation.pendingMigration === null ? '' : `   ${chalk.bold('Pending migration:')} ${explanation.pendingMigration}`}`);
      out(`${chalk.bold('Cause:')} ${explanation.cause}`);
      out(`${chalk.bold('Fix:')} ${chalk.cyan(explanation.fix)}`);
    }
    return 0;
  } finally {
    await client.close();
  }
}

/** `schema-sync explain "<error>"`: why the application says a column or table is missing, and the fix. */
export const explainCommand: CommandModule<object, ExplainArgs> = {
  command: 'explain <error>',
  describe: 'Explain an "Unknown column" / "does not exist" error from the application and give the command that fixes it',
  builder: (yargs: Argv) => withMigrationOptions(yargs).positional('error', { type: 'string', demandOption: true, describe: 'The error text, quoted' }) as Argv<ExplainArgs>,
  handler: async (args: ArgumentsCamelCase<ExplainArgs>) => {
    process.exitCode = await runExplain(args);
  },
};
