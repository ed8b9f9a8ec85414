import type { Dialect } from '../model/schema';
import type { Phase } from '../plan/phase';

/** The table and columns a data migration works on, taken from the models. */
export interface DataMigrationTarget {
  readonly table: string;
  /** The single-column primary key the batches walk in order (keyset pagination). */
  readonly key: string;
  /** The column the migration fills where it is NULL. */
  readonly column: string;
  /** The value it fills in (as text; the server converts it to the column's type). */
  readonly value: string;
}

/**
 * The file `new-data-migration` writes: a migration in the same sequence as schema migrations, for moving data in
 * batches. The template is meant to be edited; its shape makes it idempotent, resumable and dry-runnable. Each batch
 * is one UPDATE over a key range read by keyset pagination (`key > last ORDER BY key LIMIT n`), so a round costs the
 * same on the first rows and the last, and a table of a million rows takes a thousand statements, not a million.
 */
export function dataMigrationTemplate(name: string, release: string, dialect: Dialect, generatedAt: Date, target: DataMigrationTarget, phase?: Phase): string {
  const p = (n: number) => (dialect === 'postgres' ? `$${n}` : '?');
  // The identifiers land inside the template literals of the emitted code, where a MySQL backtick would end the
  // literal: quote for SQL first (doubling the quote character), then escape for a template literal.
  const q = (id: string) => inTemplateLiteral(dialect === 'postgres' ? `"${id.replace(/"/g, '""')}"` : `\`${id.replace(/`/g, '``')}\``);
  const label = inTemplateLiteral(name);
  const [table, key, column] = [q(target.table), q(target.key), q(target.column)];
  return `/**
 * Data migration "${name.replace(/\*\//g, '*\\/')}", created by schema-sync on ${generatedAt.toISOString()}.
 * Release ${release}, ${dialect}. Fills ${target.table}.${target.column} where it is NULL, in batches along ${target.key}.
 *
 * How to write one that is safe to run from CI and from every replica:
 *  - Idempotent: select only rows that still need the change (the WHERE below), so a re-run or a resume after a
 *    crash picks up where it stopped and never does a row twice.
 *  - Batched: one bounded UPDATE per round, over the key range that round read, keeps locks short on big tables.
 *  - Dry run: \`schema-sync apply --dry-run\` calls migrate() with db.dryRun = true; count, log, change nothing.
 *  - Verify: the last step checks nothing is left and throws otherwise, so apply fails loudly instead of silently.
 *  - rollback() undoes the move when that is possible; when it is not, say so and throw.
 */
import type { MigrationContext } from 'orm-schema-sync';

export const release = ${JSON.stringify(release)};
export const dialect = ${JSON.stringify(dialect)};
${phase === undefined ? '' : `/** Run by \`apply --phase ${phase}\` (${phase === 'expand' ? 'before the rollout' : 'after the rollout'}). */\nexport const phase = ${JSON.stringify(phase)};\n`}
const BATCH_SIZE = 1000;
/** Edit: what the rows get. */
const VALUE = ${JSON.stringify(target.value)};

/** Moves the data in batches until nothing is left to do. */
export async function migrate(db: MigrationContext): Promise<void> {
  // Edit: the condition that says a row still needs work (here: the column is NULL).
  const remaining = async () =>
    Number((await db.query<{ n: unknown }>(\`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} IS NULL\`))[0]?.n ?? 0);

  const total = await remaining();
  db.log(\`${label}: \${total} row\${total === 1 ? '' : 's'} to migrate\`);
  if (db.dryRun || total === 0) return;

  let after: unknown = null;
  for (let round = 1; ; round++) {
    // Keyset pagination: the next keys after the last batch, in key order, through the primary key's index.
    const keys = after === null
      ? await db.query<{ k: unknown }>(\`SELECT ${key} AS k FROM ${table} WHERE ${column} IS NULL ORDER BY ${key} LIMIT ${p(1)}\`, [BATCH_SIZE])
      : await db.query<{ k: unknown }>(\`SELECT ${key} AS k FROM ${table} WHERE ${column} IS NULL AND ${key} > ${p(1)} ORDER BY ${key} LIMIT ${p(2)}\`, [after, BATCH_SIZE]);
    const first = keys[0]?.k;
    const last = keys[keys.length - 1]?.k;
    if (first === undefined || last === undefined) break;
    // One statement for the whole batch; IS NULL keeps it idempotent (a row another writer filled is left alone).
    await db.query(\`UPDATE ${table} SET ${column} = ${p(1)} WHERE ${key} >= ${p(2)} AND ${key} <= ${p(3)} AND ${column} IS NULL\`, [VALUE, first, last]);
    after = last;
    db.log(\`${label}: batch \${round} done (\${keys.length} row\${keys.length === 1 ? '' : 's'})\`);
  }

  // Verify: nothing may be left.
  const left = await remaining();
  if (left > 0) throw new Error(\`${label}: \${left} \${left === 1 ? 'row still needs' : 'rows still need'} migrating\`);
}

/** Undoes migrate(); throw instead when the old values cannot be restored. */
export async function rollback(db: MigrationContext): Promise<void> {
  if (db.dryRun) return;
  await db.query(\`UPDATE ${table} SET ${column} = NULL WHERE ${column} = ${p(1)}\`, [VALUE]);
}
`;
}

/** Text as it must appear inside a JavaScript template literal to stand for itself. */
function inTemplateLiteral(text: string): string {
  return text.replace(/[\\`]/g, '\\$&').replace(/\$\{/g, '\\${');
}
