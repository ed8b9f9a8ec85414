import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Options as SwcOptions } from '@swc/core';
import { SchemaSyncError, messageOf } from '../../util/errors';
import { runInChain } from './loading-modules';
import { factsOfParsed, parserInput } from './design-type-files';
import { mayHaveDecoratedProperties, rememberParsedAhead, sourceForSwc, type SourceForSwc } from './design-type-rewrite';
import { esModuleInteropOffFor, installTypeScriptResolution, strictNullChecksFor } from './module-resolution';

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
  installTypeScriptResolution();
  const extensions = require.extensions as NodeJS.RequireExtensions;
  for (const extension of EXTENSIONS) {
    const fallback = extensions[extension] ?? extensions['.js']!;
    extensions[extension] = (module, filename) => {
      // Packages ship compiled JavaScript; a `.ts` file under node_modules is someone else's business, as with ts-node.
      if (filename.split(path.sep).includes('node_modules')) return fallback(module, filename);
      const source = fs.readFileSync(filename, 'utf8');
      const compiled = compiledCode(source, filename, projectDir);
      runInChain(module, () => (module as NodeModule & { _compile(code: string, filename: string): void })._compile(compiled, filename));
    };
  }
  registered = true;
}

/**
 * Transpiles model files ahead of `require`, in parallel on libuv's threads (SWC's async API), so that the hook only
 * picks up the result: `require` is synchronous, and one file after another leaves the other core idle. A file that
 * fails here is simply transpiled again by the hook, which reports the error with its file and line.
 */
export async function precompileTypeScript(files: readonly string[], projectDir: string): Promise<void> {
  if (!registered) return;
  const sourceMaps = process.sourceMapsEnabled === true;
  const cacheDir = cacheDirOf(projectDir);
  const pending: { filename: string; source: string; key: string }[] = [];
  await Promise.all(
    files.map(async (filename) => {
      if (!EXTENSIONS.some((extension) => filename.endsWith(extension))) return;
      const source = await fs.promises.readFile(filename, 'utf8').catch(() => null);
      if (source === null) return;
      const key = cacheKey(source, filename, sourceMaps, strictNullChecksFor(filename));
      if (cacheDir !== null && fs.existsSync(cacheFile(cacheDir, key))) return;
      await parseAhead(filename, source);
      pending.push({ filename, source, key });
    }),
  );
  // Design types read other files' declarations: every file is parsed before the first one is rewritten.
  await Promise.all(
    pending.map(async ({ filename, source, key }) => {
      const prepared = prepareSource(source, filename);
      const code = await loadSwc().transform(prepared.source, swcOptions(filename, sourceMaps)).then(
        (output) => output.code,
        () => null,
      );
      if (code !== null) precompiled.set(key, { code, dependencies: prepared.dependencies });
    }),
  );
}

/** Parses a file on SWC's threads, for sourceForSwc to find; a file that does not parse is left to the hook. */
async function parseAhead(filename: string, source: string): Promise<void> {
  if (!mayHaveDecoratedProperties(source)) return;
  const input = parserInput(filename, source);
  const parsed = await loadSwc().parse(input.text, input.options).catch(() => null);
  if (parsed !== null) rememberParsedAhead(filename, source, factsOfParsed(filename, parsed.body));
}

/**
 * Code transpiled by precompileTypeScript, by cache key (which covers the file's path and source, so a file changed
 * since is simply not found).
 */
const precompiled = new Map<string, Compiled>();

/** SWC's output for a file, and the other files whose declarations it was compiled from. */
interface Compiled {
  readonly code: string;
  readonly dependencies: readonly string[];
}

function compiledCode(source: string, filename: string, projectDir: string): string {
  const sourceMaps = process.sourceMapsEnabled === true;
  const cacheDir = cacheDirOf(projectDir);
  const key = cacheKey(source, filename, sourceMaps, strictNullChecksFor(filename));
  const ahead = precompiled.get(key);
  precompiled.delete(key);
  const cached = ahead === undefined ? readCache(cacheDir, key) : null;
  if (cached !== null) return cached;
  const compiled = ahead ?? transpileFile(source, filename, projectDir, sourceMaps);
  writeCache(cacheDir, key, compiled);
  return compiled.code;
}

function transpileFile(source: string, filename: string, projectDir: string, sourceMaps: boolean): Compiled {
  const prepared = prepareSource(source, filename);
  return { code: transpile(prepared.source, filename, projectDir, sourceMaps), dependencies: prepared.dependencies };
}

/** The source with its decorated properties annotated so that SWC emits tsc's `design:type` (see sourceForSwc). */
function prepareSource(source: string, filename: string): SourceForSwc {
  return sourceForSwc(filename, source, strictNullChecksFor(filename), (text, options) => loadSwc().parseSync(text, options));
}

/**
 * SWC, loaded on the first file the cache does not hold: its native part costs about 25 MB, which a run that finds
 * every file cached does not need to pay.
 */
function loadSwc(): typeof import('@swc/core') {
  try {
    return require('@swc/core') as typeof import('@swc/core');
  } catch (error) {
    throw new SchemaSyncError('MODEL_LOAD_FAILED', `Cannot set up the TypeScript loader (SWC): ${messageOf(error)}`, { cause: error });
  }
}

/**
 * The on-disk cache of transpiled files: `node_modules/.cache/orm-schema-sync` in the project, where build tools keep
 * theirs (and never committed), so that a second run skips SWC for unchanged files. None without a node_modules
 * folder, or with SCHEMA_SYNC_NO_CACHE=1.
 */
function cacheDirOf(projectDir: string): string | null {
  if (process.env.SCHEMA_SYNC_NO_CACHE === '1') return null;
  const nodeModules = path.join(projectDir, 'node_modules');
  return fs.existsSync(nodeModules) ? path.join(nodeModules, '.cache', 'orm-schema-sync', 'swc') : null;
}

/**
 * A file's entry: its source, its path (SWC's output and source map depend on it), SWC's version, the options and
 * the project's strictNullChecks (design types depend on it) and esModuleInterop (imports depend on it). The files
 * its design types were read from are checked when the entry is read.
 */
function cacheKey(source: string, filename: string, sourceMaps: boolean, strictNullChecks: boolean): string {
  const swcVersion = (require('@swc/core/package.json') as { version: string }).version;
  const interop = !esModuleInteropOffFor(filename);
  return createHash('sha256').update(`${swcVersion}\0${CACHE_FORMAT}\0${sourceMaps}\0${strictNullChecks}\0${interop}\0${filename}\0${source}`).digest('hex');
}

/** Bumped whenever swcOptions or prepareSource changes what the hook emits, so that older entries are no longer found. */
const CACHE_FORMAT = 3;

/** The last line of an entry compiled from other files' declarations: those files and a fingerprint of each. */
const DEPENDENCIES_LINE = '\n//# schema-sync-dependencies=';

function cacheFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, key.slice(0, 2), `${key}.js`);
}

function readCache(cacheDir: string | null, key: string): string | null {
  if (cacheDir === null) return null;
  let entry: string;
  try {
    entry = fs.readFileSync(cacheFile(cacheDir, key), 'utf8');
  } catch {
    return null;
  }
  const trailer = entry.lastIndexOf(DEPENDENCIES_LINE);
  if (trailer === -1) return entry;
  const dependencies = JSON.parse(entry.slice(trailer + DEPENDENCIES_LINE.length)) as [string, string][];
  return dependencies.every(([file, hash]) => fingerprint(file) === hash) ? entry.slice(0, trailer) : null;
}

/** Fingerprints of the files checked this run, by path: many entries depend on the same files. */
const fingerprints = new Map<string, string>();

/**
 * A dependency's size and modification time in nanoseconds, which any edit changes: a stat, where hashing the
 * contents would read every entity file once more on a warm run.
 */
function fingerprint(file: string): string {
  let value = fingerprints.get(file);
  if (value === undefined) {
    const stat = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
    value = stat === undefined ? 'missing' : `${stat.size}:${stat.mtimeNs}`;
    fingerprints.set(file, value);
  }
  return value;
}

/**
 * Writes through a temporary file and a rename, so that a concurrent run reads a whole entry or none. The cache is
 * only a shortcut: a folder that cannot be written (read-only node_modules) costs speed, never a result.
 */
function writeCache(cacheDir: string | null, key: string, compiled: Compiled): void {
  if (cacheDir === null) return;
  const { code, dependencies } = compiled;
  const entry = dependencies.length === 0 ? code : `${code}${DEPENDENCIES_LINE}${JSON.stringify(dependencies.map((file) => [file, fingerprint(file)]))}`;
  const file = cacheFile(cacheDir, key);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, entry);
    fs.renameSync(temporary, file);
  } catch {
    // Read-only or full disk: the next run transpiles again.
  }
}

function transpile(source: string, filename: string, projectDir: string, sourceMaps: boolean): string {
  const swc = loadSwc();
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
    // tsc's imports: a project that turns esModuleInterop off gets plain require() for `import * as` (chalk 4's
    // inherited styles are lost by an interop helper that copies own properties).
    module: { type: 'commonjs', noInterop: esModuleInteropOffFor(filename) },
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

/**
 * Where a position in the code the hook ran (1-based line and column) is in the `.ts` file. The hook emits no source
 * maps (they cost as much again as the code), so the file is transpiled once more, with a map, when an error needs it.
 * Null when the position cannot be mapped; the caller then names the file alone.
 */
export function sourcePosition(filename: string, line: number, column: number): { line: number; column: number } | null {
  if (process.sourceMapsEnabled === true) return { line, column };
  try {
    const source = prepareSource(fs.readFileSync(filename, 'utf8'), filename).source;
    const output = loadSwc().transformSync(source, { ...swcOptions(filename, false), sourceMaps: true });
    if (output.map === undefined) return null;
    const { SourceMap } = require('node:module') as { SourceMap: new (payload: unknown) => SourceMapLookup };
    const entry = new SourceMap(JSON.parse(output.map)).findEntry(line - 1, column - 1);
    if (entry.originalLine === undefined) return null;
    return { line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  } catch {
    return null;
  }
}

interface SourceMapLookup {
  findEntry(line: number, column: number): { originalLine?: number; originalColumn?: number };
}
