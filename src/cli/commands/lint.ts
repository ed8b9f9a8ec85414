import * as path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { connect } from '../../connect/connect';
import { lintMigrationFiles, type LintResult } from '../../lint/lint-files';
import type { LintFinding } from '../../lint/lint-sql';
import type { Dialect } from '../../model/schema';
import { formatCost } from '../../report/format-cost';
import { counted } from '../../util/plural';
import { databaseUrlOf, projectDirOf, type CommonArgs } from '../common-options';
import { out } from '../output';

/** Arguments of `lint`. */
export interface LintArgs extends Pick<CommonArgs, 'url' | 'project' | 'json' | 'verbose' | 'color'> {
  readonly files?: string[];
  readonly dialect?: Dialect;
}

/** Exit codes of `lint`. */
export const LINT_EXIT = { clean: 0, error: 1, findings: 2 } as const;

/** Lints migration files; returns the exit code (2 when any finding is an error). */
export async function runLint(args: LintArgs): Promise<number> {
  const projectDir = projectDirOf(args);
  const url = databaseUrlOf(args);
  const client = url === undefined ? null : await connect({ url });
  try {
    const result = await lintMigrationFiles({
      projectDir,
      files: (args.files ?? []).map((file) => path.resolve(String(file))),
      client,
      ...(args.dialect === undefined ? {} : { dialect: args.dialect }),
    });
    out(args.json === true ? JSON.stringify(jsonOf(result), null, 2) : humanReport(result));
    return result.findings.some((finding) => finding.severity === 'error') ? LINT_EXIT.findings : LINT_EXIT.clean;
  } finally {
    await client?.close();
  }
}

function summaryOf(findings: readonly LintFinding[]): Record<'errors' | 'warnings' | 'info', number> {
  const count = (severity: LintFinding['severity']) => findings.filter((finding) => finding.severity === severity).length;
  return { errors: count('error'), warnings: count('warning'), info: count('info') };
}

function jsonOf(result: LintResult): Record<string, unknown> {
  return { dialect: result.dialect, target: result.target, files: result.files, findings: result.findings, summary: summaryOf(result.findings) };
}

const SEVERITY_COLOUR = { error: chalk.red, warning: chalk.yellow, info: chalk.cyan } as const;

function humanReport(result: LintResult): string {
  const lines: string[] = [];
  for (const file of result.files) {
    const findings = result.findings.filter((finding) => finding.file === file);
    if (findings.length === 0) continue;
    lines.push(chalk.bold(file));
    let statement = 0;
    for (const finding of findings) {
      if (finding.statement !== statement) {
        statement = finding.statement;
        lines.push(`  statement ${statement}: ${oneLine(finding.sql)}`);
      }
      lines.push(`    ${SEVERITY_COLOUR[finding.severity](finding.severity)} ${finding.rule}: ${finding.message}`);
      if (finding.lock !== null && finding.rewrite !== null) {
        lines.push(chalk.dim(`      ${formatCost({ lock: finding.lock, rewrite: finding.rewrite, blocking: finding.blocking === true, tableBytes: finding.tableBytes, rowsEstimate: finding.rowsEstimate })}`));
      }
      lines.push(chalk.dim(`      hint: ${finding.hint}`));
    }
  }
  const summary = summaryOf(result.findings);
  const where = result.target === null ? `${result.dialect} without a catalog: --url adds table sizes and column types` : result.target;
  lines.push(`${counted(summary.errors, 'error')}, ${counted(summary.warnings, 'warning')}, ${counted(summary.info, 'note')} in ${counted(result.files.length, 'file')} (${where}).`);
  return lines.join('\n');
}

function oneLine(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
}

/** `schema-sync lint <files…>`: the lock and rewrite analysis on migration files a person wrote or edited. */
export const lintCommand: CommandModule<object, LintArgs> = {
  command: 'lint <files..>',
  describe: 'Check migration files for statements that lock or rewrite busy tables, or break the running release',
  builder: (yargs: Argv) =>
    yargs
      .positional('files', { type: 'string', array: true, describe: 'Migration files, in the order they will run' })
      .option('url', { type: 'string', describe: 'Database URL: table sizes, column types and the server version come from its catalog (default $DATABASE_URL; none: no catalog)' })
      .option('dialect', { type: 'string', choices: ['postgres', 'mysql', 'mariadb'], describe: 'For files that do not export a dialect, without --url' })
      .option('project', { type: 'string', describe: 'Project directory (tsconfig and .env are found from here)' })
      .option('json', { type: 'boolean', describe: 'Print one JSON document to stdout' })
      .option('verbose', { type: 'boolean', describe: 'Show stack traces' }) as unknown as Argv<LintArgs>,
  handler: async (args: ArgumentsCamelCase<LintArgs>) => {
    process.exitCode = await runLint(args);
  },
};
