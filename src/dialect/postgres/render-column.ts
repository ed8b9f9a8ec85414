import type { Change, ColumnAspect, TableRef } from '../../change/change';
import { diffColumn } from '../../diff/diff-column';
import { deepEqual } from '../../model/compare';
import type { Column, ColumnDefault, ColumnType } from '../../model/schema';
import { SchemaSyncError } from '../../util/errors';
import { quotePostgresIdentifier, quotePostgresLiteral, quotePostgresQualified, quotePostgresTable } from './quote';
import { renderPostgresDefault, renderPostgresType } from './render-type';

type ChangeOf<K extends Change['kind']> = Extract<Change, { readonly kind: K }>;

const SERIALS = { small: 'SMALLSERIAL', int: 'SERIAL', big: 'BIGSERIAL' } as const;

/** A column definition plus the statements it needs once the table exists (comments, a nullable serial). */
export interface PostgresColumnSql {
  readonly definition: string;
  readonly after: readonly string[];
}

/**
 * The full definition of a column as CREATE TABLE / ADD COLUMN spell it. An `increment` column becomes SERIAL (the
 * introspector reads its nextval() default back as `increment`), identity columns `GENERATED … AS IDENTITY`; neither
 * carries a default of its own.
 */
export function postgresColumnSql(table: TableRef, column: Column): PostgresColumnSql {
  const culprit = `${table.name}.${column.name}`;
  const name = quotePostgresIdentifier(column.name);
  const parts = [name, column.generation === 'increment' ? serialType(column.type, culprit) : renderPostgresType(column.type, culprit)];
  const collate = collateClause(column.type, column.collation);
  if (collate !== '') parts.push(collate);
  if (column.computed !== undefined) {
    if (!column.computed.stored) throw new SchemaSyncError('UNSUPPORTED', `PostgreSQL stores every generated column: ${culprit} cannot be VIRTUAL`);
    parts.push(`GENERATED ALWAYS AS (${column.computed.expression}) STORED`);
  }
  if (column.generation === 'identity-always' || column.generation === 'identity-by-default') {
    requireInteger(column.type, culprit, 'an identity');
    parts.push(identityClause(column.generation));
  }
  if (!column.nullable) parts.push('NOT NULL');
  if (column.generation === null && column.computed === undefined && column.default !== null) {
    parts.push(`DEFAULT ${renderPostgresDefault(column.default, column.type)}`);
  }
  const after: string[] = [];
  // SERIAL always adds NOT NULL (and `SERIAL NULL` is rejected), so a nullable one drops it afterwards.
  if (column.generation === 'increment' && column.nullable) after.push(`ALTER TABLE ${quotePostgresTable(table)} ALTER COLUMN ${name} DROP NOT NULL`);
  if (column.comment !== null) after.push(commentOnColumn(table, column.name, column.comment));
  return { definition: parts.join(' '), after };
}

/** `COMMENT ON COLUMN t.c IS '…'` (or `IS NULL` to remove it). */
export function commentOnColumn(table: TableRef, column: string, comment: string | null): string {
  const target = `${quotePostgresTable(table)}.${quotePostgresIdentifier(column)}`;
  return `COMMENT ON COLUMN ${target} IS ${comment === null ? 'NULL' : quotePostgresLiteral(comment)}`;
}

/** add_column: the full definition, then its comment. */
export function addPostgresColumn(change: ChangeOf<'add_column'>): readonly string[] {
  const sql = postgresColumnSql(change.table, change.column);
  return [`ALTER TABLE ${quotePostgresTable(change.table)} ADD COLUMN ${sql.definition}`, ...sql.after];
}

/** drop_column: the column's own serial sequence goes with it (it is OWNED BY the column). */
export function dropPostgresColumn(change: ChangeOf<'drop_column'>): readonly string[] {
  return [`ALTER TABLE ${quotePostgresTable(change.table)} DROP COLUMN ${quotePostgresIdentifier(change.column.name)}`];
}

/** rename_column, and a serial column's sequence with it (see renameSequence). */
export function renamePostgresColumn(change: ChangeOf<'rename_column'>): readonly string[] {
  const table = quotePostgresTable(change.table);
  return [
    `ALTER TABLE ${table} RENAME COLUMN ${quotePostgresIdentifier(change.from.name)} TO ${quotePostgresIdentifier(change.to.name)}`,
    ...(change.from.generation === 'increment' ? [renameSequence(change.table, change.from.name, change.table.name, change.to.name)] : []),
  ];
}

/**
 * Renames a serial column's sequence to the name SERIAL would give it now, as TypeORM does, so that a later change
 * of its generation finds it by that name. IF EXISTS: a sequence that never had the conventional name is left alone.
 */
export function renameSequence(table: TableRef, column: string, newTable: string, newColumn: string): string {
  const to = quotePostgresIdentifier(`${newTable}_${newColumn}_seq`);
  return `ALTER SEQUENCE IF EXISTS ${sequenceName(table, column)} RENAME TO ${to}`;
}

/**
 * alter_column: one statement per aspect, in an order PostgreSQL accepts: the old generation comes off first, a plain
 * default is dropped around a type change (it may not cast to the new type, an enum's never does), nullability is set
 * before an identity is added (identity needs NOT NULL), and the new generation comes last.
 */
export function alterPostgresColumn(change: ChangeOf<'alter_column'>): readonly string[] {
  const { table, from, to } = change;
  const aspects = changedAspects(change);
  // PostgreSQL 15 cannot change a column's generation expression in place: the column is made again.
  if (aspects.has('computed')) return [...dropPostgresColumn({ kind: 'drop_column', table, column: from }), ...addPostgresColumn({ kind: 'add_column', table, column: to })];
  const culprit = `${table.name}.${to.name}`;
  const column = quotePostgresIdentifier(to.name);
  const alter = (action: string): string => `ALTER TABLE ${quotePostgresTable(table)} ALTER COLUMN ${column} ${action}`;
  const out: string[] = [];
  // The plain default the column has at each step; a serial's nextval() belongs to its generation, not here.
  let currentDefault: ColumnDefault | null = from.generation === null ? from.default : null;

  const generationChanged = aspects.has('generation');
  const fromIdentity = isIdentity(from.generation);
  const toIdentity = isIdentity(to.generation);
  if (generationChanged && from.generation === 'increment') {
    out.push(alter('DROP DEFAULT'), `DROP SEQUENCE IF EXISTS ${sequenceName(table, to.name)}`);
  } else if (generationChanged && fromIdentity && !toIdentity) {
    out.push(alter('DROP IDENTITY'));
  }

  const typeChanged = aspects.has('type');
  if (typeChanged || aspects.has('collation')) {
    if (typeChanged && currentDefault !== null) {
      out.push(alter('DROP DEFAULT'));
      currentDefault = null;
    }
    const type = to.generation === 'increment' || toIdentity ? integerType(to.type, culprit) : renderPostgresType(to.type, culprit);
    const collation = aspects.has('collation') ? to.collation : from.collation;
    const collate = collateClause(to.type, collation);
    out.push(alter(`TYPE ${type}${collate === '' ? '' : ` ${collate}`}${typeChanged ? ` USING ${castExpression(column, from.type, to.type, culprit)}` : ''}`));
    // A serial's sequence keeps its own integer type; widen (or narrow) it with the column. Identity sequences follow
    // the column by themselves.
    if (typeChanged && !generationChanged && to.generation === 'increment') {
      out.push(`ALTER SEQUENCE IF EXISTS ${sequenceName(table, to.name)} AS ${type}`);
    }
  }

  if (aspects.has('nullable')) out.push(alter(to.nullable ? 'DROP NOT NULL' : 'SET NOT NULL'));

  const wantedDefault = to.generation === null ? to.default : null;
  if (!deepEqual(currentDefault, wantedDefault)) {
    out.push(alter(wantedDefault === null ? 'DROP DEFAULT' : `SET DEFAULT ${renderPostgresDefault(wantedDefault, to.type)}`));
  }

  if (generationChanged && to.generation === 'increment') {
    out.push(...addSequence(table, to, culprit));
  } else if (generationChanged && toIdentity) {
    requireInteger(to.type, culprit, 'an identity');
    out.push(alter(fromIdentity ? `SET GENERATED ${to.generation === 'identity-always' ? 'ALWAYS' : 'BY DEFAULT'}` : `ADD ${identityClause(to.generation)}`));
    // A new identity starts at 1 whatever the rows hold; move it past them, as addSequence does for a serial.
    if (!fromIdentity) out.push(restartAfterMax(table, to.name));
  }

  if (aspects.has('comment')) out.push(commentOnColumn(table, to.name, to.comment));
  return out;
}

/** The aspects to render: what the diff said changed, plus anything it would say (the change may be hand-built). */
export function changedAspects(change: ChangeOf<'alter_column'>): ReadonlySet<ColumnAspect> {
  return new Set([...change.changed, ...diffColumn(change.from, change.to)]);
}

/** The statements that give an existing column a serial sequence: what SERIAL does, spelled out. */
function addSequence(table: TableRef, column: Column, culprit: string): string[] {
  const sequence = sequenceName(table, column.name);
  const owner = `${quotePostgresTable(table)}.${quotePostgresIdentifier(column.name)}`;
  return [
    `CREATE SEQUENCE ${sequence} AS ${integerType(column.type, culprit)} OWNED BY ${owner}`,
    `ALTER TABLE ${quotePostgresTable(table)} ALTER COLUMN ${quotePostgresIdentifier(column.name)} SET DEFAULT nextval(${quotePostgresLiteral(sequence)}::regclass)`,
    restartAfterMax(table, column.name),
  ];
}

/** Moves the column's sequence past the values already in the table, so the next insert does not collide. */
function restartAfterMax(table: TableRef, column: string): string {
  const name = quotePostgresIdentifier(column);
  const qualified = quotePostgresLiteral(quotePostgresTable(table));
  return `SELECT setval(pg_get_serial_sequence(${qualified}, ${quotePostgresLiteral(column)}), COALESCE(MAX(${name}), 0) + 1, false) FROM ${quotePostgresTable(table)}`;
}

/**
 * The name SERIAL gives a column's sequence, `<table>_<column>_seq` in the table's schema. PostgreSQL shortens it
 * when it passes 63 bytes (or picks another when taken); such a sequence is not found by name and is left behind.
 */
function sequenceName(table: TableRef, column: string): string {
  return quotePostgresQualified(table.schema, `${table.name}_${column}_seq`);
}

function isIdentity(generation: Column['generation']): generation is 'identity-always' | 'identity-by-default' {
  return generation === 'identity-always' || generation === 'identity-by-default';
}

function identityClause(generation: 'identity-always' | 'identity-by-default'): string {
  return `GENERATED ${generation === 'identity-always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
}

function serialType(type: ColumnType, culprit: string): string {
  requireInteger(type, culprit, 'an auto-increment');
  return type.kind === 'integer' && type.size !== 'tiny' && type.size !== 'medium' ? SERIALS[type.size] : 'SERIAL';
}

function integerType(type: ColumnType, culprit: string): string {
  requireInteger(type, culprit, 'a generated');
  return renderPostgresType(type, culprit);
}

function requireInteger(type: ColumnType, culprit: string, what: string): void {
  if (type.kind !== 'integer' || type.unsigned || type.size === 'tiny' || type.size === 'medium') {
    throw new SchemaSyncError('UNSUPPORTED', `PostgreSQL only makes smallint, integer and bigint columns ${what} column (${culprit})`);
  }
}

/**
 * The USING expression of a type change. Enums (and arrays of them) cast to and from nothing but text (an enum's
 * array to and from text[]), so a change that has one on either side goes through text, which every type casts to
 * and from. boolean casts to and from integer only among the numbers, so other numbers go through integer.
 */
function castExpression(column: string, from: ColumnType, to: ColumnType, culprit: string): string {
  const target = renderPostgresType(to, culprit);
  if (hasEnum(from) || hasEnum(to)) return `${column}::${from.kind === 'array' && to.kind === 'array' ? 'text[]' : 'text'}::${target}`;
  if (needsInteger(from, to) || needsInteger(to, from)) return `${column}::integer::${target}`;
  return `${column}::${target}`;
}

/** Whether a cast between `a` and `b` must go through integer: boolean and a number other than integer. */
function needsInteger(a: ColumnType, b: ColumnType): boolean {
  const otherNumber = (b.kind === 'integer' && b.size !== 'int') || b.kind === 'decimal' || b.kind === 'float';
  return a.kind === 'boolean' && otherNumber;
}

function hasEnum(type: ColumnType): boolean {
  return type.kind === 'enum' || (type.kind === 'array' && hasEnum(type.element));
}

/**
 * `COLLATE "x"` for a collatable type. The model keeps the collation as the catalog's key (`C`, `en_US.utf8`, or
 * `schema.name` outside pg_catalog and public), which is quoted as one identifier: libc collation names contain dots.
 */
function collateClause(type: ColumnType, collation: string | null): string {
  return collation === null || !collatable(type) ? '' : `COLLATE ${quotePostgresIdentifier(collation)}`;
}

function collatable(type: ColumnType): boolean {
  switch (type.kind) {
    case 'string':
    case 'text':
      return !type.binary;
    case 'array':
      return collatable(type.element);
    case 'raw':
      return true;
    default:
      return false;
  }
}
