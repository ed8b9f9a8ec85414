import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Options as SwcOptions } from '@swc/core';
import { SchemaSyncError, messageOf } from '../../util/errors';

let registered = false;

/** The extensions the hook compiles; `.mts` is ES module syntax, which `require()` cannot load anyway. */
const EXTENSIONS = ['.ts', '.cts', '.tsx'] as const;

/**
 * Lets `require()` load the user's `.ts` model and migration files with no build step.
 *
 * A require hook that transpiles each file with SWC, one file at a time and without type checking. SWC keeps
 * `design:type` decorator metadata (esbuild-based loaders such as tsx do not, and TypeORM needs it to infer
 * `@Column() name: string`), and transpiles a thousand files in well under a second. Calling SWC directly rather
 * than through ts-node spares loading the TypeScript compiler: about 0.4 s and 65 MB on every run. The options are
 * forced whatever the user's tsconfig says, because entities cannot load without legacy decorators, decorator
 * metadata, class fields that are not define-semantics, and CommonJS output.
 *
 * Stack traces point at the `.ts` lines when Node's own source map support is on (`node --enable-source-maps`, or
 * `NODE_OPTIONS=--enable-source-maps`): SWC then adds an inline map to each file. Not by default, because the maps
 * nearly double what SWC emits (about 0.4 s and 18 MB per thousand model files) and only a stack trace uses them.
 */
export function registerTypeScript(projectDir: string): void {
  if (registered || process.env.SCHEMA_SYNC_NO_REGISTER === '1') return;
  // Jest (and other hosts that already transpile TypeScript) install their own loader; a second one would fight it.
  if (process.env.JEST_WORKER_ID !== undefined) return;
  let swc: typeof import('@swc/core');
  try {
    swc = require('@swc/core') as typeof import('@swc/core');
  } catch (error) {
    throw new SchemaSyncError('MODEL_LOAD_FAILED', `Cannot set up the TypeScript loader (SWC): ${messageOf(error)}`, { cause: error });
  }
  const extensions = require.extensions as NodeJS.RequireExtensions;
  for (const extension of EXTENSIONS) {
    const fallback = extensions[extension] ?? extensions['.js']!;
    extensions[extension] = (module, filename) => {
      // Packages ship compiled JavaScript; a `.ts` file under node_modules is someone else's business, as with ts-node.
      if (filename.split(path.sep).includes('node_modules')) return fallback(module, filename);
      const source = fs.readFileSync(filename, 'utf8');
      const compiled = transpile(swc, source, filename, projectDir, process.sourceMapsEnabled === true);
      (module as NodeModule & { _compile(code: string, filename: string): void })._compile(compiled, filename);
    };
  }
  registered = true;
}

function transpile(swc: typeof import('@swc/core'), source: string, filename: string, projectDir: string, sourceMaps: boolean): string {
  try {
    return swc.transformSync(source, swcOptions(filename, sourceMaps)).code;
  } catch (error) {
    throw new SchemaSyncError('MODEL_LOAD_FAILED', syntaxErrorMessage(messageOf(error), filename, projectDir), { cause: error });
  }
}

function swcOptions(filename: string, sourceMaps: boolean): SwcOptions {
  return {
    filename,
    swcrc: false,
    configFile: false,
    sourceMaps: sourceMaps ? 'inline' : false,
    module: { type: 'commonjs', noInterop: false },
    jsc: {
      parser: { syntax: 'typescript', tsx: filename.endsWith('.tsx'), decorators: true, dynamicImport: true },
      target: 'es2021',
      keepClassNames: true,
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
  };
}

/**
 * SWC reports `  x Expression expected\n   ,-[/abs/file.ts:2:1]` and then a code frame and a native backtrace. The first
 * line and the place are what a person needs; the file is named relative to the project, like the other load errors.
 */
function syntaxErrorMessage(message: string, filename: string, projectDir: string): string {
  const reason = message.split('\n').find((line) => line.trim() !== '')?.trim().replace(/^x\s+/, '') ?? message;
  const place = /\[(?:.*):(\d+):\d+\]/.exec(message);
  const where = `${path.relative(projectDir, filename) || filename}${place ? `:${place[1]}` : ''}`;
  return `TypeScript syntax error in ${where}: ${reason}`;
}
