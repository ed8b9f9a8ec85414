import fg from 'fast-glob';
import { DataSource, getMetadataArgsStorage, type DataSourceOptions, type Logger } from 'typeorm';
import { RESULT_MARKER, type TypeormChildResult } from './typeorm-result';

/** Counts every statement TypeORM's query runners send; all of them go through logQuery before they run. */
class CountingLogger implements Logger {
  queries = 0;
  logQuery(): void {
    this.queries++;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** Loads the entity files the way the CLI does (sorted glob, every export TypeORM registered as a table). */
function loadEntities(glob: string): Function[] {
  const files = fg.sync(glob, { absolute: true, onlyFiles: true, ignore: ['**/*.d.ts', '**/node_modules/**'] }).sort();
  const tables = getMetadataArgsStorage().tables;
  const entities = new Set<Function>();
  for (const file of files) {
    const exported = require(file) as Record<string, unknown>;
    for (const value of Object.values(exported)) {
      if (typeof value === 'function' && tables.some((table) => table.target === value)) entities.add(value);
    }
  }
  return [...entities];
}

function dataSourceOptions(type: string, url: string, entities: Function[], logger: Logger, mode: 'log' | 'synchronize'): DataSourceOptions {
  // synchronize() wraps everything in one transaction by default, and 2,000 tables with their indexes, sequences and
  // enum types exceed PostgreSQL's lock table (max_locks_per_transaction 64: "out of shared memory"). Without the
  // transaction each DDL statement commits on its own; the schema built is the same.
  const common = { url, entities, logger, synchronize: false, migrationsTransactionMode: mode === 'synchronize' ? 'none' : 'all' } as const;
  // MariaDB must be `mariadb`: as `mysql` TypeORM reports hundreds of phantom changes on its own schema (FACTS.md).
  if (type === 'postgres') return { type: 'postgres', ...common };
  if (type === 'mariadb') return { type: 'mariadb', ...common };
  throw new Error(`unknown TypeORM type ${type}`);
}

/** Loads the entities, initialises TypeORM and runs its schema builder once; prints the result line. */
export async function main(argv: readonly string[], startedAt: number): Promise<number> {
  const [, mode, type, url, glob] = argv;
  if ((mode !== 'log' && mode !== 'synchronize') || type === undefined || url === undefined || glob === undefined) {
    throw new Error('usage: typeorm-child.js <cliRoot> <projectDir> <log|synchronize> <postgres|mariadb> <url> <modelsGlob>');
  }
  const entities = loadEntities(glob);
  const loaded = performance.now();
  const logger = new CountingLogger();
  const dataSource = new DataSource(dataSourceOptions(type, url, entities, logger, mode));
  await dataSource.initialize();
  const initialized = performance.now();
  const initializeQueries = logger.queries;
  let pending: string[] = [];
  try {
    if (mode === 'synchronize') {
      await dataSource.synchronize();
    } else {
      const sql = await dataSource.driver.createSchemaBuilder().log();
      pending = sql.upQueries.map((query) => query.query);
    }
  } finally {
    const finished = performance.now();
    const result: TypeormChildResult = {
      mode,
      loadFilesMs: loaded - startedAt,
      initializeMs: initialized - loaded,
      schemaBuilderMs: finished - initialized,
      initAndLogMs: finished - startedAt,
      initializeQueries,
      schemaBuilderQueries: logger.queries - initializeQueries,
      pendingStatements: pending.length,
      pendingSample: pending.slice(0, 3),
      entityCount: entities.length,
    };
    process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
    await dataSource.destroy();
  }
  return 0;
}
