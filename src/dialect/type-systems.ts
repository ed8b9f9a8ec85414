import type { Dialect } from '../model/schema';
import type { DialectTypeSystem } from './dialect';
import { mariadbTypes, mysqlTypes } from './mysql/types';
import { postgresTypes } from './postgres/types';

const TYPE_SYSTEMS: Record<Dialect, DialectTypeSystem> = {
  postgres: postgresTypes,
  mysql: mysqlTypes,
  mariadb: mariadbTypes,
};

/** The type and default parser of a dialect. */
export function typeSystemFor(dialect: Dialect): DialectTypeSystem {
  return TYPE_SYSTEMS[dialect];
}
