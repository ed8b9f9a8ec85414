/**
 * A verifying `sync` killed with SIGKILL leaves its shadow database behind (nothing runs to drop it). A later run
 * drops it once it can prove it dead: older than SCHEMA_SYNC_STALE_SHADOW_MINUTES and no session connected. A younger
 * one, and an old-looking one with a session, stay. Runs the built CLI (npm run build).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Client } from 'pg';
import { makeProject, removeProject, runCli, REPO_ROOT } from '../support/cli';
import { createPostgresDatabase, PG_URL, type ThrowawayDatabase } from '../support/servers';

const MODEL = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('notes')
export class Note {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  title!: string;
}
`;

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const exists = (name: string) => admin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);

describe('shadow databases left by a killed verification (PostgreSQL)', () => {
  let database: ThrowawayDatabase;
  let project: string;
  const leftovers: string[] = [];
  beforeAll(async () => {
    database = await createPostgresDatabase('recov_stale');
    project = makeProject({ 'models/note.ts': MODEL, 'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }) });
  });
  afterAll(async () => {
    for (const name of leftovers) await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    await database?.drop();
    removeProject(project);
  });

  it('drops the shadow of a run killed with -9 once it is stale, and leaves one in use', async () => {
    // Kill a verifying sync as soon as its shadow (named with its pid) exists.
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.NODE_OPTIONS;
    delete env.JEST_WORKER_ID;
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'schema-sync.js'), 'sync', '--dry-run', '--project', project, '--url', database.url], { cwd: project, env, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const pattern = `schema\\_sync\\_shadow\\_%\\_${child.pid}\\_%`;
    let killed: string | null = null;
    await admin(async (c) => {
      for (let i = 0; i < 6000 && killed === null && child.exitCode === null; i++) {
        const rows = (await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [pattern])).rows;
        if (rows.length > 0) {
          child.kill('SIGKILL');
          killed = rows[0]!.datname;
        } else {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    });
    await exited;
    expect(killed).not.toBeNull();
    leftovers.push(killed!);
    expect(await exists(killed!)).toBe(true);

    // An old-looking shadow a session is connected to: never dropped.
    const inUse = `schema_sync_shadow_1700000000_1_abcdef`;
    leftovers.push(inUse);
    await admin((c) => c.query(`CREATE DATABASE "${inUse}"`));
    const session = new Client({ connectionString: new URL(`/${inUse}`, PG_URL).toString() });
    await session.connect();
    try {
      // Young: a run with the default threshold (10 minutes) leaves it.
      expect(runCli(['sync', '--dry-run', '--project', project, '--url', database.url], { cwd: project }).status).toBe(0);
      expect(await exists(killed!)).toBe(true);
      // Stale now (threshold 0): dropped by the next run; the one with a session stays.
      const run = runCli(['sync', '--dry-run', '--project', project, '--url', database.url], { cwd: project, env: { SCHEMA_SYNC_STALE_SHADOW_MINUTES: '0' } });
      expect(run.status).toBe(0);
      expect(await exists(killed!)).toBe(false);
      expect(await exists(inUse)).toBe(true);
    } finally {
      await session.end();
    }
  });
});
