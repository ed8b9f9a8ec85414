import type { Phase } from '../plan/phase';
import { SchemaSyncError } from '../util/errors';
import type { MigrationStatus } from './migration-status';

const PHASE_DECLARATION = /^export const phase\s*=\s*["'](expand|contract)["']\s*;?\s*$/m;

/** The phase a migration file declares (`export const phase = "expand"`), read from its text; null when it declares none. */
export function declaredPhase(text: string): Phase | null {
  const match = PHASE_DECLARATION.exec(text);
  return match === null ? null : (match[1] as Phase);
}

/**
 * The pending migrations of one phase, in apply order (no phase: all of them). A pending migration of the other
 * phase, or of none, that comes before one of them stops the selection: running around it would apply a release's
 * changes out of the order they were generated in. The message names it and the command that clears the way. So
 * does one of none when nothing of the phase is pending: no phased run would ever apply it.
 */
export function selectPhase(pending: readonly MigrationStatus[], phase: Phase | undefined): MigrationStatus[] {
  if (phase === undefined) return [...pending];
  const phaseOf = (status: MigrationStatus) => status.file?.phase ?? null;
  const last = pending.map(phaseOf).lastIndexOf(phase);
  if (last < 0) {
    // Nothing of this phase, but one that declares none is pending: "up to date" would let a phased pipeline
    // pass every step while that migration never runs.
    const undeclared = pending.find((status) => phaseOf(status) === null);
    if (undeclared !== undefined) {
      throw new SchemaSyncError(
        'HISTORY_MISMATCH',
        `apply --phase ${phase}: ${undeclared.id} is pending and declares no phase (written with --single-phase, by hand, or before phases), so no phased run applies it: apply it without --phase, or add export const phase = "expand" (or "contract") to it`,
      );
    }
    return [];
  }
  const blocking = pending.slice(0, last).filter((status) => phaseOf(status) !== phase);
  if (blocking.length > 0) {
    const first = blocking[0] as MigrationStatus;
    const other = phaseOf(first);
    const way =
      other === null
        ? `it declares no phase (written with --single-phase, by hand, or before phases): apply it without --phase, or add export const phase = "${phase}" to it`
        : `it is a pending ${other} migration: run apply --phase ${other} --to ${first.id} first`;
    throw new SchemaSyncError(
      'HISTORY_MISMATCH',
      `apply --phase ${phase}: ${first.id} comes before the ${phase} migrations to apply, and ${way}.\nPending ${phase} after it: ${pending
        .slice(0, last + 1)
        .filter((status) => phaseOf(status) === phase)
        .map((status) => status.id)
        .join(', ')}`,
    );
  }
  return pending.filter((status) => phaseOf(status) === phase);
}

/** Parses `--phase`; anything else is an error naming the flag. */
export function parsePhase(text: string | undefined): Phase | undefined {
  if (text === undefined) return undefined;
  if (text === 'expand' || text === 'contract') return text;
  throw new SchemaSyncError('BAD_ARGUMENT', `--phase ${text}: expected expand or contract`);
}
