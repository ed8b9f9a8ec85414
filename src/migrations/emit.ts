import type { FunctionDeclarationStructure } from 'ts-morph';
import type { BatchedCopySql } from '../dialect/sql-dialect';
import type { Dialect } from '../model/schema';
import type { Phase } from '../plan/phase';

/** The statements one change contributes to a migration function, under a comment naming the change. */
export interface StatementGroup {
  readonly comment: string;
  readonly statements: readonly string[];
  /** Set when running the group cannot bring data back (a dropped column re-created empty). */
  readonly dataLoss?: string;
  /**
   * Set on a phased rename's copy: the file runs it in keyset batches through these statements, then the one
   * statement in `statements` as a final sweep (which is all verification runs).
   */
  readonly copy?: BatchedCopySql;
}

/** Everything a migration file says. */
export interface MigrationSource {
  readonly release: string;
  readonly dialect: Dialect;
  readonly generatedAt: Date;
  readonly toolVersion: string;
  /** One line per forward change. */
  readonly changes: readonly string[];
  /** The lock, rewrite and table size of each change, printed under it (same order as `changes`). */
  readonly changeCosts?: readonly string[];
  /** The deploy phase of the file (`export const phase`), when the release was split into phases. */
  readonly phase?: Phase;
  /** Why each change belongs to its phase (same order as `changes`). */
  readonly changeReasons?: readonly string[];
  readonly warnings: readonly string[];
  /** Guarded changes left out of this file, with what they would destroy. */
  readonly held: readonly string[];
  readonly migrate: readonly StatementGroup[];
  readonly rollback: readonly StatementGroup[];
}

/**
 * Emits a migration file with ts-morph: a header listing the changes and every warning, the release and dialect as
 * constants, and `migrate` / `rollback` with one readable statement per `db.execute` call. The output is formatted
 * TypeScript a person can review and edit.
 */
export function emitMigrationFile(source: MigrationSource): string {
  const { IndentationText, Project, StructureKind, VariableDeclarationKind } = tsMorph();
  // The structures are printed already indented; formatting the file afterwards (formatText) re-parsed the whole
  // text, which took seconds for a thousand tables and changed nothing.
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { target: 9 },
    manipulationSettings: { indentationText: IndentationText.TwoSpaces },
  });
  // One structure, printed and parsed once: adding statement by statement re-parsed the growing file each time.
  const file = project.createSourceFile(
    'migration.ts',
    {
      statements: [
        header(source),
        { kind: StructureKind.ImportDeclaration, isTypeOnly: true, namedImports: ['MigrationContext'], moduleSpecifier: 'orm-schema-sync' },
        (writer) => writer.blankLine(),
        {
          kind: StructureKind.VariableStatement,
          isExported: true,
          declarationKind: VariableDeclarationKind.Const,
          docs: ['The release this migration belongs to.'],
          declarations: [{ name: 'release', initializer: JSON.stringify(source.release) }],
        },
        {
          kind: StructureKind.VariableStatement,
          isExported: true,
          declarationKind: VariableDeclarationKind.Const,
          docs: ['The database family the SQL below is written for.'],
          declarations: [{ name: 'dialect', initializer: JSON.stringify(source.dialect) }],
        },
        ...(source.phase === undefined ? [] : [`/** ${PHASE_DOC} */\nexport const phase = ${JSON.stringify(source.phase)};`]),
        migrationFunction('migrate', 'Applies the changes listed above.', source.migrate),
        migrationFunction('rollback', ROLLBACK_DOC, source.rollback),
        ...([...source.migrate, ...source.rollback].some((group) => group.copy !== undefined) ? [COPY_IN_BATCHES] : []),
      ],
    },
    { overwrite: true },
  );
  return file.getFullText();
}

const PHASE_DOC = 'When a rolling deploy runs it: `apply --phase expand` before the rollout, `apply --phase contract` after it.';

/** The loop a phased rename's copy runs in: one bounded UPDATE per batch of keys read by keyset pagination. */
const COPY_IN_BATCHES = `/**
 * Copies in batches along the primary key (keyset pagination): each round reads the next keys still to do and
 * updates that range only, so locks stay short however large the table. Then the sweep catches what was written
 * between batches; it is the one statement the applier counts, dry-runs and journals, and it finds nothing left
 * after the batches. Nothing overwrites a value, so a re-run (or a resume) is harmless.
 */
interface BatchedCopy {
  /** How many columns the key has; the queries read them as k0, k1, … */
  keys: number;
  first: string;
  next: string;
  /** For each ? of next, the column of the key tuple after which to go on. */
  nextParams: number[];
  update: string;
  /** For each ? of update, the column of the batch's first tuple (0 …) or last tuple (keys …). */
  updateParams: number[];
}

async function copyInBatches(db: MigrationContext, label: string, sql: BatchedCopy & { sweep: string }): Promise<void> {
  if (!db.dryRun && db.replaying !== true) await copyBatches(db, label, sql);
  await db.execute(sql.sweep);
}

async function copyBatches(db: MigrationContext, label: string, sql: BatchedCopy): Promise<void> {
  const tuple = (row: Record<string, unknown>) => Array.from({ length: sql.keys }, (_, i) => row[\`k\${i}\`]);
  let after: unknown[] | null = null;
  let rows = 0;
  for (;;) {
    const keys: Record<string, unknown>[] = after === null ? await db.query(sql.first) : await db.query(sql.next, sql.nextParams.map((i) => (after as unknown[])[i]));
    const first = keys[0];
    const last = keys[keys.length - 1];
    if (first === undefined || last === undefined) break;
    const bounds = [...tuple(first), ...tuple(last)];
    await db.query(sql.update, sql.updateParams.map((i) => bounds[i]));
    rows += keys.length;
    after = tuple(last);
  }
  db.log(\`\${label}: \${rows} row\${rows === 1 ? '' : 's'} copied\`);
}
`;

const ROLLBACK_DOC = [
  'Undoes `migrate`: the inverse of each change, in reverse order (enum type changes first, as in any migration).',
  'Derived from the forward changes, never diffed separately.',
].join('\n');

function header(source: MigrationSource): string {
  const lines = [
    `Migration generated by schema-sync ${source.toolVersion} on ${source.generatedAt.toISOString()}.`,
    `Release ${source.release}, ${source.dialect}. Review it; it is yours to edit.`,
    '',
    ...(source.phase === undefined ? [] : [PHASE_LINES[source.phase], '']),
    'Changes:',
    ...source.changes.flatMap((change, i) => {
      const cost = source.changeCosts?.[i];
      const reason = source.changeReasons?.[i];
      return [`  - ${change}`, ...(cost === undefined ? [] : [`      ${cost}`]), ...(reason === undefined ? [] : [`      ${source.phase ?? 'phase'}: ${reason}`])];
    }),
  ];
  if (source.warnings.length > 0) lines.push('', 'Warnings:', ...source.warnings.map((warning) => `  ! ${warning}`));
  if (source.held.length > 0) lines.push('', 'Held back (guarded; generate again with --drop to include them):', ...source.held.map((held) => `  - ${held}`));
  return `/**\n${lines.map((line) => (line === '' ? ' *' : ` * ${line.replace(/\*\//g, '* /')}`)).join('\n')}\n */\n`;
}

const PHASE_LINES: Record<Phase, string> = {
  expand: 'Phase: expand. Safe while the previous release still runs: apply it before the rollout (apply --phase expand).',
  contract: 'Phase: contract. Apply it once no pod of the previous release runs (apply --phase contract).',
};

function migrationFunction(name: string, doc: string, groups: readonly StatementGroup[]): FunctionDeclarationStructure {
  const statements: string[] = [];
  for (const group of groups) {
    statements.push(`// ${oneLine(group.comment)}`);
    if (group.dataLoss !== undefined) statements.push(`// DATA LOSS: ${oneLine(group.dataLoss)}`);
    if (group.copy !== undefined) {
      const { keys, first, next, nextParams, update, updateParams } = group.copy;
      const sweep = group.statements.map(sqlLiteral).join(', ');
      statements.push(
        `await copyInBatches(db, ${JSON.stringify(oneLine(group.comment))}, {`,
        `  keys: ${keys},`,
        `  first: ${sqlLiteral(first)},`,
        `  next: ${sqlLiteral(next)},`,
        `  nextParams: ${JSON.stringify(nextParams)},`,
        `  update: ${sqlLiteral(update)},`,
        `  updateParams: ${JSON.stringify(updateParams)},`,
        `  sweep: ${sweep},`,
        '});',
      );
      continue;
    }
    for (const sql of group.statements) statements.push(`await db.execute(${sqlLiteral(sql)});`);
  }
  return {
    kind: tsMorph().StructureKind.Function,
    name,
    isExported: true,
    isAsync: true,
    docs: [doc],
    parameters: [{ name: 'db', type: 'MigrationContext' }],
    returnType: 'Promise<void>',
    statements,
  };
}

/** ts-morph, required on first use rather than imported: it takes about 0.9 s to load, and only commands that write a file need it. */
function tsMorph(): typeof import('ts-morph') {
  return require('ts-morph') as typeof import('ts-morph');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The SQL as a string literal with the fewest escapes: a template literal keeps PostgreSQL's double quotes and line
 * breaks readable; MySQL's backticks read better inside a double-quoted string. A carriage return is escaped: in a
 * template literal JavaScript reads a raw CR (or CR LF) as a line feed, so a comment or default holding one changed.
 */
export function sqlLiteral(sql: string): string {
  if (!sql.includes('`') && !sql.includes('${')) return `\`${sql.replace(/\\/g, '\\\\').replace(/\r/g, '\\r')}\``;
  return JSON.stringify(sql);
}
