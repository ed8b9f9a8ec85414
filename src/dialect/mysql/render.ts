import type { Change } from '../../change/change';
import { SchemaSyncError } from '../../util/errors';
import type { ChangeRenderers, RenderContext, SqlDialect } from '../sql-dialect';
import { quoteMysqlLiteral, quoteMysqlName, quoteMysqlTable } from './quote';
import { mysqlDataQuery } from './data-questions';
import { insertMysqlSkippingDuplicates } from './seed-insert';
import { addMysqlColumn, alterMysqlColumn, dropMysqlColumn, renameMysqlColumn } from './render-column';
import {
  addMysqlCheck,
  mysqlExclusion,
  addMysqlForeignKey,
  addMysqlUnique,
  createMysqlIndex,
  renameMysqlForeignKey,
  renameMysqlIndex,
  dropMysqlCheck,
  dropMysqlForeignKey,
  dropMysqlIndex,
  dropMysqlUnique,
} from './render-constraint';
import { alterMysqlPrimaryKey, alterMysqlTableComment, createMysqlTable, dropMysqlTable, renameMysqlTable } from './render-table';
import { renderMysqlType } from './render-type';
import { batchedMysqlCopy, copyMysqlColumn, createMysqlSyncTrigger, dropMysqlSyncTrigger } from './render-column-sync';
import { addMysqlOrmRecord, createMysqlView, dropMysqlView, removeMysqlOrmRecord, replaceMysqlView } from './render-view';

/** MySQL enums are inline column types, so a named-enum change reaching this dialect is a planner bug. */
function noNamedEnums(change: Extract<Change, { kind: 'create_enum' | 'drop_enum' | 'alter_enum' }>): never {
  const enumType = change.kind === 'alter_enum' ? change.to : change.enumType;
  throw new SchemaSyncError(
    'UNSUPPORTED',
    `MySQL and MariaDB have no named enum types: ${change.kind} ${enumType.name} cannot be rendered (enums there are inline column types)`,
  );
}

/** MySQL's and MariaDB's SQL for every change kind; a kind missing here is a compile error. */
const RENDERERS: ChangeRenderers = {
  create_table: createMysqlTable,
  rename_table: renameMysqlTable,
  drop_table: dropMysqlTable,
  add_column: addMysqlColumn,
  drop_column: dropMysqlColumn,
  rename_column: renameMysqlColumn,
  alter_column: alterMysqlColumn,
  alter_primary_key: alterMysqlPrimaryKey,
  create_index: createMysqlIndex,
  rename_index: renameMysqlIndex,
  rename_unique: renameMysqlIndex,
  rename_foreign_key: renameMysqlForeignKey,
  drop_index: dropMysqlIndex,
  add_unique: addMysqlUnique,
  drop_unique: dropMysqlUnique,
  add_foreign_key: addMysqlForeignKey,
  drop_foreign_key: dropMysqlForeignKey,
  add_check: addMysqlCheck,
  drop_check: dropMysqlCheck,
  add_exclusion: mysqlExclusion,
  drop_exclusion: mysqlExclusion,
  alter_table_comment: alterMysqlTableComment,
  create_enum: noNamedEnums,
  drop_enum: noNamedEnums,
  alter_enum: noNamedEnums,
  create_view: createMysqlView,
  drop_view: dropMysqlView,
  replace_view: replaceMysqlView,
  add_orm_record: addMysqlOrmRecord,
  remove_orm_record: removeMysqlOrmRecord,
  copy_column: copyMysqlColumn,
  create_sync_trigger: createMysqlSyncTrigger,
  drop_sync_trigger: dropMysqlSyncTrigger,
};

/** The SQL dialect of MySQL and MariaDB (one renderer: the DDL they share is all this tool emits). */
export const mysqlSql: SqlDialect = {
  family: 'mysql',
  quoteIdentifier: quoteMysqlName,
  quoteLiteral: quoteMysqlLiteral,
  quoteTable: quoteMysqlTable,
  dataQuery: mysqlDataQuery,
  insertSkippingDuplicates: insertMysqlSkippingDuplicates,
  renderType: (type) => renderMysqlType(type),
  batchedCopy: batchedMysqlCopy,
  render(change: Change, context: RenderContext): readonly string[] {
    // TypeScript cannot correlate a union value with the record entry of its own kind; each entry accepts its kind.
    const renderer = RENDERERS[change.kind] as (change: Change, context: RenderContext) => readonly string[];
    return renderer(change, context);
  },
};
