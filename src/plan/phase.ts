import type { Change, TableRef } from '../change/change';
import { needsFill } from '../change/column-fill';
import { isWidening } from '../change/safety';
import { deepEqual } from '../model/compare';
import type { Column } from '../model/schema';
import { tableKey } from '../model/schema';
import { assertNever } from '../util/assert-never';

/**
 * When a change may run during a rolling deploy. `expand`: while the old release's pods still run against the
 * schema (nothing they read or write goes away or gets stricter). `contract`: only once every old pod is gone.
 */
export type Phase = 'expand' | 'contract';

/** The phases in the order a deploy runs them. */
export const PHASES: readonly Phase[] = ['expand', 'contract'];

/** A change's phase and the reason, in words a reviewer can check. */
export interface PhaseTag {
  readonly phase: Phase;
  readonly reason: string;
}

/** What the rest of the change list says about a change's objects: which are new in it, which are dropped in it. */
export interface PhaseContext {
  /** Tables created by the same list (`tableKey`). */
  readonly createdTables: ReadonlySet<string>;
  /** Columns added by the same list (`tableKey` + NUL + column). */
  readonly addedColumns: ReadonlySet<string>;
  /** Names of indexes, keys, checks and views the same list drops (`tableKey` + NUL + name): a create of one replaces it. */
  readonly droppedNames: ReadonlySet<string>;
}

const expand = (reason: string): PhaseTag => ({ phase: 'expand', reason });
const contract = (reason: string): PhaseTag => ({ phase: 'contract', reason });

/** The phase of every change of a list, in the same order; each judged with what the list creates and drops. */
export function classifyChanges(changes: readonly Change[]): PhaseTag[] {
  const context = phaseContextOf(changes);
  const tags = changes.map((change) => classifyChange(change, context));
  return keepRebuiltKeysWithTheirColumns(changes, tags);
}

/** The context `classifyChange` needs, read from a change list. Pure. */
export function phaseContextOf(changes: readonly Change[]): PhaseContext {
  const createdTables = new Set<string>();
  const addedColumns = new Set<string>();
  const droppedNames = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'create_table') createdTables.add(tableKey(change.table));
    if (change.kind === 'add_column') addedColumns.add(columnKey(change.table, change.column.name));
    const dropped = droppedName(change);
    if (dropped !== null) droppedNames.add(dropped);
  }
  return { createdTables, addedColumns, droppedNames };
}

/**
 * Whether the change is safe while the previous release still runs (`expand`) or must wait until it is gone
 * (`contract`), with the reason. Pure. The rule: the old release must still find every table and column it uses,
 * with a type that holds what it writes, and its writes (which leave out columns it does not know) must still pass.
 */
export function classifyChange(change: Change, context: PhaseContext): PhaseTag {
  switch (change.kind) {
    case 'create_table':
      return expand('a new table: the old release does not use it');
    case 'create_enum':
      return expand('a new enum type: nothing uses it yet');
    case 'create_index':
      if (replaces(context, change.table, change.index.name)) return contract(`replaces index ${change.index.name}, dropped in the contract phase`);
      if (!change.index.unique) return expand('an index: reads and writes go on as before');
      return onNewThings(context, change.table, change.index.columns, `a unique index over existing columns: the old release may write duplicates it refuses`);
    case 'add_unique':
      if (replaces(context, change.table, change.unique.name)) return contract(`replaces unique key ${change.unique.name}, dropped in the contract phase`);
      return onNewThings(context, change.table, change.unique.columns, 'a unique key over existing columns: the old release may write duplicates it refuses');
    case 'add_foreign_key':
      if (replaces(context, change.table, change.foreignKey.name)) return contract(`replaces foreign key ${change.foreignKey.name}, dropped in the contract phase`);
      return onNewThings(context, change.table, change.foreignKey.columns, 'a foreign key over existing columns: the old release may write rows it refuses');
    case 'add_check':
      if (replaces(context, change.table, change.check.name)) return contract(`replaces check ${change.check.name}, dropped in the contract phase`);
      return context.createdTables.has(tableKey(change.table)) ? expand('a check on a new table') : contract('a check on an existing table: the old release may write rows it refuses');
    case 'add_exclusion':
      if (replaces(context, change.table, change.exclusion.name)) return contract(`replaces exclusion ${change.exclusion.name}, dropped in the contract phase`);
      return context.createdTables.has(tableKey(change.table)) ? expand('an exclusion constraint on a new table') : contract('an exclusion constraint on an existing table: the old release may write rows it refuses');
    case 'add_column':
      return addColumnPhase(change.column, change.fill !== undefined);
    case 'alter_column':
      return alterColumnPhase(change);
    case 'alter_enum': {
      const removed = change.from.values.filter((value) => !change.to.values.includes(value));
      if (removed.length > 0) return contract(`removes enum value${removed.length === 1 ? '' : 's'} ${removed.join(', ')}, which the old release may still write`);
      return expand('adds enum values: every value the old release writes stays valid');
    }
    case 'alter_table_comment':
      return expand('a comment only');
    case 'rename_index':
    case 'rename_unique':
    case 'rename_foreign_key':
      return expand('a new name only: queries do not name it');
    case 'alter_primary_key':
      if (change.to === null) return contract('drops the primary key, which the old release may rely on');
      return onNewThings(context, change.table, change.to.columns, 'a primary key over existing columns: the old release may write rows it refuses');
    case 'drop_table':
      return contract('drops a table the old release may still use');
    case 'drop_column':
      return contract('drops a column the old release may still read or write');
    case 'drop_enum':
      return contract('drops an enum type the old release may still use');
    case 'drop_index':
      return contract('drops an index the old release may rely on (for speed, or for uniqueness)');
    case 'drop_unique':
      return contract('drops a unique key the old release may rely on');
    case 'drop_foreign_key':
      return contract('drops a foreign key the old release may rely on (its checks, its ON DELETE action)');
    case 'drop_check':
      return contract('drops a check the old release may rely on');
    case 'drop_exclusion':
      return contract('drops an exclusion constraint the old release may rely on');
    case 'rename_table':
      return contract('renames a table: the old release still uses the old name');
    case 'rename_column':
      return contract(`renames column ${change.from.name}: the old release still uses the old name`);
    case 'drop_view':
      return contract('drops a view the old release may still read');
    case 'replace_view':
      return contract('replaces a view the old release may still read');
    case 'create_view':
      return context.droppedNames.has(nameKey(change.view, change.view.name))
        ? contract('re-creates a view dropped in the contract phase')
        : expand('a new view: the old release does not read it');
    case 'copy_column':
      return expand(`fills ${change.to} from ${change.from} where it is NULL: nothing the old release reads changes`);
    case 'create_sync_trigger':
      return expand(`keeps ${change.from}, which the old release writes, and ${change.to} in step`);
    case 'drop_sync_trigger':
      return contract(`the old release writes ${change.from} only: without the trigger ${change.to} misses its writes`);
    case 'add_orm_record':
      return expand("a row in the ORM's metadata table");
    case 'remove_orm_record':
      return contract("removes a row from the ORM's metadata table, which the old release may still read");
    default:
      return assertNever(change, 'change');
  }
}

/** A NOT NULL column the old release does not write breaks its inserts unless the server can fill it in. */
function addColumnPhase(column: Column, filled: boolean): PhaseTag {
  if (!needsFill(column)) return expand(column.nullable ? 'a nullable column: the old release leaves it out' : 'a column with a default: the old release leaves it out');
  if (filled) return contract('a NOT NULL column without a default: the old release inserts rows without it (plan it in phases: default first, dropped in the contract phase)');
  return contract('a NOT NULL column without a default: the old release inserts rows without it');
}

/** The strictest of the aspects an alter_column changes. */
function alterColumnPhase(change: Extract<Change, { kind: 'alter_column' }>): PhaseTag {
  const { from, to } = change;
  const strict: string[] = [];
  for (const aspect of change.changed) {
    switch (aspect) {
      case 'type':
        if (!isWidening(from.type, to.type)) strict.push('a type that may not hold what the old release writes');
        break;
      case 'nullable':
        if (!to.nullable) strict.push('NOT NULL, which the old release may not honour');
        break;
      case 'default':
        if (to.default === null) strict.push('no default, which inserts from the old release may rely on');
        break;
      case 'generation':
        if (to.generation === null) strict.push('no generated values, which inserts from the old release may rely on');
        break;
      case 'onUpdate':
        if (to.onUpdate === null) strict.push('no ON UPDATE value, which the old release may rely on');
        break;
      case 'computed':
        if (to.computed !== undefined) strict.push('a generated column, which the old release may still write');
        break;
      case 'charset':
        strict.push('another character set, which may not hold what the old release writes');
        break;
      case 'collation':
        strict.push('another collation, which changes what counts as equal for the old release');
        break;
      case 'comment':
        break;
      default:
        assertNever(aspect, 'column aspect');
    }
  }
  if (strict.length > 0) return contract(`${to.name} becomes ${strict.join('; ')}`);
  return expand(`${to.name} ${change.changed.includes('type') ? 'widens' : 'loosens'}: everything the old release writes still fits`);
}

/** Expand when every column is new (or the table is), else contract with `otherwise`. */
function onNewThings(context: PhaseContext, table: TableRef, columns: readonly string[], otherwise: string): PhaseTag {
  if (context.createdTables.has(tableKey(table))) return expand('on a new table');
  if (columns.length > 0 && columns.every((column) => context.addedColumns.has(columnKey(table, column)))) return expand(`on new column${columns.length === 1 ? '' : 's'} ${columns.join(', ')}`);
  return contract(otherwise);
}

/**
 * A foreign key dropped and re-added with the same definition is a rebuild around its columns' type change: both go
 * in the phase of that change, so the key is away exactly while its columns change.
 */
function keepRebuiltKeysWithTheirColumns(changes: readonly Change[], tags: PhaseTag[]): PhaseTag[] {
  return tags.map((tag, i) => {
    const change = changes[i] as Change;
    if (change.kind !== 'drop_foreign_key' && change.kind !== 'add_foreign_key') return tag;
    const other = change.kind === 'drop_foreign_key' ? 'add_foreign_key' : 'drop_foreign_key';
    const rebuilt = changes.some((c) => c.kind === other && tableKey(c.table) === tableKey(change.table) && deepEqual(c.foreignKey, change.foreignKey));
    if (!rebuilt) return tag;
    const { foreignKey } = change;
    const covers = (c: Change) =>
      c.kind === 'alter_column' &&
      ((tableKey(c.table) === tableKey(change.table) && foreignKey.columns.includes(c.to.name)) ||
        (c.table.schema === foreignKey.referencedSchema && c.table.name === foreignKey.referencedTable && foreignKey.referencedColumns.includes(c.to.name)));
    const strict = changes.some((c, j) => covers(c) && tags[j]?.phase === 'contract');
    return strict
      ? contract(`foreign key ${foreignKey.name} is rebuilt around a column change of the contract phase`)
      : expand(`foreign key ${foreignKey.name} is rebuilt around a column change of the expand phase`);
  });
}

function replaces(context: PhaseContext, table: TableRef, name: string): boolean {
  return context.droppedNames.has(nameKey(table, name));
}

function droppedName(change: Change): string | null {
  switch (change.kind) {
    case 'drop_index':
      return nameKey(change.table, change.index.name);
    case 'drop_unique':
      return nameKey(change.table, change.unique.name);
    case 'drop_foreign_key':
      return nameKey(change.table, change.foreignKey.name);
    case 'drop_check':
      return nameKey(change.table, change.check.name);
    case 'drop_exclusion':
      return nameKey(change.table, change.exclusion.name);
    case 'drop_view':
      return nameKey(change.view, change.view.name);
    default:
      return null;
  }
}

function columnKey(table: TableRef, column: string): string {
  return `${tableKey(table)}\u0000${column}`;
}

function nameKey(table: TableRef, name: string): string {
  return `${tableKey(table)}\u0000${name}`;
}
