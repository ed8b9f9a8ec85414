/** How a dialect spells the things a tokenizer must not split: quoted identifiers, strings, comments. */
export interface SqlLexicon {
  /** The identifier quote: `"` on PostgreSQL, a backtick on MySQL and MariaDB. */
  readonly identifierQuote: string;
  /** MySQL strings take backslash escapes; PostgreSQL's standard strings do not (E'…' does). */
  readonly backslashEscapes: boolean;
  /** PostgreSQL's `$tag$ … $tag$` strings. */
  readonly dollarQuotes: boolean;
  /** MySQL's `#` comments. */
  readonly hashComments: boolean;
  /** Unquoted identifiers fold to lower case (PostgreSQL); MySQL keeps them as written. */
  readonly foldsToLowerCase: boolean;
}

/** One token of a SQL statement, with where it stands in the text. */
export interface Token {
  readonly kind: 'word' | 'identifier' | 'string' | 'number' | 'punct';
  /** Words in upper case; identifiers and strings unquoted; punctuation as written. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** Splits a statement into tokens, comments dropped; a quote left open runs to the end. */
export function tokenize(sql: string, lexicon: SqlLexicon): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if ((c === '-' && sql[i + 1] === '-') || (c === '#' && lexicon.hashComments)) {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? sql.length : eol + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === lexicon.identifierQuote) {
      const end = closingQuote(sql, i, c, false);
      tokens.push({ kind: 'identifier', value: sql.slice(i + 1, end).split(c + c).join(c), start: i, end: end + 1 });
      i = end + 1;
    } else if (c === "'" || (c === '"' && lexicon.identifierQuote !== '"')) {
      const end = closingQuote(sql, i, c, lexicon.backslashEscapes);
      tokens.push({ kind: 'string', value: sql.slice(i + 1, end), start: i, end: end + 1 });
      i = end + 1;
    } else if (c === '$' && lexicon.dollarQuotes && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0] as string;
      const close = sql.indexOf(tag, i + tag.length);
      const end = close < 0 ? sql.length : close + tag.length;
      tokens.push({ kind: 'string', value: sql.slice(i + tag.length, close < 0 ? sql.length : close), start: i, end });
      i = end;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const match = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(i))?.[0] as string;
      tokens.push({ kind: 'word', value: match.toUpperCase(), start: i, end: i + match.length });
      i += match.length;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const match = /^[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?/.exec(sql.slice(i))?.[0] as string;
      tokens.push({ kind: 'number', value: match, start: i, end: i + match.length });
      i += match.length;
    } else {
      const two = sql.slice(i, i + 2);
      const punct = two === '::' || two === '<>' || two === '!=' || two === '>=' || two === '<=' || two === '||' ? two : c;
      tokens.push({ kind: 'punct', value: punct, start: i, end: i + punct.length });
      i += punct.length;
    }
  }
  return tokens;
}

/** The index of the quote that closes the one at `open` (doubled quotes and, where allowed, backslashes escape). */
function closingQuote(sql: string, open: number, quote: string, backslashes: boolean): number {
  for (let i = open + 1; i < sql.length; i++) {
    const c = sql[i];
    if (backslashes && c === '\\') i++;
    else if (c === quote && sql[i + 1] === quote) i++;
    else if (c === quote) return i;
  }
  return sql.length;
}

/** Splits the tokens of a text at the semicolons outside parentheses: one list per statement. */
export function splitStatements(tokens: readonly Token[]): Token[][] {
  const statements: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'punct' && token.value === ';') statements.push([]);
    else (statements[statements.length - 1] as Token[]).push(token);
  }
  return statements.filter((statement) => statement.length > 0);
}

/** Splits tokens at the commas outside parentheses (the clauses of an ALTER TABLE, the keys of an index). */
export function splitAtCommas(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'punct' && token.value === '(') depth++;
    if (token.kind === 'punct' && token.value === ')') depth--;
    if (depth === 0 && token.kind === 'punct' && token.value === ',') parts.push([]);
    else (parts[parts.length - 1] as Token[]).push(token);
  }
  return parts.filter((part) => part.length > 0);
}

/** A read position over a statement's tokens. */
export class TokenCursor {
  private at = 0;

  constructor(
    readonly tokens: readonly Token[],
    private readonly sql: string,
    private readonly lexicon: SqlLexicon,
  ) {}

  /** True when every token was read. */
  get done(): boolean {
    return this.at >= this.tokens.length;
  }

  /** How many tokens were read. */
  get position(): number {
    return this.at;
  }

  /** Reads one token, or a whole parenthesised group when one starts here. */
  skip(): void {
    if (this.group() === null && this.at < this.tokens.length) this.at++;
  }

  /** The token `ahead` places on, if any. */
  peek(ahead = 0): Token | undefined {
    return this.tokens[this.at + ahead];
  }

  /** True when the next tokens are these words. */
  isWords(...words: string[]): boolean {
    return words.every((word, i) => {
      const token = this.peek(i);
      return token?.kind === 'word' && token.value === word;
    });
  }

  /** Reads these words if they come next; true when they did. */
  acceptWords(...words: string[]): boolean {
    if (!this.isWords(...words)) return false;
    this.at += words.length;
    return true;
  }

  /** Reads one of these words if it comes next and returns it. */
  acceptOneOf(...words: string[]): string | null {
    const token = this.peek();
    if (token?.kind !== 'word' || !words.includes(token.value)) return null;
    this.at++;
    return token.value;
  }

  /** Reads punctuation if it comes next. */
  acceptPunct(value: string): boolean {
    const token = this.peek();
    if (token?.kind !== 'punct' || token.value !== value) return false;
    this.at++;
    return true;
  }

  /** Reads an identifier (quoted, or a word folded as the dialect folds it); null when none comes next. */
  identifier(): string | null {
    const token = this.peek();
    if (token === undefined || (token.kind !== 'word' && token.kind !== 'identifier')) return null;
    this.at++;
    if (token.kind === 'identifier') return token.value;
    const written = this.sql.slice(token.start, token.end);
    return this.lexicon.foldsToLowerCase ? written.toLowerCase() : written;
  }

  /** Reads `name` or `schema.name`. */
  qualifiedName(): { schema: string | null; name: string } | null {
    const first = this.identifier();
    if (first === null) return null;
    if (!this.acceptPunct('.')) return { schema: null, name: first };
    const second = this.identifier();
    return second === null ? null : { schema: first, name: second };
  }

  /** Reads a parenthesised group and returns the tokens inside it; null when no `(` comes next. */
  group(): Token[] | null {
    if (this.peek()?.kind !== 'punct' || this.peek()?.value !== '(') return null;
    let depth = 0;
    const start = this.at;
    for (; this.at < this.tokens.length; this.at++) {
      const token = this.tokens[this.at] as Token;
      if (token.kind === 'punct' && token.value === '(') depth++;
      if (token.kind === 'punct' && token.value === ')' && --depth === 0) {
        this.at++;
        return this.tokens.slice(start + 1, this.at - 1);
      }
    }
    return this.tokens.slice(start + 1);
  }

  /** Reads tokens up to (not including) the first of these words outside parentheses, or to the end. */
  until(stop: (token: Token) => boolean): Token[] {
    const start = this.at;
    let depth = 0;
    for (; this.at < this.tokens.length; this.at++) {
      const token = this.tokens[this.at] as Token;
      if (depth === 0 && stop(token)) break;
      if (token.kind === 'punct' && token.value === '(') depth++;
      if (token.kind === 'punct' && token.value === ')') depth--;
    }
    return this.tokens.slice(start, this.at);
  }

  /** The rest of the tokens. */
  rest(): Token[] {
    const rest = this.tokens.slice(this.at);
    this.at = this.tokens.length;
    return rest;
  }

  /** The original text the tokens span. */
  textOf(tokens: readonly Token[]): string {
    if (tokens.length === 0) return '';
    return this.sql.slice((tokens[0] as Token).start, (tokens[tokens.length - 1] as Token).end);
  }

  /** A cursor over some of these tokens (a clause, a group). */
  over(tokens: readonly Token[]): TokenCursor {
    return new TokenCursor(tokens, this.sql, this.lexicon);
  }
}
