import { SchemaSyncError } from '../util/errors';
import { tableKey } from '../model/schema';

/** A user's exclusion pattern (`legacy_*`, `audit.*`), compiled once. */
export interface TableGlob {
  readonly pattern: string;
  matches(table: { readonly schema: string | null; readonly name: string }): boolean;
}

// Only `*` and `?` are given a meaning: brackets, braces and `!` would silently mean something else in other glob
// dialects, so they are refused rather than guessed.
const UNSUPPORTED = /[[\]{}!\\/]/;

/**
 * Compiles a table-name glob. `*` matches any run of characters except the schema dot, `?` one such character. A
 * pattern with a dot is matched against `schema.table` (tables outside the default schema), one without against the
 * table name in any schema.
 * `origin` names where the pattern came from (`--ignore`, `schema-sync.json "ignore"`) for the error message.
 */
export function compileTableGlob(pattern: string, origin: string): TableGlob {
  const trimmed = pattern.trim();
  if (trimmed === '') throw new SchemaSyncError('BAD_ARGUMENT', `${origin}: an empty pattern would match nothing; give a table name or glob such as "legacy_*"`);
  if (trimmed !== pattern) throw new SchemaSyncError('BAD_ARGUMENT', `${origin} "${pattern}": remove the surrounding spaces`);
  const bad = UNSUPPORTED.exec(pattern);
  if (bad !== null) {
    throw new SchemaSyncError('BAD_ARGUMENT', `${origin} "${pattern}": "${bad[0]}" is not supported; a pattern is a table name with * (any characters) and ? (one character), optionally "schema.table"`);
  }
  if (pattern.split('.').length > 2) throw new SchemaSyncError('BAD_ARGUMENT', `${origin} "${pattern}": expected "table" or "schema.table", not more dots`);
  const qualified = pattern.includes('.');
  const regex = new RegExp(`^${pattern.split('').map(globCharacter).join('')}$`);
  return {
    pattern,
    matches: (table) => regex.test(qualified ? tableKey(table) : table.name),
  };
}

function globCharacter(character: string): string {
  if (character === '*') return '[^.]*';
  if (character === '?') return '[^.]';
  return character.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
