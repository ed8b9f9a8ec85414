import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { childFailure, runNodeChild } from './child-process';
import type { GeneratedProject } from './generate-entities';

/** One `schema-sync sync` run: the migration written for the empty database. */
export interface SyncSample {
  readonly verify: boolean;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
  /** What the CLI said it did: verified in a shadow database, and how many changes the file holds. */
  readonly verified: boolean;
  readonly changes: number;
  readonly fileBytes: number;
}

/** The slice of `sync --json` the bench reads. */
interface SyncJson {
  readonly file: string | null;
  readonly verified: boolean;
  readonly changes: readonly string[];
}

/**
 * Runs `schema-sync sync` as a user would to write the first migration: it diffs, plans, checks data, renders the SQL,
 * round-trips it in a shadow database unless `verify` is off (PostgreSQL: the embedded PGlite; MariaDB: a temporary
 * database on the same server), and writes the file. The file goes to a temporary folder, removed afterwards; the
 * database itself is not changed.
 */
export async function measureSync(cliRoot: string, project: GeneratedProject, url: string, verify: boolean): Promise<SyncSample> {
  const migrationsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-bench-migrations-'));
  try {
    const cli = path.join(cliRoot, 'bin', 'schema-sync.js');
    const args = ['sync', '--url', url, '--project', project.dir, '--models', project.modelsGlob, '--migrations-dir', migrationsDir, '--release', '0.0.1', '--json'];
    const run = await runNodeChild(cli, verify ? args : [...args, '--no-verify'], { cwd: project.dir });
    if (run.status !== 0) throw childFailure(`schema-sync sync${verify ? '' : ' --no-verify'}`, run);
    const report = JSON.parse(run.stdout) as SyncJson;
    if (report.file === null) throw new Error('schema-sync sync wrote no migration for the empty database');
    return {
      verify,
      wallMs: run.wallMs,
      cpuMs: run.cpuMs,
      maxRssKb: run.maxRssKb,
      verified: report.verified,
      changes: report.changes.length,
      fileBytes: fs.statSync(path.resolve(project.dir, report.file)).size,
    };
  } finally {
    fs.rmSync(migrationsDir, { recursive: true, force: true });
  }
}
