import * as fs from 'node:fs';
import * as ts from 'typescript';
import type { DatabaseClient } from '../../src/connect/client';
import type { MigrationContext } from '../../src/migrations/context';

/**
 * Runs one function of a generated migration file against a client, the way an applier would: the file is
 * transpiled (its only import is a type) and given a context whose `execute` is the client's.
 */
export async function runMigrationFile(client: DatabaseClient, file: string, which: 'migrate' | 'rollback'): Promise<string[]> {
  const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exports: Record<string, unknown> = {};
  new Function('exports', 'require', js)(exports, require);
  const ran: string[] = [];
  const context: MigrationContext = {
    dialect: client.dialect,
    dryRun: false,
    execute: async (sql) => {
      ran.push(sql);
      await client.execute(sql);
    },
    query: (sql, params) => client.query(sql, params),
    log: () => undefined,
  };
  const run = exports[which];
  if (typeof run !== 'function') throw new Error(`${file} exports no ${which}()`);
  await (run as (db: MigrationContext) => Promise<void>)(context);
  return ran;
}
