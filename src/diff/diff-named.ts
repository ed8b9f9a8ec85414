import { deepEqual } from '../model/compare';

/** The result of matching two lists of named objects (indexes, constraints). */
export interface NamedDiff<T> {
  readonly added: T[];
  readonly dropped: T[];
  /** Same name, different definition: dropped and re-created. */
  readonly redefined: { readonly from: T; readonly to: T }[];
  /** Different names, the same definition: a rename where the kind has one (checks and exclusions ignore these). */
  readonly renamed: { readonly from: T; readonly to: T }[];
}

/**
 * Matches objects by name, comparing them through `comparable` (canonical expression text); what is left on both sides is paired by identical definition, so an index that only
 * differs by its (generated) name is not churned.
 */
export function diffNamed<T extends { readonly name: string }>(
  actual: readonly T[],
  desired: readonly T[],
  comparable: (item: T) => T = (item) => item,
): NamedDiff<T> {
  const actualByName = new Map(actual.map((item) => [item.name, item]));
  const desiredNames = new Set(desired.map((item) => item.name));
  const added: T[] = [];
  const redefined: { from: T; to: T }[] = [];
  for (const want of desired) {
    const have = actualByName.get(want.name);
    if (have === undefined) added.push(want);
    else if (!deepEqual(comparable(have), comparable(want))) redefined.push({ from: have, to: want });
  }
  let dropped = actual.filter((item) => !desiredNames.has(item.name));
  const unmatchedAdded: T[] = [];
  const renamed: { from: T; to: T }[] = [];
  for (const want of added) {
    const twin = dropped.find((have) => deepEqual(comparable({ ...have, name: '' }), comparable({ ...want, name: '' })));
    if (twin === undefined) {
      unmatchedAdded.push(want);
    } else {
      dropped = dropped.filter((item) => item !== twin);
      renamed.push({ from: twin, to: want });
    }
  }
  return { added: unmatchedAdded, dropped, redefined, renamed };
}
