import type { Change, TableRef } from '../../change/change';
import { changeOfAction } from '../../lint/as-change';
import type { DdlStatement, StatedAlgorithm } from '../../lint/ddl-statement';
import type { DialectLint, RuleContext, RuleHit } from '../../lint/lint-rule';
import type { Dialect } from '../../model/schema';
import { algorithmClause, impactOfAlterCost, MYSQL_ALGORITHMS, mysqlAlterCost, worstAlterCost, type MysqlAlterCost } from './lock-impact';
import { EXPLICIT_ALGORITHM } from './online';
import { onlineForeignKeyStatement } from './online-foreign-key';
import { mariadbTypes, mysqlTypes } from './types';

type MysqlDialect = Exclude<Dialect, 'postgres'>;

/**
 * What lint flags in MySQL and MariaDB migrations, costed by the ALTER rules of lock-impact.ts: an ALTER (or CREATE
 * INDEX) on a table with rows that would copy the table or lock writes without saying so, one whose stated ALGORITHM or
 * LOCK the server will refuse, and (advice, MariaDB) one that leaves its cheap algorithm unstated.
 */
export function mysqlLint(dialect: MysqlDialect): DialectLint {
  return {
    ddl: {
      lexicon: { identifierQuote: '`', backslashEscapes: true, dollarQuotes: false, hashComments: true, foldsToLowerCase: false },
      types: dialect === 'mariadb' ? mariadbTypes : mysqlTypes,
      defaultSchema: null,
    },
    check: (statement, context, form) => check(statement, context, dialect, form),
    onlineBlock: onlineForeignKeyStatement,
  };
}

function check(statement: DdlStatement, context: RuleContext, dialect: MysqlDialect, form: 'plain' | 'online-block'): RuleHit[] {
  // A plain ADD FOREIGN KEY runs with foreign_key_checks on (a copy); the online block's runs with it off.
  const online = form === 'online-block';
  switch (statement.kind) {
    case 'create_index':
      if (!context.exists(statement.table)) return [];
      return judge([{ kind: 'create_index', table: statement.table, index: statement.index }], statement.table, statement.stated, context, dialect, `CREATE INDEX ${statement.index.name}`, online);
    case 'alter_table': {
      if (!context.exists(statement.table)) return [];
      const table = context.tableOf(statement.table);
      const changes = statement.actions.map((action) => changeOfAction(action, statement.table, table));
      if (changes.includes('unknown')) {
        return [
          {
            rule: 'mysql-alter-copy',
            severity: 'warning',
            table: statement.table,
            message: `ALTER TABLE ${qualified(statement.table)} changes a column whose current definition is unknown (give --url): a type or character set change copies the table while writes wait`,
            hint: 'state ALGORITHM=INSTANT or INPLACE, LOCK=NONE so the server refuses rather than copies',
          },
        ];
      }
      const known = changes.filter((change): change is Change => change !== null && change !== 'unknown');
      // Without the catalog the block's claim cannot be judged; the server refuses a wrong one and the block checks its rows.
      if (online && table === null) return [];
      return known.length === 0 ? [] : judge(known, statement.table, statement.stated, context, dialect, `ALTER TABLE ${qualified(statement.table)}`, online);
    }
    case 'rebuild':
      return statement.command === 'OPTIMIZE TABLE' ? statement.tables.filter((table) => context.exists(table)).map((table) => optimizeHit(table, context)) : [];
    default:
      return [];
  }
}

const ALGORITHM_RANK = new Map<string, number>(MYSQL_ALGORITHMS.map((algorithm, i) => [algorithm, i]));
const LOCK_RANK: Readonly<Record<string, number>> = { NONE: 0, SHARED: 1, EXCLUSIVE: 2 };

/** The cost of the statement's changes together (one ALTER does them at once) against what it states. */
function judge(changes: readonly Change[], ref: TableRef, stated: StatedAlgorithm, context: RuleContext, dialect: MysqlDialect, what: string, online: boolean): RuleHit[] {
  const cost = worstAlterCost(changes.map((change) => mysqlAlterCost(change, dialect, context.lockContext(ref, online))));
  const impact = impactOfAlterCost(cost, dialect);
  const hit = (rule: string, severity: RuleHit['severity'], message: string, hint: string): RuleHit[] => [{ rule, severity, table: ref, message, hint, impact }];
  const why = cost.note === undefined ? '' : ` (${cost.note})`;
  if (refuses(stated, cost)) {
    return hit('mysql-algorithm-refused', 'error', `${what} states ${statedText(stated)}, but the change needs ALGORITHM=${cost.algorithm}, LOCK=${cost.lock}${why}: the server refuses it and the migration stops`, `state ${algorithmClause(cost)}, or split the change so each part can be done online`);
  }
  if (cost.algorithm === 'COPY') {
    return stated.algorithm === null
      ? hit('mysql-alter-copy', 'error', `${what} copies the table while writes wait (ALGORITHM=COPY, LOCK=${cost.lock})${why}`, 'do it in an online way (a new column and a backfill), or state ALGORITHM=COPY to accept the outage')
      : hit('mysql-alter-copy', 'warning', `${what} copies the table while writes wait, as it states${why}`, 'run it in a maintenance window, or find an online way');
  }
  if (cost.lock !== 'NONE') {
    return hit('mysql-alter-locks-writes', stated.lock === null ? 'error' : 'warning', `${what} blocks writes while it runs (ALGORITHM=${cost.algorithm}, LOCK=${cost.lock})${why}`, stated.lock === null ? `state ${algorithmClause(cost)} to accept it, or find an online way` : 'run it when writes can wait');
  }
  // Advice only where sync itself states the algorithm: for the other kinds the rules are not sure enough to claim one.
  // Nor on a table without a primary key, whose clustering key many more changes rebuild (sync keeps the plain form there).
  const keyless = context.catalog && context.tableOf(ref)?.primaryKey === null;
  if (stated.algorithm === null && dialect === 'mariadb' && !keyless && changes.every((change) => EXPLICIT_ALGORITHM.has(change.kind))) {
    return hit('mysql-algorithm-implicit', 'info', `${what} can run as ${algorithmClause(cost)} but does not say so: if the server cannot, it silently copies the table instead`, `add ${algorithmClause(cost)}`);
  }
  return [];
}

/**
 * OPTIMIZE TABLE on InnoDB is `ALTER TABLE … FORCE` (the server says "doing recreate + analyze instead"): a new copy of
 * the whole table and its indexes. Checked on MariaDB 10.11: the rebuild runs INPLACE with LOCK=NONE, but with a
 * FULLTEXT index it needs LOCK=SHARED (writes wait until it ends). Either way it writes the table again (twice its size
 * on disk for a while, and a replica replays it as one statement).
 */
function optimizeHit(table: TableRef, context: RuleContext): RuleHit {
  const known = context.catalog ? context.tableOf(table) : null;
  const fulltext = known?.indexes.some((index) => index.method === 'fulltext') ?? null;
  const hint = 'do not run it in a migration; where a rebuild is needed, ALTER TABLE … FORCE, ALGORITHM=INPLACE, LOCK=NONE in a quiet hour: the server refuses it instead of blocking writes (a table with a FULLTEXT index cannot be rebuilt online)';
  const blocking = fulltext !== false;
  return {
    rule: 'mysql-optimize-table',
    severity: fulltext === true ? 'error' : 'warning',
    table,
    message:
      fulltext === true
        ? `OPTIMIZE TABLE ${qualified(table)} rebuilds the table, and with its FULLTEXT index it blocks writes until the copy is done (INPLACE, LOCK=SHARED)`
        : `OPTIMIZE TABLE ${qualified(table)} rebuilds the whole table (ALTER TABLE … FORCE): online only without a FULLTEXT index${fulltext === null ? ' (unknown without --url)' : ''}, and a replica replays it as one long statement`,
    hint,
    impact: { lock: blocking ? 'INPLACE, LOCK=SHARED' : 'INPLACE, LOCK=NONE', blocksWrites: blocking, blocksReads: false, rewrite: 'rewrite', blocking, ...(fulltext === null ? { note: 'LOCK=SHARED with a FULLTEXT index' } : {}) },
  };
}

/** A stated algorithm cheaper than the change needs, or a weaker lock: the server refuses the statement. */
function refuses(stated: StatedAlgorithm, cost: MysqlAlterCost): boolean {
  const algorithm = stated.algorithm === null || stated.algorithm === 'DEFAULT' ? null : ALGORITHM_RANK.get(stated.algorithm);
  const needed = ALGORITHM_RANK.get(cost.algorithm) ?? 0;
  if (algorithm !== null && algorithm !== undefined && algorithm < needed) return true;
  const lock = stated.lock === null || stated.lock === 'DEFAULT' ? null : LOCK_RANK[stated.lock];
  return lock !== null && lock !== undefined && lock < (LOCK_RANK[cost.lock] ?? 0);
}

function statedText(stated: StatedAlgorithm): string {
  return [stated.algorithm === null ? null : `ALGORITHM=${stated.algorithm}`, stated.lock === null ? null : `LOCK=${stated.lock}`].filter((part) => part !== null).join(', ');
}

function qualified(ref: TableRef): string {
  return ref.schema === null ? ref.name : `${ref.schema}.${ref.name}`;
}
