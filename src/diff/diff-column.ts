import type { ColumnAspect } from '../change/change';
import { deepEqual, sameType } from '../model/compare';
import { canonicalExpression } from '../model/normalize-expression';
import type { Column, ComputedColumn } from '../model/schema';

/**
 * The aspects in which an existing column differs from the desired one. A charset or collation of null means what the
 * column gets when its definition names none (see Column), on both sides, and is compared like any other value: a
 * foreign key needs both its sides' character set and collation to match, so a column left at another set than the
 * table's would break a later key to a column that has the table's. PostgreSQL enum values belong to the enum type,
 * so only the type's name is compared here (value changes are `alter_enum`).
 */
export function diffColumn(actual: Column, desired: Column): ColumnAspect[] {
  const changed: ColumnAspect[] = [];
  if (!sameColumnType(actual, desired)) changed.push('type');
  if (actual.nullable !== desired.nullable) changed.push('nullable');
  if (!deepEqual(actual.default, desired.default)) changed.push('default');
  if (actual.generation !== desired.generation) changed.push('generation');
  if (actual.comment !== desired.comment) changed.push('comment');
  if (actual.charset !== desired.charset) changed.push('charset');
  if (actual.collation !== desired.collation) changed.push('collation');
  if (actual.onUpdate !== desired.onUpdate) changed.push('onUpdate');
  if (!sameComputation(actual.computed, desired.computed)) changed.push('computed');
  return changed;
}

/** The server rewrites a generation expression (quotes, parentheses, casts), so it is compared by its canonical text. */
function sameComputation(actual: ComputedColumn | undefined, desired: ComputedColumn | undefined): boolean {
  if (actual === undefined || desired === undefined) return actual === desired;
  return actual.stored === desired.stored && canonicalExpression(actual.expression) === canonicalExpression(desired.expression);
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
