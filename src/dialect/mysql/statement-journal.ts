import { createHash } from 'node:crypto';
import type { StatementJournal, StatementKind } from '../../apply/history-sql';
import type { DatabaseClient } from '../../connect/client';
import { mysqlLockWait } from './lock-wait';
import { ONLINE_FOREIGN_KEY_BLOCK } from './online-foreign-key';
import { quoteMysqlName } from './quote';

/*
 * DDL commits itself on MySQL and MariaDB, so after a crash the applier cannot know from its own progress row whether
 * the statement in flight took effect. MariaDB 10.6+ (and MySQL 8) make each DDL statement atomic: a table is either
 * in its before or its after state. So the applier records a fingerprint of the tables a statement names before it
 * runs, and on resume compares the live catalog with it. These are the MySQL-specific parts: which statements are
 * transactional data changes, which tables a DDL statement names, and what their fingerprint is.
 */

/** Statements that change rows only: they run in one transaction with their progress row. */
const DATA = /^(INSERT|UPDATE|DELETE|REPLACE|SELECT|WITH|DO|VALUES)\b/i;
/** Session settings: harmless to run again, and lost with a killed session, so a resume runs the skipped ones again. */
const SESSION = /^SET\s+(?!PASSWORD\b|DEFAULT\s+ROLE\b|GLOBAL\b|@@GLOBAL\b|PERSIST)/i;

/** A word, a backquoted identifier, or one punctuation character of a statement's head. */
type Token = { readonly word: string; readonly quoted: boolean };

/** The MySQL and MariaDB answer to "which statements journal how, and what did this one touch". */
export const mysqlStatementJournal: StatementJournal = {
  transaction: { begin: 'START TRANSACTION', commit: 'COMMIT', rollback: 'ROLLBACK' },
  lockWait: mysqlLockWait,
  kindOf(sql: string): StatementKind {
    const head = stripLeadingComments(sql);
    if (DATA.test(head)) return 'data';
    if (SESSION.test(head)) return 'session';
    if (ONLINE_FOREIGN_KEY_BLOCK.test(head)) return 'repeatable';
    return tablesNamedBy(sql) === null ? 'unknown' : 'schema';
  },
  async fingerprint(client: DatabaseClient, sql: string): Promise<string | null> {
    const tables = tablesNamedBy(sql);
    if (tables === null) return null;
    const hash = createHash('sha256');
    for (const table of [...new Set(tables)].sort()) hash.update(`${table}\0${await tableDefinition(client, table)}\0`);
    return hash.digest('hex');
  },
};

/**
 * The tables (or views) a DDL statement creates, alters, drops or renames, as `name` or `db.name`; null for any other
 * statement, whose effect the catalog check cannot see.
 */
export function tablesNamedBy(sql: string): string[] | null {
  const tokens = tokenize(stripLeadingComments(sql), 40);
  const words = tokens.map((t) => (t.quoted ? '' : t.word.toUpperCase()));
  let i = 0;
  const skip = (...options: string[]) => {
    while (i < words.length && options.includes(words[i] as string)) i++;
  };
  const expect = (word: string) => words[i] === word && ++i > 0;
  const name = (): string | null => readName(tokens, i, (next) => (i = next));
  const verb = words[i++];
  if (verb === 'CREATE') {
    if (expect('OR')) expect('REPLACE');
    skip('TEMPORARY', 'UNIQUE', 'FULLTEXT', 'SPATIAL');
    if (expect('TABLE') || expect('SEQUENCE') || expect('VIEW')) return ifExists(() => skip('IF', 'NOT', 'EXISTS'), name);
    if (expect('INDEX')) return indexTable(() => skip('IF', 'NOT', 'EXISTS'));
    return null;
  }
  if (verb === 'ALTER') {
    skip('ONLINE', 'IGNORE');
    if (!(expect('TABLE') || expect('SEQUENCE'))) return null;
    return ifExists(() => skip('IF', 'EXISTS'), name);
  }
  if (verb === 'DROP') {
    skip('TEMPORARY');
    if (expect('INDEX')) return indexTable(() => skip('IF', 'EXISTS'));
    if (!(expect('TABLE') || expect('TABLES') || expect('SEQUENCE') || expect('VIEW'))) return null;
    skip('IF', 'EXISTS');
    return nameList(',');
  }
  if (verb === 'RENAME') {
    if (!(expect('TABLE') || expect('TABLES'))) return null;
    return nameList(',', 'TO');
  }
  return null;

  function ifExists(skipClause: () => void, read: () => string | null): string[] | null {
    skipClause();
    const table = read();
    return table === null ? null : [table];
  }
  function indexTable(skipClause: () => void): string[] | null {
    skipClause();
    if (name() === null) return null;
    skip('USING', 'BTREE', 'HASH');
    if (!expect('ON')) return null;
    const table = name();
    return table === null ? null : [table];
  }
  function nameList(...separators: string[]): string[] | null {
    const names: string[] = [];
    for (;;) {
      const table = name();
      if (table === null) return null;
      names.push(table);
      const next = tokens[i];
      if (next === undefined || next.quoted || !separators.includes(next.word.toUpperCase())) break;
      i++;
    }
    return names;
  }
}

/** `SHOW CREATE TABLE` without the counter that rows move, or `absent`. */
async function tableDefinition(client: DatabaseClient, table: string): Promise<string> {
  const quoted = table.split('.').map(quoteMysqlName).join('.');
  try {
    const rows = await client.query<Record<string, unknown>>(`SHOW CREATE TABLE ${quoted}`);
    const row = rows[0] ?? {};
    const text = String(row['Create Table'] ?? row['Create View'] ?? '');
    return text.replace(/\s+AUTO_INCREMENT=\d+/, '');
  } catch (error) {
    // ER_NO_SUCH_TABLE: the statement's table does not exist (yet, or any more).
    if ((error as { errno?: number }).errno === 1146) return 'absent';
    throw error;
  }
}

function readName(tokens: readonly Token[], start: number, moveTo: (next: number) => void): string | null {
  const first = tokens[start];
  if (first === undefined || !isName(first)) return null;
  if (tokens[start + 1]?.word === '.' && tokens[start + 2] !== undefined && isName(tokens[start + 2] as Token)) {
    moveTo(start + 3);
    return `${first.word}.${(tokens[start + 2] as Token).word}`;
  }
  moveTo(start + 1);
  return first.word;
}

function isName(token: Token): boolean {
  return token.quoted || /^[A-Za-z0-9_$]+$/.test(token.word);
}

function stripLeadingComments(sql: string): string {
  let rest = sql.trimStart();
  for (;;) {
    if (rest.startsWith('--') || rest.startsWith('#')) rest = rest.slice(rest.indexOf('\n') < 0 ? rest.length : rest.indexOf('\n') + 1).trimStart();
    else if (rest.startsWith('/*') && !rest.startsWith('/*!')) rest = rest.slice(rest.indexOf('*/') < 0 ? rest.length : rest.indexOf('*/') + 2).trimStart();
    else return rest;
  }
}

/** The first `limit` tokens: enough for any statement head. */
function tokenize(sql: string, limit: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length && tokens.length < limit) {
    const c = sql[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '`') {
      let word = '';
      i++;
      while (i < sql.length) {
        if (sql[i] === '`' && sql[i + 1] === '`') {
          word += '`';
          i += 2;
        } else if (sql[i] === '`') {
          i++;
          break;
        } else word += sql[i++];
      }
      tokens.push({ word, quoted: true });
    } else if (/[A-Za-z0-9_$]/.test(c)) {
      const match = /^[A-Za-z0-9_$]+/.exec(sql.slice(i)) as RegExpExecArray;
      tokens.push({ word: match[0], quoted: false });
      i += match[0].length;
    } else {
      tokens.push({ word: c, quoted: false });
      i++;
    }
  }
  return tokens;
}
