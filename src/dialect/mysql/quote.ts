import type { TableRef } from '../../change/change';
import { quoteMysqlIdentifier, quoteMysqlString } from './types';

/*
 * MySQL/MariaDB quoting, shared with the type parser so rendering and parsing agree on one escaping. Literals escape
 * backslashes as well as quotes: NO_BACKSLASH_ESCAPES is off by default, so `\` starts an escape inside '…'.
 */

/** `` `name` ``, with inner backticks doubled. */
export function quoteMysqlName(name: string): string {
  return quoteMysqlIdentifier(name);
}

/** `'value'`, with `'` doubled and backslashes and control characters escaped. */
export function quoteMysqlLiteral(value: string): string {
  return quoteMysqlString(value);
}

/** A table name, database-qualified when its schema (database) is not the connection's. */
export function quoteMysqlTable(ref: TableRef): string {
  const name = quoteMysqlName(ref.name);
  return ref.schema === null ? name : `${quoteMysqlName(ref.schema)}.${name}`;
}

/** A comma-separated list of quoted identifiers. */
export function quoteMysqlList(names: readonly string[]): string {
  return names.map(quoteMysqlName).join(', ');
}
