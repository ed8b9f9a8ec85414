import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { dataMigrationTemplate } from '../../migrations/data-migration-template';
import { migrationPath, resolveRelease } from '../../migrations/directory';
import type { Dialect } from '../../model/schema';
import { SchemaSyncError } from '../../util/errors';
import { databaseUrlOf, modelSourceOf, projectDirOf, type CommonArgs } from '../common-options';
import { chooseDataMigrationTarget } from '../../migrations/data-migration-target';
import { loadModels } from '../../source/typeorm/load-models';
import { out } from '../output';
import { migrationsDirOf, type MigrationArgs } from './apply';
import { parsePhase } from '../../apply/phase-selection';

/** Arguments of `new-data-migration`. */
export interface NewDataMigrationArgs extends MigrationArgs {
  readonly name: string;
  readonly release?: string;
  readonly dialect?: string;
  readonly table?: string;
  readonly column?: string;
  readonly value?: string;
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
      .option('models', { type: 'string', array: true, describe: 'Entity file globs (the template names their tables and columns)' })
      .option('data-source', { type: 'string', describe: 'A TypeORM DataSource file to take the entities from' })
      .option('table', { type: 'string', describe: 'Table to fill (default: the first, by name, with a one-column primary key and a nullable column)' })
      .option('column', { type: 'string', describe: 'Column to fill where it is NULL (default: the first nullable column of --table)' })
      .option('value', { type: 'string', describe: "Value to fill in (default: the column type's neutral value; edit it in the file)" })
      .option('phase', { type: 'string', choices: ['expand', 'contract'], describe: 'The deploy phase it runs in (apply --phase); without it the file declares none' })
      .option('config', { type: 'string', describe: 'Settings file' }) as Argv<NewDataMigrationArgs>,
  handler: async (args: ArgumentsCamelCase<NewDataMigrationArgs>) => {
    const projectDir = projectDirOf(args);
    const release = resolveRelease(args.release, projectDir);
    const dialect = dialectOf(args);
    const models = await loadModels({ projectDir, source: modelSourceOf(args), dialect, serverVersion: null });
    const target = chooseDataMigrationTarget(models.schema, {
      ...(args.table === undefined ? {} : { table: args.table }),
      ...(args.column === undefined ? {} : { column: args.column }),
      ...(args.value === undefined ? {} : { value: args.value }),
    });
    const now = new Date();
    const file = migrationPath(migrationsDirOf(args, projectDir), release, now, args.name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, dataMigrationTemplate(args.name, release.version, dialect, now, target, parsePhase(args.phase)), { flag: 'wx' });
    out(`Wrote ${path.relative(process.cwd(), file)}: edit it, try it with \`schema-sync apply --dry-run\`, then apply.`);
  },
};
