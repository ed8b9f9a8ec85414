import * as path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { connect, defaultEmbeddedDir } from '../../connect/connect';
import { DEFAULT_MIGRATIONS_DIR } from '../../migrations/directory';
import { parseFillHint } from '../../change/column-fill';
import { parseRenameHint } from '../../plan/renames';
import { generateMigration } from '../../sync/generate';
import { unappliedMigrations } from '../../sync/unapplied-migrations';
import { counted } from '../../util/plural';
import { formatCost } from '../../report/format-cost';
import { SchemaSyncError } from '../../util/errors';
import { readConfigFile } from '../config-file';
import { databaseUrlOf, ignoreGlobsOf, modelSourceOf, projectDirOf, withCommonOptions, type CommonArgs } from '../common-options';
import { err, out } from '../output';
import { runApply } from './apply';
import { runDiff, type DiffArgs } from './diff';

/** Arguments of `sync` / `generate`. */
export interface SyncArgs extends DiffArgs, CommonArgs {
  readonly release?: string;
  readonly name?: string;
  readonly 'dry-run'?: boolean;
  readonly 'migrations-dir'?: string;
  readonly drop?: boolean;
  readonly 'reorder-primary-keys'?: boolean;
  readonly force?: boolean;
  readonly rename?: string[];
  readonly fill?: string[];
  readonly verify?: boolean;
  readonly 'shadow-url'?: string;
  readonly config?: string;
  readonly apply?: boolean;
  readonly to?: string;
  readonly 'allow-changed'?: boolean;
  readonly 'lock-timeout'?: number;
  readonly offline?: boolean;
  readonly 'single-phase'?: boolean;
  readonly 'sync-trigger'?: boolean;
  readonly 'allow-unapplied'?: boolean;
}

/** Writes a migration for the differences (or, with --diff, only reports them). */
export async function runSync(args: SyncArgs): Promise<number> {
  if (args.diff === true) {
    refuseMigrationFlags(args);
    return runDiff(args);
  }
  if (args.apply === true) return runApply(args);
  const projectDir = projectDirOf(args);
  const config = readConfigFile(projectDir, args.config);
  const source = modelSourceOf(args.models === undefined && config.models !== undefined ? { ...args, models: [...config.models] } : args);
  const renames = [...config.renames, ...(args.rename ?? [])].map(parseRenameHint);
  const url = databaseUrlOf(args);
  const client = await connect({ url, embeddedDir: path.resolve(projectDir, args['embedded-dir'] ?? defaultEmbeddedDir(projectDir)) });
  try {
    const migrationsDir = path.resolve(projectDir, args['migrations-dir'] ?? config.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
    checkUnapplied(client.target, await unappliedMigrations(client, migrationsDir), args);
    const result = await generateMigration(client, {
      projectDir,
      source,
      migrationsDir,
      ...(args.release === undefined ? {} : { release: args.release }),
      ...(args.name === undefined ? {} : { name: args.name }),
      allowDrop: args.drop === true,
      reorderPrimaryKeys: args['reorder-primary-keys'] === true,
      force: args.force === true,
      renames,
      fills: (args.fill ?? []).map(parseFillHint),
      ignore: ignoreGlobsOf(args, projectDir),
      indexes: config.indexes ?? [],
      verify: args.verify !== false,
      ...(url === undefined ? {} : { liveUrl: url }),
      ...(args['shadow-url'] === undefined ? {} : { shadowUrl: args['shadow-url'] }),
      dryRun: args['dry-run'] === true,
      offline: args.offline === true,
      singlePhase: args['single-phase'] === true,
      syncTrigger: args['sync-trigger'] === true,
    });
    const relative = result.file === null ? null : path.relative(process.cwd(), result.file);
    if (args.json === true) {
      const files = result.files.map((f) => ({ file: path.relative(process.cwd(), f.file), phase: f.phase }));
      const changes = result.changes.map((change, i) => ({ change, phase: result.phases[i]?.phase ?? null, reason: result.phases[i]?.reason ?? null }));
      out(JSON.stringify({ file: relative, files, dryRun: args['dry-run'] === true, verified: result.verified, changes: result.changes, phases: changes, costs: result.costs.map((cost, i) => ({ change: result.changes[i], ...cost })), guarded: result.guarded, reorders: result.reorders, warnings: result.warnings, suggestions: result.suggestions }, null, 2));
    } else if (result.file === null) {
      // Held-back drops mean the database still differs from the models: "in sync" would be untrue.
      const held = result.guarded.length + result.reorders.length;
      out(held === 0 ? chalk.green('In sync: no migration needed.') : chalk.yellow(`No migration written: the only ${held === 1 ? 'difference is' : 'differences are'} held back.`));
      for (const held of result.guarded) out(chalk.red(`  held back (needs --drop): ${held}`));
      for (const held of result.reorders) out(chalk.yellow(`  held back (needs --reorder-primary-keys): ${held}`));
    } else if (args['dry-run'] === true) {
      for (const f of result.files) {
        out(f.content);
        err(chalk.dim(`(dry run: ${path.relative(process.cwd(), f.file)} not written)`));
      }
    } else {
      const verified = result.verified ? chalk.dim(' (verified: migrate and rollback round-trip in a shadow database)') : '';
      for (const f of result.files) out(`${chalk.green('Wrote')} ${path.relative(process.cwd(), f.file)}${f.phase === null ? '' : chalk.dim(` [${f.phase}]`)}${result.files.length === 1 ? verified : ''}`);
      if (result.files.length > 1) out(chalk.dim(`  apply --phase expand before the rollout, apply --phase contract after it${verified}`));
      result.changes.forEach((change, i) => {
        const cost = result.costs[i];
        const phase = result.phases[i];
        out(`  ${change}${phase === undefined ? '' : chalk.dim(` [${phase.phase}]`)}`);
        if (cost !== undefined) out(cost.blocking ? chalk.red(`      ${formatCost(cost)}`) : chalk.dim(`      ${formatCost(cost)}`));
      });
      for (const warning of result.warnings) out(chalk.yellow(`  ! ${warning}`));
      for (const held of result.guarded) out(chalk.red(`  held back (needs --drop): ${held}`));
      for (const held of result.reorders) out(chalk.yellow(`  held back (needs --reorder-primary-keys): ${held}`));
    }
    return 0;
  } finally {
    await client.close();
  }
}

/**
 * A migration written while others are not applied would repeat their changes: refused (a dry run only warns), unless
 * --allow-unapplied says the user means it (a database that is deliberately behind, say).
 */
function checkUnapplied(target: string, unapplied: readonly string[], args: SyncArgs): void {
  if (unapplied.length === 0 || args['allow-unapplied'] === true) return;
  const what = `${counted(unapplied.length, 'migration')} ${unapplied.length === 1 ? 'is' : 'are'} not applied to ${target}: ${unapplied.join(', ')}`;
  if (args['dry-run'] === true) {
    err(chalk.yellow(`! ${what}; the migration below repeats ${unapplied.length === 1 ? 'its' : 'their'} changes`));
    return;
  }
  throw new SchemaSyncError('UNAPPLIED_MIGRATIONS', `No migration written: ${what}. A new one would repeat ${unapplied.length === 1 ? 'its' : 'their'} changes. Run schema-sync apply first (or pass --allow-unapplied to write it anyway).`);
}

/**
 * The report of `sync --diff` is the raw difference: renames, fills and the phase split shape only the file `sync`
 * writes. Taking those flags silently showed a drop + add where the reader had asked for a rename.
 */
function refuseMigrationFlags(args: SyncArgs): void {
  const given = [
    ...(args.rename === undefined || args.rename.length === 0 ? [] : ['--rename']),
    ...(args.fill === undefined || args.fill.length === 0 ? [] : ['--fill']),
    ...(args['single-phase'] === true ? ['--single-phase'] : []),
    ...(args['sync-trigger'] === true ? ['--sync-trigger'] : []),
  ];
  if (given.length > 0) {
    throw new SchemaSyncError('BAD_ARGUMENT', `sync --diff does not take ${given.join(', ')}: the report shows the raw differences; sync --dry-run prints the migration those flags shape`);
  }
}

/** `schema-sync sync`: generate a migration; `sync --diff`: report only. */
export const syncCommand: CommandModule<object, SyncArgs> = {
  command: ['sync', 'generate'],
  describe: 'Write a migration that brings the database in step with the models (with --diff, only report)',
  builder: (yargs: Argv) =>
    withCommonOptions(yargs)
      .option('diff', { type: 'boolean', describe: 'Only report the differences' })
      .option('apply', { type: 'boolean', describe: 'Apply pending migrations instead (same as `schema-sync apply`)' })
      .option('to', { type: 'string', describe: 'With --apply: stop after this migration id or release' })
      .option('allow-changed', { type: 'boolean', describe: 'With --apply: go on although an applied file changed or disappeared' })
      .option('lock-timeout', { type: 'number', default: 60, describe: 'With --apply: seconds to wait for another applier' })
      .option('exit-code', { type: 'boolean', describe: 'With --diff: exit 2 when there are differences, 1 on error, 0 in sync' })
      .option('release', { type: 'string', describe: 'Release folder to write into (default: version of the nearest package.json)' })
      .option('allow-unapplied', { type: 'boolean', describe: 'Write the migration although migration files are not applied to the database yet' })
      .option('name', { type: 'string', describe: 'Name for the file (default: derived from the changes)' })
      .option('dry-run', { type: 'boolean', describe: 'Print the file instead of writing it' })
      .option('single-phase', { type: 'boolean', describe: 'One migration file for the release instead of expand and contract files (for deploys with downtime)' })
      .option('sync-trigger', { type: 'boolean', describe: 'A phased rename keeps old and new column in step with a trigger while both releases run' })
      .option('offline', { type: 'boolean', describe: 'Plain DDL: no explicit ALGORITHM/LOCK (MariaDB) or other online forms' })
      .option('migrations-dir', { type: 'string', describe: `Root of the release folders (default ${DEFAULT_MIGRATIONS_DIR})` })
      .option('drop', { type: 'boolean', describe: 'Include guarded changes that destroy data (drops, narrowing)' })
      .option('reorder-primary-keys', { type: 'boolean', describe: 'Include primary keys whose columns differ only in order (drops and re-creates the key)' })
      .option('force', { type: 'boolean', describe: 'Write the file even when data checks fail or a drop looks like a rename' })
      .option('rename', { type: 'string', array: true, describe: 'Rename instead of drop + add: old_table=new_table or table.old_column=new_column' })
      .option('fill', { type: 'string', array: true, describe: 'Value existing rows get in a NOT NULL column added without a default (migrate or rollback): table.column=value' })
      .option('verify', { type: 'boolean', default: true, describe: 'Round-trip the migration in a shadow database first (--no-verify to skip)' })
      .option('shadow-url', { type: 'string', describe: 'Server for the shadow database (default: embedded PGlite, or the same MySQL server)' })
      .option('config', { type: 'string', describe: 'Settings file (default schema-sync.json in the project)' }) as Argv<SyncArgs>,
  handler: async (args: ArgumentsCamelCase<SyncArgs>) => {
    process.exitCode = await runSync(args);
  },
};
