import * as net from 'node:net';
import { PgliteClient } from '../../src/connect/pglite-client';

/** An in-memory PGlite database, reachable over a local socket so TypeORM (through pg) can talk to it too. */
export interface ServedPglite {
  readonly client: PgliteClient;
  /** A postgres:// URL for the socket; valid until `stopServing()`. */
  readonly url: string;
  /** Stops the socket; the client stays open. */
  stopServing(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * PGlite's one database (the socket ignores the name in a URL): TypeORM writes the URL's name into its rows about
 * generated columns and reads them back by current_database(), so a URL naming another never settles.
 */
const PGLITE_DATABASE = 'template1';

/** Opens an in-memory PGlite and serves it on a free loopback port with @electric-sql/pglite-socket. */
export async function servePglite(): Promise<ServedPglite> {
  const client = await PgliteClient.open(null);
  const { PGLiteSocketServer } = require('@electric-sql/pglite-socket') as typeof import('@electric-sql/pglite-socket');
  const port = await freePort();
  const server = new PGLiteSocketServer({ db: client.pglite as never, port, host: '127.0.0.1' });
  await server.start();
  let serving = true;
  const stopServing = async () => {
    if (serving) await server.stop();
    serving = false;
  };
  return {
    client,
    url: `postgres://postgres@127.0.0.1:${port}/${PGLITE_DATABASE}`,
    stopServing,
    async close() {
      await stopServing();
      await client.close();
    },
  };
}

/**
 * A fresh socket for one more client session on an open PGlite: the socket server does not take a second session
 * after a TypeORM DataSource was destroyed on it, so each session gets its own.
 */
export async function serveSession(client: PgliteClient): Promise<{ readonly url: string; stop(): Promise<void> }> {
  const { PGLiteSocketServer } = require('@electric-sql/pglite-socket') as typeof import('@electric-sql/pglite-socket');
  const port = await freePort();
  const server = new PGLiteSocketServer({ db: client.pglite as never, port, host: '127.0.0.1' });
  await server.start();
  return { url: `postgres://postgres@127.0.0.1:${port}/${PGLITE_DATABASE}`, stop: () => server.stop() };
}
