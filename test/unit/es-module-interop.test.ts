import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { esModuleInteropDefault, esModuleInteropOffFor } from '../../src/source/typeorm/module-resolution';

describe("esModuleInterop where the tsconfig.json leaves it unset, as the project's own TypeScript decides", () => {
  it.each([
    ['commonjs', 5, false],
    [undefined, 5, false],
    ['es2020', 5, false],
    ['node16', 5, true],
    ['NodeNext', 5, true],
    ['preserve', 5, true],
    ['commonjs', 6, true],
    [undefined, 7, true],
    ['commonjs', null, true],
  ] as const)('module %s with TypeScript %s: interop %s', (module, major, interop) => {
    expect(esModuleInteropDefault(module, major)).toBe(interop);
  });
});

describe('esModuleInteropOffFor a file of a project', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** A project folder with a tsconfig.json (or none) and an installed `typescript` of a version (or none). */
  function project(compilerOptions: Record<string, unknown> | null, typescript: string | null): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-interop-'));
    made.push(dir);
    if (compilerOptions !== null) fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions }));
    if (typescript !== null) {
      const folder = path.join(dir, 'node_modules', 'typescript');
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'typescript', version: typescript }));
    }
    fs.mkdirSync(path.join(dir, 'src'));
    return path.join(dir, 'src', 'user.entity.ts');
  }

  it('is off for CommonJS with TypeScript 5 and no esModuleInterop line (plain require, as tsc emits)', () => {
    expect(esModuleInteropOffFor(project({ module: 'commonjs' }, '5.9.3'))).toBe(true);
  });

  it('is on for CommonJS with TypeScript 6, whose default is interop', () => {
    expect(esModuleInteropOffFor(project({ module: 'commonjs' }, '6.0.3'))).toBe(false);
  });

  it('is on for NodeNext with TypeScript 5, whose module kind implies it', () => {
    expect(esModuleInteropOffFor(project({ module: 'NodeNext', moduleResolution: 'NodeNext' }, '5.9.3'))).toBe(false);
  });

  it('follows an explicit setting whatever the version', () => {
    expect(esModuleInteropOffFor(project({ module: 'commonjs', esModuleInterop: true }, '5.9.3'))).toBe(false);
    expect(esModuleInteropOffFor(project({ module: 'nodenext', esModuleInterop: false }, '6.0.3'))).toBe(true);
  });

  it('is on without a tsconfig.json, as ts-node compiles then', () => {
    expect(esModuleInteropOffFor(project(null, '5.9.3'))).toBe(false);
  });
});
