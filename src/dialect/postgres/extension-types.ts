import type { Column, ColumnType } from '../../model/schema';

/** Types that exist only once an extension is installed, by the name format_type prints. */
const TYPE_EXTENSIONS: Readonly<Record<string, string>> = {
  citext: 'citext',
  hstore: 'hstore',
  ltree: 'ltree',
  lquery: 'ltree',
  ltxtquery: 'ltree',
  cube: 'cube',
};

/** The extension a column type needs on PostgreSQL, or null for a built-in type. */
export function extensionForType(type: ColumnType): string | null {
  if (type.kind === 'vector') return 'vector';
  if (type.kind === 'array') return extensionForType(type.element);
  if (type.kind !== 'raw') return null;
  // A raw type may come schema-qualified (`public.citext`) or with modifiers; the bare name decides.
  const name = /^(?:[a-z_][a-z0-9_]*\.)?([a-z_][a-z0-9_]*)/.exec(type.sql)?.[1] ?? '';
  return TYPE_EXTENSIONS[name] ?? null;
}

/** The extensions a column needs: for its type, and for a default that calls uuid-ossp. */
export function extensionsForColumn(column: Column): string[] {
  const needed: string[] = [];
  const forType = extensionForType(column.type);
  if (forType !== null) needed.push(forType);
  if (column.default?.kind === 'expression' && /\buuid_generate_v[14]/.test(column.default.sql)) needed.push('uuid-ossp');
  return needed;
}
