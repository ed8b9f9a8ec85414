import * as fs from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import { SchemaSyncError, messageOf } from '../../util/errors';
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

/** Requires one model file, wrapping any failure in an error that names the file. */
export function requireModelFile(file: string, projectDir: string): Record<string, unknown> {
  const relative = path.relative(projectDir, file) || file;
  if (!fs.existsSync(file)) {
    throw new SchemaSyncError('MODEL_LOAD_FAILED', `Model file not found: ${relative}`);
  }
  try {
    const loaded = require(file) as unknown;
    return typeof loaded === 'object' && loaded !== null ? (loaded as Record<string, unknown>) : { default: loaded };
  } catch (error) {
    const origin = throwingFile(error, file);
    const where = origin === null ? '' : ` (thrown in ${path.relative(projectDir, origin) || origin})`;
    throw new SchemaSyncError('MODEL_LOAD_FAILED', `Cannot load model file ${relative}: ${firstLine(messageOf(error))}${where}`, { cause: error });
  }
}

/**
 * The TypeScript file an error was thrown in, when it is not the model file itself but one it imports: the first
 * `.ts` frame of the stack outside node_modules. The name is right with or without source maps; the line would not be.
 */
function throwingFile(error: unknown, modelFile: string): string | null {
  // The loader's own errors (a syntax error) already name the file they are about.
  if (error instanceof SchemaSyncError) return null;
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  for (const match of stack.matchAll(/^\s*at (?:.*?\()?(.+?\.[cm]?tsx?):\d+:\d+\)?$/gm)) {
    const file = match[1]!;
    if (!file.includes(`${path.sep}node_modules${path.sep}`)) return path.resolve(file) === path.resolve(modelFile) ? null : file;
  }
  return null;
}

/** Compiler diagnostics can run to pages; the first line names the problem, `--verbose` shows the rest. */
function firstLine(message: string): string {
  const line = message.split('\n').find((part) => part.trim() !== '') ?? message;
  return line.trim();
}
