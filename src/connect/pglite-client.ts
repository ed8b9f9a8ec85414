import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { DatabaseClient, Row } from './client';
import { SchemaSyncError, messageOf } from '../util/errors';
import { lockDataDir } from './pglite-lock';
import { postgresOnlineStatements } from '../dialect/postgres/online-statements';

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
   * hears about waiting for another process and taking over a lock a killed one left (default: standard error). An
   * in-memory database may start from `loadDataDir`, a data directory saved by dumpDataDir (no initdb: about half
   * the CPU).
   */
  static async open(
    dataDir: string | null,
    notify: (message: string) => void = (message) => process.stderr.write(`${message}\n`),
    options: { readonly loadDataDir?: Blob } = {},
  ): Promise<PgliteClient> {
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
        const { wasmModule, fsBundle } = await pgliteEngine();
        const loadDataDir = dataDir === null ? options.loadDataDir : undefined;
        const db = new PGlite({ dataDir: dataDir ?? undefined, extensions: { vector, uuid_ossp, ...contrib }, wasmModule, fsBundle, ...(loadDataDir === undefined ? {} : { loadDataDir }) });
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
    // Every path (apply, verification, the rollback guard's shadow) runs a migration's statements through here.
    await this.db.exec(postgresOnlineStatements.embeddedForm(sql));
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

/** PGlite's compiled WebAssembly and its file-system bundle, shared by every instance this process opens. */
type WasmModule = NonNullable<import('@electric-sql/pglite').PGliteOptions['wasmModule']>;

interface PgliteEngine {
  readonly wasmModule: WasmModule;
  readonly fsBundle: Blob;
}

let engine: Promise<PgliteEngine> | null = null;

/**
 * Compiles PGlite's WebAssembly once per process: without it every instance (the database, each verification's
 * shadow) compiles the same 9 MB again. A failed attempt is not kept, so the next open tries again.
 */
function pgliteEngine(): Promise<PgliteEngine> {
  if (engine === null) {
    const dist = path.dirname(require.resolve('@electric-sql/pglite'));
    engine = (async () => {
      const [wasm, data] = await Promise.all([fs.promises.readFile(path.join(dist, 'pglite.wasm')), fs.promises.readFile(path.join(dist, 'pglite.data'))]);
      // Node's global WebAssembly (this project compiles without the DOM library, which declares it).
      const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } };
      return { wasmModule: await wasmApi.compile(wasm), fsBundle: new Blob([data]) };
    })();
    engine.catch(() => {
      engine = null;
    });
  }
  return engine;
}

/**
 * PGlite's bundled contrib extensions that a PostgreSQL plan may create (postgresPrerequisites): for the types
 * `extensionForType` knows, pg_trgm for gin_trgm_ops / gist_trgm_ops indexes, btree_gist for an exclusion constraint
 * on scalar columns. Loaded only when PGlite is.
 */
function contribExtensions(): Record<string, import('@electric-sql/pglite').Extension> {
  type Module = Record<string, import('@electric-sql/pglite').Extension>;
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    citext: (require('@electric-sql/pglite/contrib/citext') as Module).citext!,
    hstore: (require('@electric-sql/pglite/contrib/hstore') as Module).hstore!,
    ltree: (require('@electric-sql/pglite/contrib/ltree') as Module).ltree!,
    cube: (require('@electric-sql/pglite/contrib/cube') as Module).cube!,
    pg_trgm: (require('@electric-sql/pglite/contrib/pg_trgm') as Module).pg_trgm!,
    btree_gist: (require('@electric-sql/pglite/contrib/btree_gist') as Module).btree_gist!,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
