/**
 * kill -9 at random points of a real migration and of its rollback, each followed by a plain re-run of the same
 * command that must finish and leave the history exact and the schema as the models (or, rolled back, empty) say.
 * The delays are drawn from the length of an uninterrupted run, so most kills land mid-migration; the suite reports
 * how many did.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { PgliteClient } from '../../src/connect/pglite-client';
import { cliEnv, makeProject, removeProject, runCli, REPO_ROOT, type CliRun } from '../support/cli';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';
import type { ApplyTarget } from './cli-apply.shared';

/** Lines a re-run may print besides errors: its progress, and the embedded database taking over a killed lock. */
const PROGRESS = /^(applying |rolling back |schema-sync: the embedded database in .* taking the lock over$)/;

/** How many kills each direction gets. */
const KILLS = 20;

interface Kill {
  readonly direction: 'apply' | 'rollback';
  readonly delayMs: number;
  /** Whether the history after the kill shows the run stopped inside the migration. */
  readonly midMigration: boolean;
}

/** Defines the kill loop for one database. */
export function defineKillLoop(target: ApplyTarget): void {
  describe(`${target}: kill -9 during apply and rollback`, () => {
    let database: ThrowawayDatabase | null = null;
    let project: string;
    let urlArgs: string[];
    let migrationId: string;
    let statementCount: number;

    const open = (): Promise<DatabaseClient> => {
      if (database === null) return PgliteClient.open(path.join(project, '.schema-sync', 'pglite'));
      return target === 'postgres' ? PgClient.connect(database.url, database.url) : MysqlClient.connect(database.url, database.url);
    };
    const withClient = async <T>(work: (client: DatabaseClient) => Promise<T>): Promise<T> => {
      const client = await open();
      try {
        return await work(client);
      } finally {
        await client.close();
      }
    };
    const history = () =>
      withClient(async (c) => (await c.query<{ id: string; status: string; statements_done: unknown; statements_total: unknown }>('SELECT * FROM schema_sync_history')).map((r) => `${r.id} ${r.status} ${Number(r.statements_done)}/${Number(r.statements_total)}`));
    const tables = () =>
      withClient(async (c) =>
        (await c.query<{ t: string }>(target === 'mariadb' ? `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()` : `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'`))
          .map((r) => r.t)
          .filter((t) => t !== 'schema_sync_history'),
      );
    const cli = (...args: string[]): CliRun => runCli([...args, '--project', project, ...urlArgs], { cwd: project });
    const COMMANDS = { apply: ['apply'], rollback: ['rollback', '--drop', '--force'] } as const;
    const STARTED = { apply: 'applying', rollback: 'rolling back' } as const;

    /** Runs a command, kills it `delayMs` after it says it started the migration; resolves to whether it had finished. */
    const killDuring = (direction: 'apply' | 'rollback', delayMs: number | null): Promise<{ finished: boolean; ms: number }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'schema-sync.js'), ...COMMANDS[direction], '--project', project, ...urlArgs], { cwd: project, env: cliEnv() });
        let stderr = '';
        let startedAt = 0;
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (startedAt === 0 && stderr.includes(STARTED[direction])) {
            startedAt = Date.now();
            if (delayMs !== null) setTimeout(() => child.kill('SIGKILL'), delayMs);
          }
        });
        child.stdout.resume();
        child.on('exit', (code, signal) => {
          if (startedAt === 0) reject(new Error(`${direction} exited (${code ?? signal}) before it started the migration:\n${stderr}`));
          else if (signal === null && code !== 0) reject(new Error(`${direction} failed (${code}):\n${stderr}`));
          else resolve({ finished: signal === null, ms: Date.now() - startedAt });
        });
      });

    const expectApplied = async () => {
      expect(await history()).toEqual([`${migrationId} applied ${statementCount}/${statementCount}`]);
      const diff = cli('diff', '--exit-code');
      expect({ status: diff.status, stderr: diff.stderr }).toEqual({ status: 0, stderr: '' });
    };
    const expectRolledBack = async () => {
      expect(await history()).toEqual([]);
      expect(await tables()).toEqual([]);
    };

    beforeAll(async () => {
      project = makeProject('example-models');
      fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0' }));
      // The example models make 27 statements on MariaDB; three more tables make it 30 or more.
      fs.writeFileSync(path.join(project, 'models', 'audit-event.ts'), AUDIT_EVENT);
      if (target === 'postgres') database = await createPostgresDatabase('resume_kill');
      if (target === 'mariadb') database = await createMysqlDatabase('resume_kill');
      urlArgs = database === null ? [] : ['--url', database.url];
      const generated = cli('sync', '--json', '--no-verify');
      if (generated.status !== 0) throw new Error(`sync failed:\n${generated.stderr}`);
      const file = (JSON.parse(generated.stdout) as { file: string }).file;
      migrationId = file.replace(/^generated-migrations\//, '').replace(/\.ts$/, '');
      const dry = cli('apply', '--dry-run', '--json');
      statementCount = (JSON.parse(dry.stdout) as { applied: { statements: number }[] }).applied[0]?.statements ?? 0;
    }, 300_000);
    afterAll(async () => {
      await database?.drop();
      removeProject(project);
    });

    it(`survives ${KILLS} kills of apply and ${KILLS} of rollback, each re-run finishing exactly`, async () => {
      expect(statementCount).toBeGreaterThanOrEqual(30);
      // An uninterrupted run of each sets the range the kill delays are drawn from.
      const applyMs = (await killDuring('apply', null)).ms;
      await expectApplied();
      const rollbackMs = (await killDuring('rollback', null)).ms;
      await expectRolledBack();

      const kills: Kill[] = [];
      for (let i = 0; i < KILLS; i++) {
        for (const direction of ['apply', 'rollback'] as const) {
          const delayMs = Math.round(Math.random() * (direction === 'apply' ? applyMs : rollbackMs));
          const { finished } = await killDuring(direction, delayMs);
          const after = await history();
          const stopped = direction === 'apply' ? !after.some((h) => h.includes(' applied ')) : after.length > 0 && !after.every((h) => h.includes(' applied '));
          const midMigration = !finished && (target === 'mariadb' ? stopped : direction === 'apply' ? after.length === 0 || stopped : after.length === 1);
          kills.push({ direction, delayMs, midMigration });
          const rerun = cli(...COMMANDS[direction]);
          expect({ direction, delayMs, after, status: rerun.status, stderr: rerun.stderr.split('\n').filter((l) => !PROGRESS.test(l)).join('\n') }).toEqual({
            direction,
            delayMs,
            after,
            status: 0,
            stderr: '',
          });
          if (direction === 'apply') await expectApplied();
          else await expectRolledBack();
        }
      }
      const mid = (direction: Kill['direction']) => kills.filter((k) => k.direction === direction && k.midMigration).length;
      const report = `${target}: ${statementCount} statements; apply ${applyMs} ms, rollback ${rollbackMs} ms uninterrupted; kills mid-migration: apply ${mid('apply')}/${KILLS}, rollback ${mid('rollback')}/${KILLS}`;
      fs.appendFileSync(path.join(os.tmpdir(), 'schema-sync-kill-loop.txt'), `${new Date().toISOString()} ${report}\n`);
      process.stdout.write(`${report}\n`);
      expect(mid('apply') + mid('rollback')).toBeGreaterThan(0);
    }, target === 'pglite' ? 3_600_000 : 1_200_000); // each embedded run starts PGlite's WebAssembly build, 3-5 s
  });
}

const AUDIT_EVENT = `import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('audit_events')
@Index('idx_audit_events_kind', ['kind'])
@Index('idx_audit_events_actor', ['actorId'])
@Index('idx_audit_events_kind_actor', ['kind', 'actorId'])
export class AuditEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  kind!: string;

  @Column({ name: 'actor_id', type: 'int' })
  actorId!: number;
}

@Entity('audit_notes')
export class AuditNote {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  body!: string;
}

@Entity('audit_tags')
export class AuditTag {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  label!: string;
}
`;
