/**
 * The previous release's model files, taken from a git ref of a repository made here: the files under the models glob
 * as they were, what they import through relative `.js` specifiers and tsconfig `paths` aliases, the tsconfig and
 * package.json files; nothing else, and the work tree untouched.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { materializeOldModels } from '../../src/compat/old-models';

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

function write(root: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  }
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

describe('materializeOldModels', () => {
  let repo: string;
  let project: string;

  beforeAll(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-sync-compat-repo-'));
    project = path.join(repo, 'apps', 'api');
    write(repo, {
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { strict: true } }),
      'apps/api/tsconfig.json': JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { baseUrl: '.', paths: { '@shared/*': ['../../libs/shared/*'] } } }),
      'apps/api/package.json': JSON.stringify({ name: 'api' }),
      'apps/api/models/user.ts': "import { Status } from '@shared/status';\nimport { Base } from '../lib/base.js';\nexport const user = [Status, Base];\n",
      'apps/api/lib/base.ts': "import { helper } from './helper';\nexport const Base = helper;\n",
      'apps/api/lib/helper.ts': 'export const helper = 1;\n',
      'apps/api/lib/unused.ts': 'export const unused = 1;\n',
      'libs/shared/status.ts': "export enum Status { On = 'on' }\n",
      'libs/other/readme.md': 'not imported\n',
    });
    fs.mkdirSync(path.join(project, 'node_modules'));
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'v1');
    git(repo, 'tag', 'v1');
    // The work tree moves on: a new model, an edited one. The ref's files are what count.
    write(repo, { 'apps/api/models/user.ts': 'export const user = 2;\n', 'apps/api/models/post.ts': 'export const post = 1;\n' });
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('writes the models as they were at the ref, with what they import and how they compile', () => {
    const old = materializeOldModels('v1', project, { kind: 'globs', globs: ['models/**/*.ts'] });
    try {
      expect(old.label).toMatch(/^v1 \([0-9a-f]{12}\)$/);
      const root = path.resolve(old.projectDir, '..', '..');
      expect(filesUnder(root).filter((file) => !file.startsWith('apps/api/node_modules'))).toEqual([
        'apps/api/lib/base.ts',
        'apps/api/lib/helper.ts',
        'apps/api/models/user.ts',
        'apps/api/package.json',
        'apps/api/tsconfig.json',
        'libs/shared/status.ts',
        'tsconfig.base.json',
      ]);
      expect(fs.readFileSync(path.join(old.projectDir, 'models', 'user.ts'), 'utf8')).toContain("from '@shared/status'");
      expect(fs.lstatSync(path.join(old.projectDir, 'node_modules')).isSymbolicLink()).toBe(true);
      expect(old.projectDir.startsWith(path.join(project, '.schema-sync', 'compat-'))).toBe(true);
    } finally {
      old.dispose();
    }
    expect(fs.readdirSync(path.join(project, '.schema-sync'))).toEqual([]);
    expect(fs.readFileSync(path.join(project, 'models', 'user.ts'), 'utf8')).toBe('export const user = 2;\n');
  });

  it('says so when the glob matches nothing at the ref, or the ref does not exist', () => {
    expect(() => materializeOldModels('v1', project, { kind: 'globs', globs: ['entities/**/*.ts'] })).toThrow(/No model files match "entities\/\*\*\/\*\.ts" in v1 \(/);
    expect(() => materializeOldModels('v9', project, { kind: 'globs', globs: ['models/**/*.ts'] })).toThrow('--against v9: no such folder, and no commit of that name');
    // A model file where a folder or ref belongs: the file is named as a file, not reported missing.
    expect(() => materializeOldModels('lib/helper.ts', project, { kind: 'globs', globs: ['models/**/*.ts'] })).toThrow('--against lib/helper.ts is a file: give the folder of the old models, or a git ref');
    expect(fs.readdirSync(path.join(project, '.schema-sync'))).toEqual([]);
  });
});
