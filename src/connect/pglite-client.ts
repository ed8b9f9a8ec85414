import * as fs from 'node:fs';
import * as os from 'node:os';
import type { PGlite } from '@electric-sql/pglite';
import * as lockfile from 'proper-lockfile';
import type { DatabaseClient, Row } from './client';
import { SchemaSyncError, messageOf } from '../util/errors';

/** A DatabaseClient over the embedded PGlite database (PostgreSQL 17 in WebAssembly, with pgvector). */
export class PgliteClient implements DatabaseClient {
  readonly dialect = 'postgres' as const;
  readonly embedded = true;
  statementCount = 0;

  private constructor(
    private readonly db: PGlite,
    readonly target: string,
    private readonly unlock: (() => Promise<void>) | null,
  ) {}

  /**
   * Opens (creating on first use) the embedded database in `dataDir`, or an in-memory one when it is null. `notify`
   * hears about waiting for another process and taking over a lock a killed one left (default: standard error).
   */
  static async open(dataDir: string | null, notify: (message: string) => void = (message) => process.stderr.write(`${message}\n`)): Promise<PgliteClient> {
    try {
      // Loaded on first use: a run against a server should not pay for the WebAssembly build.
      const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
      const { vector } = require('@electric-sql/pglite/vector') as typeof import('@electric-sql/pglite/vector');
      // TypeORM's default uuid keys call uuid_generate_v4() from uuid-ossp, which PGlite ships as a contrib extension.
      const { uuid_ossp } = require('@electric-sql/pglite/contrib/uuid_ossp') as { uuid_ossp: import('@electric-sql/pglite').Extension };
      // The contrib types TypeORM models use (citext, hstore, ltree, cube): a migration creates their extensions, and
      // verification replays it here.
      const contrib = contribExtensions();
      if (dataDir !== null) fs.mkdirSync(dataDir, { recursive: true });
      const unlock = dataDir === null ? null : await lockDataDir(dataDir, notify);
      try {
        const db = new PGlite({ dataDir: dataDir ?? undefined, extensions: { vector, uuid_ossp, ...contrib } });
        await db.waitReady;
        return new PgliteClient(db, dataDir === null ? 'embedded PGlite (in memory)' : `embedded PGlite (${dataDir})`, unlock);
      } catch (error) {
        await unlock?.();
        throw error;
      }
    } catch (error) {
      throw new SchemaSyncError('CONNECTION_FAILED', `Cannot open the embedded database in ${dataDir ?? 'memory'}: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.statementCount++;
    const result = await this.db.query<T>(sql, params as unknown[]);
    return result.rows;
  }

  async execute(sql: string): Promise<void> {
    this.statementCount++;
    await this.db.exec(sql);
  }

  async serverVersion(): Promise<string> {
    const rows = await this.query<{ version: string }>('SELECT version() AS version');
    return rows[0]?.version ?? '';
  }

  /** The underlying PGlite instance, for tools that serve it over a socket (tests, TypeORM agreement checks). */
  get pglite(): PGlite {
    return this.db;
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      await this.unlock?.();
    }
  }
}

/**
 * PGlite is one process's database: two processes opening the same data directory would corrupt it. A lock file
 * (kept fresh while held, so a killed process's lock goes stale and is taken over) makes a second process wait.
 * PGlite's WebAssembly start-up blocks the event loop for seconds on a busy machine, during which the lock cannot be
 * refreshed: the stale limit is set well above that (90 s). So that a lock left by a killed process does not cost
 * those 90 s, the holder records its pid and host beside the lock: a holder on this host that is no longer running
 * has provably left it, and the lock is taken over at once, saying so. A live holder is named while we wait.
 */
async function lockDataDir(dataDir: string, notify: (message: string) => void): Promise<() => Promise<void>> {
  const ownerFile = `${dataDir}.lock-owner`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      const release = await lockfile.lock(dataDir, { stale: 90_000, update: 5_000, retries: 0, realpath: false });
      fs.writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies LockOwner));
      return async () => {
        fs.rmSync(ownerFile, { force: true });
        await release();
      };
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ELOCKED') throw lockError(dataDir, error);
      const owner = readOwner(ownerFile);
      if (owner !== null && owner.host === os.hostname() && !isRunning(owner.pid)) {
        notify(`schema-sync: the embedded database in ${dataDir} was locked by process ${owner.pid}, which is no longer running (killed?): taking the lock over`);
        fs.rmSync(`${dataDir}.lock`, { recursive: true, force: true });
        fs.rmSync(ownerFile, { force: true });
        continue;
      }
      if (!told) {
        const who = owner === null ? 'another process that did not say which' : `process ${owner.pid}${owner.host === os.hostname() ? '' : ` on ${owner.host}`}`;
        notify(`schema-sync: the embedded database in ${dataDir} is in use by ${who}; waiting for it (a lock left by a killed process expires after 90 s)`);
        told = true;
      }
      if (Date.now() > deadline) throw lockError(dataDir, error);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** How long a second process waits for the embedded database before giving up. */
const LOCK_WAIT_MS = 10 * 60_000;

interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { pid: owner.pid, host: owner.host } : null;
  } catch {
    return null;
  }
}

/** Whether a process of this host is running: signal 0 checks without sending; EPERM means it runs as another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

function lockError(dataDir: string, error: unknown): SchemaSyncError {
  return new SchemaSyncError('CONNECTION_FAILED', `The embedded database in ${dataDir} is in use by another schema-sync process: ${messageOf(error)}`, { cause: error });
}

/** PGlite's bundled contrib extensions for the types `extensionForType` knows, loaded only when PGlite is. */
function contribExtensions(): Record<string, import('@electric-sql/pglite').Extension> {
  type Module = Record<string, import('@electric-sql/pglite').Extension>;
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    citext: (require('@electric-sql/pglite/contrib/citext') as Module).citext!,
    hstore: (require('@electric-sql/pglite/contrib/hstore') as Module).hstore!,
    ltree: (require('@electric-sql/pglite/contrib/ltree') as Module).ltree!,
    cube: (require('@electric-sql/pglite/contrib/cube') as Module).cube!,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
