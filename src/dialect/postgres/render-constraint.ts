import type { Change, TableRef } from '../../change/change';
import type { RenderContext } from '../sql-dialect';
import type { CheckConstraint, Deferrable, ExclusionConstraint, ForeignKey, Index, IndexKeyOptions, Table, UniqueConstraint } from '../../model/schema';
import { SchemaSyncError } from '../../util/errors';
import { quotePostgresIdentifier, quotePostgresList, quotePostgresLiteral, quotePostgresQualified, quotePostgresTable } from './quote';

type ChangeOf<K extends Change['kind']> = Extract<Change, { readonly kind: K }>;

/*
 * Keys, indexes and checks. Constraint clauses are shared by CREATE TABLE (inline) and ALTER TABLE ADD.
 *
 * Checks and partial-index predicates are rendered as the model holds them. The introspector keeps them as valid SQL
 * (canonicalPostgresExpression), but normalizeSchema rewrites them into canonicalExpression's comparison key, which
 * drops quotes, parentheses and spaces: `char_length(name) > 0` becomes `char_lengthname>0`. Changes computed from
 * normalised schemas therefore only render correctly for expressions that survive that rewrite.
 */

/** `CONSTRAINT "name" UNIQUE (…)`. */
export function uniqueClause(unique: UniqueConstraint): string {
  return `CONSTRAINT ${quotePostgresIdentifier(unique.name)} UNIQUE (${quotePostgresList(unique.columns)})${deferrableSql(unique)}`;
}

/** `CONSTRAINT "name" CHECK (…)`. */
export function checkClause(check: CheckConstraint): string {
  return `CONSTRAINT ${quotePostgresIdentifier(check.name)} CHECK (${check.expression})`;
}

/** `CONSTRAINT "name" FOREIGN KEY (…) REFERENCES … (…) ON DELETE … ON UPDATE …`, actions always spelled out. */
export function foreignKeyClause(foreignKey: ForeignKey): string {
  const referenced = quotePostgresTable({ schema: foreignKey.referencedSchema, name: foreignKey.referencedTable });
  return (
    `CONSTRAINT ${quotePostgresIdentifier(foreignKey.name)} FOREIGN KEY (${quotePostgresList(foreignKey.columns)}) ` +
    `REFERENCES ${referenced} (${quotePostgresList(foreignKey.referencedColumns)}) ON DELETE ${foreignKey.onDelete} ON UPDATE ${foreignKey.onUpdate}` +
    deferrableSql(foreignKey)
  );
}

/**
 * `CREATE [UNIQUE] INDEX … ON … [USING method] (key [opclass] [DESC] [NULLS …], …) [INCLUDE (…)] [WITH (…)] [WHERE …]`.
 * An index key that is not one of the table's columns is an expression (the introspector reports `lower(email)` as a
 * key) and is wrapped in parentheses, as CREATE INDEX requires. Without the table at hand every key is taken for a
 * column name.
 */
export function createIndexSql(table: TableRef, index: Index, owner: Table | undefined): string {
  const methodName = index.method?.toLowerCase() ?? null;
  // Access methods are extensible (gin, gist, brin, hnsw…), but these two are MySQL's and never PostgreSQL's.
  if (methodName === 'fulltext' || methodName === 'spatial') {
    throw new SchemaSyncError('UNSUPPORTED', `PostgreSQL has no ${methodName} index method (${table.name}.${index.name})`);
  }
  const columns = owner === undefined ? null : new Set(owner.columns.map((column) => column.name));
  const keys = index.columns.map((key, k) => {
    const base = columns === null || columns.has(key) ? quotePostgresIdentifier(key) : `(${key})`;
    return base + keyOptionsSql(index.keys?.[k]);
  });
  const method = methodName === null ? '' : ` USING ${plainName(methodName)}`;
  const include = index.include === undefined || index.include.length === 0 ? '' : ` INCLUDE (${quotePostgresList(index.include)})`;
  const parameters = Object.entries(index.parameters ?? {});
  const storage = parameters.length === 0 ? '' : ` WITH (${parameters.map(([name, value]) => `${plainName(name)} = ${parameterValue(value)}`).join(', ')})`;
  const where = index.where === null ? '' : ` WHERE ${index.where}`;
  const head = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quotePostgresIdentifier(index.name)} ON ${quotePostgresTable(table)}`;
  return `${head}${method} (${keys.join(', ')})${include}${storage}${where}`;
}

/** ` opclass DESC NULLS LAST` after a key; each part only where the key has it. */
function keyOptionsSql(key: IndexKeyOptions | undefined): string {
  if (key === undefined) return '';
  const opclass = key.opclass === null ? '' : ` ${key.opclass.split('.').map(plainName).join('.')}`;
  const direction = key.descending ? ' DESC' : '';
  const nulls = key.nulls === null ? '' : ` NULLS ${key.nulls.toUpperCase()}`;
  return `${opclass}${direction}${nulls}`;
}

/**
 * A name bare when it is a plain lower-case word (as PostgreSQL prints access methods, operator classes and storage
 * parameters, and as users write them), quoted otherwise.
 */
function plainName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : quotePostgresIdentifier(name);
}

/** A storage parameter's value: numbers and words bare, anything else as a string literal. */
function parameterValue(value: string): string {
  return /^(?:[-+]?\d+(?:\.\d+)?|[a-z_][a-z0-9_]*)$/i.test(value) ? value : quotePostgresLiteral(value);
}

/** The table as it is before the change, if the context has it. */
export function tableBefore(context: RenderContext, ref: TableRef): Table | undefined {
  return context.before.tables.find((table) => table.schema === ref.schema && table.name === ref.name);
}

/** create_index. */
export function createPostgresIndex(change: ChangeOf<'create_index'>, context: RenderContext): readonly string[] {
  return [createIndexSql(change.table, change.index, tableBefore(context, change.table))];
}

/** drop_index: indexes live in their table's schema, so the name is qualified the same way. */
export function dropPostgresIndex(change: ChangeOf<'drop_index'>): readonly string[] {
  return [`DROP INDEX ${quotePostgresQualified(change.table.schema, change.index.name)}`];
}

/** add_unique. */
export function addPostgresUnique(change: ChangeOf<'add_unique'>): readonly string[] {
  return [`ALTER TABLE ${quotePostgresTable(change.table)} ADD ${uniqueClause(change.unique)}`];
}

/** drop_unique (its backing index goes with it). */
export function dropPostgresUnique(change: ChangeOf<'drop_unique'>): readonly string[] {
  return [dropConstraint(change.table, change.unique.name)];
}

/** add_foreign_key. */
export function addPostgresForeignKey(change: ChangeOf<'add_foreign_key'>): readonly string[] {
  return [`ALTER TABLE ${quotePostgresTable(change.table)} ADD ${foreignKeyClause(change.foreignKey)}`];
}

/** drop_foreign_key. */
export function dropPostgresForeignKey(change: ChangeOf<'drop_foreign_key'>): readonly string[] {
  return [dropConstraint(change.table, change.foreignKey.name)];
}

/** add_check. */
export function addPostgresCheck(change: ChangeOf<'add_check'>): readonly string[] {
  return [`ALTER TABLE ${quotePostgresTable(change.table)} ADD ${checkClause(change.check)}`];
}

/** drop_check. */
export function dropPostgresCheck(change: ChangeOf<'drop_check'>): readonly string[] {
  return [dropConstraint(change.table, change.check.name)];
}

/** add_exclusion: the expression is the model's (or the catalog's), after EXCLUDE, as TypeORM writes it. */
export function addPostgresExclusion(change: ChangeOf<'add_exclusion'>): readonly string[] {
  return [`ALTER TABLE ${quotePostgresTable(change.table)} ADD ${exclusionClause(change.exclusion)}`];
}

/** drop_exclusion. */
export function dropPostgresExclusion(change: ChangeOf<'drop_exclusion'>): readonly string[] {
  return [dropConstraint(change.table, change.exclusion.name)];
}

/** `CONSTRAINT "name" EXCLUDE …`. */
export function exclusionClause(exclusion: ExclusionConstraint): string {
  return `CONSTRAINT ${quotePostgresIdentifier(exclusion.name)} EXCLUDE ${exclusion.expression}${deferrableSql(exclusion)}`;
}

function deferrableSql(constraint: { readonly deferrable?: Deferrable }): string {
  return constraint.deferrable === undefined ? '' : ` DEFERRABLE ${constraint.deferrable}`;
}

/** `ALTER TABLE … DROP CONSTRAINT "name"`. */
export function dropConstraint(table: TableRef, name: string): string {
  return `ALTER TABLE ${quotePostgresTable(table)} DROP CONSTRAINT ${quotePostgresIdentifier(name)}`;
}

/** rename_index: indexes live in their table's schema; RENAME TO takes the bare new name. */
export function renamePostgresIndex(change: ChangeOf<'rename_index'>): readonly string[] {
  return [`ALTER INDEX ${quotePostgresQualified(change.table.schema, change.from.name)} RENAME TO ${quotePostgresIdentifier(change.to.name)}`];
}

/** rename_unique and rename_foreign_key: RENAME CONSTRAINT (a unique constraint's backing index follows it). */
export function renamePostgresConstraint(change: ChangeOf<'rename_unique' | 'rename_foreign_key'>): readonly string[] {
  return [`ALTER TABLE ${quotePostgresTable(change.table)} RENAME CONSTRAINT ${quotePostgresIdentifier(change.from.name)} TO ${quotePostgresIdentifier(change.to.name)}`];
}
