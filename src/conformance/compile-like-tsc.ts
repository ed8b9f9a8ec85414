import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TypeScript from 'typescript';
import { SchemaSyncError } from '../util/errors';
import type { PathAlias } from './module-redirects';
import { esModuleInteropDefault, typescriptMajorFor } from '../source/typeorm/module-resolution';

/** What to compile, and where the project's own settings are. */
export interface TscBuildOptions {
  /** The folder the output mirrors (the project, or the TypeORM checkout). */
  readonly rootDir: string;
  /** Entry files; everything they import under rootDir is compiled too. */
  readonly files: readonly string[];
  readonly outDir: string;
  /** The project's tsconfig.json, whose `paths`, `baseUrl` and `extends` are honoured; null for defaults. */
  readonly tsconfig: string | null;
  /** Where `typescript` is taken from: the project's own first, then ours. */
  readonly resolveFrom: readonly string[];
  /** Folders that stand for the reference TypeORM (a checkout's `src/`): imports into them resolve to its types. */
  readonly typeormFolders: readonly string[];
  /** The reference TypeORM's `index.d.ts`, for those imports. */
  readonly typeormTypes: string | null;
}

/** The build: where each source file went, and the `paths` aliases a runtime resolver needs. */
export interface TscBuild {
  readonly outDir: string;
  readonly rootDir: string;
  readonly aliases: readonly PathAlias[];
  readonly typescriptVersion: string;
  /** The source files compiled (absolute): the entry files and what they import under rootDir. */
  readonly compiled: readonly string[];
  /** Compiled path of a source file under rootDir. */
  compiledPath(sourceFile: string): string;
}

/**
 * Compiles the files as a user's build does: the TypeScript compiler with the whole program (so `design:type` is
 * what tsc emits, which differs from single-file transpilers in import cycles), CommonJS, legacy decorators with
 * decorator metadata. Type errors do not stop the emit, as they do not stop a user's `tsc` with noEmitOnError off.
 */
export function compileLikeTsc(options: TscBuildOptions): TscBuild {
  const ts = loadTypescript(options.resolveFrom);
  const configured = readTsconfig(ts, options.tsconfig);
  const compilerOptions: TypeScript.CompilerOptions = {
    ...configured,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: configured.target !== undefined && configured.target >= ts.ScriptTarget.ES2017 ? configured.target : ts.ScriptTarget.ES2020,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    useDefineForClassFields: false,
    esModuleInterop: configured.esModuleInterop ?? esModuleInteropUnset(ts, configured, options.tsconfig),
    // Helpers inlined rather than required from tslib, which the output folder cannot resolve; the same semantics.
    importHelpers: false,
    skipLibCheck: true,
    noEmitOnError: false,
    noEmit: false,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: false,
    composite: false,
    incremental: false,
    isolatedModules: false,
    verbatimModuleSyntax: false,
    rootDir: options.rootDir,
    outDir: options.outDir,
  };
  delete compilerOptions.tsBuildInfoFile;
  delete compilerOptions.outFile;
  const host = ts.createCompilerHost(compilerOptions);
  const folders = options.typeormFolders.map((folder) => path.resolve(folder));
  host.resolveModuleNames = (names, containingFile) =>
    names.map((name) => {
      if (name.startsWith('.') && options.typeormTypes !== null) {
        const target = path.resolve(path.dirname(containingFile), name);
        if (folders.some((folder) => target === folder || target.startsWith(folder + path.sep))) {
          return { resolvedFileName: options.typeormTypes, extension: ts.Extension.Dts, isExternalLibraryImport: true };
        }
      }
      return ts.resolveModuleName(name, containingFile, compilerOptions, host).resolvedModule;
    });
  const program = ts.createProgram({ rootNames: [...options.files], options: compilerOptions, host });
  const root = path.resolve(options.rootDir) + path.sep;
  const compiled: string[] = [];
  for (const sourceFile of program.getSourceFiles()) {
    const file = path.resolve(sourceFile.fileName);
    if (sourceFile.isDeclarationFile || !file.startsWith(root) || file.split(path.sep).includes('node_modules')) continue;
    program.emit(sourceFile);
    compiled.push(file);
  }
  markCommonJs(options.outDir);
  return {
    outDir: options.outDir,
    rootDir: options.rootDir,
    aliases: aliasesOf(compilerOptions, options.tsconfig),
    typescriptVersion: ts.version,
    compiled,
    compiledPath: (sourceFile) => path.join(options.outDir, path.relative(options.rootDir, sourceFile)).replace(/\.([cm]?)tsx?$/, '.$1js'),
  };
}

/**
 * The build is CommonJS whatever the project's `module`; inside a `"type": "module"` package Node would read its `.js`
 * as ES modules (`exports is not defined in ES module scope`), so the build folder declares itself CommonJS, as a
 * package.json with only `type` does (it names no package, so bare imports still resolve from the project).
 */
function markCommonJs(outDir: string): void {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
}

/** Where a project's own tsc build puts things: its `rootDir` and `outDir` (null when unset) and the files it compiles. */
export interface ProjectLayout {
  readonly rootDir: string | null;
  readonly outDir: string | null;
  readonly fileNames: readonly string[];
}

/** The project's tsconfig.json as tsc reads it (`extends` followed); an empty layout without one. */
export function readProjectLayout(tsconfig: string | null, resolveFrom: readonly string[]): ProjectLayout {
  if (tsconfig === null || !fs.existsSync(tsconfig)) return { rootDir: null, outDir: null, fileNames: [] };
  const ts = loadTypescript(resolveFrom);
  const parsed = parseTsconfig(ts, tsconfig);
  return {
    rootDir: parsed?.options.rootDir === undefined ? null : path.resolve(parsed.options.rootDir),
    outDir: parsed?.options.outDir === undefined ? null : path.resolve(parsed.options.outDir),
    fileNames: (parsed?.fileNames ?? []).map((file) => path.resolve(file)),
  };
}

/**
 * The TypeScript compiler API: the project's own first, then ours. TypeScript 7's package is the native compiler and
 * exports no such API (only its version), so a project on it is built with ours, as its ts-node or ts-jest needs a
 * 5.x beside it too.
 */
function loadTypescript(resolveFrom: readonly string[]): typeof TypeScript {
  for (const dir of [...resolveFrom, __dirname]) {
    let ts: Partial<typeof TypeScript>;
    try {
      ts = require(require.resolve('typescript', { paths: [dir] })) as Partial<typeof TypeScript>;
    } catch {
      continue; // Not installed there: try the next place.
    }
    if (typeof ts.createProgram === 'function') return ts as typeof TypeScript;
  }
  throw new SchemaSyncError('BAD_ARGUMENT', `The TypeScript compiler is needed to build the project as tsc would; install it (npm i -D typescript) in ${resolveFrom[0] ?? 'the project'}`);
}

/**
 * The esModuleInterop the project's own build has where its tsconfig.json leaves it unset: the default of its
 * TypeScript for the `module` it names (the build itself is forced to CommonJS), as the `.ts` loading follows it.
 */
function esModuleInteropUnset(ts: typeof TypeScript, configured: TypeScript.CompilerOptions, tsconfig: string | null): boolean {
  if (tsconfig === null || !fs.existsSync(tsconfig)) return true;
  const module = configured.module === undefined ? undefined : ts.ModuleKind[configured.module];
  return esModuleInteropDefault(module, typescriptMajorFor(path.dirname(tsconfig)));
}

function readTsconfig(ts: typeof TypeScript, tsconfig: string | null): TypeScript.CompilerOptions {
  if (tsconfig === null || !fs.existsSync(tsconfig)) return {};
  return parseTsconfig(ts, tsconfig)?.options ?? {};
}

function parseTsconfig(ts: typeof TypeScript, tsconfig: string): TypeScript.ParsedCommandLine | undefined {
  return ts.getParsedCommandLineOfConfigFile(tsconfig, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new SchemaSyncError('BAD_ARGUMENT', `${tsconfig}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    },
  });
}

/** `paths` as absolute targets; TypeScript resolves them against `baseUrl`, else against the tsconfig's folder. */
function aliasesOf(options: TypeScript.CompilerOptions, tsconfig: string | null): PathAlias[] {
  const paths = options.paths ?? {};
  const base = options.baseUrl ?? (options as { pathsBasePath?: string }).pathsBasePath ?? (tsconfig === null ? process.cwd() : path.dirname(tsconfig));
  return Object.entries(paths).map(([pattern, targets]) => ({ pattern, targets: targets.map((target) => path.resolve(base, target)) }));
}
