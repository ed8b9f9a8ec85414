import type { Column, ColumnDefault, ColumnType, Deferrable, ForeignKey, Index } from '../model/schema';
import { assertNever } from '../util/assert-never';

/** A readable, dialect-neutral spelling of a type for reports (SQL comes from the dialect renderers). */
export function formatType(type: ColumnType): string {
  switch (type.kind) {
    case 'integer':
      return `${type.size === 'int' ? 'int' : `${type.size}int`}${type.unsigned ? ' unsigned' : ''}`;
    case 'boolean':
      return 'boolean';
    case 'decimal':
      return `decimal${type.precision === null ? '' : `(${type.precision}${type.scale === null ? '' : `,${type.scale}`})`}${type.unsigned ? ' unsigned' : ''}`;
    case 'float':
      return `${type.size === 'single' ? 'float' : 'double'}${type.unsigned ? ' unsigned' : ''}`;
    case 'string': {
      const base = `${type.fixed ? '' : 'var'}${type.binary ? 'binary' : 'char'}`;
      return type.length === null ? base : `${base}(${type.length})`;
    }
    case 'text':
      return `${type.size === 'regular' ? '' : type.size}${type.binary ? 'blob' : 'text'}`;
    case 'temporal':
      return type.precision === null ? type.name : `${type.name}(${type.precision})`;
    case 'json':
      return type.binary ? 'jsonb' : 'json';
    case 'uuid':
      return 'uuid';
    case 'enum':
      return `${type.typeName ?? 'enum'}(${type.values.map((value) => `'${value}'`).join(', ')})`;
    case 'set':
      return `set(${type.values.map((value) => `'${value}'`).join(', ')})`;
    case 'vector':
      return type.dimensions === null ? 'vector' : `vector(${type.dimensions})`;
    case 'array':
      return `${formatType(type.element)}[]`;
    case 'raw':
      return type.sql;
    default:
      return assertNever(type, 'column type');
  }
}

/** A default as a reader expects to see it: literals quoted, expressions bare, none as `none`. */
export function formatDefault(value: ColumnDefault | null): string {
  if (value === null) return 'none';
  return value.kind === 'literal' ? `'${value.value.replace(/'/g, "''")}'` : value.sql;
}

/** One line describing a column's definition. */
export function formatColumn(column: Column): string {
  const parts = [formatType(column.type), column.nullable ? 'NULL' : 'NOT NULL'];
  if (column.default !== null) parts.push(`DEFAULT ${formatDefault(column.default)}`);
  if (column.onUpdate !== null) parts.push(`ON UPDATE ${column.onUpdate}`);
  if (column.generation !== null) parts.push(column.generation === 'increment' ? 'AUTO_INCREMENT' : `GENERATED ${column.generation.replace('identity-', '').replace(/-/g, ' ').toUpperCase()} AS IDENTITY`);
  return parts.join(' ');
}

/** `"name" (a, b) UNIQUE WHERE …` */
export function formatIndex(index: Index): string {
  const keys = index.columns.map((key, k) => {
    const options = index.keys?.[k];
    if (options === undefined) return key;
    const length = options.length === null ? '' : `(${options.length})`;
    const opclass = options.opclass === null ? '' : ` ${options.opclass}`;
    return `${key}${length}${opclass}${options.descending ? ' DESC' : ''}${options.nulls === null ? '' : ` NULLS ${options.nulls.toUpperCase()}`}`;
  });
  const parts = [`${index.unique ? 'unique ' : ''}index ${index.name} (${keys.join(', ')})`];
  if (index.method !== null) parts.push(`USING ${index.method}`);
  if (index.include !== undefined && index.include.length > 0) parts.push(`INCLUDE (${index.include.join(', ')})`);
  const parameters = Object.entries(index.parameters ?? {});
  if (parameters.length > 0) parts.push(`WITH (${parameters.map(([name, value]) => `${name}=${value}`).join(', ')})`);
  if (index.where !== null) parts.push(`WHERE ${index.where}`);
  return parts.join(' ');
}

/** `fk_name (a) -> other(id) ON DELETE CASCADE` */
export function formatForeignKey(foreignKey: ForeignKey): string {
  const target = foreignKey.referencedSchema === null ? foreignKey.referencedTable : `${foreignKey.referencedSchema}.${foreignKey.referencedTable}`;
  let text = `foreign key ${foreignKey.name} (${foreignKey.columns.join(', ')}) -> ${target}(${foreignKey.referencedColumns.join(', ')})`;
  if (foreignKey.onDelete !== 'NO ACTION') text += ` ON DELETE ${foreignKey.onDelete}`;
  if (foreignKey.onUpdate !== 'NO ACTION') text += ` ON UPDATE ${foreignKey.onUpdate}`;
  return text + formatDeferrable(foreignKey.deferrable);
}

/** ` DEFERRABLE INITIALLY DEFERRED`, or nothing for a constraint checked per statement (the default). */
export function formatDeferrable(deferrable: Deferrable | undefined): string {
  return deferrable === undefined ? '' : ` DEFERRABLE ${deferrable}`;
}
