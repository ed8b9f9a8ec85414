import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { rollbackMigrations, type RollbackOutcome as RollbackResult } from '../../apply/rollback';
import { stampMigrations } from '../../apply/stamp';
import { buildDiffReport } from '../../report/diff-report';
import { ormTableNamesOf } from '../../source/typeorm/load-models';
import { computeDiff } from '../../sync/compute-diff';
import { SchemaSyncError } from '../../util/errors';
import { databaseUrlOf, declaredIndexesOf, ignoreGlobsOf, modelSourceOf, projectDirOf } from '../common-options';
import { err, out } from '../output';
import { lockPolicyOf, migrationsDirOf, openDatabase, withMigrationOptions, withSplitOption, type MigrationArgs } from './apply';
import { counted } from '../../util/plural';

/** Arguments of `rollback`. */
export interface RollbackArgs extends MigrationArgs {
  readonly steps?: number;
  readonly drop?: boolean;
  readonly force?: boolean;
  readonly 'shadow-url'?: string;
}

async function runRollback(args: RollbackArgs): Promise<number> {
  const projectDir = projectDirOf(args);
  const client = await openDatabase(args, projectDir);
  const url = databaseUrlOf(args);
  try {
    // As before any model file loads: a DataSource file may pick its type by it.
    process.env.SCHEMA_SYNC_DIALECT ??= client.dialect;
    const { rolledBack: done, risks } = await rollbackMigrations(client, {
      projectDir,
      migrationsDir: migrationsDirOf(args, projectDir),
      ...(args.steps === undefined ? {} : { steps: args.steps }),
      ...(args.to === undefined ? {} : { to: args.to }),
      dryRun: args['dry-run'] === true,
      allowChanged: args['allow-changed'] === true,
      lockTimeoutSeconds: args['lock-timeout'] ?? 60,
      lockPolicy: lockPolicyOf(args, projectDir),
      splitTransactions: args['split-transactions'] === true,
      onLog: (id, message) => err(chalk.dim(`  ${id}: ${message}`)),
      allowDrop: args.drop === true,
      force: args.force === true,
      guard: {
        ...(url === undefined ? {} : { liveUrl: url }),
        ...(args['shadow-url'] === undefined ? {} : { shadowUrl: args['shadow-url'] }),
        // The DataSource may rename TypeORM's metadata table, whose rows a rollback dropping it does not lose.
        ...(args['data-source'] === undefined ? {} : ormMetadataTableOf(projectDir, args['data-source'])),
      },
      onStart: args.json === true ? undefined : ({ id, statements, resumeAt }) => err(chalk.dim(`rolling back ${id} (${counted(statements, 'statement')}${resumeAt > 0 ? `, resuming at ${resumeAt + 1}` : ''}) …`)),
    });
    if (args.json === true) out(JSON.stringify({ target: client.target, dryRun: args['dry-run'] === true, rolledBack: done, risks }, null, 2));
    else if (done.length === 0) out('Nothing to roll back.');
    else if (args['dry-run'] === true) {
      for (const r of done) out(`-- rollback ${r.id}\n${r.statements.map((s) => `${s};`).join('\n')}\n`);
      printRisks(risks);
    } else for (const r of done) out(`${chalk.yellow('↩')} rolled back ${r.id} (${r.statements.length} statements)`);
    return 0;
  } finally {
    await client.close();
  }
}

/** The guard's options for TypeORM's metadata table, as the DataSource file names it and places it. */
function ormMetadataTableOf(projectDir: string, dataSource: string): { ormMetadataTable: string; ormMetadataSchema?: string } {
  const names = ormTableNamesOf(projectDir, dataSource);
  return { ormMetadataTable: names.metadata, ...(names.metadataSchema === undefined ? {} : { ormMetadataSchema: names.metadataSchema }) };
}

/** A dry run's list of what the rollback would destroy, as SQL comments so the output stays a script. */
function printRisks(risks: RollbackResult['risks']): void {
  if (risks.length === 0) {
    out('-- guard: no data in the way of this rollback');
    return;
  }
  out(chalk.yellow(`-- guard: rollback refuses these without ${[...new Set(risks.map((r) => (r.severity === 'destroys' ? '--drop' : '--force')))].join(' / ')}:`));
  for (const risk of risks) out(chalk.yellow(`--   ${risk.message} (${risk.severity === 'destroys' ? '--drop' : '--force'})`));
}

/** `schema-sync rollback`: undo the newest applied migrations. */
export const rollbackCommand: CommandModule<object, RollbackArgs> = {
  command: 'rollback',
  describe: 'Undo the newest applied migration (--steps N), or every one after --to <id>',
  builder: (yargs: Argv) =>
    withSplitOption(withMigrationOptions(yargs))
      .option('steps', { type: 'number', describe: 'How many migrations to undo, newest first (default 1)' })
      .option('to', { type: 'string', describe: 'Undo every migration applied after this id' })
      .option('drop', { type: 'boolean', describe: 'Roll back although it destroys data (drops a table or column holding some)' })
      .option('force', { type: 'boolean', describe: 'Roll back although a data check fails (values too long, an enum value in use, NOT NULL over rows)' })
      .option('shadow-url', { type: 'string', describe: 'Server for the shadow database the rollback is measured in (default: the same server)' }) as Argv<RollbackArgs>,
  handler: async (args: ArgumentsCamelCase<RollbackArgs>) => {
    process.exitCode = await runRollback(args);
  },
};

/** Arguments of `stamp`. */
export interface StampArgs extends MigrationArgs {
  readonly force?: boolean;
}

async function runStamp(args: StampArgs): Promise<number> {
  const projectDir = projectDirOf(args);
  const client = await openDatabase(args, projectDir);
  try {
    const outcome = await computeDiff(client, { projectDir, source: modelSourceOf(args), ignore: ignoreGlobsOf(args, projectDir), indexes: declaredIndexesOf(args, projectDir) });
    const report = buildDiffReport(client.dialect, client.target, outcome.diff.changes, outcome.diff.suggestions, outcome.diff.unmanaged);
    if (!report.inSync && args.force !== true) {
      const lines = report.changes.slice(0, 10).map((c) => `  - ${c.table ?? ''}: ${c.detail}`);
      throw new SchemaSyncError(
        'HISTORY_MISMATCH',
        `Not stamping: the database does not match the models (${counted(report.summary.total, 'difference')}):\n${lines.join('\n')}\nFix the drift first, or pass --force to record the migrations anyway.`,
      );
    }
    const stamped = await stampMigrations(client, { projectDir, migrationsDir: migrationsDirOf(args, projectDir), lockTimeoutSeconds: args['lock-timeout'] ?? 60 });
    if (args.json === true) out(JSON.stringify({ target: client.target, stamped }, null, 2));
    else out(stamped.length === 0 ? 'Nothing to stamp: every migration is already recorded.' : `Recorded ${counted(stamped.length, 'migration')} as applied without running them:\n${stamped.map((id) => `  ${id}`).join('\n')}`);
    return 0;
  } finally {
    await client.close();
  }
}

/** `schema-sync stamp`: adopt an existing database by recording the migrations as applied. */
export const stampCommand: CommandModule<object, StampArgs> = {
  command: 'stamp',
  describe: 'Record every migration as applied without running it, after checking the database matches the models',
  builder: (yargs: Argv) => withMigrationOptions(yargs).option('force', { type: 'boolean', describe: 'Stamp even when the database differs from the models' }) as Argv<StampArgs>,
  handler: async (args: ArgumentsCamelCase<StampArgs>) => {
    process.exitCode = await runStamp(args);
  },
};
