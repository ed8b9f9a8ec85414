import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Argv } from 'yargs';
import { DEFAULT_MODEL_GLOBS } from '../source/typeorm/load-entities';
import type { ModelSource } from '../source/typeorm/load-models';
import { compileTableGlob, type TableGlob } from '../diff/table-glob';
import { SchemaSyncError } from '../util/errors';
import type { DeclaredIndex } from '../source/declared-indexes';
import { readConfigFile } from './config-file';

/** Options every database command takes. */
export interface CommonArgs {
  readonly url?: string;
  readonly models?: string[];
  readonly 'data-source'?: string;
  readonly project?: string;
  readonly 'embedded-dir'?: string;
  readonly json?: boolean;
  readonly color?: boolean;
  readonly verbose?: boolean;
  readonly ignore?: string[];
  readonly config?: string;
}

/** Adds the connection and model options shared by the commands. */
export function withCommonOptions<T>(yargs: Argv<T>): Argv<T & CommonArgs> {
  return yargs
    .option('url', { type: 'string', describe: 'Database URL (postgres://, postgresql://, mysql://, mariadb://); default $DATABASE_URL, else the embedded database' })
    .option('models', { type: 'string', array: true, describe: `Entity file globs (default ${DEFAULT_MODEL_GLOBS.join(' ')})` })
    .option('data-source', { type: 'string', describe: 'A TypeORM DataSource file to take entities, naming strategy and type from' })
    .option('project', { type: 'string', describe: 'Project directory (models, .env and the embedded database are found from here)' })
    .option('embedded-dir', { type: 'string', describe: 'Data directory of the embedded database (default .schema-sync/pglite)' })
    .option('json', { type: 'boolean', describe: 'Print one JSON document to stdout' })
    .option('verbose', { type: 'boolean', describe: 'Show stack traces and stage timings' })
    .option('ignore', { type: 'string', array: true, describe: 'Leave these tables alone: a name or glob (* and ?), repeatable; adds to schema-sync.json "ignore"' }) as Argv<T & CommonArgs>;
}

/** The project directory: --project, else the current directory. It must exist. */
export function projectDirOf(args: CommonArgs): string {
  const dir = path.resolve(args.project ?? process.cwd());
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new SchemaSyncError('BAD_ARGUMENT', `--project ${args.project}: no such directory`);
  }
  return dir;
}

/** Where the models come from; --models and --data-source exclude each other. */
export function modelSourceOf(args: CommonArgs): ModelSource {
  const dataSource = args['data-source'];
  if (dataSource !== undefined && args.models !== undefined) {
    throw new SchemaSyncError('BAD_ARGUMENT', 'Give either --models or --data-source, not both');
  }
  if (dataSource !== undefined) return { kind: 'data-source', file: dataSource };
  return { kind: 'globs', globs: args.models !== undefined && args.models.length > 0 ? args.models : DEFAULT_MODEL_GLOBS };
}

/** The URL to use: --url, else DATABASE_URL (from the environment or .env), else none (embedded). */
export function databaseUrlOf(args: CommonArgs): string | undefined {
  const url = args.url ?? process.env.DATABASE_URL;
  return url === undefined || url.trim() === '' ? undefined : url.trim();
}

/** Describes the model source for reports. */
export function describeSource(source: ModelSource): string {
  return source.kind === 'globs' ? source.globs.join(' ') : `DataSource ${source.file}`;
}

/** The tables to leave alone: schema-sync.json's "ignore" (or --config's) and every --ignore, each checked. */
export function ignoreGlobsOf(args: CommonArgs, projectDir: string): TableGlob[] {
  const fromFile = readConfigFile(projectDir, args.config).ignore;
  return [...fromFile, ...(args.ignore ?? []).map((pattern) => compileTableGlob(String(pattern), '--ignore'))];
}

/** The indexes schema-sync.json (or --config's file) declares because the decorators cannot describe them. */
export function declaredIndexesOf(args: CommonArgs, projectDir: string): DeclaredIndex[] {
  return [...(readConfigFile(projectDir, args.config).indexes ?? [])];
}
