import type { Dialect } from '../model/schema';

/**
 * The file `new-data-migration` writes: a migration in the same sequence as schema migrations, for moving data in
 * batches. The template is meant to be edited; its shape makes it idempotent, resumable and dry-runnable.
 */
export function dataMigrationTemplate(name: string, release: string, dialect: Dialect, generatedAt: Date): string {
  const p = (n: number) => (dialect === 'postgres' ? `$${n}` : '?');
  // The identifiers land inside the template literals of the emitted code, where a MySQL backtick would end the
  // literal: quote for SQL first (doubling the quote character), then escape for a template literal.
  const q = (id: string) => inTemplateLiteral(dialect === 'postgres' ? `"${id.replace(/"/g, '""')}"` : `\`${id.replace(/`/g, '``')}\``);
  const label = inTemplateLiteral(name);
  return `/**
 * Data migration "${name.replace(/\*\//g, '*\\/')}", created by schema-sync on ${generatedAt.toISOString()}.
 * Release ${release}, ${dialect}.
 *
 * How to write one that is safe to run from CI and from every replica:
 *  - Idempotent: select only rows that still need the change (the WHERE below), so a re-run or a resume after a
 *    crash picks up where it stopped and never does a row twice.
 *  - Batched: a bounded UPDATE per round keeps locks short on big tables.
 *  - Dry run: \`schema-sync apply --dry-run\` calls migrate() with db.dryRun = true; count, log, change nothing.
 *  - Verify: the last step checks nothing is left and throws otherwise, so apply fails loudly instead of silently.
 *  - rollback() undoes the move when that is possible; when it is not, say so and throw.
 */
import type { MigrationContext } from 'orm-schema-sync';

export const release = ${JSON.stringify(release)};
export const dialect = ${JSON.stringify(dialect)};

const BATCH_SIZE = 1000;

/** Moves the data in batches until nothing is left to do. */
export async function migrate(db: MigrationContext): Promise<void> {
  // Edit: replace the table, the columns and the condition that says a row still needs work.
  const remaining = async () =>
    Number((await db.query<{ n: unknown }>(\`SELECT COUNT(*) AS n FROM ${q('documents')} WHERE ${q('language')} IS NULL\`))[0]?.n ?? 0);

  const total = await remaining();
  db.log(\`${label}: \${total} row\${total === 1 ? '' : 's'} to migrate\`);
  if (db.dryRun || total === 0) return;

  for (let round = 1; ; round++) {
    const ids = await db.query<{ id: unknown }>(
      \`SELECT ${q('id')} AS id FROM ${q('documents')} WHERE ${q('language')} IS NULL ORDER BY ${q('id')} LIMIT ${p(1)}\`,
      [BATCH_SIZE],
    );
    if (ids.length === 0) break;
    for (const { id } of ids) {
      await db.query(\`UPDATE ${q('documents')} SET ${q('language')} = ${p(1)} WHERE ${q('id')} = ${p(2)} AND ${q('language')} IS NULL\`, ['und', id]);
    }
    db.log(\`${label}: batch \${round} done (\${ids.length} row\${ids.length === 1 ? '' : 's'})\`);
  }

  // Verify: nothing may be left.
  const left = await remaining();
  if (left > 0) throw new Error(\`${label}: \${left} \${left === 1 ? 'row still needs' : 'rows still need'} migrating\`);
}

/** Undoes migrate(); throw instead when the old values cannot be restored. */
export async function rollback(db: MigrationContext): Promise<void> {
  if (db.dryRun) return;
  await db.query(\`UPDATE ${q('documents')} SET ${q('language')} = NULL WHERE ${q('language')} = ${p(1)}\`, ['und']);
}
`;
}

/** Text as it must appear inside a JavaScript template literal to stand for itself. */
function inTemplateLiteral(text: string): string {
  return text.replace(/[\\`]/g, '\\$&').replace(/\$\{/g, '\\${');
}
