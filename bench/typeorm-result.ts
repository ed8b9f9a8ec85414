/* The contract between typeorm-child.ts and its parent, kept apart so the parent does not load TypeORM. */

/** What the TypeORM child measured; printed as one JSON line after RESULT_MARKER. */
export interface TypeormChildResult {
  readonly mode: 'log' | 'synchronize';
  /** From process start (before the TypeScript loader) until every entity file is loaded. */
  readonly loadFilesMs: number;
  /** `DataSource.initialize()`: connect, build metadata, validate, driver set-up queries. */
  readonly initializeMs: number;
  /** `driver.createSchemaBuilder().log()` (the code path of `migration:generate`), or `synchronize()`. */
  readonly schemaBuilderMs: number;
  /** From process start to the end of the schema builder: "TypeORM init + log()", files included. */
  readonly initAndLogMs: number;
  readonly initializeQueries: number;
  readonly schemaBuilderQueries: number;
  /** Statements log() says it would still run (0 on a database TypeORM just synchronized, modulo its phantoms). */
  readonly pendingStatements: number;
  readonly pendingSample: readonly string[];
  readonly entityCount: number;
}

/** Marks the result line on stdout, so anything else a library prints there cannot be mistaken for it. */
export const RESULT_MARKER = '@@bench-typeorm-result ';
