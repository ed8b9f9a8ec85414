import { sameType } from '../model/compare';
import type { ColumnType, IntegerSize } from '../model/schema';

/**
 * How a column's type changed, seen from code written for the old type: `same`; `wider` (every value the old code
 * writes still fits, and what it reads is the same kind of value); `narrower` (same family, some values it writes no
 * longer fit); `changed` (another family: what it reads or writes is another kind of value).
 */
export type TypeVerdict = 'same' | 'wider' | 'narrower' | 'changed';

/** The verdict, and for enums and sets the values the old code may use that the new type lacks. */
export interface TypeComparison {
  readonly verdict: TypeVerdict;
  readonly removedValues: readonly string[];
}

const INTEGER_BITS: Record<IntegerSize, number> = { tiny: 8, small: 16, medium: 24, int: 32, big: 64 };
const TEXT_SIZES = ['tiny', 'regular', 'medium', 'long'] as const;

const verdict = (v: TypeVerdict): TypeComparison => ({ verdict: v, removedValues: [] });

/** Compares the type the old code was written for with the type the column has now. Pure. */
export function compareTypes(from: ColumnType, to: ColumnType): TypeComparison {
  if (sameType(from, to)) return verdict('same');
  if ((from.kind === 'enum' || from.kind === 'set') && from.kind === to.kind) return compareValueLists(from.values, to.values);
  if (from.kind === 'enum' && (to.kind === 'string' || to.kind === 'text') && !to.binary) {
    // The old code writes and reads its labels as text: a column of text that holds the longest one is wider.
    const longest = Math.max(0, ...from.values.map((value) => [...value].length));
    return verdict(to.kind === 'text' || to.length === null || to.length >= longest ? 'wider' : 'narrower');
  }
  if (from.kind === 'array' && to.kind === 'array') return compareTypes(from.element, to.element);
  return verdict(compareScalars(from, to));
}

function compareValueLists(from: readonly string[], to: readonly string[]): TypeComparison {
  const kept = new Set(to);
  const removed = from.filter((value) => !kept.has(value));
  return { verdict: removed.length === 0 ? 'wider' : 'narrower', removedValues: removed };
}

function compareScalars(from: ColumnType, to: ColumnType): TypeVerdict {
  switch (from.kind) {
    case 'integer':
      return to.kind === 'integer' ? compareIntegers(from, to) : 'changed';
    case 'decimal':
      return to.kind === 'decimal' ? compareDecimals(from, to) : 'changed';
    case 'float':
      if (to.kind !== 'float') return 'changed';
      return to.size === 'double' && (!to.unsigned || from.unsigned) ? 'wider' : 'narrower';
    case 'string':
      return compareStrings(from, to);
    case 'text':
      if (to.kind === 'text' && to.binary === from.binary) return TEXT_SIZES.indexOf(to.size) >= TEXT_SIZES.indexOf(from.size) ? 'wider' : 'narrower';
      if (to.kind === 'string' && to.binary === from.binary && !to.fixed) return to.length === null ? 'wider' : 'narrower';
      return 'changed';
    case 'temporal':
      if (to.kind !== 'temporal' || to.name !== from.name) return 'changed';
      return to.precision === null || (from.precision !== null && to.precision >= from.precision) ? 'wider' : 'narrower';
    case 'json':
      // json and jsonb hold the same documents; the old code reads and writes objects either way.
      return to.kind === 'json' ? 'wider' : 'changed';
    case 'uuid':
      // A uuid read from text is the same string; any text column that holds 36 characters takes what it writes.
      if (to.kind === 'text' && !to.binary) return 'wider';
      return to.kind === 'string' && !to.binary && !to.fixed && (to.length === null || to.length >= 36) ? 'wider' : 'changed';
    case 'vector':
      return to.kind === 'vector' ? 'narrower' : 'changed';
    case 'boolean':
    case 'enum':
    case 'set':
    case 'array':
    case 'raw':
      return 'changed';
  }
}

/** A signed type takes what an unsigned one of fewer bits held; an unsigned one never takes negatives. */
function compareIntegers(from: Extract<ColumnType, { kind: 'integer' }>, to: Extract<ColumnType, { kind: 'integer' }>): TypeVerdict {
  const fromBits = INTEGER_BITS[from.size];
  const toBits = INTEGER_BITS[to.size];
  if (from.unsigned === to.unsigned) return toBits >= fromBits ? 'wider' : 'narrower';
  if (from.unsigned) return toBits > fromBits ? 'wider' : 'narrower';
  return 'narrower';
}

/** Wider when neither the digits before the point nor those after it shrink (null precision: unbounded). */
function compareDecimals(from: Extract<ColumnType, { kind: 'decimal' }>, to: Extract<ColumnType, { kind: 'decimal' }>): TypeVerdict {
  if (from.unsigned !== to.unsigned && !from.unsigned) return 'narrower';
  if (to.precision === null) return 'wider';
  if (from.precision === null) return 'narrower';
  const fromScale = from.scale ?? 0;
  const toScale = to.scale ?? 0;
  return to.precision - toScale >= from.precision - fromScale && toScale >= fromScale ? 'wider' : 'narrower';
}

function compareStrings(from: Extract<ColumnType, { kind: 'string' }>, to: ColumnType): TypeVerdict {
  if (to.kind === 'text') return to.binary === from.binary ? 'wider' : 'changed';
  if (to.kind !== 'string' || to.binary !== from.binary) return 'changed';
  // char(n) pads what it stores, varchar keeps it: a fixed column read back as variable is the same text unpadded.
  if (from.fixed !== to.fixed && !from.fixed) return 'changed';
  if (to.length === null) return 'wider';
  if (from.length === null) return 'narrower';
  return to.length >= from.length ? 'wider' : 'narrower';
}
