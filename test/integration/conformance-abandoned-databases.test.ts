/**
 * A conformance run leaves no databases behind: stopped with SIGTERM or Ctrl-C (SIGINT), it drops the databases it made
 * ahead and those of the scenario in flight, and exits 143 or 130; and each run drops the pool databases of a run on
 * this host whose process is gone (killed with SIGKILL), and nothing else. On the real servers; the stopped run is a
 * child process running the build (`npm run build` first).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect } from '../../src/connect/connect';
import { DatabaseFactory, scratchFolder, throwawayDatabaseName, type MeasuredDialect } from '../../src/conformance/throwaway-database';
import { MYSQL_URL, PG_URL } from '../support/servers';

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'conformance');

const SERVERS: readonly { dialect: Extract<MeasuredDialect, 'postgres' | 'mariadb'>; url: string }[] = [
  { dialect: 'postgres', url: PG_URL },
  { dialect: 'mariadb', url: MYSQL_URL },
];

/** The databases on the server whose names match a LIKE pattern (underscores escaped by the caller). */
async function databasesLike(dialect: MeasuredDialect, url: string, pattern: string): Promise<string[]> {
  const admin = await connect({ url });
  try {
    const sql = dialect === 'postgres' ? 'SELECT datname AS name FROM pg_database WHERE datname LIKE $1' : 'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?';
    return (await admin.query<{ name: string }>(sql, [pattern])).map((row) => row.name).sort();
  } finally {
    await admin.close();
  }
}

async function onServer(url: string, sql: string): Promise<void> {
  const admin = await connect({ url });
  try {
    await admin.execute(sql);
  } finally {
    await admin.close();
  }
}

const quote = (dialect: MeasuredDialect, name: string) => (dialect === 'postgres' ? `"${name}"` : `\`${name}\``);

/**
 * A run of two round-trip scenarios whose worker never gets to its job: the "TypeORM" it loads blocks forever, so the
 * run holds a scenario's four databases and the next scenario's, made ahead, until it is stopped.
 */
function startStuckRun(dialect: MeasuredDialect, folder: string, jsonLines: string) {
  const stuck = path.join(folder, 'stuck-typeorm.js');
  fs.writeFileSync(stuck, 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);\n');
  const scenario = {
    id: 'stuck',
    dialect,
    projectDir: folder,
    ours: [],
    typeorm: { kind: 'entities', entities: [] },
    typeormMain: stuck,
    redirects: { typeormFolders: [], typeormMain: null, aliases: [], compiledRoot: folder, sourceRoot: folder },
    verify: true,
  };
  const script = `
    const { runScenarios } = require(${JSON.stringify(path.join(DIST, 'run-scenarios.js'))});
    const { DatabaseFactory, scratchFolder } = require(${JSON.stringify(path.join(DIST, 'throwaway-database.js'))});
    const run = scratchFolder('oss-stuck-run');
    require('node:fs').writeFileSync(${JSON.stringify(path.join(folder, 'scratch-folder'))}, run);
    const urls = { postgres: ${JSON.stringify(PG_URL)}, mysql: ${JSON.stringify(MYSQL_URL)} };
    DatabaseFactory.open(${JSON.stringify(dialect)}, urls, ${JSON.stringify(path.join(folder, 'scratch'))}).then((factory) =>
      runScenarios([${JSON.stringify(scenario)}, ${JSON.stringify(scenario)}], factory,
        { jobs: 1, roundTrip: true, timeoutMs: 600000, jsonLines: ${JSON.stringify(jsonLines)}, scratchDir: run }));
  `;
  const { JEST_WORKER_ID: _jest, NODE_OPTIONS: _options, ...env } = process.env;
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'], env });
}

/** Resolves once `predicate` holds, polling; fails with `what` after `ms`. */
async function eventually<T>(probe: () => Promise<T>, predicate: (value: T) => boolean, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.each(SERVERS)('conformance databases left behind, on $dialect', ({ dialect, url }) => {
  let folder: string;
  beforeEach(() => {
    folder = fs.realpathSync(scratchFolder('oss-corpus-stopped-run'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} drops the run's databases, those in flight and those made ahead, records no result for what it cut short, removes its scratch folder, and exits ${code}`, async () => {
      const jsonLines = path.join(folder, 'results.jsonl');
      const run = startStuckRun(dialect, folder, jsonLines);
      let stderr = '';
      run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => run.on('exit', (exitCode) => resolve(exitCode)));
      const mine = `oss\\_conf\\_pool\\_%\\_${run.pid}\\_%`;
      try {
        // The stuck scenario's four and the next one's four, made ahead.
        const made = await eventually(() => databasesLike(dialect, url, mine), (names) => names.length === 8, `the run's databases`);
        expect(made).toHaveLength(8);
        run.kill(signal);
        expect(await exited).toBe(code);
        expect(await databasesLike(dialect, url, mine)).toEqual([]);
        // Neither scenario finished: a resumed run must run both, so neither is written as a (harness) failure.
        expect(fs.readFileSync(jsonLines, 'utf8')).toBe('');
        // Nor is its scratch folder left in the system's temporary directory.
        const scratch = fs.readFileSync(path.join(folder, 'scratch-folder'), 'utf8');
        expect([scratch, fs.existsSync(scratch)]).toEqual([expect.stringContaining('oss-stuck-run-'), false]);
      } finally {
        run.kill('SIGKILL');
        for (const name of await databasesLike(dialect, url, mine)) await onServer(url, `DROP DATABASE IF EXISTS ${quote(dialect, name)}`);
      }
      expect(stderr).toContain(`${signal}: stopping the workers and dropping the run's databases`);
    }, 120_000);
  }

  it("a run drops the pool databases of a run on this host whose process is gone, and no other database", async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const abandoned = throwawayDatabaseName('pool', dead);
    const kept = [
      // A run still going: this process.
      throwawayDatabaseName('pool', process.pid),
      // Another host's run (its pids mean nothing here).
      abandoned.replace(/^oss_conf_pool_[0-9a-f]{6}_/, `oss_conf_pool_${'x'.repeat(6)}_`),
      // Not a pool database, though named after the same dead process.
      throwawayDatabaseName('other', dead),
      // The pool's name before it carried a pid.
      `oss_conf_pool_${abandoned.slice(-8)}`,
    ];
    const created = [abandoned, ...kept];
    for (const name of created) await onServer(url, `CREATE DATABASE ${quote(dialect, name)}`);
    try {
      const factory = await DatabaseFactory.open(dialect, { postgres: PG_URL, mysql: MYSQL_URL }, path.join(os.tmpdir(), 'unused'));
      factory.close();
      const left = await Promise.all(created.map(async (name) => (await databasesLike(dialect, url, name.replace(/_/g, '\\_'))).length === 1));
      expect(Object.fromEntries(created.map((name, index) => [name, left[index]]))).toEqual(Object.fromEntries(created.map((name) => [name, name !== abandoned])));
    } finally {
      for (const name of created) await onServer(url, `DROP DATABASE IF EXISTS ${quote(dialect, name)}`);
    }
  });
});
