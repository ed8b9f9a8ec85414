import type { Change, TableRef } from '../../change/change';
import type { CheckConstraint, ForeignKey, Index, Table } from '../../model/schema';
import { SchemaSyncError } from '../../util/errors';
import type { RenderContext } from '../sql-dialect';
import { foreignKeysWithOwnIndex, hasOwnIndex, isKeyIndex, leadsAKey } from './key-indexes';
import { quoteMysqlList, quoteMysqlName, quoteMysqlTable } from './quote';
import { mysqlColumnDefinition, withoutAutoIncrement } from './render-column';

type ChangeOf<K extends Change['kind']> = Extract<Change, { readonly kind: K }>;

/*
 * Indexes, unique keys, foreign keys and checks on MySQL/MariaDB. Unique constraints are unique indexes there.
 *
 * InnoDB needs an index whose leading columns are a foreign key's columns. When none exists, ADD FOREIGN KEY creates
 * one named after the key (the introspector hides it), the server drops it by itself once another index can serve,
 * refuses to drop the last index that serves, and leaves it behind when the key is dropped. An index added
 * explicitly under the key's name (as below) is not dropped by the server when another index arrives. The renderers
 * below keep that invisible index in step, using the table as it is before the change: it exists exactly while no
 * index of the model serves the key and no longer foreign key's own index does (key-indexes.ts
 * foreignKeysWithOwnIndex); every change of that set is stated in the ALTER TABLE that causes it.
 *
 * InnoDB also refuses AUTO_INCREMENT on a column that no index leads; the model keeps `generation: 'increment'`
 * throughout, so the renderers of key changes take AUTO_INCREMENT off a column whose last leading index goes and
 * put it back when one arrives (see render-column.ts asServerHoldsIt).
 */

/** The keyword an index is created with: `UNIQUE INDEX`, `FULLTEXT INDEX`, `SPATIAL INDEX` or `INDEX`. */
function indexKind(index: Index): string {
  const method = index.method?.toLowerCase() ?? null;
  if (method === 'fulltext') return 'FULLTEXT INDEX';
  if (method === 'spatial') return 'SPATIAL INDEX';
  return index.unique ? 'UNIQUE INDEX' : 'INDEX';
}

/** `USING BTREE|HASH` for the other methods; none for the default, FULLTEXT and SPATIAL. */
function indexUsing(index: Index): string {
  const method = index.method?.toLowerCase() ?? null;
  return method === null || method === 'fulltext' || method === 'spatial' ? '' : ` USING ${method.toUpperCase()}`;
}

function requireFullIndex(table: TableRef, index: Index): void {
  if (index.where !== null) {
    throw new SchemaSyncError('UNSUPPORTED', `MySQL and MariaDB have no partial indexes (${table.name}.${index.name} WHERE ${index.where})`);
  }
}

/** An index as a CREATE TABLE clause: `INDEX \`name\` (…)`. */
export function indexClause(table: TableRef, index: Index): string {
  requireFullIndex(table, index);
  return `${indexKind(index)} ${quoteMysqlName(index.name)} (${indexKeysSql(table, index)})${indexUsing(index)}`;
}

/** The key list: `\`a\`(10) DESC, \`b\``, with a key's prefix length and direction where it has them. */
function indexKeysSql(table: TableRef, index: Index): string {
  return index.columns
    .map((column, k) => {
      const key = index.keys?.[k];
      if (key !== undefined && (key.opclass !== null || key.nulls !== null)) {
        throw new SchemaSyncError('UNSUPPORTED', `MySQL and MariaDB have no operator classes or NULLS placement (${table.name}.${index.name})`);
      }
      const length = key?.length == null ? '' : `(${key.length})`;
      return `${quoteMysqlName(column)}${length}${key?.descending === true ? ' DESC' : ''}`;
    })
    .join(', ');
}

/** `CONSTRAINT \`name\` CHECK (…)`: the expression as the model holds it (see the PostgreSQL note on canonical text). */
export function checkClause(check: CheckConstraint): string {
  return `CONSTRAINT ${quoteMysqlName(check.name)} CHECK (${check.expression})`;
}

/** `CONSTRAINT \`name\` FOREIGN KEY (…) REFERENCES … (…) ON DELETE … ON UPDATE …`. */
export function foreignKeyClause(foreignKey: ForeignKey): string {
  const referenced = quoteMysqlTable({ schema: foreignKey.referencedSchema, name: foreignKey.referencedTable });
  return (
    `CONSTRAINT ${quoteMysqlName(foreignKey.name)} FOREIGN KEY (${quoteMysqlList(foreignKey.columns)}) ` +
    `REFERENCES ${referenced} (${quoteMysqlList(foreignKey.referencedColumns)}) ON DELETE ${foreignKey.onDelete} ON UPDATE ${foreignKey.onUpdate}`
  );
}

/** The table as it is before the change, if the context has it. */
export function tableBefore(context: RenderContext, ref: TableRef): Table | undefined {
  return context.before.tables.find((table) => table.schema === ref.schema && table.name === ref.name);
}

/** create_index: `CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX … ON … (…)`, or an ALTER TABLE with the key repairs it needs. */
export function createMysqlIndex(change: ChangeOf<'create_index'>, context: RenderContext): readonly string[] {
  return [createIndexSql(change.table, change.index, context)];
}

/** drop_index, re-creating a foreign key's own index when this one was the last that served it. */
export function dropMysqlIndex(change: ChangeOf<'drop_index'>, context: RenderContext): readonly string[] {
  return [dropIndexSql(change.table, change.index.name, context)];
}

/** add_unique: a unique index, which is all a MySQL unique constraint is. */
export function addMysqlUnique(change: ChangeOf<'add_unique'>, context: RenderContext): readonly string[] {
  const { name, columns } = change.unique;
  return [createIndexSql(change.table, { name, columns, unique: true, where: null, method: null }, context)];
}

/** drop_unique: drops the unique index. */
export function dropMysqlUnique(change: ChangeOf<'drop_unique'>, context: RenderContext): readonly string[] {
  return [dropIndexSql(change.table, change.unique.name, context)];
}

/**
 * add_foreign_key (InnoDB adds an index named after it when none can serve it), dropping the own indexes of shorter
 * keys that the new key's index now serves: the server drops them by itself only when it made them.
 */
export function addMysqlForeignKey(change: ChangeOf<'add_foreign_key'>, context: RenderContext): readonly string[] {
  const table = tableBefore(context, change.table);
  const repairs = table === undefined ? [] : ownIndexRepairs(table, { ...table, foreignKeys: [...table.foreignKeys, change.foreignKey] }, change.foreignKey.name);
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} ADD ${[foreignKeyClause(change.foreignKey), ...repairs].join(', ')}`];
}

/**
 * drop_foreign_key, with the index InnoDB made for it, and an own index for each shorter key that index served (in the
 * same ALTER TABLE, or the server refuses the drop as the index is 'needed in a foreign key constraint').
 */
export function dropMysqlForeignKey(change: ChangeOf<'drop_foreign_key'>, context: RenderContext): readonly string[] {
  const name = change.foreignKey.name;
  const table = tableBefore(context, change.table);
  const ownIndex = table !== undefined && hasOwnIndex(table, change.foreignKey);
  const repairs = table === undefined ? [] : ownIndexRepairs(table, { ...table, foreignKeys: table.foreignKeys.filter((foreignKey) => foreignKey.name !== name) }, name);
  const clauses = [`DROP FOREIGN KEY ${quoteMysqlName(name)}`, ...(ownIndex ? [`DROP INDEX ${quoteMysqlName(name)}`] : []), ...repairs];
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} ${clauses.join(', ')}`];
}

/**
 * The clauses that take the foreign keys' own indexes from what `before` has to what `after` needs, when the table's
 * foreign keys change (`changed`, the key added or dropped, is left to its own clause).
 */
function ownIndexRepairs(before: Table, after: Table, changed: string): string[] {
  const had = foreignKeysWithOwnIndex(before);
  const needs = foreignKeysWithOwnIndex(after);
  return after.foreignKeys
    .filter((foreignKey) => foreignKey.name !== changed)
    .flatMap((foreignKey) => {
      if (had.has(foreignKey.name) && !needs.has(foreignKey.name)) return [`DROP INDEX ${quoteMysqlName(foreignKey.name)}`];
      if (!had.has(foreignKey.name) && needs.has(foreignKey.name)) return [`ADD INDEX ${quoteMysqlName(foreignKey.name)} (${quoteMysqlList(foreignKey.columns)})`];
      return [];
    });
}

/** add_check. */
export function addMysqlCheck(change: ChangeOf<'add_check'>): readonly string[] {
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} ADD ${checkClause(change.check)}`];
}

/** add_exclusion / drop_exclusion: PostgreSQL only; a MySQL schema never has one on either side. */
export function mysqlExclusion(change: ChangeOf<'add_exclusion'> | ChangeOf<'drop_exclusion'>): readonly string[] {
  throw new SchemaSyncError('UNSUPPORTED', `MySQL and MariaDB have no exclusion constraints (${change.table.name}.${change.exclusion.name})`);
}

/** drop_check: DROP CONSTRAINT, which both MariaDB (10.2) and MySQL (8.0.19) accept for checks. */
export function dropMysqlCheck(change: ChangeOf<'drop_check'>): readonly string[] {
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} DROP CONSTRAINT ${quoteMysqlName(change.check.name)}`];
}

function createIndexSql(ref: TableRef, index: Index, context: RenderContext): string {
  requireFullIndex(ref, index);
  const repairs = isKeyIndex(index) ? keyChangeRepairs(tableBefore(context, ref), null, [index.columns]) : [];
  if (repairs.length === 0) return `CREATE ${indexKind(index)} ${quoteMysqlName(index.name)} ON ${quoteMysqlTable(ref)} (${indexKeysSql(ref, index)})${indexUsing(index)}`;
  return `ALTER TABLE ${quoteMysqlTable(ref)} ADD ${indexClause(ref, index)}, ${repairs.join(', ')}`;
}

function dropIndexSql(ref: TableRef, name: string, context: RenderContext): string {
  const repairs = keyChangeRepairs(tableBefore(context, ref), name, []);
  if (repairs.length === 0) return `DROP INDEX ${quoteMysqlName(name)} ON ${quoteMysqlTable(ref)}`;
  return `ALTER TABLE ${quoteMysqlTable(ref)} DROP INDEX ${quoteMysqlName(name)}, ${repairs.join(', ')}`;
}

/**
 * The clauses that keep the server in step with the model when the key index `removed` (`PRIMARY` for the primary
 * key; null for none) goes and keys on the column lists `added` arrive, to be run in the same ALTER TABLE:
 * foreign keys' own indexes added or dropped, and AUTO_INCREMENT taken off or put back.
 */
export function keyChangeRepairs(table: Table | undefined, removed: string | null, added: readonly (readonly string[])[]): string[] {
  if (table === undefined) return [];
  return [...foreignKeyIndexRepairs(table, removed, added), ...autoIncrementRepairs(table, removed, added)];
}

/**
 * The foreign keys' own indexes when the key index `removed` (`PRIMARY` for the primary key; null for none) goes and
 * keys on the column lists `added` arrive: `ADD INDEX` under the key's name for each key that loses its last serving
 * index (InnoDB then accepts the drop in the same ALTER TABLE), `DROP INDEX` for each own index an arriving key makes
 * redundant (one InnoDB was told to add stays until it is dropped).
 */
function foreignKeyIndexRepairs(table: Table, removed: string | null, added: readonly (readonly string[])[]): string[] {
  const had = foreignKeysWithOwnIndex(table);
  const needs = foreignKeysWithOwnIndex(table, removed, added);
  return [
    ...table.foreignKeys.filter((foreignKey) => needs.has(foreignKey.name) && !had.has(foreignKey.name)).map((foreignKey) => `ADD INDEX ${quoteMysqlName(foreignKey.name)} (${quoteMysqlList(foreignKey.columns)})`),
    ...table.foreignKeys.filter((foreignKey) => had.has(foreignKey.name) && !needs.has(foreignKey.name)).map((foreignKey) => `DROP INDEX ${quoteMysqlName(foreignKey.name)}`),
  ];
}

/** `MODIFY` clauses for the AUTO_INCREMENT columns whose last leading key goes (taken off) or whose first arrives (put back). */
function autoIncrementRepairs(table: Table, removed: string | null, added: readonly (readonly string[])[]): string[] {
  const ref: TableRef = { schema: table.schema, name: table.name };
  return table.columns.flatMap((column) => {
    if (column.generation !== 'increment') return [];
    const before = leadsAKey(table, column.name);
    const after = leadsAKey(table, column.name, removed) || added.some((columns) => columns[0] === column.name);
    if (before === after) return [];
    return [`MODIFY COLUMN ${mysqlColumnDefinition(ref, after ? column : withoutAutoIncrement(column))}`];
  });
}

/** rename_index (and a unique key, which is an index here): RENAME INDEX, MySQL 5.7 and MariaDB 10.5 on. */
export function renameMysqlIndex(change: ChangeOf<'rename_index' | 'rename_unique'>): readonly string[] {
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} RENAME INDEX ${quoteMysqlName(change.from.name)} TO ${quoteMysqlName(change.to.name)}`];
}

/**
 * rename_foreign_key: neither server can rename a foreign key, so it is dropped and added under the new name in one
 * ALTER TABLE (never without the key in between). The index InnoDB made for the key, when no index of the table
 * serves it, is named after the key: it is renamed with it, or the old name would be left on an index of its own.
 */
export function renameMysqlForeignKey(change: ChangeOf<'rename_foreign_key'>, context: RenderContext): readonly string[] {
  const table = tableBefore(context, change.table);
  const ownIndex = table !== undefined && hasOwnIndex(table, change.from);
  const from = quoteMysqlName(change.from.name);
  const renameIndex = ownIndex ? `, RENAME INDEX ${from} TO ${quoteMysqlName(change.to.name)}` : '';
  return [`ALTER TABLE ${quoteMysqlTable(change.table)} DROP FOREIGN KEY ${from}, ADD ${foreignKeyClause(change.to)}${renameIndex}`];
}
