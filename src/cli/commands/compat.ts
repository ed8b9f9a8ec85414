import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { materializeOldModels } from '../../compat/old-models';
import { runCompat, type CompatFinding, type CompatResult } from '../../compat/run-compat';
import type { Phase } from '../../plan/phase';
import { DEFAULT_MODEL_GLOBS } from '../../source/typeorm/load-entities';
import { counted } from '../../util/plural';
import { SchemaSyncError } from '../../util/errors';
import { readConfigFile } from '../config-file';
import { databaseUrlOf, modelSourceOf, projectDirOf, withCommonOptions } from '../common-options';
import { out } from '../output';
import { migrationsDirOf, openDatabase, type MigrationArgs } from './apply';
import { DEFAULT_MIGRATIONS_DIR } from '../../migrations/directory';

/** Arguments of `compat`. */
export interface CompatArgs extends MigrationArgs {
  readonly against?: string;
  readonly 'shadow-url'?: string;
  readonly phase?: Phase;
}

/** Exit codes of `compat`. */
export const COMPAT_EXIT = { compatible: 0, error: 1, incompatible: 2 } as const;

/** Checks the old release's models against the schema the pending migrations produce; returns the exit code. */
export async function runCompatCommand(args: CompatArgs): Promise<number> {
  const projectDir = projectDirOf(args);
  if (args.against === undefined || args.against.trim() === '') throw new SchemaSyncError('BAD_ARGUMENT', '--against needs a git ref (tag, branch, commit) or a folder of the previous release\'s models');
  const config = readConfigFile(projectDir, args.config);
  // --data-source: the DataSource file as it was at the ref (or today's, over a folder of old model files).
  const source = args['data-source'] === undefined ? { kind: 'globs' as const, globs: args.models ?? config.models ?? DEFAULT_MODEL_GLOBS } : modelSourceOf(args);
  const old = materializeOldModels(args.against, projectDir, source);
  try {
    const client = await openDatabase(args, projectDir);
    try {
      const url = databaseUrlOf(args);
      const result = await runCompat(client, {
        projectDir,
        migrationsDir: migrationsDirOf(args, projectDir),
        old,
        ...(url === undefined ? {} : { liveUrl: url }),
        ...(args['shadow-url'] === undefined ? {} : { shadowUrl: args['shadow-url'] }),
        ...(args.phase === undefined ? {} : { phase: args.phase }),
      });
      out(args.json === true ? JSON.stringify(jsonOf(result), null, 2) : humanReport(result));
      return result.findings.length === 0 ? COMPAT_EXIT.compatible : COMPAT_EXIT.incompatible;
    } finally {
      await client.close();
    }
  } finally {
    old.dispose();
  }
}

function jsonOf(result: CompatResult): Record<string, unknown> {
  return {
    against: result.against,
    target: result.target,
    shadow: result.shadow,
    phase: result.phase ?? null,
    migrations: result.migrations,
    entities: result.entities,
    compatible: result.findings.length === 0,
    incompatibilities: result.findings,
    notes: result.notes,
  };
}

function humanReport(result: CompatResult): string {
  const ran = result.migrations.length === 0 ? `no pending${result.phase === undefined ? '' : ` ${result.phase}`} migrations` : `${counted(result.migrations.length, 'pending migration')}${result.phase === undefined ? '' : ` (to the end of the ${result.phase} phase)`}`;
  const lines = [`Models of ${result.against} (${counted(result.entities, 'entity', 'entities')}) against ${result.target} after ${ran}, run in ${result.shadow}:`];
  for (const note of result.notes) lines.push(chalk.dim(`  note: ${note}`));
  for (const finding of result.findings) lines.push(...findingLines(finding));
  lines.push(
    result.findings.length === 0
      ? chalk.green('Compatible: the old release can run against this schema.')
      : chalk.red(`${counted(result.findings.length, 'incompatibility', 'incompatibilities')}: the old release would fail against this schema.`),
  );
  return lines.join('\n');
}

function findingLines(finding: CompatFinding): string[] {
  const at = finding.property === null ? finding.entity : `${finding.entity}.${finding.property}`;
  const where = finding.column === null ? finding.table : `${finding.table}.${finding.column}`;
  const by = finding.migration === null ? 'already so before the pending migrations' : `by ${finding.migration}`;
  return [`  ${chalk.red('✗')} ${at} (${where}) [${finding.code}]: ${finding.detail}`, chalk.dim(`      ${by}`)];
}

/** `schema-sync compat --against <ref | folder>`: would the previous release still work after the pending migrations? */
export const compatCommand: CommandModule<object, CompatArgs> = {
  command: 'compat',
  describe: "Check the previous release's models against the schema the pending migrations produce (in a shadow database)",
  builder: (yargs: Argv) =>
    withCommonOptions(yargs)
      .option('migrations-dir', { type: 'string', describe: `Root of the release folders (default ${DEFAULT_MIGRATIONS_DIR})` })
      .option('config', { type: 'string', describe: 'Settings file (default schema-sync.json in the project)' })
      .option('against', { type: 'string', describe: "The previous release's models: a git ref (tag, branch, commit) or a folder of model files" })
      .option('phase', { type: 'string', choices: ['expand', 'contract'], describe: 'Check against the schema after this deploy phase: expand (its migrations only) or contract (everything pending up to its end)' })
      .option('shadow-url', { type: 'string', describe: 'Server for the shadow database (default: the same server, or embedded PGlite)' }) as Argv<CompatArgs>,
  handler: async (args: ArgumentsCamelCase<CompatArgs>) => {
    process.exitCode = await runCompatCommand(args);
  },
};
