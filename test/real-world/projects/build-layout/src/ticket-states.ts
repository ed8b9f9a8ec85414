import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Read at import time from `assets/`, relative to this file: `src/` and the `outDir` (`dist/`) sit at the same depth,
 * so the same path works for the sources and for the project's own tsc build, and only for a build that keeps that.
 */
export const TICKET_STATES: string[] = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'assets', 'ticket-states.json'), 'utf8'));
