import chalk from 'chalk';
import type { DiffReport, ReportedChange } from './diff-report';
import { formatCost, type CostSummary } from './format-cost';

const SYMBOL: Record<string, string> = { create: '+', add: '+', drop: '-', alter: '~' };

/** The human `sync --diff` output: changes grouped by table, guarded drops marked, a closing summary line. */
export function renderHumanReport(report: DiffReport, source: string): string {
  const lines: string[] = [chalk.dim(`Models: ${source}`), chalk.dim(`Database: ${report.target} (${report.dialect})`), ''];
  lines.push(...unmanagedLines(report));
  if (report.inSync) {
    lines.push(chalk.green('In sync: the database matches the models.'));
    return lines.join('\n');
  }
  const groups = new Map<string, ReportedChange[]>();
  for (const change of report.changes) {
    const key = change.table ?? '(schema)';
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  for (const [table, changes] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const status = changes.some((c) => c.kind === 'create_table') ? chalk.green(' (new)') : changes.some((c) => c.kind === 'drop_table') ? chalk.red(' (not in models)') : '';
    lines.push(chalk.bold(table === '(schema)' ? 'schema' : `table ${table}`) + status);
    for (const change of changes) lines.push(`  ${formatChange(change)}`);
    lines.push('');
  }
  const { total, tables, guarded } = report.summary;
  let summary = `${total} change${total === 1 ? '' : 's'} in ${tables} table${tables === 1 ? '' : 's'}`;
  if (guarded > 0) summary += `, ${guarded} guarded (held back without --drop)`;
  lines.push(chalk.yellow(`${summary}. Run \`schema-sync sync\` to generate a migration.`));
  return lines.join('\n');
}

function unmanagedLines(report: DiffReport): string[] {
  if (report.unmanaged.length === 0) return [];
  const lines = [chalk.dim('Not managed by the models (left alone):')];
  for (const object of report.unmanaged) lines.push(chalk.dim(`  ${object.kind} ${object.kind === 'index' ? `${object.name} on ${object.table}` : object.table}: ${object.reason}`));
  return [...lines, ''];
}

function formatChange(change: ReportedChange): string {
  const verb = change.kind.split('_')[0] ?? '';
  const symbol = SYMBOL[verb] ?? '~';
  const colour = symbol === '+' ? chalk.green : symbol === '-' ? chalk.red : chalk.yellow;
  let line = `${colour(`${symbol} ${change.detail}`)} ${chalk.dim(`[${change.phase}]`)}`;
  if (change.guarded) line += chalk.red.bold(change.destructive ? ' [guarded: destroys data; needs --drop]' : ' [guarded: not in models; needs --drop]');
  const cost = costOf(change);
  if (cost !== null) line += `\n      ${cost.blocking ? chalk.red(formatCost(cost)) : chalk.dim(formatCost(cost))}`;
  if (change.phase === 'contract') line += `\n      ${chalk.dim(`contract: ${change.phaseReason}`)}`;
  if (change.suggestion !== undefined) line += `\n      ${chalk.cyan(change.suggestion)}`;
  return line;
}


/** The cost fields of a reported change, or null when it was not costed. */
function costOf(change: ReportedChange): CostSummary | null {
  const { lock, rewrite, blocking, lockNote, tableBytes, rowsEstimate } = change;
  if (lock === undefined || rewrite === undefined) return null;
  return { lock, rewrite, blocking: blocking === true, ...(lockNote === undefined ? {} : { lockNote }), tableBytes: tableBytes ?? null, rowsEstimate: rowsEstimate ?? null };
}
