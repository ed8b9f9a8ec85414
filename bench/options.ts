import * as path from 'node:path';
import { parseArgs } from 'node:util';

/** The servers the bench runs on. MariaDB is reached with a mysql:// URL and detected by the CLI. */
export type BenchDialect = 'postgres' | 'mariadb';

/** What to measure, parsed from the command line. */
export interface BenchOptions {
  readonly dialects: readonly BenchDialect[];
  readonly tables: readonly number[];
  readonly runs: number;
  readonly pgUrl: string;
  readonly mysqlUrl: string;
  /** Keep the generated entity files and the databases (for profiling by hand). */
  readonly keep: boolean;
  /** Where to write every raw sample as JSON, or null. */
  readonly jsonOut: string | null;
  /** When set, one extra `diff` run per (dialect, size) is profiled with `node --cpu-prof` into this directory. */
  readonly cpuProfDir: string | null;
  /** Skip the empty-database scenario (halves the run time when only the in-sync numbers matter). */
  readonly skipEmpty: boolean;
  /** The built package measured: bin/schema-sync.js and dist/ (default: this repository). */
  readonly cliRoot: string;
  /** How many times to time `sync` (writing the migration) on the empty database, verified and not; 0: never. */
  readonly syncRuns: number;
}

/** Usage text printed for --help and on a bad argument. */
export const USAGE = `npm run bench -- [options]

  --dialect postgres,mariadb   servers to measure (default postgres)
  --tables 100,500,1000,2000   entity counts (default 1000)
  --runs 5                     measured runs per case; medians are reported (default 5)
  --pg-url URL                 PostgreSQL admin URL (default $PG_URL or postgres://postgres@127.0.0.1:5432/postgres)
  --mysql-url URL              MariaDB admin URL (default $MYSQL_URL or mysql://root@127.0.0.1:3306/)
  --skip-empty                 measure the in-sync database only
  --sync-runs N                times to run \`sync\` (write the migration, with and without verification) on
                               the empty database, after the other runs (default 1; 0 skips it)
  --cpu-prof DIR               also profile one \`diff\` child per case with node --cpu-prof
  --json-out FILE              write every raw sample as JSON
  --keep                       keep the generated entities and the oss_bench_* databases
  --cli-root DIR               measure the build in DIR (bin/, dist/) instead of this repository's;
                               bench/freeze-build.sh makes one that a concurrent \`npm run build\` cannot change`;

const DIALECTS: readonly BenchDialect[] = ['postgres', 'mariadb'];

/** Parses the bench's arguments; throws with the usage text on anything it does not understand. */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      dialect: { type: 'string', multiple: true },
      tables: { type: 'string', multiple: true },
      runs: { type: 'string' },
      'pg-url': { type: 'string' },
      'mysql-url': { type: 'string' },
      'skip-empty': { type: 'boolean' },
      'cpu-prof': { type: 'string' },
      'json-out': { type: 'string' },
      keep: { type: 'boolean' },
      'cli-root': { type: 'string' },
      'sync-runs': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) throw new UsageError('');
  const runs = Number(values.runs ?? '5');
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be a positive integer, not ${values.runs}`);
  const syncRuns = Number(values['sync-runs'] ?? '1');
  if (!Number.isInteger(syncRuns) || syncRuns < 0) throw new UsageError(`--sync-runs must be a whole number, not ${values['sync-runs']}`);
  return {
    dialects: splitList(values.dialect ?? ['postgres']).map(toDialect),
    tables: splitList(values.tables ?? ['1000']).map(toTableCount),
    runs,
    pgUrl: values['pg-url'] ?? env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    mysqlUrl: values['mysql-url'] ?? env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/',
    keep: values.keep === true,
    jsonOut: values['json-out'] ?? null,
    cpuProfDir: values['cpu-prof'] ?? null,
    skipEmpty: values['skip-empty'] === true,
    cliRoot: path.resolve(values['cli-root'] ?? path.join(__dirname, '..')),
    syncRuns,
  };
}

/** A bad command line; the message is printed above the usage text. */
export class UsageError extends Error {}

/** Accepts both `--tables 100,500` and `--tables 100 --tables 500`. */
function splitList(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
}

function toDialect(value: string): BenchDialect {
  const found = DIALECTS.find((dialect) => dialect === value.toLowerCase());
  if (found === undefined) throw new UsageError(`--dialect ${value}: expected one of ${DIALECTS.join(', ')}`);
  return found;
}

function toTableCount(value: string): number {
  const count = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(count) || count < 2) throw new UsageError(`--tables ${value}: expected a whole number of at least 2`);
  return count;
}
