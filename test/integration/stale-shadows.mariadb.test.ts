/**
 * A verifying `sync` killed with SIGKILL leaves its shadow database behind on MariaDB too. MySQL-family servers hide
 * other sessions from a role without PROCESS, so liveness is a named lock the creating session holds: a later run drops
 * a shadow older than SCHEMA_SYNC_STALE_SHADOW_MINUTES whose lock nobody holds, and leaves one whose lock is held.
 * Runs the built CLI (npm run build).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { makeProject, removeProject, runCli, REPO_ROOT } from '../support/cli';
import { createMysqlDatabase, MYSQL_URL, type ThrowawayDatabase } from '../support/servers';

const MODEL = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('notes')
export class Note {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  title!: string;
}
`;

async function admin<T>(run: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await createConnection({ uri: MYSQL_URL });
  try {
    return await run(connection);
  } finally {
    await connection.end();
  }
}

const exists = (name: string) =>
  admin(async (c) => ((await c.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]))[0] as unknown[]).length === 1);

describe('shadow databases left by a killed verification (MariaDB)', () => {
  let database: ThrowawayDatabase;
  let project: string;
  const leftovers: string[] = [];
  beforeAll(async () => {
    database = await createMysqlDatabase('recov_stale');
    project = makeProject({ 'models/note.ts': MODEL, 'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }) });
  });
  afterAll(async () => {
    for (const name of leftovers) await admin((c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``));
    await database?.drop();
    removeProject(project);
  });

  it('drops the shadow of a run killed with -9 once it is stale, and leaves one whose lock is held', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.NODE_OPTIONS;
    delete env.JEST_WORKER_ID;
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'schema-sync.js'), 'sync', '--dry-run', '--project', project, '--url', database.url], { cwd: project, env, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const pattern = `schema\\_sync\\_shadow\\_%\\_${child.pid}\\_%`;
    let killed: string | null = null;
    await admin(async (c) => {
      for (let i = 0; i < 6000 && killed === null && child.exitCode === null; i++) {
        const [rows] = await c.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [pattern]);
        const found = rows as { name: string }[];
        if (found.length > 0) {
          child.kill('SIGKILL');
          killed = found[0]!.name;
        } else {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    });
    await exited;
    expect(killed).not.toBeNull();
    leftovers.push(killed!);
    expect(await exists(killed!)).toBe(true);

    // An old-looking shadow whose lock a live session holds: never dropped.
    const inUse = `schema_sync_shadow_1700000000_1_abcdef`;
    leftovers.push(inUse);
    await admin((c) => c.query(`CREATE DATABASE \`${inUse}\``));
    const holder = await createConnection({ uri: MYSQL_URL });
    try {
      await holder.query('SELECT GET_LOCK(?, 0)', [inUse]);
      // Young: a run with the default threshold (10 minutes) leaves it.
      expect(runCli(['sync', '--dry-run', '--project', project, '--url', database.url], { cwd: project }).status).toBe(0);
      expect(await exists(killed!)).toBe(true);
      // Stale now (threshold 0): dropped by the next run; the one whose lock is held stays.
      const run = runCli(['sync', '--dry-run', '--project', project, '--url', database.url], { cwd: project, env: { SCHEMA_SYNC_STALE_SHADOW_MINUTES: '0' } });
      expect(run.status).toBe(0);
      expect(await exists(killed!)).toBe(false);
      expect(await exists(inUse)).toBe(true);
    } finally {
      await holder.end();
    }
    // Its holder gone, the old one is dropped too.
    expect(runCli(['sync', '--dry-run', '--project', project, '--url', database.url], { cwd: project, env: { SCHEMA_SYNC_STALE_SHADOW_MINUTES: '0' } }).status).toBe(0);
    expect(await exists(inUse)).toBe(false);
  });
});
