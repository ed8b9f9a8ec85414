import type { Change } from '../../change/change';
import type { Column, ExclusionConstraint, Index } from '../../model/schema';
import { extensionsForColumn } from './extension-types';
import { quotePostgresIdentifier } from './quote';

/**
 * Statements a PostgreSQL migration needs before its changes: the schemas new tables live in and the extensions
 * their columns use (pgvector's `vector`, citext, hstore, ltree, cube, uuid-ossp's `uuid_generate_v4()`). All idempotent, never rolled back:
 * other objects may depend on them.
 */
export function postgresPrerequisites(changes: readonly Change[]): string[] {
  const schemas = new Set<string>();
  const extensions = new Set<string>();
  const noteColumn = (column: Column) => {
    for (const extension of extensionsForColumn(column)) extensions.add(extension);
  };
  const noteIndex = (index: Index) => {
    for (const key of index.keys ?? []) {
      const extension = key.opclass === null ? undefined : OPCLASS_EXTENSIONS.find(([pattern]) => pattern.test(key.opclass ?? ''))?.[1];
      if (extension !== undefined) extensions.add(extension);
    }
  };
  const noteExclusion = (exclusion: ExclusionConstraint) => {
    if (needsBtreeGist(exclusion)) extensions.add('btree_gist');
  };
  for (const change of changes) {
    if (change.kind === 'add_exclusion') {
      noteExclusion(change.exclusion);
    } else if (change.kind === 'create_index') {
      noteIndex(change.index);
    } else if (change.kind === 'create_table') {
      if (change.table.schema !== null) schemas.add(change.table.schema);
      change.table.columns.forEach(noteColumn);
      change.table.indexes.forEach(noteIndex);
      (change.table.exclusions ?? []).forEach(noteExclusion);
    } else if (change.kind === 'create_enum' && change.enumType.schema !== null) {
      schemas.add(change.enumType.schema);
    } else if (change.kind === 'add_column') {
      noteColumn(change.column);
    } else if (change.kind === 'alter_column') {
      noteColumn(change.to);
    } else if (change.kind === 'create_view' && change.view.schema !== null) {
      schemas.add(change.view.schema);
    } else if (change.kind === 'rename_table' && change.to.schema !== null) {
      schemas.add(change.to.schema);
    }
  }
  return [
    ...[...schemas].sort().map((schema) => `CREATE SCHEMA IF NOT EXISTS ${quotePostgresIdentifier(schema)}`),
    ...[...extensions].sort().map((extension) => `CREATE EXTENSION IF NOT EXISTS ${quotePostgresIdentifier(extension)}`),
  ];
}

/**
 * A gist EXCLUDE constraint comparing with a b-tree operator (`room WITH =`): gist has those operators for scalar
 * types only through btree_gist (TypeORM's synchronize() creates it for any exclusion; a range's `&&` alone needs it not).
 */
function needsBtreeGist(exclusion: ExclusionConstraint): boolean {
  return /^\s*USING\s+gist\b/i.test(exclusion.expression) && /\bWITH\s*(?:=|<>|!=|<=|>=|<|>)(?=\s*[,)])/i.test(exclusion.expression);
}

/** Operator classes that come with an extension: an index using one needs it, even on a column of a core type. */
const OPCLASS_EXTENSIONS: readonly (readonly [RegExp, string])[] = [
  [/^(?:[a-z_]+\.)?g(?:in|ist)_trgm_ops$/, 'pg_trgm'],
  [/^(?:[a-z_]+\.)?(?:vector|halfvec|sparsevec|bit)_(?:l2|ip|cosine|l1|hamming|jaccard)_ops$/, 'vector'],
];
