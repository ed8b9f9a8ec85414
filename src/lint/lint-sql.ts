import type { TableRef } from '../change/change';
import type { ServerVersion, TableRewrite } from '../dialect/lock-impact';
import type { Dialect, Schema, Table, TableSize } from '../model/schema';
import { tableKey } from '../model/schema';
import { commonHits } from './common-rules';
import type { AlterAction, DdlStatement } from './ddl-statement';
import type { DialectLint, LintSeverity, RuleContext, RuleHit } from './lint-rule';
import { parseDdl, type DdlDialect } from './parse-ddl';
import { splitStatements, tokenize, type Token } from './sql-tokens';

/** One finding, located in its file and statement, with the lock facts and table size behind it. */
export interface LintFinding {
  readonly rule: string;
  readonly severity: LintSeverity;
  readonly file: string;
  /** 1-based position among the statements the file's migrate() runs. */
  readonly statement: number;
  readonly sql: string;
  readonly table: string | null;
  readonly message: string;
  readonly hint: string;
  readonly lock: string | null;
  readonly rewrite: TableRewrite | null;
  readonly blocking: boolean | null;
  /** From the live catalog (--url); null without it or for a table it does not have. */
  readonly tableBytes: number | null;
  readonly rowsEstimate: number | null;
}

/** What lint knows about the database the statements will run on. */
export interface LintDatabase {
  readonly dialect: Dialect;
  readonly version: ServerVersion;
  /** The live schema (normalised) when a URL was given; null otherwise. */
  readonly live: Schema | null;
  readonly tableSizes: Readonly<Record<string, TableSize>>;
  /** The MySQL database the connection uses: a name qualified with it means the default schema. */
  readonly database?: string | null;
  /**
   * Schemas besides the default one whose tables the catalog read: a table in any other schema is unknown, and taken
   * to exist as without a catalog.
   */
  readonly readSchemas?: ReadonlySet<string>;
}

/** The schemas (besides the default one) the statements name tables in, so the catalog can read them. */
export function schemasNamed(texts: readonly string[], rules: DialectLint): string[] {
  const schemas = new Set<string>();
  for (const text of texts) {
    for (const tokens of splitStatements(tokenize(text, rules.ddl.lexicon))) {
      for (const ref of tablesOf(parseDdl(tokens, text, rules.ddl))) if (ref.schema !== null) schemas.add(ref.schema);
    }
  }
  return [...schemas];
}

function tablesOf(statement: DdlStatement): readonly TableRef[] {
  switch (statement.kind) {
    case 'create_table':
    case 'create_index':
    case 'alter_table':
      return [statement.table];
    case 'drop_table':
      return statement.tables;
    case 'rename_table':
      return [statement.from];
    case 'drop_index':
      return statement.table === null ? [] : [statement.table];
    case 'rebuild':
      return statement.tables;
    case 'other':
      return [];
  }
}

/**
 * Reads statements in the order they will run, file after file, and keeps track of what they do to the tables (a
 * table created earlier has no rows and no old readers; a CHECK validated earlier spares SET NOT NULL its scan), so
 * each statement is judged against the tables as they will be when it runs.
 */
export class SqlLinter {
  private readonly tables = new Map<string, Table>();
  private readonly created = new Set<string>();
  private readonly unvalidated = new Map<string, { table: string; expression: string }>();
  private readonly ddl: DdlDialect;

  constructor(
    private readonly database: LintDatabase,
    private readonly rules: DialectLint,
  ) {
    for (const table of database.live?.tables ?? []) this.tables.set(tableKey(table), table);
    this.ddl = database.database == null ? rules.ddl : { ...rules.ddl, defaultSchema: database.database };
  }

  /** The findings for the statements one file runs (each string may hold several statements). */
  lint(file: string, executed: readonly string[]): LintFinding[] {
    const findings: LintFinding[] = [];
    let position = 0;
    for (const text of executed) {
      const block = this.rules.onlineBlock?.(text) ?? null;
      if (block !== null) {
        // One statement of the file: the block's schema statement, judged as the block runs it.
        position++;
        for (const tokens of splitStatements(tokenize(block, this.rules.ddl.lexicon)).slice(0, 1)) this.judge(file, position, parseDdl(tokens, block, this.ddl), text, 'online-block', findings);
        continue;
      }
      for (const tokens of splitStatements(tokenize(text, this.rules.ddl.lexicon))) {
        position++;
        this.judge(file, position, parseDdl(tokens, text, this.ddl), textOf(text, tokens), 'plain', findings);
      }
    }
    return findings;
  }

  /** The findings of one statement, and what it does to the tables for the statements after it. */
  private judge(file: string, position: number, statement: DdlStatement, sql: string, form: 'plain' | 'online-block', findings: LintFinding[]): void {
    const context = this.context();
    const hits = [...commonHits(statement, context), ...this.rules.check(statement, context, form)];
    findings.push(...hits.map((hit) => this.finding(hit, file, position, sql)));
    this.apply(statement);
  }

  private finding(hit: RuleHit, file: string, statement: number, sql: string): LintFinding {
    const size = hit.table === null ? undefined : this.database.tableSizes[tableKey(hit.table)];
    return {
      rule: hit.rule,
      severity: hit.severity,
      file,
      statement,
      sql,
      table: hit.table === null ? null : tableKey(hit.table),
      message: hit.message,
      hint: hit.hint,
      lock: hit.impact?.lock ?? null,
      rewrite: hit.impact?.rewrite ?? null,
      blocking: hit.impact?.blocking ?? null,
      tableBytes: size?.bytes ?? null,
      rowsEstimate: size?.rowsEstimate ?? null,
    };
  }

  private context(): RuleContext {
    const catalog = this.database.live !== null;
    return {
      dialect: this.database.dialect,
      version: this.database.version,
      catalog,
      exists: (ref) => {
        if (this.created.has(tableKey(ref))) return false;
        const read = catalog && (ref.schema === null || (this.database.readSchemas?.has(ref.schema) ?? false));
        return !read || this.tables.has(tableKey(ref));
      },
      tableOf: (ref) => this.tables.get(tableKey(ref)) ?? null,
      lockContext: (ref, online) => {
        const table = this.tables.get(tableKey(ref));
        return table === undefined ? { version: this.database.version, online } : { version: this.database.version, online, table };
      },
      tableOfIndex: (name) => {
        const table = [...this.tables.values()].find((t) => t.indexes.some((index) => index.name === name));
        return table === undefined ? null : { schema: table.schema, name: table.name };
      },
    };
  }

  /** What the statement does to the tables, for the statements after it. */
  private apply(statement: DdlStatement): void {
    switch (statement.kind) {
      case 'create_table':
        this.created.add(tableKey(statement.table));
        return;
      case 'drop_table':
        for (const table of statement.tables) {
          this.tables.delete(tableKey(table));
          this.created.delete(tableKey(table));
        }
        return;
      case 'rename_table':
        this.move(statement.from, statement.to);
        return;
      case 'create_index':
        this.update(statement.table, (table) => ({ ...table, indexes: [...table.indexes, statement.index] }));
        return;
      case 'alter_table':
        for (const action of statement.actions) this.applyAction(statement.table, action);
        return;
      default:
        return;
    }
  }

  private applyAction(ref: TableRef, action: AlterAction): void {
    const key = tableKey(ref);
    const columns = (table: Table, change: (column: Table['columns'][number]) => Table['columns'][number], name: string): Table => ({
      ...table,
      columns: table.columns.map((column) => (column.name === name ? change(column) : column)),
    });
    switch (action.kind) {
      case 'add_column':
        return this.update(ref, (table) => ({ ...table, columns: [...table.columns, action.column] }));
      case 'drop_column':
        return this.update(ref, (table) => ({ ...table, columns: table.columns.filter((column) => column.name !== action.name) }));
      case 'alter_type':
        return this.update(ref, (table) => columns(table, (column) => ({ ...column, type: action.type }), action.name));
      case 'set_not_null':
      case 'drop_not_null':
        return this.update(ref, (table) => columns(table, (column) => ({ ...column, nullable: action.kind === 'drop_not_null' }), action.name));
      case 'set_default':
        return this.update(ref, (table) => columns(table, (column) => ({ ...column, default: action.default }), action.name));
      case 'modify_column':
        return this.update(ref, (table) => columns(table, () => action.column, action.from));
      case 'rename_column':
        return this.update(ref, (table) => columns(table, (column) => ({ ...column, name: action.to }), action.from));
      case 'rename_table':
        return this.move(ref, action.to);
      case 'add_check':
        if (action.notValid) this.unvalidated.set(action.check.name, { table: key, expression: action.check.expression });
        else this.update(ref, (table) => ({ ...table, checks: [...table.checks, action.check] }));
        return;
      case 'validate_constraint': {
        const check = this.unvalidated.get(action.name);
        if (check !== undefined && check.table === key) this.update(ref, (table) => ({ ...table, checks: [...table.checks, { name: action.name, expression: check.expression }] }));
        return;
      }
      case 'add_index':
        return this.update(ref, (table) => ({ ...table, indexes: [...table.indexes, action.index] }));
      default:
        return;
    }
  }

  /**
   * Changes a table's state. Without a catalog, a table the statements did not create is known only by what they do
   * to it: it starts empty of columns, so what lint cannot know stays unknown.
   */
  private update(ref: TableRef, change: (table: Table) => Table): void {
    const key = tableKey(ref);
    if (this.created.has(key)) return;
    const table = this.tables.get(key) ?? (this.database.live === null ? emptyTable(ref) : undefined);
    if (table !== undefined) this.tables.set(key, change(table));
  }

  private move(from: TableRef, to: TableRef): void {
    const table = this.tables.get(tableKey(from));
    this.tables.delete(tableKey(from));
    if (table !== undefined) this.tables.set(tableKey(to), { ...table, schema: to.schema, name: to.name });
    if (this.created.delete(tableKey(from))) this.created.add(tableKey(to));
  }
}

function emptyTable(ref: TableRef): Table {
  return { schema: ref.schema, name: ref.name, columns: [], primaryKey: null, indexes: [], uniques: [], foreignKeys: [], checks: [], comment: null };
}

function textOf(text: string, tokens: readonly Token[]): string {
  return text.slice((tokens[0] as Token).start, (tokens[tokens.length - 1] as Token).end);
}
