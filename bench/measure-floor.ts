import * as path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import type { BenchDialect } from './options';

type PgQueries = typeof import('../dist/introspect/postgres/queries');
type MysqlQueries = typeof import('../dist/introspect/mysql/queries');

/** The raw catalog queries alone: no model loading, no row processing, no diff. */
export interface FloorSample {
  readonly ms: number;
  readonly queries: number;
  readonly rows: number;
}

/**
 * The built constants of the build being measured, not src/: the floor must run exactly the SQL of the CLI it is
 * compared with (bin/ runs dist/, and --cli-root may point at another build).
 */
function builtQueries<T>(cliRoot: string, dialectDir: 'postgres' | 'mysql'): T {
  return require(path.join(cliRoot, 'dist', 'introspect', dialectDir, 'queries.js')) as T;
}

/**
 * Runs the catalog queries on a fresh connection, as the CLI does: a PostgreSQL backend's catalog caches are per
 * connection, so a warm, reused connection would make the floor unfairly low. Only the queries are timed.
 */
export function measureFloor(cliRoot: string, dialect: BenchDialect, url: string, database: string): Promise<FloorSample> {
  return dialect === 'postgres' ? postgresFloor(cliRoot, url) : mariadbFloor(cliRoot, url, database);
}

async function postgresFloor(cliRoot: string, url: string): Promise<FloorSample> {
  const q = builtQueries<PgQueries>(cliRoot, 'postgres');
  // The statements the PostgreSQL introspector sends, all with `$1 = ['public']`.
  const statements = [q.TABLES_QUERY, q.COLUMNS_QUERY, q.CONSTRAINTS_QUERY, q.INDEXES_QUERY, q.ENUMS_QUERY];
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // The CLI asks for the server version first; doing the same keeps the connection equally warm.
    await client.query('SELECT version()');
    const started = performance.now();
    // Promise.all like the introspector: one pg client runs them one after another either way.
    const results = await Promise.all(statements.map((sql) => client.query(sql, [['public']])));
    const ms = performance.now() - started;
    return { ms, queries: statements.length, rows: results.reduce((sum, result) => sum + result.rows.length, 0) };
  } finally {
    await client.end();
  }
}

/** Builds before the foreign key split joined the two views in one query; --cli-root may still point at one. */
type LegacyMysqlQueries = { readonly FOREIGN_KEYS?: { readonly sql: string } };

function foreignKeyStatements(q: MysqlQueries & LegacyMysqlQueries, database: string): Array<readonly [string, unknown[]]> {
  if (q.FOREIGN_KEYS !== undefined) return [[q.FOREIGN_KEYS.sql, [database, database]]];
  return [
    [q.FOREIGN_KEY_COLUMNS.sql, [database]],
    [q.FOREIGN_KEY_RULES.sql, [database]],
  ];
}

async function mariadbFloor(cliRoot: string, url: string, database: string): Promise<FloorSample> {
  const q = builtQueries<MysqlQueries>(cliRoot, 'mysql');
  // The same connection options as src/connect/mysql-client.ts.
  const connection = await createConnection({ uri: url, multipleStatements: true, supportBigNumbers: true });
  try {
    await connection.query('SELECT VERSION() AS version');
    await connection.query('SELECT DATABASE() AS db');
    const statements: ReadonlyArray<readonly [string, unknown[]]> = [
      [q.TABLES.sql, [database]],
      [q.COLUMNS.sql, [database]],
      [q.INDEXES.sql, [database]],
      ...foreignKeyStatements(q, database),
      [q.CHECKS_MARIADB.sql, [database]],
    ];
    let rows = 0;
    const started = performance.now();
    for (const [sql, params] of statements) {
      const [result] = await connection.query(sql, params);
      rows += Array.isArray(result) ? result.length : 0;
    }
    return { ms: performance.now() - started, queries: statements.length, rows };
  } finally {
    await connection.end();
  }
}
