import * as fs from 'node:fs';
import * as path from 'node:path';
import { SchemaSyncError, messageOf } from '../../util/errors';
import { importChainOf } from './loading-modules';
import { sourcePosition } from './register-typescript';

/**
 * The error for a model file that failed to load, with what a person needs to act on it: the reason, the file and
 * line where it was thrown (in the `.ts` source), the import chain that led there from the file that was asked for,
 * and, for the causes we recognise, what to change.
 */
export function modelLoadError(error: unknown, file: string, projectDir: string): SchemaSyncError {
  const show = (absolute: string) => path.relative(projectDir, absolute) || absolute;
  const reason = firstLine(messageOf(error));
  const chain = importChainOf(error);
  // The loader's own errors (a syntax error) already name their file and line.
  const place = error instanceof SchemaSyncError ? null : thrownAt(error, chain);
  const hint = hintFor(error, reason, place);
  const at = place === null ? null : `${show(place.file)}${place.line === null ? '' : `:${place.line}:${place.column}`}`;
  const lines = [`Cannot load model file ${show(file)}: ${reason}`];
  if (at !== null) lines.push(`  at ${at}`);
  if (chain.length > 1) lines.push(`  import chain: ${chain.map(show).join(' -> ')}`);
  if (hint !== null) lines.push(`  hint: ${hint}`);
  return new SchemaSyncError('MODEL_LOAD_FAILED', lines.join('\n'), {
    cause: error,
    details: {
      file: show(file),
      reason,
      ...(at === null ? {} : { at }),
      ...(chain.length > 1 ? { importChain: chain.map(show) } : {}),
      ...(hint === null ? {} : { hint }),
    },
  });
}

interface Place {
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
}

/**
 * Where the error was thrown: the first stack frame in one of the project's own files (mapped to its `.ts` line), or,
 * for a module that could not be found, the line of the importing file that names it.
 */
function thrownAt(error: unknown, chain: readonly string[]): Place | null {
  const missing = missingModule(error);
  if (missing !== null) return missing;
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  for (const match of stack.matchAll(/^\s*at (?:.*?\()?(\/.+?|[A-Za-z]:\\.+?):(\d+):(\d+)\)?$/gm)) {
    const file = match[1]!;
    if (file.split(path.sep).includes('node_modules') || file.startsWith('node:')) continue;
    if (!/\.[cm]?[jt]sx?$/.test(file)) continue;
    const line = Number(match[2]);
    const column = Number(match[3]);
    const mapped = /\.[cm]?tsx?$/.test(file) ? sourcePosition(file, line, column) : { line, column };
    return { file, line: mapped?.line ?? null, column: mapped?.column ?? null };
  }
  const innermost = chain[chain.length - 1];
  return innermost === undefined ? null : { file: innermost, line: null, column: null };
}

function missingModule(error: unknown): Place | null {
  const { code, requireStack, message } = error as { code?: unknown; requireStack?: unknown; message?: unknown };
  if (code !== 'MODULE_NOT_FOUND' || !Array.isArray(requireStack) || typeof requireStack[0] !== 'string') return null;
  const importer = requireStack[0];
  const specifier = /Cannot find module '([^']+)'/.exec(String(message))?.[1];
  if (specifier === undefined) return { file: importer, line: null, column: null };
  try {
    const lines = fs.readFileSync(importer, 'utf8').split('\n');
    for (let index = 0; index < lines.length; index++) {
      for (const quote of ["'", '"', '`']) {
        const column = lines[index]!.indexOf(`${quote}${specifier}${quote}`);
        if (column >= 0) return { file: importer, line: index + 1, column: column + 1 };
      }
    }
  } catch {
    // The importer is gone: name it without a line.
  }
  return { file: importer, line: null, column: null };
}

function hintFor(error: unknown, reason: string, place: Place | null): string | null {
  if (/Class extends value undefined/.test(reason)) {
    return (
      'a class extends one imported from a file that has not finished loading (an import cycle, often through a ' +
      'barrel index file); tsc fails the same way. Import the base class from its own file, or move it out of the cycle.'
    );
  }
  const deadZone = /Cannot access '([^']+)' before initialization/.exec(reason);
  if (deadZone !== null) {
    return (
      `'${deadZone[1]}' is read before its class is defined, usually as the type of a decorated property in the same ` +
      `file; tsc fails the same way. Declare ${deadZone[1]} first, or type the property as Relation<${deadZone[1]}>.`
    );
  }
  const { code } = error as { code?: unknown };
  if (code === 'MODULE_NOT_FOUND') {
    const specifier = /Cannot find module '([^']+)'/.exec(reason)?.[1] ?? '';
    if (specifier.startsWith('.')) return 'check the relative path; a `.js` specifier finds the `.ts` file beside it as tsc does.';
    return (
      'install the package in the project, or, if it is an alias, declare it in `compilerOptions.paths` of the ' +
      `tsconfig.json that applies to ${place === null ? 'the importing file' : path.basename(place.file)}.`
    );
  }
  return null;
}

/** Compiler diagnostics can run to pages; the first line names the problem, `--verbose` shows the rest. */
function firstLine(message: string): string {
  const line = message.split('\n').find((part) => part.trim() !== '') ?? message;
  return line.trim();
}
