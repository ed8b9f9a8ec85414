import type { TableRef } from '../change/change';
import type { DdlStatement } from './ddl-statement';
import type { RuleContext, RuleHit } from './lint-rule';

const EXPAND_CONTRACT = 'add the new name beside the old one (expand), backfill and switch the code, and drop the old one only when no old pod runs (contract; schema-sync compat checks it)';

/**
 * Rules every dialect shares: what breaks the pods of the previous release, which keep running during a rolling
 * deploy. A rename breaks them at once (error); a drop is the contract step of expand/contract and is fine once the old
 * release is gone, which `compat` checks (warning).
 */
export function commonHits(statement: DdlStatement, context: RuleContext): RuleHit[] {
  switch (statement.kind) {
    case 'rename_table':
      return context.exists(statement.from) ? [renameTable(statement.from, statement.to)] : [];
    case 'drop_table':
      return statement.tables.filter((table) => context.exists(table)).map((table) => ({
        rule: 'drop-table',
        severity: 'warning' as const,
        table,
        message: `DROP TABLE ${qualified(table)}: pods of the previous release that read it fail, and its rows are gone`,
        hint: 'drop it in a contract migration, after every old pod is gone (schema-sync compat --against <previous release>)',
      }));
    case 'alter_table':
      if (!context.exists(statement.table)) return [];
      return statement.actions.flatMap((action): RuleHit[] => {
        switch (action.kind) {
          case 'rename_table':
            return [renameTable(statement.table, action.to)];
          case 'rename_column':
            return [renameColumn(statement.table, action.from, action.to)];
          case 'modify_column':
            // MySQL's CHANGE old new …: a rename when the names differ.
            return action.from === action.column.name ? [] : [renameColumn(statement.table, action.from, action.column.name)];
          case 'drop_column':
            return [
              {
                rule: 'drop-column',
                severity: 'warning',
                table: statement.table,
                message: `DROP COLUMN ${action.name} on ${qualified(statement.table)}: pods of the previous release that read or write it fail, and its values are gone`,
                hint: 'drop it in a contract migration, after every old pod is gone (schema-sync compat --against <previous release>)',
              },
            ];
          default:
            return [];
        }
      });
    default:
      return [];
  }
}

function renameColumn(table: TableRef, from: string, to: string): RuleHit {
  return {
    rule: 'rename-column',
    severity: 'error',
    table,
    message: `RENAME COLUMN ${from} TO ${to} on ${qualified(table)}: pods of the previous release still read and write ${from}, and fail from this moment`,
    hint: EXPAND_CONTRACT,
  };
}

function renameTable(from: TableRef, to: TableRef): RuleHit {
  return {
    rule: 'rename-table',
    severity: 'error',
    table: from,
    message: `RENAME TABLE ${qualified(from)} TO ${qualified(to)}: pods of the previous release still name ${qualified(from)}, and fail from this moment`,
    hint: EXPAND_CONTRACT,
  };
}

function qualified(ref: TableRef): string {
  return ref.schema === null ? ref.name : `${ref.schema}.${ref.name}`;
}
