import type { DialectLint } from '../lint/lint-rule';
import type { Dialect } from '../model/schema';
import { mysqlLint } from './mysql/lint-rules';
import { postgresLint } from './postgres/lint-rules';

const LINTS: Record<Dialect, DialectLint> = {
  postgres: postgresLint,
  mysql: mysqlLint('mysql'),
  mariadb: mysqlLint('mariadb'),
};

/** The SQL spelling and lint rules of a dialect. */
export function lintRulesFor(dialect: Dialect): DialectLint {
  return LINTS[dialect];
}
