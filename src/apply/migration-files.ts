import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRelease, type Release } from '../migrations/directory';
import type { Phase } from '../plan/phase';
import { declaredPhase } from './phase-selection';

/** A migration file found on disk. */
export interface MigrationFile {
  /** `v1_4_0/20261124023005_create_documents`: folder and file name without extension; the history key. */
  readonly id: string;
  readonly release: Release;
  /** The file name without timestamp and extension: `create_documents`. */
  readonly name: string;
  readonly path: string;
  /** sha256 of the file with line endings normalised, so a checkout on Windows does not count as an edit. */
  readonly checksum: string;
  /** The deploy phase the file declares (`export const phase`); null when it declares none. */
  readonly phase: Phase | null;
}

const FOLDER = /^v(\d+)_(\d+)_(\d+)(?:_([0-9A-Za-z_]+))?$/;
const FILE = /^(\d{14})_([a-z0-9_]+)\.ts$/;

/**
 * Every migration under the root: release folders in semantic-version order (a pre-release before its release),
 * then files by timestamp. Files that do not look like migrations are ignored; a folder name that is almost a
 * release is not, since a typo would silently skip its migrations.
 */
export function findMigrationFiles(root: string): MigrationFile[] {
  if (!fs.existsSync(root)) return [];
  const folders = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && FOLDER.test(entry.name))
    .map((entry) => ({ name: entry.name, release: releaseOfFolder(entry.name) }))
    .sort((a, b) => compareReleases(a.release, b.release));
  return folders.flatMap((folder) =>
    fs
      .readdirSync(path.join(root, folder.name))
      .filter((file) => FILE.test(file))
      .sort()
      .map((file) => {
        const full = path.join(root, folder.name, file);
        const match = FILE.exec(file) as RegExpExecArray;
        const text = fs.readFileSync(full, 'utf8');
        return {
          id: `${folder.name}/${file.replace(/\.ts$/, '')}`,
          release: folder.release,
          name: match[2] as string,
          path: full,
          checksum: checksumOf(text),
          phase: declaredPhase(text),
        };
      }),
  );
}

/** sha256 of a file's text with CRLF normalised. */
export function checksumOf(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

function releaseOfFolder(folder: string): Release {
  const match = FOLDER.exec(folder) as RegExpExecArray;
  const pre = match[4] === undefined ? '' : `-${match[4].replace(/_/g, '.')}`;
  return parseRelease(`${match[1]}.${match[2]}.${match[3]}${pre}`, folder);
}

/** Semantic-version order; a pre-release sorts before the release it leads to. */
export function compareReleases(a: Release, b: Release): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === null) return 1;
  if (b.prerelease === null) return -1;
  return comparePrerelease(a.prerelease, b.prerelease);
}

function comparePrerelease(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny) && nx !== ny) return nx - ny;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
