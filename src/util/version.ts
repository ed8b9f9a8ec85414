import * as fs from 'node:fs';
import * as path from 'node:path';

/** This tool's own version, from its package.json (two levels up from both src/util and dist/util). */
export function toolVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
