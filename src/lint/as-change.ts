import type { Change, ColumnAspect, TableRef } from '../change/change';
import { deepEqual, sameType } from '../model/compare';
import type { Column, Table } from '../model/schema';
import type { AlterAction } from './ddl-statement';

/** A column lint knows only by name: what a drop or rename of an unknown column carries. */
export function columnNamed(name: string): Column {
  return { name, type: { kind: 'raw', sql: 'unknown' }, nullable: true, default: null, generation: null, comment: null, charset: null, collation: null, onUpdate: null };
}

/**
 * The Change an ALTER TABLE clause makes, so the lock rules (src/dialect/<db>/lock-impact.ts) can cost it as they cost
 * a planned change; `table` is the table as it stands before the clause (null when unknown). `unknown` when costing
 * needs the column's current definition and it is not known; null for clauses that are no change of the model
 * (VALIDATE CONSTRAINT) or that lint does not read.
 */
export function changeOfAction(action: AlterAction, ref: TableRef, table: Table | null): Change | 'unknown' | null {
  const column = (name: string) => table?.columns.find((c) => c.name === name) ?? null;
  switch (action.kind) {
    case 'add_column':
      return { kind: 'add_column', table: ref, column: action.column };
    case 'drop_column':
      return { kind: 'drop_column', table: ref, column: column(action.name) ?? columnNamed(action.name) };
    case 'rename_column': {
      const from = column(action.from) ?? columnNamed(action.from);
      return { kind: 'rename_column', table: ref, from, to: { ...from, name: action.to } };
    }
    case 'modify_column':
    case 'alter_type':
    case 'set_not_null':
    case 'drop_not_null':
    case 'set_default': {
      const from = column(action.kind === 'modify_column' ? action.from : action.name);
      if (from === null) return 'unknown';
      const to = columnAfter(action, from);
      return { kind: 'alter_column', table: ref, from, to, changed: aspectsChanged(from, to) };
    }
    case 'add_index':
      return { kind: 'create_index', table: ref, index: action.index };
    case 'add_unique':
      return { kind: 'add_unique', table: ref, unique: action.unique };
    case 'add_primary_key':
      return { kind: 'alter_primary_key', table: ref, from: table?.primaryKey ?? null, to: { name: null, columns: action.columns } };
    case 'drop_primary_key':
      return { kind: 'alter_primary_key', table: ref, from: table?.primaryKey ?? { name: null, columns: [] }, to: null };
    case 'add_foreign_key':
      return { kind: 'add_foreign_key', table: ref, foreignKey: action.foreignKey };
    case 'add_check':
      return { kind: 'add_check', table: ref, check: action.check };
    case 'drop_index': {
      const index = table?.indexes.find((i) => i.name === action.name) ?? { name: action.name, columns: [], unique: false, where: null, method: null };
      return { kind: 'drop_index', table: ref, index };
    }
    case 'drop_foreign_key': {
      const foreignKey = table?.foreignKeys.find((f) => f.name === action.name) ?? { name: action.name, columns: [], referencedSchema: null, referencedTable: '', referencedColumns: [], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' };
      return { kind: 'drop_foreign_key', table: ref, foreignKey };
    }
    case 'drop_constraint':
      return { kind: 'drop_check', table: ref, check: { name: action.name, expression: '' } };
    case 'rename_index': {
      const from = table?.indexes.find((i) => i.name === action.from) ?? { name: action.from, columns: [], unique: false, where: null, method: null };
      return { kind: 'rename_index', table: ref, from, to: { ...from, name: action.to } };
    }
    case 'rename_table':
      return { kind: 'rename_table', from: ref, to: action.to };
    case 'comment':
      return { kind: 'alter_table_comment', table: ref, from: table?.comment ?? null, to: '' };
    case 'validate_constraint':
    case 'other':
      return null;
  }
}

function columnAfter(action: AlterAction, from: Column): Column {
  switch (action.kind) {
    case 'modify_column':
      // MODIFY restates the definition; what it leaves out (comment, charset, collation) is not read here.
      return { ...action.column, name: from.name, comment: from.comment, charset: from.charset, collation: from.collation, onUpdate: from.onUpdate };
    case 'alter_type':
      return { ...from, type: action.type };
    case 'set_not_null':
      return { ...from, nullable: false };
    case 'drop_not_null':
      return { ...from, nullable: true };
    case 'set_default':
      return { ...from, default: action.default };
    default:
      return from;
  }
}

function aspectsChanged(from: Column, to: Column): ColumnAspect[] {
  const changed: ColumnAspect[] = [];
  if (!sameType(from.type, to.type)) changed.push('type');
  if (from.nullable !== to.nullable) changed.push('nullable');
  if (!deepEqual(from.default, to.default)) changed.push('default');
  if (from.generation !== to.generation) changed.push('generation');
  if (!deepEqual(from.computed, to.computed)) changed.push('computed');
  return changed;
}
