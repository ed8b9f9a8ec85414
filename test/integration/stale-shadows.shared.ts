/**
 * A verifying `sync` killed with SIGKILL leaves its shadow database behind (nothing runs to drop it). A later run
 * drops it once it can prove it dead: older than SCHEMA_SYNC_STALE_SHADOW_MINUTES and no longer in use, which is "no
 * session connected" on PostgreSQL and "nobody holds its named lock" on MySQL and MariaDB (whose other sessions a role
 * without PROCESS cannot see). A younger one, and an old-looking one in use, stay. Runs the built CLI (npm run build).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { makeProject, removeProject, runCli, REPO_ROOT } from '../support/cli';
import type { ThrowawayDatabase } from '../support/servers';

const MODEL = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('notes')
export class Note {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  title!: string;
}
`;

/** What the suite needs from one server, through an admin connection of its own. */
export interface ShadowServer {
  readonly label: string;
  createDatabase(suite: string): Promise<ThrowawayDatabase>;
  /** Names of databases matching a LIKE pattern. */
  databasesLike(pattern: string): Promise<string[]>;
  createEmpty(name: string): Promise<void>;
  dropIfExists(name: string): Promise<void>;
  /** Puts a shadow in use the way a live verifying run does; returns the function that ends that use. */
  use(name: string): Promise<() => Promise<void>>;
}

export function defineStaleShadowSuite(server: ShadowServer): void {
  const exists = async (name: string) => (await server.databasesLike(name.replace(/_/g, '\\_'))).includes(name);

  describe(`shadow databases left by a killed verification (${server.label})`, () => {
    let database: ThrowawayDatabase;
    let project: string;
    const leftovers: string[] = [];
    const sync = (env: Record<string, string> = {}) => runCli(['sync', '--dry-run', '--project', project, '--url', database.url], { cwd: project, env });
    beforeAll(async () => {
      database = await server.createDatabase('recov_stale');
      project = makeProject({ 'models/note.ts': MODEL, 'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }) });
    });
    afterAll(async () => {
      for (const name of leftovers) await server.dropIfExists(name);
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
      for (let i = 0; i < 6000 && killed === null && child.exitCode === null; i++) {
        const found = await server.databasesLike(pattern);
        if (found.length > 0) {
          child.kill('SIGKILL');
          killed = found[0]!;
        } else {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      await exited;
      expect(killed).not.toBeNull();
      leftovers.push(killed!);
      expect(await exists(killed!)).toBe(true);

      // An old-looking shadow in use: never dropped.
      const inUse = `schema_sync_shadow_1700000000_1_abcdef`;
      leftovers.push(inUse);
      await server.createEmpty(inUse);
      const stopUsing = await server.use(inUse);
      try {
        // Young: a run with the default threshold (10 minutes) leaves it.
        expect(sync().status).toBe(0);
        expect(await exists(killed!)).toBe(true);
        // Stale now (threshold 0): dropped by the next run; the one in use stays.
        expect(sync({ SCHEMA_SYNC_STALE_SHADOW_MINUTES: '0' }).status).toBe(0);
        expect(await exists(killed!)).toBe(false);
        expect(await exists(inUse)).toBe(true);
      } finally {
        await stopUsing();
      }
      // No longer in use, the old one is dropped too.
      expect(sync({ SCHEMA_SYNC_STALE_SHADOW_MINUTES: '0' }).status).toBe(0);
      expect(await exists(inUse)).toBe(false);
    });
  });
}
