import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { SchemaSyncError } from '../../util/errors';
import { withCommonOptions } from '../common-options';
import { runDiff, type DiffArgs } from './diff';

/** `schema-sync sync --diff`: the audit entry point of the sync command. */
export const syncCommand: CommandModule<object, DiffArgs> = {
  command: 'sync',
  describe: 'Bring the database in step with the models; with --diff, only report the differences',
  builder: (yargs: Argv) =>
    withCommonOptions(yargs)
      .option('diff', { type: 'boolean', describe: 'Report the differences without changing anything' })
      .option('exit-code', { type: 'boolean', describe: 'With --diff: exit 2 when there are differences, 1 on error, 0 in sync' }) as Argv<DiffArgs>,
  handler: async (args: ArgumentsCamelCase<DiffArgs>) => {
    if (args.diff !== true) {
      // Migration generation is tracked as its own piece of work; until it lands, sync only audits.
      throw new SchemaSyncError('BAD_ARGUMENT', 'sync without --diff (migration generation) is not available in this version: run `schema-sync sync --diff`');
    }
    process.exitCode = await runDiff(args);
  },
};
