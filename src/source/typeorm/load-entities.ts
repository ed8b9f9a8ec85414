import * as fs from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import { SchemaSyncError } from '../../util/errors';
import { modelLoadError } from './load-error';
import { registerTypeScript } from './register-typescript';

/** An entity class or EntitySchema found in a model file, with the file it came from (for error messages). */
export interface LoadedEntity {
  readonly target: unknown;
  readonly file: string;
}

/** Where `--models` points when the user gives nothing: the project's `models/` folder. */
export const DEFAULT_MODEL_GLOBS: readonly string[] = ['models/**/*.ts'];

/** Expands model globs (relative to `projectDir`) into sorted absolute file paths, skipping declaration files. */
export function findModelFiles(globs: readonly string[], projectDir: string): string[] {
  const files = fg.sync(
    globs.map((glob) => glob.replace(/\\/g, '/')),
    { cwd: projectDir, absolute: true, onlyFiles: true, ignore: ['**/*.d.ts', '**/node_modules/**'] },
  );
  return [...new Set(files.map((file) => path.normalize(file)))].sort();
}

/** Files a DataSource's entity globs may name that `require()` can load (with the TypeScript hook): no declarations. */
const SCRIPT_FILE = /(?<!\.d)\.(?:[cm]?[jt]s|tsx)$/;

/**
 * Expands the entity globs of a DataSource file, as TypeORM would: absolute (`__dirname + '/**\/*.entity{.ts,.js}'`),
 * or relative to the project folder (TypeORM takes them from the working directory, which is the project's when its
 * own CLI runs). Only script files, never declarations or source maps.
 */
export function findEntityFiles(globs: readonly string[], baseDir: string): string[] {
  return findModelFiles(globs, baseDir).filter((file) => SCRIPT_FILE.test(file));
}

/**
 * Imports every model file and returns the exports TypeORM knows as entities.
 * A file that throws while loading is reported with its path and the reason; nothing is swallowed.
 */
export function loadEntityFiles(files: readonly string[], projectDir: string, isEntity: (value: unknown) => boolean): LoadedEntity[] {
  registerTypeScript(projectDir);
  const entities: LoadedEntity[] = [];
  const seen = new Set<unknown>();
  for (const file of files) {
    const exported = requireModelFile(file, projectDir);
    for (const value of Object.values(exported)) {
      if (!seen.has(value) && isEntity(value)) {
        seen.add(value);
        entities.push({ target: value, file });
      }
    }
  }
  return entities;
}

/** Requires one model file, wrapping any failure in an error that names the file, the line and the import chain. */
export function requireModelFile(file: string, projectDir: string): Record<string, unknown> {
  const relative = path.relative(projectDir, file) || file;
  if (!fs.existsSync(file)) {
    throw new SchemaSyncError('MODEL_LOAD_FAILED', `Model file not found: ${relative}`, { details: { file: relative } });
  }
  try {
    const loaded = require(file) as unknown;
    return typeof loaded === 'object' && loaded !== null ? (loaded as Record<string, unknown>) : { default: loaded };
  } catch (error) {
    throw modelLoadError(error, file, projectDir);
  }
}
