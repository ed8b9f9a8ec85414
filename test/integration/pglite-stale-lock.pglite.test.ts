/**
 * The embedded database after a holder was killed with -9: a second opener names the live holder while it waits,
 * and as soon as that process is gone takes its lock over and says so, instead of waiting 90 s in silence for the
 * lock to go stale. The holder runs the built client (npm run build). PGlite needs NODE_OPTIONS=--experimental-vm-modules.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PgliteClient } from '../../src/connect/pglite-client';
import { REPO_ROOT } from '../support/cli';

const HOLDER = `
const { PgliteClient } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'connect', 'pglite-client.js'))});
PgliteClient.open(process.argv[1]).then(async (client) => {
  await client.execute('CREATE TABLE notes (id int)');
  await client.execute('INSERT INTO notes VALUES (1)');
  process.stdout.write('ready\\n');
  setInterval(() => undefined, 1000);
});
`;

describe('embedded database locked by a killed process', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recov-pglite-lock-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the live holder while waiting, then takes the lock over once the holder is killed', async () => {
    const dataDir = path.join(dir, 'pglite');
    const holder = await startHolder(HOLDER, dataDir, 'ready');
    const { messages, waiting, opening } = openWhileHeld(dataDir);
    await waiting;
    expect(messages).toEqual([`schema-sync: the embedded database in ${dataDir} is in use by process ${holder.pid}; waiting for it (a lock left by a killed process expires after 90 s)`]);
    await killHolder(holder);
    const client = await opening;
    try {
      expect(messages[1]).toBe(`schema-sync: the embedded database in ${dataDir} was locked by process ${holder.pid}, which is no longer running (killed?): taking the lock over`);
      expect(await client.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await client.close();
    }
    // Closed cleanly: no lock and no owner record are left for the next process.
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
    expect(fs.existsSync(`${dataDir}.lock-owner`)).toBe(false);
  });

  it('takes over at once a lock whose holder was killed before it could record itself as owner', async () => {
    const dataDir = path.join(dir, 'pglite-unowned');
    fs.mkdirSync(dataDir, { recursive: true });
    // The state a kill -9 leaves between taking the lock and writing the owner record: a claim, a lock, no owner.
    const holder = await startHolder(halfwayHolder(), dataDir, 'locked');
    await killHolder(holder);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(true);
    expect(fs.existsSync(`${dataDir}.lock-owner`)).toBe(false);

    const messages: string[] = [];
    const client = await PgliteClient.open(dataDir, (message) => messages.push(message));
    try {
      expect(messages).toEqual([`schema-sync: the embedded database in ${dataDir} was locked by process ${holder.pid}, which is no longer running (killed?): taking the lock over`]);
      expect(await client.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await client.close();
    }
    expect(fs.readdirSync(`${dataDir}.lock-claims`)).toEqual([]);
  });

  it('waits for a live holder that has not yet recorded itself as owner, and takes over once it is killed', async () => {
    const dataDir = path.join(dir, 'pglite-live-unowned');
    fs.mkdirSync(dataDir, { recursive: true });
    const holder = await startHolder(halfwayHolder(), dataDir, 'locked');
    const { messages, waiting, opening } = openWhileHeld(dataDir);
    let opened = false;
    void opening.then(() => (opened = true));
    await waiting;
    expect(opened).toBe(false);
    expect(messages).toEqual([`schema-sync: the embedded database in ${dataDir} is in use by another process that did not say which; waiting for it (a lock left by a killed process expires after 90 s)`]);
    await killHolder(holder);
    const client = await opening;
    await client.close();
    expect(messages[1]).toContain(`was locked by process ${holder.pid}, which is no longer running`);
  });

  it('names a holder that records itself as owner a moment after taking the lock, instead of saying it cannot tell', async () => {
    // The moment between taking the lock and writing the owner record, stretched to 400 ms: a waiter that looks then
    // once said "another process that did not say which" about a live holder that was about to say who it is.
    const dataDir = path.join(dir, 'pglite-owner-late');
    fs.mkdirSync(dataDir, { recursive: true });
    const holder = await startHolder(halfwayHolder(400), dataDir, 'locked');
    const { messages, waiting, opening } = openWhileHeld(dataDir);
    await waiting;
    expect(messages).toEqual([`schema-sync: the embedded database in ${dataDir} is in use by process ${holder.pid}; waiting for it (a lock left by a killed process expires after 90 s)`]);
    await killHolder(holder);
    await (await opening).close();
  });
});

/** Starts a holder script on `dataDir` and waits until it prints `word` (it holds the lock then). */
async function startHolder(script: string, dataDir: string, word: string): Promise<ChildProcess> {
  const holder = spawn(process.execPath, ['-e', script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes(word) && resolve());
    holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  return holder;
}

/** Opens `dataDir` while another process holds it: the messages heard, and a promise kept once it says it waits. */
function openWhileHeld(dataDir: string): { messages: string[]; waiting: Promise<void>; opening: Promise<PgliteClient> } {
  const messages: string[] = [];
  let heardWaiting: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (heardWaiting = resolve));
  const opening = PgliteClient.open(dataDir, (message) => {
    messages.push(message);
    if (message.includes('is in use by')) heardWaiting();
  });
  return { messages, waiting, opening };
}

async function killHolder(holder: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => holder.on('exit', resolve));
  holder.kill('SIGKILL');
  await exited;
}

/**
 * A process that records its claim and takes the lock, then stops before writing the owner record, as a kill -9 there
 * would leave it; or, given a delay, writes the owner record that much later.
 */
function halfwayHolder(ownerAfterMs?: number): string {
  return `
    const lockfile = require(${JSON.stringify(path.join(REPO_ROOT, 'node_modules', 'proper-lockfile'))});
    const { writeClaim, writeOwner } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'connect', 'pglite-lock.js'))});
    writeClaim(process.argv[1]);
    lockfile.lock(process.argv[1], { stale: 90000, update: 5000, retries: 0, realpath: false }).then(() => {
      process.stdout.write('locked\\n');
      ${ownerAfterMs === undefined ? '' : `setTimeout(() => writeOwner(process.argv[1]), ${ownerAfterMs});`}
      setInterval(() => undefined, 1000);
    });
  `;
}
