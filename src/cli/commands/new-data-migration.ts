import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { dataMigrationTemplate } from '../../migrations/data-migration-template';
import { migrationPath, resolveRelease } from '../../migrations/directory';
import type { Dialect } from '../../model/schema';
import { SchemaSyncError } from '../../util/errors';
import { databaseUrlOf, projectDirOf, type CommonArgs } from '../common-options';
import { out } from '../output';
import { migrationsDirOf, type MigrationArgs } from './apply';

/** Arguments of `new-data-migration`. */
export interface NewDataMigrationArgs extends MigrationArgs {
  readonly name: string;
  readonly release?: string;
  readonly dialect?: string;
}

function dialectOf(args: NewDataMigrationArgs & CommonArgs): Dialect {
  const explicit = args.dialect;
  if (explicit !== undefined) {
    if (explicit !== 'postgres' && explicit !== 'mysql' && explicit !== 'mariadb') throw new SchemaSyncError('BAD_ARGUMENT', `--dialect ${explicit}: use postgres, mysql or mariadb`);
    return explicit;
  }
  const url = databaseUrlOf(args);
  if (url === undefined || /^postgres(ql)?:/.test(url)) return 'postgres';
  return 'mysql';
}

/** `schema-sync new-data-migration <name>`: a batched, idempotent data migration in the same sequence. */
export const newDataMigrationCommand: CommandModule<object, NewDataMigrationArgs> = {
  command: 'new-data-migration <name>',
  describe: 'Create a data migration (batched, idempotent, dry-runnable) in the migration sequence',
  builder: (yargs: Argv) =>
    yargs
      .positional('name', { type: 'string', demandOption: true, describe: 'What it does, e.g. backfill_document_language' })
      .option('release', { type: 'string', describe: 'Release folder (default: version of the nearest package.json)' })
      .option('dialect', { type: 'string', describe: 'postgres, mysql or mariadb (default: from --url / DATABASE_URL)' })
      .option('migrations-dir', { type: 'string', describe: 'Root of the release folders' })
      .option('project', { type: 'string', describe: 'Project directory' })
      .option('url', { type: 'string', describe: 'Database URL (only to pick the SQL dialect of the template)' })
      .option('config', { type: 'string', describe: 'Settings file' }) as Argv<NewDataMigrationArgs>,
  handler: (args: ArgumentsCamelCase<NewDataMigrationArgs>) => {
    const projectDir = projectDirOf(args);
    const release = resolveRelease(args.release, projectDir);
    const now = new Date();
    const file = migrationPath(migrationsDirOf(args, projectDir), release, now, args.name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, dataMigrationTemplate(args.name, release.version, dialectOf(args), now), { flag: 'wx' });
    out(`Wrote ${path.relative(process.cwd(), file)}: edit it, try it with \`schema-sync apply --dry-run\`, then apply.`);
  },
};
