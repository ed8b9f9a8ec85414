import type { MeasuredDialect } from './throwaway-database';
import type { ScenarioResult } from './scenario';

/** What the table says of the project itself. */
export interface ProjectFacts {
  readonly project: string;
  readonly commit: string;
  readonly typeorm: string;
}

/** One row of the corpus table: the README's table of public code bases. */
export interface CorpusRow extends ProjectFacts {
  readonly database: string;
  readonly loads: string;
  readonly agreement: string;
  readonly roundTrip: string;
}

const DATABASE_NAMES: Record<MeasuredDialect, string> = { postgres: 'PostgreSQL', mariadb: 'MariaDB', mysql: 'MySQL', pglite: 'PGlite' };

/** Longest message kept in a cell: the full text is in the details above the table and in the JSON lines. */
const CELL_LIMIT = 140;

/** One project's result on one database, as the table's cells. */
export function corpusRow(facts: ProjectFacts, result: ScenarioResult): CorpusRow {
  const tables = tablesOf(result);
  return {
    ...facts,
    project: tables === null ? facts.project : `${facts.project} (${tables} tables)`,
    database: DATABASE_NAMES[result.dialect],
    loads: loadsOf(result),
    agreement: agreementOf(result),
    roundTrip: roundTripOf(result),
  };
}

/** The rows as a Markdown table, the README's columns in its order. */
export function renderCorpusTable(rows: readonly CorpusRow[]): string {
  const cells = (row: readonly string[]) => `| ${row.map((cell) => cell.replace(/\|/g, '\\|').replace(/\s+/g, ' ')).join(' | ')} |`;
  return [
    cells(['project', 'commit', 'TypeORM', 'database', 'loads', 'agreement', 'round trip']),
    cells(['---', '---', '---', '---', '---', '---', '---']),
    ...rows.map((row) => cells([row.project, row.commit, row.typeorm, row.database, row.loads, row.agreement, row.roundTrip])),
  ].join('\n');
}

function tablesOf(result: ScenarioResult): number | null {
  for (const ours of result.ours) if (ours.status !== 'error' && ours.tables !== undefined) return ours.tables;
  if (result.roundTrip?.status === 'clean' && result.roundTrip.tables !== undefined) return result.roundTrip.tables;
  return null;
}

/** Whether our loader loaded the models: from our diffs of TypeORM's database, else from the round trip's sync. */
function loadsOf(result: ScenarioResult): string {
  if (result.ours.length > 0) {
    const failed = result.ours.filter((ours) => ours.status === 'error');
    if (failed.length === 0) return `yes (${result.ours.map((ours) => ours.mode).join(', ')})`;
    return failed.map((ours) => `${ours.mode}: no, ${short(ours.status === 'error' ? ours.error : '')}`).join('; ');
  }
  if (result.roundTrip === null) return 'not tried';
  if (result.roundTrip.status === 'failed' && result.roundTrip.stage === 'sync') return `unknown (sync failed: ${short(result.roundTrip.detail)})`;
  return 'yes (ts)';
}

/** Our diff of the database TypeORM's synchronize() built, or why there is none. */
function agreementOf(result: ScenarioResult): string {
  const typeorm = result.typeorm;
  if (typeorm.status === 'error') return short(typeorm.error);
  const ours = oursAgreement(result);
  if (typeorm.status === 'unclean') return `${ours}; TypeORM's own log() not empty after its synchronize() (${typeorm.pending.length}): ${short(typeorm.pending[0] ?? '')}`;
  return ours;
}

function oursAgreement(result: ScenarioResult): string {
  const counts = result.ours.map((ours) =>
    ours.status === 'in-sync' ? 0 : ours.status === 'changes' ? ours.changes.length : null,
  );
  if (counts.every((count) => count === 0)) return '0 changes';
  return result.ours
    .map((ours) => (ours.status === 'in-sync' ? `${ours.mode}: 0 changes` : ours.status === 'changes' ? `${ours.mode}: ${ours.changes.length} change(s), ${short(ours.changes[0]!.detail)}` : `${ours.mode}: ${short(ours.error)}`))
    .join('; ');
}

function roundTripOf(result: ScenarioResult): string {
  const roundTrip = result.roundTrip;
  if (roundTrip === null) return 'not run';
  if (roundTrip.status === 'failed') return `fails at ${roundTrip.stage}: ${short(roundTrip.detail)}`;
  if (roundTrip.typeormLog === 'not consulted') return `clean (${roundTrip.statements} statements; TypeORM's log() not consulted)`;
  if (roundTrip.typeormLog === 'as after its synchronize()') return `clean (${roundTrip.statements} statements; TypeORM's log() as after its own synchronize())`;
  return `clean (${roundTrip.statements} statements)`;
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= CELL_LIMIT ? line : `${line.slice(0, CELL_LIMIT - 1)}…`;
}
