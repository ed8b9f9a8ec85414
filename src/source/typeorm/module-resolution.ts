import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { createPathsMatcher, getTsconfig, type TsConfigResult } from 'get-tsconfig';
import { SchemaSyncError, messageOf } from '../../util/errors';

type ResolveFilename = (request: string, parent: NodeModule | undefined, isMain: boolean, options?: unknown) => string;

interface ModuleInternals {
  _resolveFilename: ResolveFilename;
}

/** What tsc resolves a `.js`-family specifier to when the file on disk is TypeScript (moduleResolution NodeNext). */
const TYPESCRIPT_TWINS: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.cjs': ['.cts'],
  '.mjs': ['.mts'],
};

let installed = false;

/**
 * Teaches `require()` the two ways a TypeScript project names its files that Node does not know, for importers outside
 * node_modules only (packages resolve as they always do):
 *
 * - `import { User } from './user.js'` in a `.ts` file, as `moduleResolution: NodeNext` requires: tsc reads
 *   `./user.ts`, and so do we. From a `.ts` importer the `.ts` file wins even when a compiled `user.js` sits beside it,
 *   because that is the file tsc type-checked; from a `.js` importer the `.js` file wins.
 * - `paths` and `baseUrl` aliases of the tsconfig.json nearest the importer (following `extends`), tried the way tsc
 *   tries them: the most specific `paths` pattern first, then `baseUrl`, then node_modules.
 */
export function installTypeScriptResolution(): void {
  if (installed) return;
  installed = true;
  const internals = Module as unknown as ModuleInternals;
  const original = internals._resolveFilename;
  internals._resolveFilename = function resolveFilename(request, parent, isMain, options) {
    const importer = parent?.filename;
    if (typeof importer !== 'string' || isInsideNodeModules(importer) || isBuiltin(request)) {
      return original.call(this, request, parent, isMain, options);
    }
    if (isRelativeOrAbsolute(request)) {
      const twin = typeScriptTwin(request, importer);
      if (twin !== null) return twin;
      return original.call(this, request, parent, isMain, options);
    }
    for (const candidate of aliasCandidates(request, importer)) {
      const found = resolveCandidate(candidate, (target) => original.call(this, target, parent, isMain, options));
      if (found !== null) return found;
    }
    return original.call(this, request, parent, isMain, options);
  };
}

function isInsideNodeModules(file: string): boolean {
  return file.split(path.sep).includes('node_modules');
}

function isBuiltin(request: string): boolean {
  return request.startsWith('node:') || Module.builtinModules.includes(request);
}

function isRelativeOrAbsolute(request: string): boolean {
  return request.startsWith('./') || request.startsWith('../') || request === '.' || request === '..' || path.isAbsolute(request);
}

/** The `.ts` file a `./x.js` specifier names, or null when the specifier is not of that form or the `.js` file wins. */
function typeScriptTwin(request: string, importer: string): string | null {
  if (TYPESCRIPT_TWINS[path.extname(request)] === undefined) return null;
  const target = path.resolve(path.dirname(importer), request);
  const fromTypeScript = /\.[cm]?tsx?$/.test(importer);
  if (!fromTypeScript && isFile(target)) return null;
  return existingTwin(target);
}

/** The TypeScript file on disk that tsc reads for a path ending in `.js`, `.jsx`, `.cjs` or `.mjs`, if any. */
function existingTwin(file: string): string | null {
  const extension = path.extname(file);
  const stem = file.slice(0, -extension.length);
  for (const twin of TYPESCRIPT_TWINS[extension] ?? []) {
    if (isFile(stem + twin)) return stem + twin;
  }
  return null;
}

/** A candidate path from a tsconfig alias, resolved as a relative file or folder would be; null when nothing is there. */
function resolveCandidate(candidate: string, resolve: (target: string) => string): string | null {
  try {
    return resolve(candidate);
  } catch {
    return existingTwin(candidate);
  }
}

type PathsMatcher = (specifier: string) => string[];

/** The matcher of each tsconfig.json by its path, and the tsconfig.json that applies to each folder. */
const matchers = new Map<string, PathsMatcher | null>();
const tsconfigCache = new Map<string, unknown>();

function aliasCandidates(request: string, importer: string): string[] {
  const config = tsconfigOfFolder(path.dirname(importer));
  if (config === null) return [];
  let matcher = matchers.get(config.path);
  if (matcher === undefined) {
    matcher = pathsMatcher(config);
    matchers.set(config.path, matcher);
  }
  return matcher === null ? [] : matcher(request);
}

/**
 * Whether tsc compiles `file` with strictNullChecks, as its tsconfig.json says (`strictNullChecks`, else `strict`,
 * following `extends`); off without a tsconfig.json, as for tsc.
 */
export function strictNullChecksFor(file: string): boolean {
  const options = tsconfigOfFolder(path.dirname(file))?.config.compilerOptions;
  return options?.strictNullChecks ?? options?.strict ?? false;
}

/**
 * Whether tsc compiles `file` without import interop, so that `import * as x from 'cjs'` is the package's own
 * `module.exports` (inherited properties included) and `import x from 'cjs'` its `.default`. Its tsconfig.json says so
 * (following `extends`), or leaves esModuleInterop unset where the project's TypeScript then defaults to off.
 * Without a tsconfig.json, interop stays on: ts-node then compiles with @tsconfig/bases, which turn it on.
 */
export function esModuleInteropOffFor(file: string): boolean {
  const config = tsconfigOfFolder(path.dirname(file));
  if (config === null) return false;
  const options = config.config.compilerOptions;
  if (options?.esModuleInterop !== undefined) return !options.esModuleInterop;
  return !esModuleInteropDefault(options?.module, typescriptMajorFor(path.dirname(config.path)));
}

/** The `module` kinds for which TypeScript 5 turns esModuleInterop on when a tsconfig.json leaves it unset. */
const MODULES_IMPLYING_INTEROP = new Set(['node16', 'node18', 'node20', 'nodenext', 'preserve']);

/**
 * tsc's esModuleInterop where a tsconfig.json leaves it unset: before TypeScript 6, on only for the `module` kinds
 * that imply it (CommonJS and an unset `module` get plain `require`); from TypeScript 6 always on (false is deprecated
 * there). A project with no TypeScript of its own is built by SWC or esbuild, which interop by default.
 */
export function esModuleInteropDefault(module: string | undefined, typescriptMajor: number | null): boolean {
  if (typescriptMajor === null || typescriptMajor >= 6) return true;
  return module !== undefined && MODULES_IMPLYING_INTEROP.has(module.toLowerCase());
}

/** The major version of the `typescript` package a folder resolves, as the project's own tsc or ts-node would. */
export const typescriptMajorFor = perFolder(readTypescriptMajor);

function readTypescriptMajor(folder: string): number | null {
  try {
    const manifest = require.resolve('typescript/package.json', { paths: [folder] });
    const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: unknown };
    const major = typeof version === 'string' ? Number.parseInt(version, 10) : Number.NaN;
    return Number.isNaN(major) ? null : major;
  } catch {
    return null;
  }
}

const tsconfigOfFolder = perFolder(readTsconfig);

/** Reads a folder's answer once: each loaded file asks again for the folder it is in. */
function perFolder<T>(read: (folder: string) => T): (folder: string) => T {
  const answers = new Map<string, T>();
  return (folder) => {
    if (answers.has(folder)) return answers.get(folder) as T;
    const answer = read(folder);
    answers.set(folder, answer);
    return answer;
  };
}

function readTsconfig(folder: string): TsConfigResult | null {
  try {
    return getTsconfig(folder, 'tsconfig.json', tsconfigCache as never);
  } catch (error) {
    throw new SchemaSyncError('MODEL_LOAD_FAILED', `Cannot read the tsconfig.json that applies to ${folder}: ${messageOf(error)}`, { cause: error });
  }
}

function pathsMatcher(config: TsConfigResult): PathsMatcher | null {
  try {
    return createPathsMatcher(config);
  } catch (error) {
    throw new SchemaSyncError('MODEL_LOAD_FAILED', `Invalid "paths" in ${config.path}: ${messageOf(error)}`, { cause: error });
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
