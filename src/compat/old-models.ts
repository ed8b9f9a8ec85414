import * as fs from 'node:fs';
import * as path from 'node:path';
import { createPathsMatcher, getTsconfig } from 'get-tsconfig';
import { findModelFiles } from '../source/typeorm/load-entities';
import type { ModelSource } from '../source/typeorm/load-models';
import { SchemaSyncError } from '../util/errors';
import { openGitTree, type GitTree } from './git-tree';

/** The previous release's model files, in a folder of their own from which they load as they did in that release. */
export interface OldModels {
  /** The folder the globs are relative to (the project folder as it was at the ref). */
  readonly projectDir: string;
  /** How they load: model globs, or a DataSource file (as it was at the ref, or today's over the folder's files). */
  readonly source: ModelSource;
  /** What they are, for reports: `v1.3.0 (4f2a9c1e0b7d)` or the folder. */
  readonly label: string;
  /** Removes the temporary folder. */
  dispose(): void;
}

/**
 * Puts the old release's models into a temporary folder under the project's `.schema-sync/` (so that `typeorm` and
 * every other package resolve from the project's node_modules, as they did in that release): from a folder, a copy
 * of it, every `.ts` file in it a model file; from a git ref, the files under the static part of each models glob as
 * they were at that commit, the files they import (relative or through tsconfig `paths`), followed to the end, and
 * the tsconfig.json and package.json files that decide how they compile. The work tree is never touched.
 */
export function materializeOldModels(against: string, projectDir: string, source: ModelSource): OldModels {
  const folder = path.resolve(projectDir, against);
  const scratch = fs.mkdtempSync(path.join(ensureDir(path.join(projectDir, '.schema-sync')), 'compat-'));
  const dispose = () => fs.rmSync(scratch, { recursive: true, force: true });
  try {
    if (fs.existsSync(folder) && fs.statSync(folder).isDirectory()) {
      const copy = path.join(scratch, path.basename(folder));
      fs.cpSync(folder, copy, { recursive: true, filter: (file) => !file.split(path.sep).includes('node_modules') });
      const label = path.relative(process.cwd(), folder) || folder;
      if (source.kind === 'globs') return withModels({ projectDir: copy, source: { kind: 'globs', globs: ['**/*.ts'] }, label, dispose });
      // A copy of the old project has its own DataSource file; a folder of model files takes today's, over its files.
      const own = path.join(copy, source.file);
      if (!path.isAbsolute(source.file) && fs.existsSync(own)) return { projectDir: copy, source, label, dispose };
      return withModels({ projectDir: copy, source: { kind: 'data-source', file: path.resolve(projectDir, source.file), entities: ['**/*.ts'] }, label, dispose });
    }
    if (fs.existsSync(folder)) throw new SchemaSyncError('BAD_ARGUMENT', `--against ${against} is a file: give the folder of the old models, or a git ref`);
    const tree = openGitTree(projectDir, against);
    const prefix = toPosix(path.relative(tree.root, fs.realpathSync(projectDir)));
    const label = `${against} (${tree.commit.slice(0, 12)})`;
    if (source.kind === 'globs') {
      writeFromTree(tree, scratch, prefix, source.globs);
      return withModels({ projectDir: path.join(scratch, prefix), source, label, dispose });
    }
    // The DataSource file as it was at the ref: it lists its entities as imports or as globs over the project's files,
    // so the project's source files of that commit are written, and what they import from outside it.
    const file = toPosix(path.relative(projectDir, path.resolve(projectDir, source.file)));
    const inTree = path.posix.join(prefix, file);
    if (file.startsWith('../') || !tree.files.has(inTree)) throw new SchemaSyncError('BAD_ARGUMENT', `--data-source ${source.file} is not in ${label}: compat loads the old models with the DataSource file as it was there (give --models globs for a release without one)`);
    writeFromTree(tree, scratch, prefix, [], [inTree, ...[...tree.files].filter((name) => SCRIPT.test(name) && (prefix === '' || name.startsWith(`${prefix}/`)) && !name.split('/').includes('node_modules'))]);
    return { projectDir: path.join(scratch, prefix), source: { kind: 'data-source', file }, label, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

function withModels(models: OldModels): OldModels {
  const globs = models.source.kind === 'globs' ? models.source.globs : models.source.entities ?? [];
  if (findModelFiles(globs, models.projectDir).length === 0) {
    models.dispose();
    throw new SchemaSyncError('NO_MODELS', `No model files match ${globs.map((glob) => `"${glob}"`).join(', ')} in ${models.label}`);
  }
  return models;
}

const SCRIPT = /\.(?:[cm]?[jt]s|tsx)$/;
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"\n]+)['"]/g;
const TWINS: Readonly<Record<string, readonly string[]>> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const EXTENSIONS = ['.ts', '.tsx', '.js', '.mts', '.cts', '.mjs', '.cjs', '.json'];

/** Writes the models' files and everything they import from the tree into `scratch`, paths kept as in the repository. */
function writeFromTree(tree: GitTree, scratch: string, prefix: string, globs: readonly string[], files: readonly string[] = []): void {
  const inRepo = (file: string) => !file.split('/').includes('node_modules');
  const bases = globs.map((glob) => toPosix(path.posix.join(prefix, staticBase(glob))));
  const start = [...files, ...[...tree.files].filter((file) => inRepo(file) && bases.some((base) => base === '' || base === '.' || file === base || file.startsWith(`${base}/`)))];
  // tsconfig files first: `paths` aliases are resolved with them.
  const configs = [...tree.files].filter((file) => inRepo(file) && /(?:^|\/)tsconfig[^/]*\.json$/.test(file));
  const written = new Set<string>();
  const write = (files: readonly string[]): string[] => {
    const fresh = [...new Set(files)].filter((file) => !written.has(file));
    for (const [file, content] of tree.read(fresh)) {
      const target = path.join(scratch, ...file.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
      written.add(file);
    }
    return fresh;
  };
  write([...configs, ...configs.flatMap((config) => packageFilesAbove(config, tree))]);
  let queue = write([...start, ...start.flatMap((file) => packageFilesAbove(file, tree))]);
  while (queue.length > 0) {
    const imported = queue.filter((file) => SCRIPT.test(file)).flatMap((file) => importsOf(file, fs.readFileSync(path.join(scratch, ...file.split('/')), 'utf8'), tree, scratch));
    queue = write([...imported, ...imported.flatMap((file) => packageFilesAbove(file, tree))]);
  }
  linkNodeModules(scratch, prefix, tree.root);
}

/** The files a module imports that the tree has (packages resolve from node_modules and are left alone). */
function importsOf(file: string, source: string, tree: GitTree, scratch: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(SPECIFIER)) {
    const specifier = match[1] as string;
    const candidates = specifier.startsWith('.') ? [path.posix.join(path.posix.dirname(file), specifier)] : aliasTargets(specifier, file, scratch);
    for (const candidate of candidates) {
      const hit = fileFor(candidate, tree);
      if (hit !== null) {
        found.push(hit);
        break;
      }
    }
  }
  return found;
}

/** What tsc would try for a non-relative specifier through the importer's tsconfig `paths`, as repository paths. */
function aliasTargets(specifier: string, importer: string, scratch: string): string[] {
  const config = getTsconfig(path.join(scratch, ...path.posix.dirname(importer).split('/')));
  const matcher = config === null ? null : createPathsMatcher(config);
  if (matcher === null) return [];
  return matcher(specifier)
    .map((target) => toPosix(path.relative(scratch, target)))
    .filter((target) => !target.startsWith('..'));
}

/** The tree's file a module path names, as Node and tsc find it: itself, its TypeScript twin, an extension, an index. */
function fileFor(base: string, tree: GitTree): string | null {
  const normal = path.posix.normalize(base);
  const extension = path.posix.extname(normal);
  const twins = (TWINS[extension] ?? []).map((twin) => normal.slice(0, -extension.length) + twin);
  const candidates = [...twins, normal, ...EXTENSIONS.map((ext) => normal + ext), ...EXTENSIONS.map((ext) => `${normal}/index${ext}`)];
  return candidates.find((candidate) => tree.files.has(candidate)) ?? null;
}

/** package.json files of the folders above a file: `"type": "module"` decides how its .js siblings load. */
function packageFilesAbove(file: string, tree: GitTree): string[] {
  const found: string[] = [];
  for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
    const candidate = dir === '.' ? 'package.json' : `${dir}/package.json`;
    if (tree.files.has(candidate)) found.push(candidate);
    if (dir === '.' || dir === '/') return found;
  }
}

/** Links each node_modules folder between the project and the repository root into the same place in the copy. */
function linkNodeModules(scratch: string, prefix: string, root: string): void {
  const parts = prefix === '' ? [] : prefix.split('/');
  for (let depth = parts.length; depth >= 0; depth--) {
    const relative = parts.slice(0, depth);
    const real = path.join(root, ...relative, 'node_modules');
    const link = path.join(scratch, ...relative, 'node_modules');
    if (fs.existsSync(real) && !fs.existsSync(link)) {
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(real, link, 'dir');
    }
  }
}

/** The part of a glob before its first wildcard: the folder every match lies in. */
function staticBase(glob: string): string {
  const parts = toPosix(glob).replace(/^\.\//, '').split('/');
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (/[*?[\]{}()!]/.test(part)) break;
    fixed.push(part);
  }
  return fixed.join('/');
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
