import type { DatabaseClient, Row } from '../../src/connect/client';

/** A real client whose connection is cut, as by kill -9, before or after one chosen statement. */
export class DyingClient implements DatabaseClient {
  private dead = false;
  constructor(
    private readonly inner: DatabaseClient,
    private readonly when: 'before' | 'after',
    private readonly statement: string,
  ) {}
  get dialect() {
    return this.inner.dialect;
  }
  get target() {
    return this.inner.target;
  }
  readonly embedded = false;
  get statementCount() {
    return this.inner.statementCount;
  }
  async query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    this.assertAlive();
    return this.inner.query<T>(sql, params);
  }
  async execute(sql: string): Promise<void> {
    this.assertAlive();
    if (sql === this.statement && this.when === 'before') await this.die();
    await this.inner.execute(sql);
    if (sql === this.statement && this.when === 'after') await this.die();
  }
  serverVersion(): Promise<string> {
    return this.inner.serverVersion();
  }
  async close(): Promise<void> {
    if (!this.dead) await this.inner.close();
  }
  private assertAlive(): void {
    if (this.dead) throw new Error('connection killed');
  }
  private async die(): Promise<never> {
    this.dead = true;
    // The session ends, and with it the deploy lock, as when the process is killed.
    await this.inner.close();
    throw new Error('connection killed');
  }
}
