/**
 * Literals on a real server: random hostile strings (quotes, backslashes, `$$`, unicode, an injection attempt) as
 * column defaults, column and table comments and enum labels. For each, A (a canary table holding one row, and a
 * table with the hostile literals) is built from nothing, migrated to B (other hostile literals, one more enum label)
 * and rolled back. After each step the introspected schema must be exactly the expected one, a row inserted with
 * only defaults must read back the default values, and the canary and its row must still be there.
 */
import fc from 'fast-check';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { diffSchemas } from '../../src/diff/diff-schemas';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { introspect } from '../../src/introspect/introspect';
import { normalizeSchema } from '../../src/model/normalize';
import type { Schema } from '../../src/model/schema';
import { planMigration } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { describeChange } from '../../src/report/describe-change';
import { propertyRuns } from '../support/schema-arbitraries';
import { col, enumType, int, literal, pgEnum, schema, table, text, varchar } from '../support/schema-builders';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

/** The pieces an attacker or an unlucky user would put in a string. */
const HOSTILE_PIECES = [
  "'",
  "''",
  '\\',
  "\\'",
  '\\\\',
  '$$',
  '$tag$',
  '"',
  '`',
  '%',
  '_',
  '\n',
  '\t',
  '\r',
  '\\0',
  '\\n',
  '${x}',
  '*/',
  '/*',
  '--',
  ';',
  '?',
  ':name',
  'é',
  'ß',
  '😀',
  '中文',
  "'); DROP TABLE canary; --",
  "x'); DROP TABLE canary; --",
];

const NUL = String.fromCharCode(0);

/**
 * MariaDB stores characters outside the Basic Multilingual Plane in defaults, comments and enum labels but reports
 * them as `?` in information_schema and SHOW CREATE TABLE (both utf8mb3), so no tool can read them back there; the
 * README says so. Its strings stay in the BMP.
 */
const OUTSIDE_BMP = /[\u{10000}-\u{10FFFF}]/gu;

/** A NUL-free string built from hostile pieces and random unicode, at most `max` characters long. */
function hostileArb(max: number, bmpOnly: boolean): fc.Arbitrary<string> {
  const piece = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) });
  return fc
    .array(piece, { minLength: 1, maxLength: 6 })
    .map((pieces) => Array.from(pieces.join('').split(NUL).join('').replace(bmpOnly ? OUTSIDE_BMP : /(?!)/gu, '')).slice(0, max).join(''))
    .filter((value) => value.length > 0);
}

/** The literals of one version of the table. */
interface Literals {
  readonly varcharDefault: string;
  readonly textDefault: string;
  readonly columnComment: string;
  readonly tableComment: string;
  /** Enum labels; the default is the first one. */
  readonly labels: readonly string[];
}

/**
 * Labels are made distinct and trimmed at the end with a numbered prefix and a `|` suffix: MariaDB compares enum
 * labels with the column's collation (`é` = `e`) and strips trailing spaces, and PostgreSQL allows 63 bytes.
 */
function labelsOf(raw: readonly string[]): string[] {
  return raw.map((label, i) => `${i}${label}|`);
}

function literalsArb(bmpOnly: boolean): fc.Arbitrary<Literals> {
  return fc.record({
    varcharDefault: hostileArb(60, bmpOnly),
    textDefault: hostileArb(60, bmpOnly),
    columnComment: hostileArb(60, bmpOnly),
    tableComment: hostileArb(60, bmpOnly),
    labels: fc.array(hostileArb(12, bmpOnly), { minLength: 1, maxLength: 4 }).map(labelsOf),
  });
}

const CANARY = 'canary';
const HOSTILE = 'hostile';

function schemaOf(family: 'postgres' | 'mariadb', literals: Literals, extraLabel: string | null): Schema {
  const labels = extraLabel === null ? literals.labels : [...literals.labels, extraLabel];
  const postgres = family === 'postgres';
  const mood = postgres ? enumType([], 'mood') : enumType(labels);
  const canary = table(CANARY, [col('id', int())], { pk: ['id'] });
  const hostile = table(
    HOSTILE,
    [
      col('id', int()),
      col('v', varchar(100), { default: literal(literals.varcharDefault), comment: literals.columnComment }),
      col('t', text(), { nullable: true, default: postgres ? literal(literals.textDefault) : null }),
      col('m', mood, { default: literal(labels[0] ?? ''), comment: literals.tableComment }),
    ],
    { pk: ['id'], comment: literals.tableComment },
  );
  return normalizeSchema(schema(family, [canary, hostile], postgres ? [pgEnum('mood', labels)] : []));
}

/** Defines the suite for one server. */
export function defineHostileLiteralSuite(family: 'postgres' | 'mariadb'): void {
  const postgres = family === 'postgres';
  const q = (name: string) => (postgres ? `"${name}"` : `\`${name}\``);
  let database: ThrowawayDatabase;
  let client: DatabaseClient;

  beforeAll(async () => {
    database = postgres ? await createPostgresDatabase('hostile_literals') : await createMysqlDatabase('hostile_literals');
    client = postgres ? await PgClient.connect(database.url, database.url) : await MysqlClient.connect(database.url, database.url);
  });
  afterAll(async () => {
    await client?.close();
    await database?.drop();
  });

  const reset = async () => {
    await client.execute(`DROP TABLE IF EXISTS ${q(HOSTILE)}`);
    await client.execute(`DROP TABLE IF EXISTS ${q(CANARY)}`);
    if (postgres) await client.execute('DROP TYPE IF EXISTS "mood"');
  };
  const run = async (statements: readonly string[], phase: string) => {
    for (const [i, statement] of statements.entries()) {
      try {
        await client.execute(statement);
      } catch (error) {
        throw new Error(`${phase}, statement ${i + 1}: ${statement}\n${String(error)}`);
      }
    }
  };
  const expectSchema = async (expected: Schema, what: string) => {
    const found = normalizeSchema({ ...(await introspect(client, {})), dialect: expected.dialect });
    const differences = diffSchemas(found, expected).changes.map((change) => describeChange(change).detail);
    expect({ what, differences }).toEqual({ what, differences: [] });
  };
  const expectCanaryAlive = async () => {
    const rows = await client.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${q(CANARY)}`);
    expect(Number(rows[0]?.n)).toBe(1);
  };
  /** A row of defaults only, read back: the values the server stored are the values the model states. */
  const expectDefaultsReadBack = async (literals: Literals, id: number) => {
    await client.execute(`INSERT INTO ${q(HOSTILE)} (${q('id')}) VALUES (${id})`);
    const rows = await client.query<{ v: string; t: string | null; m: string }>(`SELECT ${q('v')} AS v, ${q('t')} AS t, ${q('m')} AS m FROM ${q(HOSTILE)} WHERE ${q('id')} = ${id}`);
    expect(rows[0]).toEqual({ v: literals.varcharDefault, t: postgres ? literals.textDefault : null, m: literals.labels[0] });
  };

  it(
    `defaults, comments and enum labels survive any string on ${postgres ? 'PostgreSQL' : 'MariaDB'}, and the canary lives`,
    async () => {
      const sql = sqlDialectFor(family);
      const empty: Schema = { dialect: family, tables: [], enums: [] };
      await fc.assert(
        fc.asyncProperty(literalsArb(!postgres), literalsArb(!postgres), hostileArb(12, !postgres), async (first, second, extra) => {
          const extraLabel = `${first.labels.length}${extra}|`;
          const next: Literals = { ...second, labels: first.labels };
          const a = schemaOf(family, first, null);
          const b = schemaOf(family, next, extraLabel);
          await reset();
          await run(renderPlan(planMigration(empty, a, { allowDrop: true, renames: [] }), empty, sql).migrate.flatMap((g) => g.statements), 'create A');
          await client.execute(`INSERT INTO ${q(CANARY)} (${q('id')}) VALUES (1)`);
          await expectSchema(a, 'A');
          await expectDefaultsReadBack(first, 1);

          const plan = renderPlan(planMigration(a, b, { allowDrop: true, renames: [] }), a, sql);
          await run(plan.migrate.flatMap((g) => g.statements), 'migrate A -> B');
          await expectSchema(b, 'B');
          await expectCanaryAlive();
          await expectDefaultsReadBack(next, 2);

          await client.execute(`DELETE FROM ${q(HOSTILE)}`);
          await run(plan.rollback.flatMap((g) => g.statements), 'rollback B -> A');
          await expectSchema(a, 'A after rollback');
          await expectCanaryAlive();
          await expectDefaultsReadBack(first, 3);
        }),
        { numRuns: propertyRuns(40) },
      );
    },
    600_000,
  );
}
