import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SchemaSyncError, messageOf } from '../util/errors';

/**
 * The checkout's tsconfig.json, with the shared bases it extends installed. TypeORM's extends `@tsconfig/node16`
 * (0.3.x) or `@tsconfig/node20` (1.x), which a bare checkout lacks: without it tsc cannot read the file, and neither
 * can our loader, which takes strictNullChecks and paths from it. Each missing base is put into the checkout's
 * node_modules with `npm pack` (that package alone, not the checkout's dependencies); `log` says so.
 */
export function checkoutTsconfig(checkout: string, log: (line: string) => void): string {
  const tsconfig = path.join(checkout, 'tsconfig.json');
  if (!fs.existsSync(tsconfig)) throw new SchemaSyncError('BAD_ARGUMENT', `--typeorm ${checkout}: no tsconfig.json`);
  for (const base of extendedPackages(tsconfig)) {
    if (resolves(base, checkout)) continue;
    const name = packageName(base);
    log(`installing ${name} into ${path.join(checkout, 'node_modules')} (the checkout's tsconfig.json extends ${base})`);
    installPackedPackage(name, path.join(checkout, 'node_modules', ...name.split('/')));
  }
  return tsconfig;
}

/** The `extends` entries naming a package (a string or, since TypeScript 5.0, a list). */
function extendedPackages(tsconfig: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const { config, error } = ts.parseConfigFileTextToJson(tsconfig, fs.readFileSync(tsconfig, 'utf8'));
  if (error !== undefined) throw new SchemaSyncError('BAD_ARGUMENT', `${tsconfig}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  const extended = (config as { extends?: string | string[] }).extends;
  const list = extended === undefined ? [] : Array.isArray(extended) ? extended : [extended];
  return list.filter((entry) => !entry.startsWith('.') && !path.isAbsolute(entry));
}

function resolves(specifier: string, from: string): boolean {
  for (const candidate of [specifier, `${specifier}.json`, `${specifier}/tsconfig.json`]) {
    try {
      require.resolve(candidate, { paths: [from] });
      return true;
    } catch {
      // Not this spelling: TypeScript tries these three.
    }
  }
  return false;
}

/** `@scope/name/x.json` -> `@scope/name`; `name/x.json` -> `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function installPackedPackage(name: string, destination: string): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'orm-schema-sync-pack-'));
  try {
    const tarball = execFileSync('npm', ['pack', name, '--pack-destination', scratch, '--silent'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop()!;
    fs.mkdirSync(destination, { recursive: true });
    execFileSync('tar', ['xzf', path.join(scratch, tarball), '-C', destination, '--strip-components=1']);
  } catch (error) {
    throw new SchemaSyncError('BAD_ARGUMENT', `Cannot install ${name} into ${destination} (the checkout's tsconfig.json needs it): ${messageOf(error)}`, { cause: error });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
