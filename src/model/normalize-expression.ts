/**
 * Canonical text for SQL expressions the catalog rewrites (partial index predicates, CHECK clauses):
 * PostgreSQL prints `(("status")::text = 'active'::text)` for `"status" = 'active'`, MariaDB adds backticks.
 * Removing casts, identifier quotes, parentheses and case outside string literals makes the two comparable.
 * It is a comparison key, never SQL to run.
 */
export function canonicalExpression(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    if (ch === "'") {
      const end = endOfString(sql, i);
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    if (ch === ':' && sql[i + 1] === ':') {
      const end = skipCast(sql, i + 2);
      // PostgreSQL prints a negative constant as a quoted literal with a cast: `'-1'::integer` for -1.
      if (NUMERIC_CAST.test(sql.slice(i + 2, end))) out = out.replace(/'([-+]?(?:\d+\.?\d*|\.\d+))'$/, '$1');
      i = end;
      continue;
    }
    if (ch === '"' || ch === '`' || ch === '(' || ch === ')') {
      i++;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    out += ch.toLowerCase();
    i++;
  }
  return out;
}

const NUMERIC_CAST = /^(?:smallint|integer|bigint|int[248]?|numeric|decimal|real|double precision|float[48])\b/i;

function endOfString(sql: string, start: number): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === "'") {
      if (sql[i + 1] === "'") {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/** Skips a cast's type name, including multi-word names (`character varying`) and modifiers (`(255)`, `[]`). */
function skipCast(sql: string, start: number): number {
  let i = start;
  if (sql[i] === '"') {
    const close = sql.indexOf('"', i + 1);
    i = close < 0 ? sql.length : close + 1;
  }
  const rest = /^(?:[a-z_][a-z0-9_.]*)(?:\(\d+(?:,\s*\d+)?\))?(?:\s+(?:varying|precision|without time zone|with time zone))?(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*/i.exec(sql.slice(i));
  return i + (rest?.[0].length ?? 0);
}
