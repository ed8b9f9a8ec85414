import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { resolveMigration, type Resolution } from '../../apply/resolve';
import { SchemaSyncError } from '../../util/errors';
import { projectDirOf } from '../common-options';
import { out } from '../output';
import { migrationsDirOf, openDatabase, withMigrationOptions, type MigrationArgs } from './apply';

/** Arguments of `resolve`. */
export interface ResolveArgs extends MigrationArgs {
  readonly id: string;
  readonly applied?: boolean;
  readonly 'rolled-back'?: boolean;
}

function resolutionOf(args: ResolveArgs): Resolution {
  if (args.applied === true && args['rolled-back'] === true) throw new SchemaSyncError('BAD_ARGUMENT', 'resolve: pass either --applied or --rolled-back, not both');
  if (args.applied === true) return 'applied';
  if (args['rolled-back'] === true) return 'rolled-back';
  throw new SchemaSyncError('BAD_ARGUMENT', `resolve ${args.id}: say what the migration is now: --applied (finished by hand) or --rolled-back (undone by hand)`);
}

async function runResolve(args: ResolveArgs): Promise<number> {
  const as = resolutionOf(args);
  const projectDir = projectDirOf(args);
  const client = await openDatabase(args, projectDir);
  try {
    const resolved = await resolveMigration(client, { projectDir, migrationsDir: migrationsDirOf(args, projectDir), id: args.id, as, lockTimeoutSeconds: args['lock-timeout'] ?? 60 });
    if (args.json === true) out(JSON.stringify({ target: client.target, resolved }, null, 2));
    else {
      const was = `${resolved.was} at ${resolved.statementsDone + 1}/${resolved.statementsTotal}`;
      out(`${chalk.green('✓')} ${resolved.id}: recorded as ${as === 'applied' ? 'applied' : 'rolled back (forgotten: apply runs it again from the top)'} (was ${was})`);
    }
    return 0;
  } finally {
    await client.close();
  }
}

/** `schema-sync resolve <id> --applied | --rolled-back`: settle a failed or interrupted migration fixed by hand. */
export const resolveCommand: CommandModule<object, ResolveArgs> = {
  command: 'resolve <id>',
  describe: 'Record a failed or interrupted migration as applied or rolled back, after fixing it by hand',
  builder: (yargs: Argv) =>
    withMigrationOptions(yargs)
      .positional('id', { type: 'string', demandOption: true, describe: 'The migration id (v1_2_0/20260101000000_name, or its file name)' })
      .option('applied', { type: 'boolean', describe: 'It is fully applied now (finished by hand)' })
      .option('rolled-back', { type: 'boolean', describe: 'Nothing of it remains (undone by hand): apply will run it again' }) as Argv<ResolveArgs>,
  handler: async (args: ArgumentsCamelCase<ResolveArgs>) => {
    process.exitCode = await runResolve(args);
  },
};
