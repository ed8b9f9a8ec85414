import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import Table from 'cli-table3';
import { History } from '../../apply/history';
import { readMigrationStatuses, type MigrationState, type MigrationStatus } from '../../apply/migration-status';
import type { DatabaseClient } from '../../connect/client';
import { buildDiffReport, type DiffReport } from '../../report/diff-report';
import { computeDiff } from '../../sync/compute-diff';
import { declaredIndexesOf, ignoreGlobsOf, modelSourceOf, projectDirOf } from '../common-options';
import { out } from '../output';
import { migrationsDirOf, openDatabase, withMigrationOptions, type MigrationArgs } from './apply';
import { counted } from '../../util/plural';

/** Arguments of `status` and `verify`. */
export interface StatusArgs extends MigrationArgs {
  readonly 'exit-code'?: boolean;
}

/** Everything `status` and `verify` look at. */
export interface StatusSnapshot {
  readonly migrations: readonly MigrationStatus[];
  readonly drift: DiffReport;
}

/** Reads the history, the files and the drift between models and database. */
export async function takeStatus(client: DatabaseClient, args: StatusArgs, projectDir: string): Promise<StatusSnapshot> {
  const migrations = await readMigrationStatuses(new History(client), migrationsDirOf(args, projectDir));
  const outcome = await computeDiff(client, { projectDir, source: modelSourceOf(args), ignore: ignoreGlobsOf(args, projectDir), indexes: declaredIndexesOf(args, projectDir) });
  return { migrations, drift: buildDiffReport(client.dialect, client.target, outcome.diff.changes, outcome.diff.suggestions, outcome.diff.unmanaged) };
}

/** Whether anything needs attention: pending, failed, interrupted, changed or missing migrations, or drift. */
export function needsAttention(snapshot: StatusSnapshot): boolean {
  return snapshot.migrations.some((m) => m.state !== 'applied') || !snapshot.drift.inSync;
}

const COLOUR: Record<MigrationState, (text: string) => string> = {
  applied: chalk.green,
  pending: chalk.yellow,
  failed: chalk.red,
  running: chalk.red,
  'rolling-back': chalk.red,
  'rollback-failed': chalk.red,
  changed: chalk.red,
  missing: chalk.red,
};

async function runStatus(args: StatusArgs): Promise<number> {
  const projectDir = projectDirOf(args);
  const client = await openDatabase(args, projectDir);
  try {
    const snapshot = await takeStatus(client, args, projectDir);
    if (args.json === true) {
      out(JSON.stringify({ target: client.target, migrations: snapshot.migrations.map(statusJson), drift: { inSync: snapshot.drift.inSync, summary: snapshot.drift.summary, changes: snapshot.drift.changes } }, null, 2));
    } else {
      out(renderStatus(snapshot, client.target));
    }
    return args['exit-code'] === true && needsAttention(snapshot) ? 2 : 0;
  } finally {
    await client.close();
  }
}

function statusJson(status: MigrationStatus): Record<string, unknown> {
  return {
    id: status.id,
    release: status.release,
    phase: status.file?.phase ?? null,
    state: status.state,
    appliedAt: status.record?.finishedAt ?? null,
    durationMs: status.record?.durationMs ?? null,
    statements: status.record === null ? null : `${status.record.statementsDone}/${status.record.statementsTotal}`,
    error: status.record?.error ?? null,
  };
}

/** The state, with where a run stopped: `failed at 3/27`, `rolling-back at 2/5` (of its rollback), `missing (failed at 2/4)`. */
function stateText(m: MigrationStatus): string {
  const at = (record: NonNullable<MigrationStatus['record']>) => `${record.status} at ${record.statementsDone + 1}/${record.statementsTotal}`;
  if (m.record === null || m.state === 'applied' || m.state === 'changed' || m.state === 'pending') return m.state;
  if (m.state === 'missing') return m.record.status === 'applied' ? 'missing' : `missing (${at(m.record)})`;
  return at(m.record);
}

function renderStatus(snapshot: StatusSnapshot, target: string): string {
  const table = new Table({ head: ['migration', 'release', 'phase', 'state', 'applied at', 'took'], style: { head: [], border: [] } });
  for (const m of snapshot.migrations) {
    table.push([
      m.id,
      m.release,
      m.file?.phase ?? '',
      COLOUR[m.state](stateText(m)),
      m.record?.finishedAt?.toISOString().replace('T', ' ').replace(/\..*$/, '') ?? '',
      m.record?.durationMs === null || m.record === null ? '' : `${((m.record.durationMs ?? 0) / 1000).toFixed(2)} s`,
    ]);
  }
  const lines = [chalk.dim(`Database: ${target}`), snapshot.migrations.length === 0 ? 'No migrations yet.' : table.toString()];
  const counts = (state: MigrationState) => snapshot.migrations.filter((m) => m.state === state).length;
  lines.push(`${counts('applied')} applied, ${counts('pending')} pending${['failed', 'running', 'rolling-back', 'rollback-failed', 'changed', 'missing'].map((s) => (counts(s as MigrationState) > 0 ? `, ${counts(s as MigrationState)} ${s}` : '')).join('')}.`);
  const { drift } = snapshot;
  lines.push(drift.inSync ? chalk.green('Models and database agree.') : chalk.yellow(`Drift: ${counted(drift.summary.total, 'difference')} between models and database in ${counted(drift.summary.tables, 'table')} (schema-sync diff shows them).`));
  return lines.join('\n');
}

/** `schema-sync status`: each migration's state, then the drift between models and database. */
export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'Show applied, pending, failed, changed and missing migrations, and drift from the models',
  builder: (yargs: Argv) => withMigrationOptions(yargs).option('exit-code', { type: 'boolean', describe: 'Exit 2 when anything is pending, failed, changed or drifted' }) as Argv<StatusArgs>,
  handler: async (args: ArgumentsCamelCase<StatusArgs>) => {
    process.exitCode = await runStatus(args);
  },
};

/** `schema-sync verify`: exit non-zero unless the history is clean and the models match the database. */
export const verifyCommand: CommandModule<object, StatusArgs> = {
  command: 'verify',
  describe: 'Exit 0 only when every migration is applied unchanged and the database matches the models (2 otherwise)',
  builder: (yargs: Argv) => withMigrationOptions(yargs) as Argv<StatusArgs>,
  handler: async (args: ArgumentsCamelCase<StatusArgs>) => {
    process.exitCode = await runStatus({ ...args, 'exit-code': true });
  },
};
