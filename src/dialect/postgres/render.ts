import type { Change } from '../../change/change';
import type { ChangeRenderers, RenderContext, SqlDialect } from '../sql-dialect';
import { quotePostgresIdentifier, quotePostgresLiteral, quotePostgresTable } from './quote';
import { postgresDataQuery } from './data-questions';
import { insertPostgresSkippingDuplicates } from './seed-insert';
import { addPostgresColumn, alterPostgresColumn, dropPostgresColumn, renamePostgresColumn } from './render-column';
import {
  addPostgresCheck,
  addPostgresExclusion,
  dropPostgresExclusion,
  addPostgresForeignKey,
  addPostgresUnique,
  createPostgresIndex,
  renamePostgresConstraint,
  renamePostgresIndex,
  dropPostgresCheck,
  dropPostgresForeignKey,
  dropPostgresIndex,
  dropPostgresUnique,
} from './render-constraint';
import { alterPostgresEnum, createPostgresEnum, dropPostgresEnum } from './render-enum';
import { alterPostgresPrimaryKey, alterPostgresTableComment, createPostgresTable, dropPostgresTable, renamePostgresTable } from './render-table';
import { renderPostgresType } from './render-type';
import { batchedPostgresCopy, copyPostgresColumn, createPostgresSyncTrigger, dropPostgresSyncTrigger } from './render-column-sync';
import { addPostgresOrmRecord, createPostgresView, dropPostgresView, removePostgresOrmRecord, replacePostgresView } from './render-view';

/** PostgreSQL's SQL for every change kind; a kind missing here is a compile error. */
const RENDERERS: ChangeRenderers = {
  create_table: createPostgresTable,
  rename_table: renamePostgresTable,
  drop_table: dropPostgresTable,
  add_column: addPostgresColumn,
  drop_column: dropPostgresColumn,
  rename_column: renamePostgresColumn,
  alter_column: alterPostgresColumn,
  alter_primary_key: alterPostgresPrimaryKey,
  create_index: createPostgresIndex,
  rename_index: renamePostgresIndex,
  rename_unique: renamePostgresConstraint,
  rename_foreign_key: renamePostgresConstraint,
  drop_index: dropPostgresIndex,
  add_unique: addPostgresUnique,
  drop_unique: dropPostgresUnique,
  add_foreign_key: addPostgresForeignKey,
  drop_foreign_key: dropPostgresForeignKey,
  add_check: addPostgresCheck,
  drop_check: dropPostgresCheck,
  add_exclusion: addPostgresExclusion,
  drop_exclusion: dropPostgresExclusion,
  alter_table_comment: alterPostgresTableComment,
  create_enum: createPostgresEnum,
  drop_enum: dropPostgresEnum,
  alter_enum: alterPostgresEnum,
  create_view: createPostgresView,
  drop_view: dropPostgresView,
  replace_view: replacePostgresView,
  add_orm_record: addPostgresOrmRecord,
  remove_orm_record: removePostgresOrmRecord,
  copy_column: copyPostgresColumn,
  create_sync_trigger: createPostgresSyncTrigger,
  drop_sync_trigger: dropPostgresSyncTrigger,
};

/** The SQL dialect of PostgreSQL and PGlite. */
export const postgresSql: SqlDialect = {
  family: 'postgres',
  quoteIdentifier: quotePostgresIdentifier,
  quoteLiteral: quotePostgresLiteral,
  quoteTable: quotePostgresTable,
  dataQuery: postgresDataQuery,
  insertSkippingDuplicates: insertPostgresSkippingDuplicates,
  renderType: (type) => renderPostgresType(type),
  batchedCopy: batchedPostgresCopy,
  render(change: Change, context: RenderContext): readonly string[] {
    // TypeScript cannot correlate a union value with the record entry of its own kind; each entry accepts its kind.
    const renderer = RENDERERS[change.kind] as (change: Change, context: RenderContext) => readonly string[];
    return renderer(change, context);
  },
};
