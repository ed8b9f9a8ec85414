/**
 * Smoke test of the benchmark (bench/): the same code path as `npm run bench`, at 50 tables and one run on both
 * servers. It proves the bench still works end to end — generation, TypeORM synchronize(), our CLI in sync, TypeORM's
 * log(), the raw catalog floor, the report — and asserts no timings: on a shared 2-core machine those are noise.
 */
import { runBench, type BenchResult } from '../../bench/main';
import { parseBenchOptions } from '../../bench/options';
import { TIME_HEADER } from '../../bench/report';

const RATIO_COLUMNS = ['TypeORM ÷ ours', 'log() ÷ ours', 'ours ÷ floor'] as const;
const RATIO_CELL = /^\d+(\.\d+)?×$/;

/** The rows of the printed time table, as cells keyed by header. */
function timeRows(report: string): Array<Record<string, string>> {
  const headerLine = `| ${TIME_HEADER.join(' | ')} |`;
  const lines = report.split('\n');
  const start = lines.indexOf(headerLine);
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: Array<Record<string, string>> = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.slice(1, -1).split('|').map((cell) => cell.trim());
    rows.push(Object.fromEntries(TIME_HEADER.map((header, i) => [header, cells[i] ?? ''])));
  }
  return rows;
}

describe('bench (npm run bench) at 50 tables', () => {
  let result: BenchResult;
  const printed: string[] = [];

  beforeAll(async () => {
    const options = parseBenchOptions(['--dialect', 'postgres,mariadb', '--tables', '50', '--runs', '1']);
    result = await runBench(options, (line) => printed.push(line));
  }, 600_000);

  it('measures both databases, in sync and empty', () => {
    expect(result.failures).toEqual([]);
    const cases = result.summaries.map((s) => `${s.dialect}/${s.tables}/${s.scenario}`);
    expect(cases).toEqual(['postgres/50/in-sync', 'postgres/50/empty', 'mariadb/50/in-sync', 'mariadb/50/empty']);
  });

  it('finds the database TypeORM synchronize() built in sync, and 50 tables to create in the empty one', () => {
    for (const samples of result.cases) {
      for (const ours of samples.ours) {
        if (samples.scenario === 'in-sync') expect(ours).toMatchObject({ inSync: true, changes: 0 });
        else expect(ours).toMatchObject({ inSync: false, createTables: 50 });
      }
    }
  });

  it('prints every ratio as a number', () => {
    const rows = timeRows(result.report);
    expect(rows).toHaveLength(4);
    for (const row of rows) for (const column of RATIO_COLUMNS) expect(row[column]).toMatch(RATIO_CELL);
    for (const summary of result.summaries) {
      for (const ratio of [summary.endToEndSpeedup, summary.introspectDiffSpeedup, summary.introspectOverFloor]) expect(Number.isFinite(ratio)).toBe(true);
    }
  });

  it('counts a fixed number of catalog queries and every TypeORM query', () => {
    for (const summary of result.summaries) {
      // PostgreSQL: tables, columns, constraints, indexes, enums, views; MariaDB reads foreign keys and their actions apart.
      expect(summary.ours.catalogQueries).toBe(summary.dialect === 'postgres' ? 6 : 7);
      expect(summary.typeorm.logQueries).toBeGreaterThan(0);
      expect(summary.ours.peakRssMb).toBeGreaterThan(0);
    }
  });

  it('writes a verified migration for the empty database with sync, and reports it', () => {
    for (const samples of result.cases) {
      if (samples.scenario === 'in-sync') expect(samples.sync).toEqual([]);
      else expect(samples.sync.map((s) => [s.verify, s.verified, s.changes >= 50, s.fileBytes > 0])).toEqual([[true, true, true, true], [false, false, true, true]]);
    }
    expect(result.report).toMatch(/\| postgres \| 50 \| [\d.]+ m?s \|/);
    // At 50 tables the 1,000-table target cannot be judged, and the report says what it needs.
    expect(result.report).toMatch(/sync writes a 1,000-table migration \(verified\) in under 5 s \| mariadb \| not measured/);
  });

  it('prints the report it returns', () => {
    expect(printed.join('\n')).toContain(result.report);
  });
});
