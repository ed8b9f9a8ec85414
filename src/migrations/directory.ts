import * as fs from 'node:fs';
import * as path from 'node:path';
import { SchemaSyncError } from '../util/errors';

/** The default root of the migration folders, relative to the project. */
export const DEFAULT_MIGRATIONS_DIR = 'generated-migrations';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

/** A parsed release version. */
export interface Release {
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: string | null;
}

/** Parses `1.4.0` (or `v1.4.0`, or `1.4.0-rc.1`); anything else is an error naming where it came from. */
export function parseRelease(text: string, origin: string): Release {
  const match = SEMVER.exec(text.trim().replace(/^v/, ''));
  if (match === null) throw new SchemaSyncError('BAD_ARGUMENT', `${origin}: "${text}" is not a release version like 1.4.0`);
  return {
    version: text.trim().replace(/^v/, ''),
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] ?? null,
  };
}

/** The folder a release's migrations live in: `v1_4_0`, `v1_4_0_rc_1`. */
export function releaseFolderName(release: Release): string {
  const base = `v${release.major}_${release.minor}_${release.patch}`;
  return release.prerelease === null ? base : `${base}_${release.prerelease.replace(/[^0-9A-Za-z]+/g, '_')}`;
}

/** The release to file a migration under: `--release`, else the version of the nearest package.json. */
export function resolveRelease(explicit: string | undefined, projectDir: string): Release {
  if (explicit !== undefined) return parseRelease(explicit, '--release');
  let dir = projectDir;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const version = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
      if (typeof version !== 'string') throw new SchemaSyncError('BAD_ARGUMENT', `${manifest} has no "version": give --release 1.4.0`);
      return parseRelease(version, manifest);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new SchemaSyncError('BAD_ARGUMENT', `No package.json above ${projectDir} to take the release from: give --release 1.4.0`);
    dir = parent;
  }
}

/** `20261124T023000Z`-style UTC stamp without separators: `20261124023000`, sortable as text. */
export function timestampOf(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').replace(/\..*$/, '');
}

/** A file-name slug: lower-case letters, digits and underscores, at most 60 characters. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return (slug.length > 60 ? slug.slice(0, 60).replace(/_[^_]*$/, '') : slug) || 'migration';
}

/** Where a new migration goes: `<root>/<release folder>/<timestamp>_<slug>.ts`. */
export function migrationPath(root: string, release: Release, date: Date, slug: string): string {
  return path.join(root, releaseFolderName(release), `${timestampOf(date)}_${slugify(slug)}.ts`);
}
