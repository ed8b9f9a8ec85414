import type { TableRef } from '../../change/change';
import type { AlterAction, DdlStatement, RebuildStatement } from '../../lint/ddl-statement';
import { changeOfAction, columnNamed } from '../../lint/as-change';
import type { DialectLint, RuleContext, RuleHit } from '../../lint/lint-rule';
import { sameType } from '../../model/compare';
import type { Column, ColumnType, ForeignKey } from '../../model/schema';
import { formatType } from '../../report/format';
import type { LockImpact } from '../lock-impact';
import { isVolatileDefault, postgresLockImpact } from './lock-impact';
import { postgresTypes } from './types';

/**
 * What lint flags in PostgreSQL migrations, with the lock facts of lock-impact.ts behind each finding. The online forms
 * (CREATE/DROP INDEX CONCURRENTLY, NOT VALID + VALIDATE CONSTRAINT, a validated CHECK before SET NOT NULL, UNIQUE
 * USING INDEX) pass.
 */
export const postgresLint: DialectLint = {
  ddl: {
    lexicon: { identifierQuote: '"', backslashEscapes: false, dollarQuotes: true, hashComments: false, foldsToLowerCase: true },
    types: postgresTypes,
    defaultSchema: 'public',
  },
  check(statement, context) {
    switch (statement.kind) {
      case 'create_index':
        return createIndexHits(statement, context);
      case 'drop_index':
        return dropIndexHits(statement, context);
      case 'alter_table':
        return context.exists(statement.table) ? statement.actions.flatMap((action) => actionHits(action, statement.table, context)) : [];
      case 'rebuild':
        return rebuildHits(statement, context);
      default:
        return [];
    }
  },
};

function qualified(ref: TableRef): string {
  return ref.schema === null ? ref.name : `${ref.schema}.${ref.name}`;
}

function createIndexHits(statement: Extract<DdlStatement, { kind: 'create_index' }>, context: RuleContext): RuleHit[] {
  if (statement.concurrently || !context.exists(statement.table)) return [];
  const impact = postgresLockImpact({ kind: 'create_index', table: statement.table, index: statement.index }, context.lockContext(statement.table, false));
  return [
    {
      rule: 'pg-index-not-concurrent',
      severity: 'error',
      table: statement.table,
      message: `CREATE INDEX ${statement.index.name === '' ? '' : `${statement.index.name} `}on ${qualified(statement.table)} takes a ${impact.lock} lock and blocks writes while it scans the table`,
      hint: 'CREATE INDEX CONCURRENTLY (outside a transaction): it scans twice and writes go on',
      impact,
    },
  ];
}

function dropIndexHits(statement: Extract<DdlStatement, { kind: 'drop_index' }>, context: RuleContext): RuleHit[] {
  if (statement.concurrently) return [];
  const table = statement.table ?? context.tableOfIndex(statement.name);
  if (table !== null && !context.exists(table)) return [];
  return [
    {
      rule: 'pg-drop-index-not-concurrent',
      severity: 'warning',
      table,
      message: `DROP INDEX ${statement.name} takes an ACCESS EXCLUSIVE lock on ${table === null ? 'its table' : qualified(table)}: every query waits behind the lock, and the lock waits for every running query`,
      hint: 'DROP INDEX CONCURRENTLY (outside a transaction)',
    },
  ];
}

function actionHits(action: AlterAction, ref: TableRef, context: RuleContext): RuleHit[] {
  const table = context.tableOf(ref);
  const lock = (online: boolean): LockImpact | null => {
    const change = changeOfAction(action, ref, table);
    return change === null || change === 'unknown' ? null : postgresLockImpact(change, context.lockContext(ref, online));
  };
  const hit = (rule: string, message: string, hint: string, impact: LockImpact | null, severity: RuleHit['severity'] = 'error'): RuleHit[] => [
    { rule, severity, table: ref, message, hint, ...(impact === null ? {} : { impact }) },
  ];
  switch (action.kind) {
    case 'add_column': {
      const references = action.references === undefined ? [] : referencesHits(action.column, action.references, ref);
      const impact = lock(false);
      if (impact?.rewrite !== 'rewrite') return references;
      const column = action.column;
      return references.concat(column.default !== null && column.generation === null && column.computed === undefined && isVolatileDefault(column.default)
        ? hit('pg-add-column-volatile-default', `ADD COLUMN ${column.name} rewrites ${qualified(ref)} under ACCESS EXCLUSIVE: ${impact.note}`, 'add the column without a default (or with a constant one), fill it in batches, then SET DEFAULT', impact)
        : hit('pg-add-column-generated', `ADD COLUMN ${column.name} rewrites ${qualified(ref)} under ACCESS EXCLUSIVE: ${impact.note}`, 'add a plain nullable column, fill it in batches, then attach the sequence or expression', impact));
    }
    case 'alter_type': {
      const from = table?.columns.find((column) => column.name === action.name);
      if (from === undefined) {
        return hit('pg-alter-type-rewrite', `ALTER COLUMN ${action.name} TYPE ${formatType(action.type)}: its current type is unknown (give --url), and a type change that does not keep the stored values rewrites ${qualified(ref)} under ACCESS EXCLUSIVE`, 'check that the new type keeps the stored values (a longer varchar, varchar to text, more numeric precision), or add a new column and backfill it', null, 'warning');
      }
      const impact = lock(false);
      const converts = action.using !== null && !isPlainCast(action.using, action.name, action.type);
      if (impact === null || (impact.rewrite !== 'rewrite' && !converts)) return [];
      return hit('pg-alter-type-rewrite', `ALTER COLUMN ${action.name} TYPE ${formatType(from.type)} -> ${formatType(action.type)} rewrites ${qualified(ref)} under ACCESS EXCLUSIVE${converts ? ' (its USING expression is computed for every row)' : ''}`, 'add a new column of the new type, backfill it in batches, and switch over in an expand/contract pair', { ...impact, rewrite: 'rewrite', blocking: true });
    }
    case 'set_not_null': {
      const impact = lock(false) ?? postgresLockImpact({ kind: 'alter_column', table: ref, from: columnNamed(action.name), to: { ...columnNamed(action.name), nullable: false }, changed: ['nullable'] }, context.lockContext(ref, false));
      if (impact.rewrite !== 'scan') return [];
      return hit('pg-set-not-null-scan', `SET NOT NULL on ${qualified(ref)}.${action.name} scans every row under ACCESS EXCLUSIVE`, `first ADD CONSTRAINT … CHECK (${action.name} IS NOT NULL) NOT VALID and VALIDATE CONSTRAINT it (writes go on); PostgreSQL 12+ then sets NOT NULL without the scan`, impact);
    }
    case 'add_foreign_key':
      if (action.notValid) return [];
      return hit('pg-add-foreign-key-validates', `ADD FOREIGN KEY on ${qualified(ref)} checks every row while writes to it and to ${action.foreignKey.referencedTable} wait`, 'ADD … NOT VALID, then VALIDATE CONSTRAINT in a later statement (it takes SHARE UPDATE EXCLUSIVE: writes go on)', lock(false));
    case 'add_check':
      if (action.notValid) return [];
      return hit('pg-add-check-validates', `ADD CHECK on ${qualified(ref)} scans every row under ACCESS EXCLUSIVE`, 'ADD … NOT VALID, then VALIDATE CONSTRAINT in a later statement (writes go on)', lock(false));
    case 'add_unique':
    case 'add_primary_key':
      if (action.usingIndex) return [];
      return hit('pg-add-unique-builds-index', `ADD ${action.kind === 'add_unique' ? 'UNIQUE' : 'PRIMARY KEY'} on ${qualified(ref)} builds its index under ACCESS EXCLUSIVE`, `CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … ${action.kind === 'add_unique' ? 'UNIQUE' : 'PRIMARY KEY'} USING INDEX`, lock(false));
    default:
      return [];
  }
}

const ADD_THEN_NOT_VALID = 'ADD COLUMN without REFERENCES, then ADD CONSTRAINT … FOREIGN KEY … NOT VALID and VALIDATE CONSTRAINT in a later statement (it takes SHARE UPDATE EXCLUSIVE: writes go on)';

/**
 * `ADD COLUMN … REFERENCES t (id)`: a foreign key added without NOT VALID, which cannot be said inline. Measured on
 * PostgreSQL 15 (pg_locks, pg_stat_xact_user_tables): the table is locked ACCESS EXCLUSIVE and the referenced one SHARE
 * ROW EXCLUSIVE; a column without a default is all NULL and is not scanned, one with a default is checked row by row
 * while both locks are held.
 */
function referencesHits(column: Column, references: ForeignKey, ref: TableRef): RuleHit[] {
  const target = references.referencedSchema === null ? references.referencedTable : `${references.referencedSchema}.${references.referencedTable}`;
  const filled = column.default !== null;
  const impact: LockImpact = {
    lock: 'ACCESS EXCLUSIVE',
    blocksWrites: true,
    blocksReads: true,
    rewrite: filled ? 'scan' : 'none',
    blocking: filled,
    note: `${target} is locked SHARE ROW EXCLUSIVE too${filled ? '; every row is checked against it' : ''}`,
  };
  const what = `ADD COLUMN ${column.name} … REFERENCES ${target} on ${qualified(ref)} adds a foreign key that cannot be NOT VALID`;
  return [
    filled
      ? { rule: 'pg-add-column-references', severity: 'error', table: ref, message: `${what}: with its default every row is checked against ${target} while ${qualified(ref)} is locked ACCESS EXCLUSIVE and ${target} SHARE ROW EXCLUSIVE (writes to both wait)`, hint: ADD_THEN_NOT_VALID, impact }
      : { rule: 'pg-add-column-references', severity: 'warning', table: ref, message: `${what}: it also locks ${target} SHARE ROW EXCLUSIVE (writes to it wait, and the lock waits behind every transaction that writes it)`, hint: ADD_THEN_NOT_VALID, impact },
  ];
}

/**
 * VACUUM FULL, CLUSTER and REINDEX without CONCURRENTLY, on tables others use. VACUUM FULL and CLUSTER write a new copy
 * of the table and its indexes under ACCESS EXCLUSIVE; REINDEX locks the table SHARE (writes wait) and each index
 * ACCESS EXCLUSIVE, and as planning a query on the table opens all its indexes, reads wait too (pg_locks on 15).
 */
function rebuildHits(statement: RebuildStatement, context: RuleContext): RuleHit[] {
  if (statement.command === 'OPTIMIZE TABLE' || (statement.command === 'REINDEX' && statement.concurrently)) return [];
  const indexTable = statement.index === null ? null : context.tableOfIndex(statement.index);
  const tables = statement.tables.length > 0 ? statement.tables.filter((table) => context.exists(table)) : [indexTable];
  if (tables.length === 0 || (indexTable !== null && !context.exists(indexTable))) return [];
  const what = (table: TableRef | null) => (table === null ? (statement.whole ?? (statement.index === null ? 'its table' : `the table of ${statement.index}`)) : qualified(table));
  return tables.map((table): RuleHit => {
    if (statement.command === 'REINDEX') {
      return {
        rule: 'pg-reindex-not-concurrent',
        severity: 'error',
        table,
        message: `REINDEX ${statement.index ?? what(table)} rebuilds ${statement.index === null ? 'every index' : 'the index'} of ${what(table)} with the table locked SHARE (writes wait) and each index ACCESS EXCLUSIVE (queries that plan on the table wait too)`,
        hint: 'REINDEX … CONCURRENTLY (PostgreSQL 12+, outside a transaction): it builds a new index beside the old one and swaps them, writes go on',
        impact: { lock: 'SHARE', blocksWrites: true, blocksReads: true, rewrite: 'rewrite', blocking: true, note: 'each index is locked ACCESS EXCLUSIVE while it is rebuilt' },
      };
    }
    const rewrite = statement.command === 'VACUUM FULL' ? 'compacts' : 'reorders';
    return {
      rule: statement.command === 'VACUUM FULL' ? 'pg-vacuum-full' : 'pg-cluster',
      severity: 'error',
      table,
      message: `${statement.command} ${rewrite} ${what(table)} into a new copy of the table and its indexes under ACCESS EXCLUSIVE: every read and write waits until it ends`,
      hint:
        statement.command === 'VACUUM FULL'
          ? 'do not run it in a migration: plain VACUUM (no lock on readers or writers) keeps the space reusable; to give it back to the system, pg_repack or pg_squeeze rebuild the table online'
          : 'do not run it in a migration: an index with the order the queries need serves them without it; to reorder the table, pg_repack --order-by rebuilds it online',
      impact: { lock: 'ACCESS EXCLUSIVE', blocksWrites: true, blocksReads: true, rewrite: 'rewrite', blocking: true },
    };
  });
}

/**
 * `USING col::type` to the column's new type is what the ALTER does without USING (PostgreSQL folds the cast and keeps
 * the stored values when it can, as sync's own migrations rely on); any other expression is computed for every row.
 */
function isPlainCast(using: string, column: string, type: ColumnType): boolean {
  const match = /^\(?\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*\)?\s*::\s*(.+)$/s.exec(using.trim());
  if (match === null) return false;
  const name = match[1] !== undefined ? match[1].replace(/""/g, '"') : (match[2] as string).toLowerCase();
  return name === column && sameType(postgresTypes.parseType((match[3] as string).trim()), type);
}
