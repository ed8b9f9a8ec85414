import type { Change } from '../change/change';
import { slugify } from './directory';

/** A phrase per change for the file name: `create_documents`, `add_chunks_embedding`. */
function phrase(change: Change): string | null {
  switch (change.kind) {
    case 'create_table':
      return `create_${change.table.name}`;
    case 'drop_table':
      return `drop_${change.table.name}`;
    case 'rename_table':
      return `rename_${change.from.name}`;
    case 'add_column':
      return `add_${change.table.name}_${change.column.name}`;
    case 'drop_column':
      return `drop_${change.table.name}_${change.column.name}`;
    case 'rename_column':
      return `rename_${change.table.name}_${change.from.name}`;
    case 'alter_column':
      return `alter_${change.table.name}_${change.to.name}`;
    case 'create_enum':
    case 'drop_enum':
      return null;
    case 'alter_enum':
      return `alter_${change.to.name}`;
    case 'create_view':
    case 'drop_view':
      return `${change.kind.split('_')[0]}_${change.view.name}_view`;
    case 'replace_view':
      return `replace_${change.to.name}_view`;
    case 'add_orm_record':
    case 'remove_orm_record':
      return null;
    case 'add_foreign_key':
    case 'drop_foreign_key':
      // Keys follow their tables; a file that only changes keys is named after the first one below.
      return null;
    default:
      return `${change.kind.split('_')[0]}_${change.table.name}_${change.kind.split('_').slice(1).join('_')}`;
  }
}

/** A slug naming the migration after its first changes, e.g. `create_documents_add_chunks_embedding`. */
export function slugForChanges(changes: readonly Change[]): string {
  const phrases = [...new Set(changes.map(phrase).filter((p): p is string => p !== null))];
  if (phrases.length === 0) phrases.push(changes.some((c) => c.kind.includes('foreign_key')) ? 'foreign_keys' : 'schema');
  let slug = '';
  for (const p of phrases) {
    const next = slug === '' ? p : `${slug}_${p}`;
    if (next.length > 60) break;
    slug = next;
  }
  return slugify(slug === '' ? (phrases[0] as string) : slug);
}
