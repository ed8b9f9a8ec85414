import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

/**
 * Where a measured project's imports must lead that Node cannot find by itself. Only the measuring harness installs
 * these: they stand in for what a user's own set-up provides (an installed `typeorm`, a `paths` resolver such as
 * tsconfig-paths for the compiled build), never for what schema-sync's loader is supposed to do.
 */
export interface ModuleRedirects {
  /** Folders whose every file is the reference TypeORM (a TypeORM checkout's `src/`, and its compiled copy). */
  readonly typeormFolders: readonly string[];
  /** The reference TypeORM's main file; bare `typeorm` imports lead here when set. */
  readonly typeormMain: string | null;
  /** tsconfig `paths` aliases, applied only to files under `compiledRoot` (the tsc build of the project). */
  readonly aliases: readonly PathAlias[];
  /** The tsc build's output folder and the source folder it mirrors. */
  readonly compiledRoot: string | null;
  readonly sourceRoot: string | null;
}

/** One `paths` entry: `@app/*` → [`/abs/src/*`]. */
export interface PathAlias {
  readonly pattern: string;
  readonly targets: readonly string[];
}

type ResolveFilename = (request: string, parent: NodeModule | undefined, isMain: boolean, options?: unknown) => string;

/** Installs the redirects on Node's resolver; returns the function that removes them. */
export function installModuleRedirects(redirects: ModuleRedirects): () => void {
  const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = moduleInternals._resolveFilename;
  const folders = redirects.typeormFolders.map((folder) => path.resolve(folder));
  moduleInternals._resolveFilename = function resolveWithRedirects(request, parent, isMain, options) {
    const redirected = redirect(request, parent?.filename ?? null, redirects, folders);
    return original.call(this, redirected ?? request, parent, isMain, options);
  };
  return () => {
    moduleInternals._resolveFilename = original;
  };
}

/** What `request` from `parentFile` is redirected to, or null to resolve it as Node would. */
export function redirectedRequest(request: string, parentFile: string | null, redirects: ModuleRedirects): string | null {
  return redirect(request, parentFile, redirects, redirects.typeormFolders.map((folder) => path.resolve(folder)));
}

function redirect(request: string, parentFile: string | null, redirects: ModuleRedirects, folders: readonly string[]): string | null {
  if (request === 'typeorm' && redirects.typeormMain !== null) return redirects.typeormMain;
  if (parentFile === null && !path.isAbsolute(request)) return null;
  if (request.startsWith('.') || path.isAbsolute(request)) {
    const target = path.resolve(path.dirname(parentFile ?? '/'), request);
    if (folders.some((folder) => target === folder || target.startsWith(folder + path.sep))) return redirects.typeormMain;
    return null;
  }
  if (parentFile === null || redirects.compiledRoot === null || redirects.sourceRoot === null || !parentFile.startsWith(redirects.compiledRoot + path.sep)) return null;
  return aliasTarget(request, redirects);
}

/** The compiled file a `paths` alias names, as tsconfig-paths would find it in a tsc build. */
function aliasTarget(request: string, redirects: ModuleRedirects): string | null {
  for (const alias of redirects.aliases) {
    const star = alias.pattern.indexOf('*');
    const matched =
      star === -1
        ? request === alias.pattern ? '' : null
        : request.startsWith(alias.pattern.slice(0, star)) && request.endsWith(alias.pattern.slice(star + 1))
          ? request.slice(star, request.length - (alias.pattern.length - star - 1))
          : null;
    if (matched === null) continue;
    for (const target of alias.targets) {
      const source = target.replace('*', matched);
      const compiled = path.join(redirects.compiledRoot!, path.relative(redirects.sourceRoot!, source)).replace(/\.[cm]?tsx?$/, '');
      for (const candidate of [compiled, `${compiled}.js`, path.join(compiled, 'index.js')]) {
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
      }
    }
  }
  return null;
}
