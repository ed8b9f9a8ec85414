import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { runDoctor } from '../../doctor/doctor';
import { databaseUrlOf, ignoreGlobsOf, modelSourceOf, projectDirOf } from '../common-options';
import { out } from '../output';
import { migrationsDirOf, openDatabase, withMigrationOptions, type MigrationArgs } from './apply';

const MARK = { ok: chalk.green('✓'), warn: chalk.yellow('!'), fail: chalk.red('✗') } as const;

/** `schema-sync doctor`: connection, server, privileges, extensions, history and pending migrations. */
export const doctorCommand: CommandModule<object, MigrationArgs> = {
  command: 'doctor',
  describe: 'Check the connection, privileges, extensions the models need, and the migration history',
  builder: (yargs: Argv) => withMigrationOptions(yargs) as Argv<MigrationArgs>,
  handler: async (args: ArgumentsCamelCase<MigrationArgs>) => {
    const projectDir = projectDirOf(args);
    const client = await openDatabase(args, projectDir);
    try {
      const url = databaseUrlOf(args);
      const checks = await runDoctor(client, {
        projectDir,
        source: modelSourceOf(args),
        ignore: ignoreGlobsOf(args, projectDir),
        migrationsDir: migrationsDirOf(args, projectDir),
        ...(url === undefined ? {} : { url }),
      });
      if (args.json === true) out(JSON.stringify({ target: client.target, checks }, null, 2));
      else for (const check of checks) out(`${MARK[check.status]} ${chalk.bold(check.name)}: ${check.detail}${check.fix === undefined ? '' : `\n    ${chalk.cyan(check.fix)}`}`);
      process.exitCode = checks.some((check) => check.status === 'fail') ? 1 : 0;
    } finally {
      await client.close();
    }
  },
};
