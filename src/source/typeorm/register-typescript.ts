import { SchemaSyncError, messageOf } from '../../util/errors';

let registered = false;

/**
 * Lets `require()` load the user's `.ts` model files with no build step.
 *
 * ts-node with its SWC transpiler: SWC keeps `design:type` decorator metadata (esbuild-based loaders such as tsx do
 * not, and TypeORM needs it to infer `@Column() name: string`), and transpiles a thousand files in well under a
 * second, where the TypeScript compiler takes several. The options below are forced whatever the user's tsconfig
 * says, because entities cannot load without legacy decorators and CommonJS output.
 */
export function registerTypeScript(projectDir: string): void {
  if (registered || process.env.SCHEMA_SYNC_NO_REGISTER === '1') return;
  // Jest (and other hosts that already transpile TypeScript) install their own loader; a second one would fight it.
  if (process.env.JEST_WORKER_ID !== undefined) return;
  try {
    const tsNode = require('ts-node') as typeof import('ts-node');
    tsNode.register({
      dir: projectDir,
      transpileOnly: true,
      swc: true,
      skipIgnore: false,
      compilerOptions: {
        module: 'commonjs',
        moduleResolution: 'node',
        target: 'es2021',
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        useDefineForClassFields: false,
        esModuleInterop: true,
        allowJs: false,
        sourceMap: true,
      },
    });
    registered = true;
  } catch (error) {
    throw new SchemaSyncError('MODEL_LOAD_FAILED', `Cannot set up the TypeScript loader (ts-node with SWC): ${messageOf(error)}`, { cause: error });
  }
}
