import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { emitMigrationFile, sqlLiteral } from '../../src/migrations/emit';
import { migrationPath, parseRelease, releaseFolderName, resolveRelease, slugify, timestampOf } from '../../src/migrations/directory';
import { slugForChanges } from '../../src/migrations/slug';
import { col, int, table, vector } from '../support/schema-builders';

describe('release folders and file names', () => {
  it('names folders per release and files by UTC time and slug', () => {
    expect(releaseFolderName(parseRelease('1.4.0', 'x'))).toBe('v1_4_0');
    expect(releaseFolderName(parseRelease('v2.0.1-rc.1', 'x'))).toBe('v2_0_1_rc_1');
    expect(timestampOf(new Date('2026-11-24T02:30:05.123Z'))).toBe('20261124023005');
    expect(migrationPath('/m', parseRelease('1.4.0', 'x'), new Date('2026-11-24T02:30:05Z'), 'Create Documents!')).toBe(
      path.join('/m', 'v1_4_0', '20261124023005_create_documents.ts'),
    );
    expect(slugify('a'.repeat(40) + ' ' + 'b'.repeat(40))).toBe('a'.repeat(40));
  });

  it('takes the release from --release or the nearest package.json, naming the culprit when it is not a version', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: '3.2.1' }));
    fs.mkdirSync(path.join(dir, 'sub'));
    expect(resolveRelease(undefined, path.join(dir, 'sub')).version).toBe('3.2.1');
    expect(resolveRelease('1.4.0', dir).version).toBe('1.4.0');
    expect(() => resolveRelease('next', dir)).toThrow('--release: "next" is not a release version like 1.4.0');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x' }));
    expect(() => resolveRelease(undefined, dir)).toThrow('has no "version": give --release 1.4.0');
    fs.rmSync(dir, { recursive: true });
  });

  it('derives the slug from the changes', () => {
    const ref = { schema: null, name: 'chunks' };
    expect(
      slugForChanges([
        { kind: 'create_table', table: table('documents', [col('id', int())]) },
        { kind: 'add_column', table: ref, column: col('embedding', vector(768)) },
      ]),
    ).toBe('create_documents_add_chunks_embedding');
  });
});

describe('emitMigrationFile', () => {
  const content = emitMigrationFile({
    release: '1.4.0',
    dialect: 'mysql',
    generatedAt: new Date('2026-11-24T02:30:00Z'),
    toolVersion: '0.1.0',
    changes: ['documents: add column title varchar(255) NOT NULL'],
    warnings: ['rollback: column documents.legacy comes back empty: its values are not restored'],
    held: ['dropping table old_stuff destroys 12 rows'],
    migrate: [{ comment: 'documents: add column title', statements: ["ALTER TABLE `documents` ADD COLUMN `title` varchar(255) NOT NULL DEFAULT 'it''s'"] }],
    rollback: [{ comment: 'documents: drop column title', statements: ['ALTER TABLE `documents` DROP COLUMN `title`'], dataLoss: 'title values are lost' }],
  });

  it('is valid TypeScript with the release, dialect, migrate and rollback', () => {
    const diagnostics = ts.transpileModule(content, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } }).diagnostics ?? [];
    expect(diagnostics).toEqual([]);
    expect(content).toContain('export const release = "1.4.0";');
    expect(content).toContain('export const dialect = "mysql";');
    expect(content).toContain('export async function migrate(db: MigrationContext): Promise<void> {');
    expect(content).toContain('export async function rollback(db: MigrationContext): Promise<void> {');
    expect(content).toContain("import type { MigrationContext } from \"orm-schema-sync\";");
  });

  it('lists changes, warnings and held-back drops in the header, and marks data loss in rollback', () => {
    expect(content).toMatch(/Changes:\n \*   - documents: add column title/);
    expect(content).toContain(' *   ! rollback: column documents.legacy comes back empty');
    expect(content).toContain(' *   - dropping table old_stuff destroys 12 rows');
    expect(content).toContain('// DATA LOSS: title values are lost');
  });

  it('puts one blank line between the release, the phase and the changes', () => {
    const phased = emitMigrationFile({
      release: '1.4.0',
      dialect: 'postgres',
      generatedAt: new Date('2026-11-24T02:30:00Z'),
      toolVersion: '0.1.0',
      phase: 'expand',
      changes: ['documents: add column title text NULL'],
      warnings: [],
      held: [],
      migrate: [{ comment: 'documents: add column title', statements: ['ALTER TABLE "documents" ADD COLUMN "title" text NULL'] }],
      rollback: [{ comment: 'documents: drop column title', statements: ['ALTER TABLE "documents" DROP COLUMN "title"'] }],
    });
    expect(phased).toMatch(/Review it; it is yours to edit\.\n \*\n \* Phase: expand\. [^\n]*\n \*\n \* Changes:\n/);
    expect(content).toMatch(/Review it; it is yours to edit\.\n \*\n \* Changes:\n/);
  });

  it('runs the statements it lists, escaped exactly', async () => {
    const js = ts.transpileModule(content, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
    const exports: Record<string, unknown> = {};
    new Function('exports', 'require', js)(exports, require);
    const ran: string[] = [];
    const db = { dialect: 'mysql', dryRun: false, execute: async (sql: string) => void ran.push(sql), query: async () => [], log: () => undefined };
    await (exports.migrate as (d: typeof db) => Promise<void>)(db);
    await (exports.rollback as (d: typeof db) => Promise<void>)(db);
    expect(ran).toEqual(["ALTER TABLE `documents` ADD COLUMN `title` varchar(255) NOT NULL DEFAULT 'it''s'", 'ALTER TABLE `documents` DROP COLUMN `title`']);
  });

  it('quotes SQL with the fewest escapes, keeping ${ and backslashes literal', () => {
    expect(sqlLiteral('SELECT "a"')).toBe('`SELECT "a"`');
    expect(sqlLiteral('SELECT `a`')).toBe('"SELECT `a`"');
    expect(eval(sqlLiteral("SELECT '${x}\\n'"))).toBe("SELECT '${x}\\n'");
    expect(eval(sqlLiteral("SELECT 'a\\b'"))).toBe("SELECT 'a\\b'");
  });

  it('keeps carriage returns, which a template literal turns into line feeds (a comment written with \\r\\n came back without \\r)', () => {
    const comment = "COMMENT ON COLUMN \"test\".\"e\" IS 'Hello World. \r\n\t\b\f\v \r end'";
    const js = ts.transpileModule(`export const sql = ${sqlLiteral(comment)};`, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
    const exports: Record<string, unknown> = {};
    new Function('exports', 'require', js)(exports, require);
    expect(exports.sql).toBe(comment);
    expect(eval(sqlLiteral('SELECT `a`, \'x\r\ny\''))).toBe('SELECT `a`, \'x\r\ny\'');
  });
});
