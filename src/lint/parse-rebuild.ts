import type { TableRef } from '../change/change';
import type { RebuildStatement } from './ddl-statement';
import { splitAtCommas, type Token, type TokenCursor } from './sql-tokens';

/**
 * Reads the maintenance commands that rebuild a table or its indexes in place, when the cursor is at one: PostgreSQL's
 * `VACUUM FULL` (also `VACUUM (FULL)`), `CLUSTER`, `REINDEX`, and MySQL's `OPTIMIZE TABLE`. Null for anything else,
 * a plain VACUUM included (it takes no lock that blocks reads or writes). `table` reads one table name as the caller
 * reads it (the default schema as none).
 */
export function parseRebuild(c: TokenCursor, table: (c: TokenCursor) => TableRef): RebuildStatement | null {
  const of = (command: RebuildStatement['command'], rest: Partial<RebuildStatement>): RebuildStatement => ({ kind: 'rebuild', command, tables: [], index: null, whole: null, concurrently: false, ...rest });
  if (c.acceptWords('VACUUM')) {
    const options = c.group();
    let full = options === null ? false : optionOn(options, 'FULL');
    while (options === null && c.acceptOneOf('FULL', 'FREEZE', 'VERBOSE', 'ANALYZE', 'ANALYSE') !== null) {
      if (c.tokens[c.position - 1]?.value === 'FULL') full = true;
    }
    if (!full) return null;
    const tables = tableList(c, table);
    return of('VACUUM FULL', tables.length === 0 ? { whole: 'every table' } : { tables });
  }
  if (c.acceptWords('CLUSTER')) {
    if (c.group() === null) c.acceptWords('VERBOSE');
    if (c.done) return of('CLUSTER', { whole: 'every table clustered before' });
    const first = table(c);
    // The old spelling `CLUSTER index ON table`.
    if (c.acceptWords('ON')) return of('CLUSTER', { tables: [table(c)], index: first.name });
    return of('CLUSTER', { tables: [first] });
  }
  if (c.acceptWords('REINDEX')) {
    const options = c.group();
    let concurrently = options !== null && optionOn(options, 'CONCURRENTLY');
    const scope = c.acceptOneOf('INDEX', 'TABLE', 'SCHEMA', 'DATABASE', 'SYSTEM');
    if (scope === null) return null;
    concurrently = c.acceptWords('CONCURRENTLY') || concurrently;
    if (scope === 'INDEX') return of('REINDEX', { index: table(c).name, concurrently });
    if (scope === 'TABLE') return of('REINDEX', { tables: [table(c)], concurrently });
    const name = c.identifier();
    return of('REINDEX', { whole: scope === 'SCHEMA' ? `SCHEMA ${name ?? ''}` : scope, concurrently });
  }
  if (c.acceptWords('OPTIMIZE')) {
    c.acceptOneOf('NO_WRITE_TO_BINLOG', 'LOCAL');
    if (!c.acceptWords('TABLE')) return null;
    return of('OPTIMIZE TABLE', { tables: tableList(c, table) });
  }
  return null;
}

/** `t1, s.t2 (col, …)`: the tables, their column lists skipped. */
function tableList(c: TokenCursor, table: (c: TokenCursor) => TableRef): TableRef[] {
  return splitAtCommas(c.rest()).map((part) => table(c.over(part)));
}

/** Whether a parenthesised option list (`FULL`, `FULL true`, `CONCURRENTLY 1`) turns `name` on. */
function optionOn(options: readonly Token[], name: string): boolean {
  return splitAtCommas(options).some((option) => {
    if (option[0]?.kind !== 'word' || option[0].value !== name) return false;
    const value = option[1]?.value.toUpperCase();
    return value === undefined || !['FALSE', 'OFF', '0'].includes(value);
  });
}
