import { Client } from 'pg';
import type { DatabaseClient, Row } from './client';
import { connectionError } from './connection-error';

/** A DatabaseClient over node-postgres. */
export class PgClient implements DatabaseClient {
  readonly dialect = 'postgres' as const;
  readonly embedded = false;
  statementCount = 0;

  private constructor(
    private readonly client: Client,
    readonly target: string,
  ) {}

  /** Connects, turning refused connections, bad passwords and unknown databases into one clear line. */
  static async connect(url: string, masked: string): Promise<PgClient> {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    // A connection that dies later (server restart) must not crash the process with an unhandled 'error' event.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw connectionError(error, masked, url);
    }
    return new PgClient(client, masked);
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.statementCount++;
    const result = await this.client.query<T>(sql, params as unknown[]);
    return result.rows;
  }

  async execute(sql: string): Promise<void> {
    this.statementCount++;
    await this.client.query(sql);
  }

  async serverVersion(): Promise<string> {
    const rows = await this.query<{ version: string }>('SELECT version() AS version');
    return rows[0]?.version ?? '';
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
