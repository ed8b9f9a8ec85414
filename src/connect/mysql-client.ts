import { createConnection, type Connection } from 'mysql2/promise';
import type { Dialect } from '../model/schema';
import type { DatabaseClient, Row } from './client';
import { connectionError } from './connection-error';

/** A DatabaseClient over mysql2, for MySQL and MariaDB (told apart by the server's version string). */
export class MysqlClient implements DatabaseClient {
  readonly embedded = false;
  statementCount = 0;

  private constructor(
    private readonly connection: Connection,
    readonly target: string,
    readonly dialect: Dialect,
    private readonly version: string,
  ) {}

  /** Connects and detects MariaDB, turning connection failures into one clear line. */
  static async connect(url: string, masked: string): Promise<MysqlClient> {
    let connection: Connection;
    try {
      // multipleStatements lets migration scripts run as one call; supportBigNumbers keeps BIGINT exact.
      connection = await createConnection({ uri: url, multipleStatements: true, supportBigNumbers: true, connectTimeout: 10_000 });
    } catch (error) {
      throw connectionError(error, masked, url);
    }
    connection.on('error', () => undefined);
    const [rows] = await connection.query('SELECT VERSION() AS version');
    const version = String((rows as Row[])[0]?.version ?? '');
    return new MysqlClient(connection, masked, /mariadb/i.test(version) ? 'mariadb' : 'mysql', version);
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.statementCount++;
    const [rows] = await this.connection.query(sql, params as unknown[]);
    return Array.isArray(rows) ? (rows as T[]) : [];
  }

  async execute(sql: string): Promise<void> {
    this.statementCount++;
    await this.connection.query(sql);
  }

  async serverVersion(): Promise<string> {
    return this.version;
  }

  async close(): Promise<void> {
    await this.connection.end();
  }
}
