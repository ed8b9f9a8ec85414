import { sameType } from '../model/compare';
import type { Column, Schema, Table } from '../model/schema';
import { tableKey } from '../model/schema';
import type { EntitySummary } from '../source/typeorm/load-models';
import { formatType } from '../report/format';
import { compareTypes } from './type-widening';

/** Why the old release's code would fail against the new schema; stable, for scripts. */
export type IncompatibilityCode =
  /** A table or view an entity maps to is gone (a rename counts: the old code still names the old table). */
  | 'table-missing'
  /** A column the old code reads and writes is gone (dropped or renamed). */
  | 'column-missing'
  /** Same family, but some values the old code writes no longer fit (varchar(255) -> varchar(100), bigint -> int). */
  | 'type-narrowed'
  /** Another family: the old code reads or writes another kind of value (varchar -> int). */
  | 'type-changed'
  /** An enum (or set) value the old code may write is gone. */
  | 'enum-value-removed'
  /** A NOT NULL column the old code does not know of has no default: its INSERTs fail. */
  | 'not-null-without-default'
  /** The old code leaves the column to its default (or generated value), which is gone from a NOT NULL column. */
  | 'default-removed'
  /** A column the old code may write NULL into is NOT NULL now. */
  | 'column-now-not-null';

/** One reason the old code breaks, named as the code names it and as the database does. */
export interface Incompatibility {
  readonly code: IncompatibilityCode;
  /** The entity class (or TypeORM's entity name when it has no class). */
  readonly entity: string;
  /** The entity property mapped to the column; null for a table-level reason or a column the entity does not map. */
  readonly property: string | null;
  /** The table, `schema.table` outside the default schema. */
  readonly table: string;
  readonly column: string | null;
  readonly detail: string;
}

/** What the check needs from the old release: its desired schema (normalised) and its entities. */
export interface OldRelease {
  readonly schema: Schema;
  readonly entities: readonly EntitySummary[];
}

/**
 * Every way the old release's entities would fail against `now` (a normalised schema read from a database): a table
 * or column gone, a type narrowed or changed, an enum value gone, a NOT NULL column the old INSERTs leave out without
 * a default. Pure; widenings (a longer varchar, int -> bigint, values added to an enum) are compatible.
 */
export function checkCompatibility(old: OldRelease, now: Schema): Incompatibility[] {
  const found: Incompatibility[] = [];
  const tables = new Map(now.tables.map((table) => [tableKey(table), table]));
  const views = new Set((now.views ?? []).map(tableKey));
  for (const table of old.schema.tables) {
    const entity = entityOf(old.entities, table.name);
    const current = tables.get(tableKey(table));
    const where = { entity: entity?.className || entity?.name || table.name, table: tableKey(table) };
    if (current === undefined) {
      found.push({ code: 'table-missing', ...where, property: null, column: null, detail: `table ${tableKey(table)} no longer exists (dropped or renamed)` });
      continue;
    }
    found.push(...checkColumns(table, current, entity, where));
  }
  for (const view of old.schema.views ?? []) {
    const key = tableKey(view);
    if (views.has(key) || tables.has(key)) continue;
    const entity = entityOf(old.entities, view.name);
    found.push({ code: 'table-missing', entity: entity?.className || entity?.name || view.name, table: key, property: null, column: null, detail: `view ${key} no longer exists (dropped or renamed)` });
  }
  return found;
}

function checkColumns(old: Table, now: Table, entity: EntitySummary | undefined, where: { entity: string; table: string }): Incompatibility[] {
  const found: Incompatibility[] = [];
  const columns = new Map(now.columns.map((column) => [column.name, column]));
  const report = (code: Incompatibility['code'], column: string, detail: string) =>
    found.push({ code, ...where, property: entity?.properties.get(column) ?? null, column, detail });
  const known = new Set(old.columns.map((column) => column.name));
  const unknown = now.columns.filter((column) => !known.has(column.name));
  for (const before of old.columns) {
    const after = columns.get(before.name);
    if (after === undefined) {
      report('column-missing', before.name, `column ${before.name} no longer exists (dropped or renamed${renamedTo(before, unknown)})`);
      continue;
    }
    const types = compareTypes(before.type, after.type);
    if (types.removedValues.length > 0) {
      report('enum-value-removed', before.name, `value${types.removedValues.length === 1 ? '' : 's'} ${types.removedValues.map((v) => `'${v}'`).join(', ')} removed from column ${before.name}`);
    } else if (types.verdict === 'narrower' || types.verdict === 'changed') {
      report(types.verdict === 'narrower' ? 'type-narrowed' : 'type-changed', before.name, `column ${before.name}: ${typeText(before)} -> ${typeText(after)}`);
    }
    if (writesItself(before) || !requiresValue(after)) continue;
    if (before.nullable) report('column-now-not-null', before.name, `column ${before.name} is NOT NULL now, and the old code may write NULL into it`);
    else if (before.default !== null || before.generation !== null) report('default-removed', before.name, `column ${before.name} is NOT NULL without a default now, and the old code leaves it to the default`);
  }
  for (const added of unknown) {
    if (!requiresValue(added)) continue;
    report('not-null-without-default', added.name, `column ${added.name} is NOT NULL without a default, and the old code's INSERTs leave it out`);
  }
  return found;
}

/** `: to email_v2?` when exactly one column the old code does not know has the same type: the likely new name. */
function renamedTo(column: Column, unknown: readonly Column[]): string {
  const alike = unknown.filter((candidate) => sameType(candidate.type, column.type));
  return alike.length === 1 ? `: to ${(alike[0] as Column).name}?` : '';
}

/** A column the server fills itself: the old code never writes it. */
function writesItself(column: Column): boolean {
  return column.computed !== undefined;
}

/** An INSERT that leaves this column out fails. */
function requiresValue(column: Column): boolean {
  return !column.nullable && column.default === null && column.generation === null && column.computed === undefined;
}

function entityOf(entities: readonly EntitySummary[], table: string): EntitySummary | undefined {
  return entities.find((entity) => entity.table === table);
}

function typeText(column: Column): string {
  return formatType(column.type);
}
