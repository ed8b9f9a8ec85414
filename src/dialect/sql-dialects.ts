import type { Dialect } from '../model/schema';
import { mysqlSql } from './mysql/render';
import { postgresSql } from './postgres/render';
import type { SqlDialect } from './sql-dialect';

const SQL_DIALECTS: Record<Dialect, SqlDialect> = {
  postgres: postgresSql,
  mysql: mysqlSql,
  mariadb: mysqlSql,
};

/** The SQL renderer of a dialect: PostgreSQL (and PGlite), or the one MySQL/MariaDB renderer. */
export function sqlDialectFor(dialect: Dialect): SqlDialect {
  return SQL_DIALECTS[dialect];
}
