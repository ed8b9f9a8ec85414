import * as fs from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import { SchemaSyncError } from '../util/errors';
import type { MeasuredDialect } from './throwaway-database';

/** One `entity/` folder of TypeORM's test suite, and the drivers its spec files run it on. */
export interface CheckoutScenario {
  /** The test folder relative to `test/`, e.g. `github-issues/7558`. */
  readonly id: string;
  readonly folder: string;
  readonly entityFiles: readonly string[];
  /** The `enabledDrivers` its spec files name; empty when none names any (then it runs on every driver). */
  readonly drivers: readonly string[];
}

/** The test folders scenarios are taken from. */
const SUITES = ['functional', 'github-issues'] as const;

/** Every `entity/` folder under test/functional and test/github-issues, in a stable order. */
export function findCheckoutScenarios(checkout: string): CheckoutScenario[] {
  const testDir = path.join(checkout, 'test');
  if (!fs.existsSync(path.join(testDir, 'functional')) || !fs.existsSync(path.join(checkout, 'src'))) {
    throw new SchemaSyncError('BAD_ARGUMENT', `--typeorm ${checkout}: not a TypeORM checkout (no test/functional or src/ in it)`);
  }
  const entityDirs = fg.sync(SUITES.map((suite) => `${suite}/**/entity`), { cwd: testDir, onlyDirectories: true });
  return entityDirs
    .filter((dir) => !path.dirname(dir).split('/').includes('entity'))
    .sort()
    .map((dir) => {
      const folder = path.join(testDir, path.dirname(dir));
      const entityFiles = fg.sync('**/*.ts', { cwd: path.join(testDir, dir), absolute: true, ignore: ['**/*.d.ts'] }).sort();
      return { id: path.dirname(dir), folder, entityFiles, drivers: enabledDrivers(folder) };
    })
    .filter((scenario) => scenario.entityFiles.length > 0);
}

/** The union of the `enabledDrivers: [...]` lists in the folder's own spec files. */
function enabledDrivers(folder: string): string[] {
  const drivers = new Set<string>();
  for (const spec of fg.sync('*.ts', { cwd: folder, absolute: true })) {
    for (const list of fs.readFileSync(spec, 'utf8').matchAll(/enabledDrivers\s*:\s*\[([^\]]*)\]/g)) {
      for (const name of list[1]!.matchAll(/["'`]([\w-]+)["'`]/g)) drivers.add(name[1]!);
    }
  }
  return [...drivers].sort();
}

/**
 * Whether a scenario runs on a dialect. PGlite is PostgreSQL; the MySQL family counts as one, since TypeORM's mysql
 * and mariadb drivers are one class and users of either write the same entities.
 */
export function runsOn(scenario: CheckoutScenario, dialect: MeasuredDialect): boolean {
  if (scenario.drivers.length === 0) return true;
  const accepted = dialect === 'postgres' || dialect === 'pglite' ? ['postgres'] : ['mysql', 'mariadb'];
  return scenario.drivers.some((driver) => accepted.includes(driver));
}
