import * as fs from 'node:fs';
import * as path from 'node:path';
import yargs from 'yargs';
import { maskUrl } from '../connect/url';
import { SchemaSyncError, messageOf } from '../util/errors';
import { toolVersion } from '../util/version';
import { applyCommand } from './commands/apply';
import { compatCommand } from './commands/compat';
import { lintCommand } from './commands/lint';
import { diffCommand } from './commands/diff';
import { doctorCommand } from './commands/doctor';
import { explainCommand } from './commands/explain';
import { newDataMigrationCommand } from './commands/new-data-migration';
import { resolveCommand } from './commands/resolve';
import { rollbackCommand, stampCommand } from './commands/rollback';
import { statusCommand, verifyCommand } from './commands/status';
import { syncCommand } from './commands/sync';
import { configureColour, err } from './output';
import { compileWasmBaselineOnly } from '../connect/wasm-baseline';

/** Runs the CLI with the given arguments and resolves to the exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  compileWasmBaselineOnly();
  const verbose = argv.includes('--verbose');
  configureColour(argv.includes('--no-color') ? false : undefined);
  loadDotEnv(argv);
  process.exitCode = 0;
  try {
    await yargs([...argv])
      .scriptName('schema-sync')
      .usage('$0 <command> [options]\n\nKeep a database in step with its TypeORM models.')
      .command(syncCommand)
      .command(diffCommand)
      .command(applyCommand)
      .command(statusCommand)
      .command(rollbackCommand)
      .command(stampCommand)
      .command(resolveCommand)
      .command(verifyCommand)
      .command(compatCommand)
      .command(lintCommand)
      .command(explainCommand)
      .command(newDataMigrationCommand)
      .command(doctorCommand)
      .option('color', { type: 'boolean', default: true, describe: 'Colour the output (off for non-terminals and NO_COLOR)' })
      .demandCommand(1, 'Name a command: sync, diff, apply, status, rollback, stamp, resolve, verify, compat, lint, explain, doctor, new-data-migration')
      .strict()
      .recommendCommands()
      .version(toolVersion())
      .help()
      .fail((message, error, instance) => {
        if (error !== undefined && error !== null) throw error;
        err(instance.help() as unknown as string);
        throw new SchemaSyncError('BAD_ARGUMENT', message);
      })
      .exitProcess(false)
      .parseAsync();
    return Number(process.exitCode ?? 0);
  } catch (error) {
    reportError(error, verbose);
    if (argv.includes('--json')) reportErrorAsJson(error);
    return 1;
  }
}

/** One line, no stack trace unless --verbose; any URL password in the text is masked. */
function reportError(error: unknown, verbose: boolean): void {
  const message = scrubSecrets(messageOf(error));
  err(`schema-sync: ${message}`);
  if (verbose && error instanceof Error && error.stack !== undefined) {
    err(scrubSecrets(error.stack));
    // The cause's stack is where a user's own file (a model, a migration) failed; with node --enable-source-maps, at
    // the lines of its .ts source.
    for (let cause = error.cause; cause instanceof Error && cause.stack !== undefined; cause = cause.cause) err(scrubSecrets(`Caused by: ${cause.stack}`));
  } else if (!(error instanceof SchemaSyncError)) err('(run with --verbose for details)');
}

/**
 * With --json a script reads stdout only, so a failure is there too, as `{ "error": { code, message, ...details } }`:
 * the code to branch on, and the facts (file, line, import chain) without parsing the message.
 */
function reportErrorAsJson(error: unknown): void {
  const code = error instanceof SchemaSyncError ? error.code : 'UNEXPECTED';
  const details = error instanceof SchemaSyncError ? error.details : {};
  const scrubbed = JSON.parse(scrubSecrets(JSON.stringify(details))) as Record<string, unknown>;
  process.stdout.write(`${JSON.stringify({ error: { code, message: scrubSecrets(messageOf(error)), ...scrubbed } }, null, 2)}\n`);
}

function scrubSecrets(text: string): string {
  let result = text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi, (url) => maskUrl(url));
  const password = passwordOf(process.env.DATABASE_URL);
  if (password !== '') result = result.split(password).join('***');
  return result;
}

function passwordOf(url: string | undefined): string {
  if (url === undefined) return '';
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/** Reads `.env` from the project directory (or the current one) without overriding the real environment. */
function loadDotEnv(argv: readonly string[]): void {
  const projectIndex = argv.indexOf('--project');
  const dir = projectIndex >= 0 && argv[projectIndex + 1] !== undefined ? path.resolve(argv[projectIndex + 1] as string) : process.cwd();
  const file = path.join(dir, '.env');
  if (fs.existsSync(file)) {
    const dotenv = require('dotenv') as typeof import('dotenv');
    dotenv.config({ path: file, quiet: true });
  }
}
