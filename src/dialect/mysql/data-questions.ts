import type { DataQuestion } from '../../change/data-checks';
import { assertNever } from '../../util/assert-never';
import { quoteMysqlLiteral, quoteMysqlName, quoteMysqlTable } from './quote';

const q = quoteMysqlName;
const table = quoteMysqlTable;

/** One `SELECT COUNT(*) AS n` that answers a data question on MySQL or MariaDB. */
export function mysqlDataQuery(question: DataQuestion): string {
  switch (question.kind) {
    case 'any_row':
      // Stops at the first row: a table of any size answers at once.
      return `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${table(question.table)} LIMIT 1) AS any_row`;
    case 'row_count':
      return `SELECT COUNT(*) AS n FROM ${table(question.table)}`;
    case 'non_null_count':
      return `SELECT COUNT(${q(question.column)}) AS n FROM ${table(question.table)}`;
    case 'null_count':
      return `SELECT COUNT(*) AS n FROM ${table(question.table)} WHERE ${q(question.column)} IS NULL`;
    case 'too_long_count':
      return `SELECT COUNT(*) AS n FROM ${table(question.table)} WHERE CHAR_LENGTH(${q(question.column)}) > ${question.maxLength}`;
    case 'duplicate_count': {
      const columns = question.columns.map(q).join(', ');
      const notNull = question.columns.map((c) => `${q(c)} IS NOT NULL`).join(' AND ');
      return `SELECT COALESCE(SUM(c - 1), 0) AS n FROM (SELECT COUNT(*) AS c FROM ${table(question.table)} WHERE ${notNull} GROUP BY ${columns} HAVING COUNT(*) > 1) AS d`;
    }
    case 'not_integer_count':
      return `SELECT COUNT(*) AS n FROM ${table(question.table)} WHERE ${q(question.column)} IS NOT NULL AND TRIM(${q(question.column)}) NOT REGEXP '^[-+]?[0-9]+$'`;
    case 'not_number_count':
      return `SELECT COUNT(*) AS n FROM ${table(question.table)} WHERE ${q(question.column)} IS NOT NULL AND TRIM(${q(question.column)}) NOT REGEXP '^[-+]?([0-9]+\\\\.?[0-9]*|\\\\.[0-9]+)([eE][-+]?[0-9]+)?$'`;
    case 'value_in_count':
      return `SELECT COUNT(*) AS n FROM ${table(question.table)} WHERE ${q(question.column)} IN (${question.values.map(quoteMysqlLiteral).join(', ')})`;
    default:
      return assertNever(question, 'data question');
  }
}
