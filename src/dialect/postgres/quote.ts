import type { TableRef } from '../../change/change';

/*
 * PostgreSQL quoting. Every identifier is quoted, so keywords (`order`), mixed case and unicode need no special case.
 * Literals double their quotes only: standard_conforming_strings is on by default since 9.1, so a backslash is an
 * ordinary character in '…' and must not be escaped.
 */

/** `"name"`, with inner double quotes doubled. */
export function quotePostgresIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `'value'`, with inner single quotes doubled. */
export function quotePostgresLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A table name, schema-qualified when its schema is not the default one. */
export function quotePostgresTable(ref: TableRef): string {
  const name = quotePostgresIdentifier(ref.name);
  return ref.schema === null ? name : `${quotePostgresIdentifier(ref.schema)}.${name}`;
}

/** An object that lives in a schema (enum type, sequence, index), qualified like its table. */
export function quotePostgresQualified(schema: string | null, name: string): string {
  return quotePostgresTable({ schema, name });
}

/**
 * An enum type from the model's key (`name` or `schema.name`, unquoted). The key is split at its first dot, so an
 * enum in the default schema whose own name contains a dot cannot be told apart from a qualified one.
 */
export function quotePostgresTypeKey(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? quotePostgresIdentifier(key) : quotePostgresQualified(key.slice(0, dot), key.slice(dot + 1));
}

/** A comma-separated list of quoted identifiers. */
export function quotePostgresList(names: readonly string[]): string {
  return names.map(quotePostgresIdentifier).join(', ');
}
