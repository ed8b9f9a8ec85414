import { isDestructive } from '../../src/change/safety';
import { diffColumn } from '../../src/diff/diff-column';
import { diffSchemas } from '../../src/diff/diff-schemas';
import { normalizeSchema } from '../../src/model/normalize';
import type { Column } from '../../src/model/schema';
import { col, int, schema, table } from '../support/schema-builders';

const generated = (expression: string, stored = true, nullable = false): Column => ({ ...col('total', int(), { nullable }), computed: { expression, stored } });

describe('generated columns', () => {
  it('compare their expression as the server rewrites it, not as text', () => {
    expect(diffColumn(generated('(qty * "unitCents")'), generated('"qty" * "unitCents"'))).toEqual([]);
    expect(diffColumn(generated('`qty` * `unitCents`'), generated('qty * unitCents'))).toEqual([]);
  });

  it('differ when the expression, the storage or the generatedness differs', () => {
    expect(diffColumn(generated('qty * 2'), generated('qty * 3'))).toEqual(['computed']);
    expect(diffColumn(generated('qty * 2', true), generated('qty * 2', false))).toEqual(['computed']);
    expect(diffColumn(col('total', int()), generated('qty * 2'))).toEqual(['computed']);
  });

  it('read as nullable on MariaDB, which has no NULL/NOT NULL on them', () => {
    const actual = schema('mariadb', [table('items', [generated('qty * 2', false, true)])]);
    const desired = schema('mariadb', [table('items', [generated('qty * 2', false, false)])]);
    expect(diffSchemas(normalizeSchema(actual), normalizeSchema(desired)).changes).toEqual([]);
  });

  it('lose no data when dropped, but a plain column turned generated does', () => {
    const ref = { schema: null, name: 'items' };
    expect(isDestructive({ kind: 'drop_column', table: ref, column: generated('qty * 2') })).toBe(false);
    expect(isDestructive({ kind: 'drop_column', table: ref, column: col('total', int()) })).toBe(true);
    expect(isDestructive({ kind: 'alter_column', table: ref, from: col('total', int()), to: generated('qty * 2'), changed: ['computed'] })).toBe(true);
    expect(isDestructive({ kind: 'alter_column', table: ref, from: generated('qty * 2'), to: generated('qty * 3'), changed: ['computed'] })).toBe(false);
  });
});
