import { spawnSync } from 'node:child_process';
import { SchemaSyncError } from '../util/errors';

/** One commit's tree of a git repository, read without touching the work tree. */
export interface GitTree {
  /** The repository's top-level folder. */
  readonly root: string;
  /** The commit the ref names (full hash). */
  readonly commit: string;
  /** Every file of the commit, by its path from the repository root (forward slashes). */
  readonly files: ReadonlySet<string>;
  /** The contents of some of those files, read in one `git cat-file --batch`. */
  read(paths: readonly string[]): Map<string, Buffer>;
}

/** Opens the tree of `ref` in the repository that holds `dir`; a folder outside git or an unknown ref is a clear error. */
export function openGitTree(dir: string, ref: string): GitTree {
  const root = git(dir, ['rev-parse', '--show-toplevel'], `${dir} is not inside a git repository, and --against ${ref} is not a folder`).toString('utf8').trim();
  const commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], `--against ${ref}: no such folder, and no commit of that name in ${root}`).toString('utf8').trim();
  const listing = git(root, ['ls-tree', '-r', '-z', '--full-tree', '--name-only', commit], `cannot list the files of ${ref}`).toString('utf8');
  const files = new Set(listing.split('\0').filter((name) => name !== ''));
  return { root, commit, files, read: (paths) => readBlobs(root, commit, paths) };
}

/**
 * Reads blobs through `git cat-file --batch`: one process for any number of files. Its output is, per request,
 * `<sha> blob <size>\n<content>\n`.
 */
function readBlobs(root: string, commit: string, paths: readonly string[]): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  if (paths.length === 0) return blobs;
  const output = git(root, ['cat-file', '--batch'], 'cannot read files from git', paths.map((p) => `${commit}:${p}\n`).join(''));
  let at = 0;
  for (const file of paths) {
    const eol = output.indexOf(0x0a, at);
    const header = output.subarray(at, eol).toString('utf8');
    const match = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (match === null) throw new SchemaSyncError('BAD_ARGUMENT', `cannot read ${file} at ${commit.slice(0, 12)}: git said "${header}"`);
    const size = Number(match[1]);
    blobs.set(file, output.subarray(eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1;
  }
  return blobs;
}

function git(cwd: string, args: readonly string[], failure: string, input?: string): Buffer {
  const result = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  if (result.error !== undefined) throw new SchemaSyncError('BAD_ARGUMENT', `${failure}: cannot run git (${result.error.message})`);
  if (result.status !== 0) {
    const said = result.stderr.toString('utf8').trim().split('\n')[0] ?? '';
    throw new SchemaSyncError('BAD_ARGUMENT', said === '' ? failure : `${failure} (git: ${said})`);
  }
  return result.stdout;
}
