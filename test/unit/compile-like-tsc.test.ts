import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileLikeTsc } from '../../src/conformance/compile-like-tsc';

/**
 * A project on TypeScript 7: its `typescript` package is the native compiler, which exports only its version (as
 * typescript@7.0.2 does: `exports['.']` is lib/version.cjs). The tsc build then uses our compiler API.
 */
describe('the tsc build of a project whose own typescript is the native TypeScript 7', () => {
  let project: string;
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-ts7-'));
    const typescript = path.join(project, 'node_modules', 'typescript');
    fs.mkdirSync(path.join(typescript, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(typescript, 'package.json'), JSON.stringify({ name: 'typescript', version: '7.0.2', exports: { '.': './lib/version.cjs', './package.json': './package.json' } }));
    fs.writeFileSync(path.join(typescript, 'lib', 'version.cjs'), "module.exports = { version: '7.0.2', versionMajorMinor: '7.0' };\n");
    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022' } }));
    fs.mkdirSync(path.join(project, 'src'));
    fs.writeFileSync(path.join(project, 'src', 'user.entity.ts'), 'export class User {\n  id!: number;\n}\n');
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  it('compiles with our TypeScript API instead of failing on the package that has none', () => {
    const build = compileLikeTsc({
      rootDir: project,
      files: [path.join(project, 'src', 'user.entity.ts')],
      outDir: path.join(project, 'build'),
      tsconfig: path.join(project, 'tsconfig.json'),
      resolveFrom: [project],
      typeormFolders: [],
      typeormTypes: null,
    });
    expect(build.typescriptVersion).toMatch(/^5\./);
    expect(fs.readFileSync(build.compiledPath(path.join(project, 'src', 'user.entity.ts')), 'utf8')).toContain('class User');
  });
});
