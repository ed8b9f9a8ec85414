/**
 * The conformance runner on the embedded database, end to end: every scenario's database is loaded into its worker's
 * memory from the run's one saved fresh data directory (a spare worker loads it while it waits), TypeORM reaches it
 * through a socket, and our diff and round trip run on it. Two scenarios, so the second runs on a spare's database.
 * The runner runs from the build (`npm run build` first), in a child process, as `npm run conformance` does.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scratchFolder } from '../../src/conformance/throwaway-database';
import type { ScenarioResult } from '../../src/conformance/scenario';
import { REPO_ROOT } from '../support/cli';

const DIST = path.join(REPO_ROOT, 'dist', 'conformance');

/** An entity as tsc compiles one, decorators applied by hand: both TypeORM and our loader take the same file. */
const NOTE_ENTITY = `
const { Entity, PrimaryGeneratedColumn, Column, Index } = require('typeorm');
class Note {}
Entity('note')(Note);
PrimaryGeneratedColumn()(Note.prototype, 'id');
Column('varchar', { length: 80 })(Note.prototype, 'title');
Column('jsonb', { nullable: true })(Note.prototype, 'body');
Index(['title'])(Note);
exports.Note = Note;
`;

describe('conformance runner on PGlite', () => {
  let folder: string;
  beforeAll(() => {
    folder = fs.realpathSync(scratchFolder('oss-conf-pglite'));
    fs.writeFileSync(path.join(folder, 'note.js'), NOTE_ENTITY);
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(folder, 'node_modules'));
  });
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('runs each scenario on a database loaded into memory from the saved template, round trip included, and copies nothing per scenario', () => {
    const entity = path.join(folder, 'note.js');
    const scenario = (id: string) => ({
      id,
      dialect: 'pglite',
      projectDir: folder,
      ours: [{ mode: 'js', source: { kind: 'globs', globs: [entity] } }],
      typeorm: { kind: 'entities', entities: [entity] },
      typeormMain: require.resolve('typeorm', { paths: [REPO_ROOT] }),
      redirects: { typeormFolders: [], typeormMain: null, aliases: [], compiledRoot: folder, sourceRoot: folder },
      verify: true,
    });
    const databases = path.join(folder, 'databases');
    const script = `
      const fs = require('node:fs');
      const { runScenarios } = require(${JSON.stringify(path.join(DIST, 'run-scenarios.js'))});
      const { DatabaseFactory } = require(${JSON.stringify(path.join(DIST, 'throwaway-database.js'))});
      DatabaseFactory.open('pglite', {}, ${JSON.stringify(databases)}).then(async (factory) => {
        const results = await runScenarios([${JSON.stringify(scenario('first'))}, ${JSON.stringify(scenario('second'))}], factory,
          { jobs: 1, roundTrip: true, timeoutMs: 300000, jsonLines: null, scratchDir: ${JSON.stringify(path.join(folder, 'run'))} });
        const files = fs.readdirSync(${JSON.stringify(databases)});
        factory.close();
        process.stdout.write(JSON.stringify({ results, files, closed: fs.existsSync(${JSON.stringify(databases)}) }));
      });
    `;
    const { JEST_WORKER_ID: _jest, NODE_OPTIONS: _options, ...env } = process.env;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: folder, env, encoding: 'utf8', timeout: 300_000 });
    expect({ status: run.status, stderr: run.stderr.split('\n').filter((line) => !line.includes('ExperimentalWarning') && !line.includes('--trace-warnings') && line !== '') }).toEqual({ status: 0, stderr: [] });
    const { results, files, closed } = JSON.parse(run.stdout) as { results: ScenarioResult[]; files: string[]; closed: boolean };
    expect(results.map(({ id, typeorm, ours, roundTrip }) => ({ id, typeorm, ours, roundTrip: roundTrip?.status }))).toEqual(
      ['first', 'second'].map((id) => ({ id, typeorm: { status: 'clean', entities: 1 }, ours: [{ mode: 'js', status: 'in-sync', tables: 1 }], roundTrip: 'clean' })),
    );
    expect(results.map((result) => result.roundTrip)).toEqual(results.map(() => expect.objectContaining({ status: 'clean', statements: 2, typeormLog: 'empty', tables: 1 })));
    // The saved template is the run's only file on disk; factory.close() removes it.
    expect(files).toEqual(['pglite-template.tar']);
    expect(closed).toBe(false);
  }, 300_000);
});
