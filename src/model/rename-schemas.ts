import { tableKey } from './schema';

/**
 * A copy of plain model data (a Schema, Changes) with the schemas in `renamed` renamed wherever an object names one:
 * `schema` and `referencedSchema` properties, and the table keys a view `reads`. Pure; what names no renamed schema
 * is returned as it is. Verification uses it to move the tables of another MySQL database into a throwaway stand-in.
 */
export function renameSchemas<T>(value: T, renamed: ReadonlyMap<string, string>): T {
  if (renamed.size === 0) return value;
  return walk(value, renamed) as T;
}

function walk(value: unknown, renamed: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => walk(item, renamed));
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if ((key === 'schema' || key === 'referencedSchema') && typeof item === 'string') copy[key] = renamed.get(item) ?? item;
    else if (key === 'reads' && Array.isArray(item)) copy[key] = item.map((read) => (typeof read === 'string' ? renamedKey(read, renamed) : read));
    else copy[key] = walk(item, renamed);
  }
  return copy;
}

/** A table key (`schema.name`) under its schema's new name; a key of a schema not renamed is kept. */
export function renamedKey(key: string, renamed: ReadonlyMap<string, string>): string {
  for (const [from, to] of renamed) {
    if (key.startsWith(`${from}.`)) return tableKey({ schema: to, name: key.slice(from.length + 1) });
  }
  return key;
}
