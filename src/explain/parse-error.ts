/** What a database error says is missing. */
export type MissingObject =
  | { readonly kind: 'column'; readonly table: string | null; readonly column: string; readonly flavour: 'mysql' | 'postgres' }
  | { readonly kind: 'table'; readonly table: string; readonly flavour: 'mysql' | 'postgres' };

const PATTERNS: readonly { readonly re: RegExp; readonly build: (m: RegExpExecArray) => MissingObject }[] = [
  // MySQL/MariaDB ER_BAD_FIELD_ERROR: Unknown column 'chunks.embedding' in 'field list' (or 'where clause' …)
  { re: /Unknown column '([^']+)' in '[^']*'/i, build: (m) => column(splitQualified(m[1] as string), 'mysql') },
  // MySQL/MariaDB ER_NO_SUCH_TABLE: Table 'app.chunks' doesn't exist
  { re: /Table '([^']+)' doesn't exist/i, build: (m) => ({ kind: 'table', table: lastPart(m[1] as string), flavour: 'mysql' }) },
  // PostgreSQL: column "embedding" of relation "chunks" does not exist
  { re: /column "((?:[^"]|"")+)" of relation "((?:[^"]|"")+)" does not exist/i, build: (m) => ({ kind: 'column', table: unquote(m[2] as string), column: unquote(m[1] as string), flavour: 'postgres' }) },
  // PostgreSQL: column chunks.embedding does not exist / column "embedding" does not exist
  { re: /column ((?:"(?:[^"]|"")+"|[^\s"]+)(?:\.(?:"(?:[^"]|"")+"|[^\s"]+))?) does not exist/i, build: (m) => column(splitQualified(m[1] as string), 'postgres') },
  // PostgreSQL: relation "chunks" does not exist / relation "public.chunks" does not exist — but not a constraint or
  // trigger "of"/"for" a relation, which says the relation exists.
  { re: /(?<!(?:of|for) )relation "((?:[^"]|"")+)" does not exist/i, build: (m) => ({ kind: 'table', table: lastPart(unquote(m[1] as string)), flavour: 'postgres' }) },
];

/** Recognises the "no such column / table" errors of MySQL, MariaDB and PostgreSQL; null for anything else. */
export function parseMissingObjectError(text: string): MissingObject | null {
  // A JSON log line escapes PostgreSQL's double quotes: read the message as the server wrote it.
  const plain = text.replace(/\\"/g, '"');
  for (const pattern of PATTERNS) {
    const match = pattern.re.exec(plain);
    if (match !== null) return pattern.build(match);
  }
  return null;
}

/**
 * The error to explain in a log or an application's output: the last line that is one, since the newest error is the
 * one being asked about; the whole text when no single line is (the text is returned as given, for the caller to
 * parse).
 */
export function lastMissingObjectError(text: string): string {
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) if (parseMissingObjectError(lines[i] as string) !== null) return lines[i] as string;
  return text;
}

function column(parts: readonly string[], flavour: 'mysql' | 'postgres'): MissingObject {
  const name = parts[parts.length - 1] as string;
  const table = parts.length >= 2 ? (parts[parts.length - 2] as string) : null;
  return { kind: 'column', table, column: name, flavour };
}

/** Splits `a.b`, `"a"."b.c"` or `` `a`.`b` `` into its parts, honouring quotes. */
function splitQualified(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote !== null) {
      if (ch === quote && text[i + 1] === quote) {
        current += ch;
        i++;
      } else if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === '`') quote = ch;
    else if (ch === '.') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function lastPart(text: string): string {
  const parts = splitQualified(text);
  return parts[parts.length - 1] as string;
}

function unquote(text: string): string {
  return text.replace(/""/g, '"');
}
