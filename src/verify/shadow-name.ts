import { randomBytes } from 'node:crypto';

/** The prefix every shadow database's name starts with. */
export const SHADOW_PREFIX = 'schema_sync_shadow_';

/**
 * A new shadow database name: `schema_sync_shadow_<unix seconds>_<pid>_<random>`. The time lets a later run tell a
 * shadow left behind by a killed process (kill -9 gives it no chance to drop its own) from one still in use; the pid
 * says which process made it, for whoever looks at the server.
 */
export function newShadowName(now: Date = new Date(), pid: number = process.pid): string {
  return `${SHADOW_PREFIX}${Math.floor(now.getTime() / 1000)}_${pid}_${randomBytes(3).toString('hex')}`;
}

/** When a shadow of this tool was created, from its name; null for any other name (older shadows had no time). */
export function shadowCreatedAt(name: string): Date | null {
  const match = /^schema_sync_shadow_(\d{9,11})_\d+_[0-9a-f]+$/.exec(name);
  return match === null ? null : new Date(Number(match[1]) * 1000);
}

/** Minutes after which a shadow nobody is connected to counts as left behind (SCHEMA_SYNC_STALE_SHADOW_MINUTES). */
export function staleShadowMinutes(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.SCHEMA_SYNC_STALE_SHADOW_MINUTES);
  return env.SCHEMA_SYNC_STALE_SHADOW_MINUTES !== undefined && env.SCHEMA_SYNC_STALE_SHADOW_MINUTES !== '' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_STALE_MINUTES;
}

/**
 * Ten minutes: a verifying run holds a connection to its shadow from just after CREATE DATABASE until it drops it, so
 * "no connection" is the proof; the age only covers the moment between creating the database and connecting to it.
 */
const DEFAULT_STALE_MINUTES = 10;

/** The names among `shadows` that are provably left behind: old enough and without a connection. */
export function staleShadows(shadows: readonly { readonly name: string; readonly connections: number }[], now: Date, minutes: number): string[] {
  return shadows
    .filter((shadow) => {
      const created = shadowCreatedAt(shadow.name);
      return created !== null && shadow.connections === 0 && now.getTime() - created.getTime() >= minutes * 60_000;
    })
    .map((shadow) => shadow.name);
}
