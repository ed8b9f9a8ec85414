/**
 * A NOT NULL column without a default, added to a table that exists (by migrate with --fill, or by a rollback that
 * re-adds a dropped column), is planned with a value for the existing rows; the SQL on both dialects.
 */
import { dataChecksFor } from '../../src/change/data-checks';
import { neutralValue, parseFillHint } from '../../src/change/column-fill';
import { mysqlSql } from '../../src/dialect/mysql/render';
import { postgresSql } from '../../src/dialect/postgres/render';
import { normalizeSchema } from '../../src/model/normalize';
import type { Schema } from '../../src/model/schema';
import { planMigration } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { bigint, col, enumType, int, raw, schema, table, timestamp, varchar } from '../support/schema-builders';

const files = (size: boolean, dialect: 'postgres' | 'mariadb' = 'postgres', sizeType = bigint()) =>
  normalizeSchema(
    schema(dialect, [table('files', [col('id', int()), col('name', varchar(100)), ...(size ? [col('size_bytes', sizeType)] : [])], { pk: ['id'] })]),
  );
const statements = (groups: readonly { statements: readonly string[] }[]) => groups.flatMap((group) => group.statements);

describe('filling a NOT NULL column added to an existing table', () => {
  it('gives a rollback that re-adds a dropped NOT NULL column the type\'s neutral value, and says so', () => {
    const plan = planMigration(files(true), files(false), { allowDrop: true, renames: [] });
    const rendered = renderPlan(plan, files(true), postgresSql);
    expect(statements(rendered.rollback)).toEqual([
      'ALTER TABLE "files" ADD COLUMN "size_bytes" bigint NOT NULL DEFAULT 0',
      'ALTER TABLE "files" ALTER COLUMN "size_bytes" DROP DEFAULT',
    ]);
    expect(rendered.rollback[0]?.dataLoss).toBe(
      "column files.size_bytes comes back holding '0' in every row (chosen by schema-sync; sync --fill files.size_bytes=value picks another): its values are not restored",
    );
  });

  it('uses the --fill value for the rollback, quoted by the dialect, on MariaDB too', () => {
    const fills = [parseFillHint("files.size_bytes=-1")];
    const plan = planMigration(files(true, 'mariadb'), files(false, 'mariadb'), { allowDrop: true, renames: [], fills });
    expect(statements(renderPlan(plan, files(true, 'mariadb'), mysqlSql).rollback)).toEqual([
      'ALTER TABLE `files` ADD COLUMN `size_bytes` bigint NOT NULL DEFAULT -1',
      'ALTER TABLE `files` MODIFY COLUMN `size_bytes` bigint NOT NULL',
    ]);
    const text = (a: Schema, b: Schema, value: string) =>
      statements(renderPlan(planMigration(a, b, { allowDrop: true, renames: [], fills: [parseFillHint(`files.note=${value}`)] }), a, mysqlSql).migrate);
    const withNote = normalizeSchema(schema('mariadb', [table('files', [col('id', int()), col('name', varchar(100)), col('note', varchar(20))], { pk: ['id'] })]));
    expect(text(files(false, 'mariadb'), withNote, "it's = \\ fine")[0]).toBe("ALTER TABLE `files` ADD COLUMN `note` varchar(20) NOT NULL DEFAULT 'it''s = \\\\ fine'");
  });

  it('plans a forward NOT NULL column with --fill, and then asks no row count', () => {
    const plan = planMigration(files(false), files(true), { allowDrop: false, renames: [], fills: [parseFillHint('files.size_bytes=0')] });
    expect(plan.forward).toEqual([expect.objectContaining({ kind: 'add_column', fill: { value: '0', chosenBy: 'user' } })]);
    expect(dataChecksFor(plan.forward[0]!)).toEqual([]);
    const plain = planMigration(files(false), files(true), { allowDrop: false, renames: [] });
    expect(dataChecksFor(plain.forward[0]!).map((check) => check.question.kind)).toEqual(['row_count']);
    // The rollback of that forward add is a drop: nothing to fill.
    expect(plan.rollback.map((change) => change.kind)).toEqual(['drop_column']);
  });

  it('refuses a --fill that matches no added column, and a malformed one, by name', () => {
    expect(() => planMigration(files(false), files(true), { allowDrop: false, renames: [], fills: [parseFillHint('files.nope=1')] })).toThrow(
      '--fill files.nope: no NOT NULL column without a default is added to an existing table there',
    );
    expect(() => parseFillHint('files=1')).toThrow('--fill files=1: expected table.column=value');
    expect(parseFillHint('audit.log.kind=a=b')).toEqual({ table: 'audit.log', column: 'kind', value: 'a=b' });
  });

  it('leaves a column without a neutral value unfilled and says the rollback fails on rows', () => {
    const plan = planMigration(files(true, 'postgres', raw('inet')), files(false), { allowDrop: true, renames: [] });
    const rendered = renderPlan(plan, files(true, 'postgres', raw('inet')), postgresSql);
    expect(statements(rendered.rollback)).toEqual(['ALTER TABLE "files" ADD COLUMN "size_bytes" inet NOT NULL']);
    expect(rendered.rollback[0]?.dataLoss).toContain('fails on a table that has rows (regenerate with --fill files.size_bytes=value)');
  });

  it('knows a neutral value per type', () => {
    expect([int(), timestamp(), enumType(['b', 'a']), varchar(5), raw('inet')].map(neutralValue)).toEqual(['0', '2000-01-01 00:00:00', 'b', '', null]);
  });
});
