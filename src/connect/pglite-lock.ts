import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';
import { SchemaSyncError, messageOf } from '../util/errors';
import { isRunning } from '../util/is-running';

/** Who holds, or is about to take, the lock on an embedded database: a process on a host. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

/** How long a second process waits for the embedded database before giving up. */
const LOCK_WAIT_MS = 10 * 60_000;

/**
 * How long a waiter gives a holder to record itself before saying it cannot name it: a holder writes its owner record
 * just after taking the lock and removes it just before releasing, so a waiter that looks in either moment finds a
 * lock with no owner although the holder is alive and about to say who it is (or about to be gone).
 */
const UNNAMED_HOLDER_GRACE_MS = 1_000;

/**
 * PGlite is one process's database: two processes opening the same data directory would corrupt it. A lock file
 * (kept fresh while held, so a killed process's lock goes stale and is taken over) makes a second process wait.
 * PGlite's WebAssembly start-up blocks the event loop for seconds on a busy machine, during which the lock cannot be
 * refreshed: the stale limit is set well above that (90 s). So that a lock left by a killed process does not cost
 * those 90 s, the holder records its pid and host beside the lock (the owner record): a holder on this host that is
 * no longer running has provably left it, and the lock is taken over at once, saying so. A live holder is named while
 * we wait.
 *
 * The owner record can only be written once the lock is held, so a process killed between the two leaves a lock with
 * no owner. To cover that window every process first records a claim (its pid and host, in a folder beside the lock)
 * and removes it when it is done: the holder is always one of the claimants, so a lock without owner whose every other
 * claimant is on this host and no longer running has been left by a killed process too.
 */
export async function lockDataDir(dataDir: string, notify: (message: string) => void): Promise<() => Promise<void>> {
  const ownerFile = ownerFileOf(dataDir);
  const claim = writeClaim(dataDir);
  const deadline = Date.now() + LOCK_WAIT_MS;
  const unnamedUntil = Date.now() + UNNAMED_HOLDER_GRACE_MS;
  let told = false;
  try {
    for (;;) {
      try {
        const release = await lockfile.lock(dataDir, { stale: 90_000, update: 5_000, retries: 0, realpath: false });
        writeOwner(dataDir);
        return async () => {
          fs.rmSync(ownerFile, { force: true });
          fs.rmSync(claim, { force: true });
          await release();
        };
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ELOCKED') throw lockError(dataDir, error);
        const gone = leftByKilledProcess(dataDir, claim);
        if (gone !== null) {
          notify(`schema-sync: the embedded database in ${dataDir} was locked by ${gone}, which is no longer running (killed?): taking the lock over`);
          fs.rmSync(`${dataDir}.lock`, { recursive: true, force: true });
          fs.rmSync(ownerFile, { force: true });
          continue;
        }
        if (!told) told = toldWhoHolds(dataDir, readOwner(ownerFile), Date.now() >= unnamedUntil, notify);
        if (Date.now() > deadline) throw lockError(dataDir, error);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } catch (error) {
    fs.rmSync(claim, { force: true });
    throw error;
  }
}

/**
 * Says who holds the lock, once: at once when the owner record names it, else only after the grace period (the holder
 * may be about to record itself). Returns whether it said so.
 */
function toldWhoHolds(dataDir: string, owner: LockOwner | null, graceOver: boolean, notify: (message: string) => void): boolean {
  if (owner === null && !graceOver) return false;
  const who = owner === null ? 'another process that did not say which' : `process ${owner.pid}${owner.host === os.hostname() ? '' : ` on ${owner.host}`}`;
  notify(`schema-sync: the embedded database in ${dataDir} is in use by ${who}; waiting for it (a lock left by a killed process expires after 90 s)`);
  return true;
}

/**
 * Names the holder of a lock that is provably dead (`process 123`), or null while the holder may be alive: the owner
 * record names a process of this host that is not running; or there is no owner record, at least one other claim,
 * and every other claim is a process of this host that is not running (their claims are then removed).
 */
function leftByKilledProcess(dataDir: string, ownClaim: string): string | null {
  const owner = readOwner(ownerFileOf(dataDir));
  if (owner !== null) return owner.host === os.hostname() && !isRunning(owner.pid) ? `process ${owner.pid}` : null;
  const others = otherClaims(dataDir, ownClaim);
  if (others.length === 0) return null;
  if (others.some(({ claimant }) => claimant === null || claimant.host !== os.hostname() || isRunning(claimant.pid))) return null;
  for (const { file } of others) fs.rmSync(file, { force: true });
  return others.map(({ claimant }) => `process ${claimant!.pid}`).join(' or ');
}

/** The owner record beside the data directory. */
export function ownerFileOf(dataDir: string): string {
  return `${dataDir}.lock-owner`;
}

/** The folder of claims beside the data directory. */
export function claimsDirOf(dataDir: string): string {
  return `${dataDir}.lock-claims`;
}

/** Records that this process is about to take the lock; returns the claim's file. */
export function writeClaim(dataDir: string): string {
  const dir = claimsDirOf(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${process.pid}-${os.hostname().replace(/[^A-Za-z0-9.-]/g, '_')}.json`);
  writeAtomically(file, JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies LockOwner));
  return file;
}

/** Records this process as the lock's holder. */
export function writeOwner(dataDir: string): void {
  writeAtomically(ownerFileOf(dataDir), JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies LockOwner));
}

/** Writes through a temporary file and a rename, so a waiter reading at the same moment never sees half a record. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

function otherClaims(dataDir: string, ownClaim: string): { file: string; claimant: LockOwner | null }[] {
  const dir = claimsDirOf(dataDir);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  // A claim being written is a .tmp file until renamed; its process claims nothing yet.
  return names.filter((name) => name.endsWith('.json')).map((name) => path.join(dir, name)).filter((file) => file !== ownClaim).map((file) => ({ file, claimant: readOwner(file) }));
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { pid: owner.pid, host: owner.host } : null;
  } catch {
    return null;
  }
}

function lockError(dataDir: string, error: unknown): SchemaSyncError {
  return new SchemaSyncError('CONNECTION_FAILED', `The embedded database in ${dataDir} is in use by another schema-sync process: ${messageOf(error)}`, { cause: error });
}
