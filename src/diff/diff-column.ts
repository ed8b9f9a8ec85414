import type { ColumnAspect } from '../change/change';
import { deepEqual, sameType } from '../model/compare';
import type { Column } from '../model/schema';

/**
 * The aspects in which an existing column differs from the desired one. A desired charset or collation of null means
 * "whatever the table uses" and is not compared; PostgreSQL enum values belong to the enum type, so only the type's
 * name is compared here (value changes are `alter_enum`).
 */
export function diffColumn(actual: Column, desired: Column): ColumnAspect[] {
  const changed: ColumnAspect[] = [];
  if (!sameColumnType(actual, desired)) changed.push('type');
  if (actual.nullable !== desired.nullable) changed.push('nullable');
  if (!deepEqual(actual.default, desired.default)) changed.push('default');
  if (actual.generation !== desired.generation) changed.push('generation');
  if (actual.comment !== desired.comment) changed.push('comment');
  if (desired.charset !== null && actual.charset !== desired.charset) changed.push('charset');
  if (desired.collation !== null && actual.collation !== desired.collation) changed.push('collation');
  if (actual.onUpdate !== desired.onUpdate) changed.push('onUpdate');
  return changed;
}

function sameColumnType(actual: Column, desired: Column): boolean {
  const a = actual.type;
  const d = desired.type;
  if (a.kind === 'enum' && d.kind === 'enum' && a.typeName !== null && d.typeName !== null) return a.typeName === d.typeName;
  if (a.kind === 'array' && d.kind === 'array' && a.element.kind === 'enum' && d.element.kind === 'enum') {
    return a.element.typeName === d.element.typeName;
  }
  return sameType(a, d);
}
