import * as fs from 'node:fs';
import * as path from 'node:path';
import { SchemaSyncError } from '../util/errors';

/** The TypeORM a measurement runs: its main file, its type declarations and its version. */
export interface ReferenceTypeorm {
  readonly main: string;
  readonly types: string | null;
  readonly version: string;
}

/**
 * TypeORM as installed in `dir` (a project, or a scratch folder with `npm i typeorm@0.3.31`), else the copy this
 * project depends on. Paths are real paths: Node keys its module cache by them, and the scenario's imports must reach
 * the very module our loader uses.
 */
export function referenceTypeorm(dir: string | undefined): ReferenceTypeorm {
  let main: string;
  try {
    main = fs.realpathSync(require.resolve('typeorm', { paths: dir === undefined ? [__dirname] : [path.resolve(dir)] }));
  } catch {
    throw new SchemaSyncError('BAD_ARGUMENT', `No typeorm installed in ${dir ?? __dirname} (npm i typeorm there)`);
  }
  const packageDir = path.dirname(main);
  const types = path.join(packageDir, 'index.d.ts');
  const version = (JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  return { main, types: fs.existsSync(types) ? types : null, version };
}
