import type { TableRef } from '../change/change';
import type { DialectTypeSystem } from '../dialect/dialect';
import type { Column, ColumnGeneration, ColumnType, ForeignKey, ForeignKeyAction, Index } from '../model/schema';
import type { AlterAction, DdlStatement, StatedAlgorithm } from './ddl-statement';
import { parseRebuild } from './parse-rebuild';
import { splitAtCommas, TokenCursor, type SqlLexicon, type Token } from './sql-tokens';

/** What parsing needs from the dialect: how it spells tokens, and its type and default parsers. */
export interface DdlDialect {
  readonly lexicon: SqlLexicon;
  readonly types: DialectTypeSystem;
  /** The schema a name without one means, which the model writes as null (`public` on PostgreSQL). */
  readonly defaultSchema: string | null;
}

/**
 * Reads the DDL statements lint has rules for (CREATE/DROP TABLE and INDEX, ALTER TABLE and its clauses, RENAME
 * TABLE) from one statement's tokens, both dialects' spellings; anything else is `other`. Never throws: SQL it cannot
 * read is simply not classified.
 */
export function parseDdl(tokens: readonly Token[], sql: string, dialect: DdlDialect): DdlStatement {
  const cursor = new TokenCursor(tokens, sql, dialect.lexicon);
  const parser = new DdlParser(cursor, dialect);
  try {
    return parser.statement();
  } catch {
    return { kind: 'other' };
  }
}

const NO_ALGORITHM: StatedAlgorithm = { algorithm: null, lock: null };

/** Words that end a column's type and start its constraints. */
const COLUMN_CONSTRAINTS = new Set(['NOT', 'NULL', 'DEFAULT', 'PRIMARY', 'UNIQUE', 'REFERENCES', 'CHECK', 'CONSTRAINT', 'GENERATED', 'COLLATE', 'AUTO_INCREMENT', 'COMMENT', 'CHARSET', 'ON', 'AS', 'FIRST', 'AFTER', 'INVISIBLE', 'VISIBLE', 'USING', 'KEY']);

const SERIALS: Readonly<Record<string, ColumnType>> = {
  SMALLSERIAL: { kind: 'integer', size: 'small', unsigned: false },
  SERIAL: { kind: 'integer', size: 'int', unsigned: false },
  BIGSERIAL: { kind: 'integer', size: 'big', unsigned: false },
};

class DdlParser {
  constructor(
    private readonly c: TokenCursor,
    private readonly dialect: DdlDialect,
  ) {}

  statement(): DdlStatement {
    const c = this.c;
    if (c.acceptWords('CREATE')) {
      c.acceptWords('OR', 'REPLACE');
      c.acceptOneOf('TEMPORARY', 'TEMP', 'UNLOGGED');
      if (c.acceptWords('TABLE')) {
        c.acceptWords('IF', 'NOT', 'EXISTS');
        return { kind: 'create_table', table: this.table() };
      }
      const kind = c.acceptOneOf('UNIQUE', 'FULLTEXT', 'SPATIAL');
      if (c.acceptWords('INDEX')) return this.createIndex(kind);
      return { kind: 'other' };
    }
    if (c.acceptWords('DROP', 'TABLE')) {
      c.acceptWords('IF', 'EXISTS');
      const tables = splitAtCommas(c.until((t) => t.kind === 'word' && (t.value === 'CASCADE' || t.value === 'RESTRICT'))).map((part) => this.table(c.over(part)));
      return { kind: 'drop_table', tables };
    }
    if (c.acceptWords('DROP', 'INDEX')) {
      const concurrently = c.acceptWords('CONCURRENTLY');
      c.acceptWords('IF', 'EXISTS');
      const name = this.name();
      const table = c.acceptWords('ON') ? this.table() : null;
      return { kind: 'drop_index', name: name.name, table, concurrently };
    }
    if (c.acceptWords('RENAME', 'TABLE')) {
      const from = this.table();
      c.acceptWords('TO');
      return { kind: 'rename_table', from, to: this.table() };
    }
    const rebuild = parseRebuild(c, (cursor) => this.table(cursor));
    if (rebuild !== null) return rebuild;
    if (c.acceptWords('ALTER', 'TABLE')) {
      c.acceptWords('IF', 'EXISTS');
      c.acceptWords('ONLY');
      const table = this.table();
      const clauses = splitAtCommas(c.rest());
      let stated = NO_ALGORITHM;
      const actions: AlterAction[] = [];
      for (const clause of clauses) {
        const option = statedOption(clause);
        if (option === null) actions.push(this.alterAction(c.over(clause)));
        else stated = { algorithm: option.algorithm ?? stated.algorithm, lock: option.lock ?? stated.lock };
      }
      return { kind: 'alter_table', table, actions, stated };
    }
    return { kind: 'other' };
  }

  private createIndex(kind: string | null): DdlStatement {
    const c = this.c;
    const concurrently = c.acceptWords('CONCURRENTLY');
    c.acceptWords('IF', 'NOT', 'EXISTS');
    const name = c.isWords('ON') ? '' : (c.identifier() ?? '');
    if (!c.acceptWords('ON')) return { kind: 'other' };
    c.acceptWords('ONLY');
    const table = this.table();
    let method: string | null = kind === 'FULLTEXT' || kind === 'SPATIAL' ? kind.toLowerCase() : null;
    if (c.acceptWords('USING')) method = (c.identifier() ?? '').toLowerCase();
    const columns = this.keyList(c.group() ?? []);
    const trailing = c.rest();
    const stated = statedOption(trailing) ?? NO_ALGORITHM;
    const index: Index = { name, columns, unique: kind === 'UNIQUE', where: null, method: method === 'btree' ? null : method };
    return { kind: 'create_index', table, index, concurrently, stated };
  }

  private alterAction(c: TokenCursor): AlterAction {
    const text = c.textOf(c.tokens);
    if (c.acceptWords('ADD')) return this.addAction(c) ?? { kind: 'other', text };
    if (c.acceptWords('DROP')) return this.dropAction(c) ?? { kind: 'other', text };
    if (c.acceptWords('ALTER')) {
      c.acceptWords('COLUMN');
      const name = c.identifier();
      if (name === null) return { kind: 'other', text };
      if (c.acceptWords('SET', 'DATA', 'TYPE') || c.acceptWords('TYPE')) {
        const typeTokens = c.until((t) => t.kind === 'word' && (t.value === 'USING' || t.value === 'COLLATE'));
        if (c.acceptWords('COLLATE')) c.identifier();
        const using = c.acceptWords('USING') ? c.textOf(c.rest()) : null;
        return { kind: 'alter_type', name, type: this.type(c.textOf(typeTokens)).type, using };
      }
      if (c.acceptWords('SET', 'NOT', 'NULL')) return { kind: 'set_not_null', name };
      if (c.acceptWords('DROP', 'NOT', 'NULL')) return { kind: 'drop_not_null', name };
      if (c.acceptWords('SET', 'DEFAULT')) return { kind: 'set_default', name, default: this.dialect.types.parseDefault(c.textOf(c.rest())) };
      if (c.acceptWords('DROP', 'DEFAULT')) return { kind: 'set_default', name, default: null };
      return { kind: 'other', text };
    }
    if (c.acceptWords('MODIFY')) {
      c.acceptWords('COLUMN');
      const column = this.columnDefinition(c);
      return column === null ? { kind: 'other', text } : { kind: 'modify_column', from: column.name, column };
    }
    if (c.acceptWords('CHANGE')) {
      c.acceptWords('COLUMN');
      const from = c.identifier();
      const column = this.columnDefinition(c);
      return from === null || column === null ? { kind: 'other', text } : { kind: 'modify_column', from, column };
    }
    if (c.acceptWords('VALIDATE', 'CONSTRAINT')) return { kind: 'validate_constraint', name: c.identifier() ?? '' };
    if (c.acceptWords('RENAME')) {
      if (c.acceptWords('COLUMN')) return this.renamePair(c, 'rename_column') ?? { kind: 'other', text };
      if (c.acceptOneOf('INDEX', 'KEY') !== null) return this.renamePair(c, 'rename_index') ?? { kind: 'other', text };
      if (c.acceptOneOf('TO', 'AS') !== null || c.peek()?.kind === 'identifier' || c.peek()?.kind === 'word') {
        if (c.acceptWords('CONSTRAINT')) return { kind: 'other', text };
        const afterTo = c.peek(1);
        // PostgreSQL's `RENAME old TO new` is a column; `RENAME [TO] new` (MySQL: also AS) the table.
        if (afterTo?.kind === 'word' && afterTo.value === 'TO') return this.renamePair(c, 'rename_column') ?? { kind: 'other', text };
        return { kind: 'rename_table', to: this.table(c) };
      }
    }
    if (c.isWords('COMMENT') || (c.acceptWords('SET') && c.isWords('COMMENT'))) return { kind: 'comment' };
    return { kind: 'other', text };
  }

  private renamePair(c: TokenCursor, kind: 'rename_column' | 'rename_index'): AlterAction | null {
    const from = c.identifier();
    if (!c.acceptWords('TO')) return null;
    const to = c.identifier();
    return from === null || to === null ? null : { kind, from, to };
  }

  private addAction(c: TokenCursor): AlterAction | null {
    const constraint = c.acceptWords('CONSTRAINT') ? c.identifier() : null;
    if (c.acceptWords('FOREIGN', 'KEY')) {
      if (!c.isWords('REFERENCES') && c.peek()?.kind !== 'punct') c.identifier();
      const columns = this.keyList(c.group() ?? []);
      if (!c.acceptWords('REFERENCES')) return null;
      const referenced = this.table(c);
      const referencedColumns = this.keyList(c.group() ?? []);
      const rest = c.rest();
      const action = (on: string): ForeignKeyAction => referentialAction(rest, on);
      return {
        kind: 'add_foreign_key',
        foreignKey: { name: constraint ?? '', columns, referencedSchema: referenced.schema, referencedTable: referenced.name, referencedColumns, onDelete: action('DELETE'), onUpdate: action('UPDATE') },
        notValid: hasWords(rest, 'NOT', 'VALID'),
      };
    }
    if (c.acceptWords('CHECK')) {
      const expression = c.textOf(c.group() ?? []);
      return { kind: 'add_check', check: { name: constraint ?? '', expression }, notValid: hasWords(c.rest(), 'NOT', 'VALID') };
    }
    if (c.acceptWords('PRIMARY', 'KEY')) {
      if (c.acceptWords('USING', 'INDEX')) return { kind: 'add_primary_key', columns: [], usingIndex: true };
      return { kind: 'add_primary_key', columns: this.keyList(c.group() ?? []), usingIndex: false };
    }
    const kind = c.acceptOneOf('UNIQUE', 'FULLTEXT', 'SPATIAL');
    const indexWord = c.acceptOneOf('INDEX', 'KEY');
    if (kind === 'UNIQUE' && constraint !== null && indexWord === null) {
      if (c.acceptWords('USING', 'INDEX')) return { kind: 'add_unique', unique: { name: constraint, columns: [] }, usingIndex: true };
      return { kind: 'add_unique', unique: { name: constraint, columns: this.keyList(c.group() ?? []) }, usingIndex: false };
    }
    if (kind !== null || indexWord !== null) {
      const name = c.peek()?.kind === 'punct' ? constraint ?? '' : c.identifier() ?? '';
      if (c.acceptWords('USING')) c.identifier();
      const columns = this.keyList(c.group() ?? []);
      const method = kind === 'FULLTEXT' || kind === 'SPATIAL' ? kind.toLowerCase() : null;
      return { kind: 'add_index', index: { name, columns, unique: kind === 'UNIQUE', where: null, method } };
    }
    c.acceptWords('COLUMN');
    c.acceptWords('IF', 'NOT', 'EXISTS');
    const start = c.position;
    const column = this.columnDefinition(c);
    if (column === null) return null;
    const references = this.inlineReferences(c.over(c.tokens.slice(start)), column.name, constraint);
    return references === null ? { kind: 'add_column', column } : { kind: 'add_column', column, references };
  }

  /** A column definition's `[CONSTRAINT name] REFERENCES t [(col)] [ON DELETE …]`, as the foreign key it adds; null without one. */
  private inlineReferences(c: TokenCursor, column: string, constraint: string | null): ForeignKey | null {
    let name = constraint;
    while (!c.done && !c.isWords('REFERENCES')) {
      if (c.acceptWords('CONSTRAINT')) name = c.identifier();
      else c.skip();
    }
    if (!c.acceptWords('REFERENCES')) return null;
    const referenced = this.table(c);
    const referencedColumns = this.keyList(c.group() ?? []);
    const rest = c.rest();
    return { name: name ?? '', columns: [column], referencedSchema: referenced.schema, referencedTable: referenced.name, referencedColumns, onDelete: referentialAction(rest, 'DELETE'), onUpdate: referentialAction(rest, 'UPDATE') };
  }

  private dropAction(c: TokenCursor): AlterAction | null {
    if (c.acceptWords('CONSTRAINT')) {
      c.acceptWords('IF', 'EXISTS');
      return { kind: 'drop_constraint', name: c.identifier() ?? '' };
    }
    if (c.acceptWords('FOREIGN', 'KEY')) return { kind: 'drop_foreign_key', name: c.identifier() ?? '' };
    if (c.acceptWords('PRIMARY', 'KEY')) return { kind: 'drop_primary_key' };
    if (c.acceptOneOf('INDEX', 'KEY') !== null) return { kind: 'drop_index', name: c.identifier() ?? '' };
    if (c.acceptWords('CHECK')) return { kind: 'drop_constraint', name: c.identifier() ?? '' };
    c.acceptWords('COLUMN');
    c.acceptWords('IF', 'EXISTS');
    const name = c.identifier();
    return name === null ? null : { kind: 'drop_column', name };
  }

  /** `name type [constraints…]` as a model column; the parts lint does not need are skipped. */
  private columnDefinition(c: TokenCursor): Column | null {
    const name = c.identifier();
    if (name === null) return null;
    const typeStart = c.position;
    for (let token = c.peek(); token !== undefined; token = c.peek()) {
      const next = c.peek(1);
      const charsetClause = token.kind === 'word' && token.value === 'CHARACTER' && next?.kind === 'word' && next.value === 'SET';
      if (charsetClause || (token.kind === 'word' && COLUMN_CONSTRAINTS.has(token.value))) break;
      c.skip();
    }
    const parsed = this.type(c.textOf(c.tokens.slice(typeStart, c.position)));
    let nullable = true;
    let defaultSql: string | null = null;
    let generation: ColumnGeneration | null = parsed.generation;
    let computed: Column['computed'];
    while (!c.done) {
      if (c.acceptWords('NOT', 'NULL')) nullable = false;
      else if (c.acceptWords('NULL')) nullable = true;
      else if (c.acceptWords('PRIMARY', 'KEY')) nullable = false;
      else if (c.acceptWords('DEFAULT')) defaultSql = c.textOf(c.until((t) => t.kind === 'word' && COLUMN_CONSTRAINTS.has(t.value) && t.value !== 'NULL'));
      else if (c.acceptWords('AUTO_INCREMENT')) generation = 'increment';
      else if (c.acceptWords('GENERATED', 'ALWAYS', 'AS', 'IDENTITY')) generation = 'identity-always';
      else if (c.acceptWords('GENERATED', 'BY', 'DEFAULT', 'AS', 'IDENTITY')) generation = 'identity-by-default';
      else if (c.acceptWords('GENERATED', 'ALWAYS', 'AS') || c.acceptWords('AS')) {
        const expression = c.textOf(c.group() ?? []);
        const storage = c.acceptOneOf('STORED', 'PERSISTENT', 'VIRTUAL');
        computed = { expression, stored: this.dialect.lexicon.foldsToLowerCase || storage === 'STORED' || storage === 'PERSISTENT' };
      } else c.skip();
    }
    const column: Column = {
      name,
      type: parsed.type,
      nullable,
      default: defaultSql === null ? null : this.dialect.types.parseDefault(defaultSql),
      generation,
      comment: null,
      charset: null,
      collation: null,
      onUpdate: null,
    };
    return computed === undefined ? column : { ...column, computed };
  }

  private type(text: string): { type: ColumnType; generation: ColumnGeneration | null } {
    const serial = SERIALS[text.trim().toUpperCase()];
    if (serial !== undefined) return { type: serial, generation: 'increment' };
    return { type: this.dialect.types.parseType(text.trim()), generation: null };
  }

  /** Index keys or key columns: a plain column by name, anything else (an expression) by its text. */
  private keyList(tokens: readonly Token[]): string[] {
    return splitAtCommas(tokens).map((part) => {
      const key = this.c.over(part);
      const name = part[0]?.kind === 'word' || part[0]?.kind === 'identifier' ? key.identifier() : null;
      const plain = name !== null && (key.done || key.peek()?.kind === 'word' || (key.peek()?.kind === 'punct' && key.peek()?.value === '('));
      return plain ? (name as string) : key.textOf(part);
    });
  }

  private name(c: TokenCursor = this.c): TableRef {
    const name = c.qualifiedName();
    if (name === null) throw new Error('a name was expected');
    return name;
  }

  private table(c: TokenCursor = this.c): TableRef {
    const ref = this.name(c);
    return ref.schema !== null && ref.schema === this.dialect.defaultSchema ? { schema: null, name: ref.name } : ref;
  }
}

/**
 * `ALGORITHM=INSTANT` and `LOCK = NONE` (an ALTER TABLE clause, or what trails a CREATE INDEX); null when the tokens
 * are anything else.
 */
function statedOption(tokens: readonly Token[]): StatedAlgorithm | null {
  let algorithm: string | null = null;
  let lock: string | null = null;
  for (let i = 0; i < tokens.length; ) {
    const option = tokens[i] as Token;
    if (option.kind !== 'word' || (option.value !== 'ALGORITHM' && option.value !== 'LOCK')) return null;
    const valueAt = tokens[i + 1]?.kind === 'punct' && tokens[i + 1]?.value === '=' ? i + 2 : i + 1;
    const value = tokens[valueAt];
    if (value?.kind !== 'word') return null;
    if (option.value === 'ALGORITHM') algorithm = value.value;
    else lock = value.value;
    i = valueAt + 1;
  }
  return algorithm === null && lock === null ? null : { algorithm, lock };
}

function hasWords(tokens: readonly Token[], ...words: string[]): boolean {
  return tokens.some((_, i) => words.every((word, j) => tokens[i + j]?.kind === 'word' && tokens[i + j]?.value === word));
}

function referentialAction(tokens: readonly Token[], on: 'DELETE' | 'UPDATE' | string): ForeignKeyAction {
  const at = tokens.findIndex((t, i) => t.kind === 'word' && t.value === 'ON' && tokens[i + 1]?.value === on);
  if (at < 0) return 'NO ACTION';
  const a = tokens[at + 2]?.value;
  const b = tokens[at + 3]?.value;
  if (a === 'CASCADE' || a === 'RESTRICT') return a;
  if (a === 'SET' && (b === 'NULL' || b === 'DEFAULT')) return `SET ${b}`;
  return 'NO ACTION';
}
