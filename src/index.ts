/** The library entry point: what migration files import, and the pipeline stages for programmatic use. */
export type { MigrationContext } from './migrations/context';
export type { Schema, Table, Column, ColumnType, ColumnDefault, ComputedColumn, ExclusionConstraint, Index, ForeignKey, EnumType, Dialect } from './model/schema';
export type { Change, ChangeKind } from './change/change';
export type { DatabaseClient } from './connect/client';
export { connect } from './connect/connect';
export { computeDiff } from './sync/compute-diff';
export { generateMigration } from './sync/generate';
export { diffSchemas } from './diff/diff-schemas';
export { compileTableGlob, type TableGlob } from './diff/table-glob';
export type { UnmanagedObject } from './diff/unmanaged';
export { normalizeSchema } from './model/normalize';
export { introspect } from './introspect/introspect';
export { loadModels } from './source/typeorm/load-models';
export { buildDiffReport } from './report/diff-report';
export { SchemaSyncError } from './util/errors';
