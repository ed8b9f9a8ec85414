import type { DataQuestion } from '../../change/data-checks';
import { assertNever } from '../../util/assert-never';
import { quotePostgresIdentifier, quotePostgresLiteral, quotePostgresTable } from './quote';

const q = quotePostgresIdentifier;
const table = quotePostgresTable;

/** One `SELECT count(*) AS n` that answers a data question on PostgreSQL. */
export function postgresDataQuery(question: DataQuestion): string {
  switch (question.kind) {
    case 'any_row':
      // Stops at the first row: a table of any size answers at once.
      return `SELECT count(*) AS n FROM (SELECT 1 FROM ${table(question.table)} LIMIT 1) AS any_row`;
    case 'row_count':
      return `SELECT count(*) AS n FROM ${table(question.table)}`;
    case 'non_null_count':
      return `SELECT count(${q(question.column)}) AS n FROM ${table(question.table)}`;
    case 'null_count':
      return `SELECT count(*) AS n FROM ${table(question.table)} WHERE ${q(question.column)} IS NULL`;
    case 'too_long_count':
      return `SELECT count(*) AS n FROM ${table(question.table)} WHERE char_length(${q(question.column)}::text) > ${question.maxLength}`;
    case 'duplicate_count': {
      const columns = question.columns.map(q).join(', ');
      // Rows beyond the first of each group; NULLs never collide in a unique index, so they are left out.
      const notNull = question.columns.map((c) => `${q(c)} IS NOT NULL`).join(' AND ');
      return `SELECT coalesce(sum(c - 1), 0) AS n FROM (SELECT count(*) AS c FROM ${table(question.table)} WHERE ${notNull} GROUP BY ${columns} HAVING count(*) > 1) AS d`;
    }
    case 'not_integer_count':
      return `SELECT count(*) AS n FROM ${table(question.table)} WHERE ${q(question.column)} IS NOT NULL AND trim(${q(question.column)}::text) !~ '^[-+]?[0-9]+$'`;
    case 'not_number_count':
      return `SELECT count(*) AS n FROM ${table(question.table)} WHERE ${q(question.column)} IS NOT NULL AND trim(${q(question.column)}::text) !~ '^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$'`;
    case 'value_in_count':
      return `SELECT count(*) AS n FROM ${table(question.table)} WHERE ${q(question.column)}::text IN (${question.values.map(quotePostgresLiteral).join(', ')})`;
    default:
      return assertNever(question, 'data question');
  }
}
