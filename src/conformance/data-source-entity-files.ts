import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataSourceEntityFiles } from '../source/typeorm/load-models';
import { messageOf } from '../util/errors';
import { workerEnvironment } from './worker-pool';

/** What the child answers: the entity files, or why the DataSource file could not be read. */
type Answer = { readonly files: readonly string[] } | { readonly error: string };

/**
 * The files a project's DataSource names by glob in its `entities`, as our loader expands them. Read in a process of
 * its own, as a scenario reads it: loading the DataSource runs the user's code (and its imports), which must not leave
 * TypeORM's metadata or a require hook in the runner. `dialect` is what the DataSource file may pick its type by.
 */
export function entityFilesOfDataSource(project: string, dataSourceFile: string, dialect: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [project, dataSourceFile], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...workerEnvironment(), SCHEMA_SYNC_DIALECT: dialect } });
    let stderr = '';
    let answer: Answer | null = null;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('message', (message) => {
      answer = message as Answer;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer !== null && 'files' in answer) resolve([...answer.files]);
      else reject(new Error(answer?.error ?? `the process reading ${dataSourceFile} exited (${signal ?? code}) ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

if (require.main === module) {
  const [project, dataSourceFile] = process.argv.slice(2) as [string, string];
  process.chdir(project);
  let answer: Answer;
  try {
    answer = { files: dataSourceEntityFiles(project, dataSourceFile) };
  } catch (error) {
    answer = { error: messageOf(error) };
  }
  // The DataSource's imports may hold handles open (a pool, a timer): exit once the answer is sent.
  process.send!(answer, undefined, {}, () => process.exit(0));
}

/** This file compiled, for the runner to fork (from the build when this module runs from source, as under jest). */
const CHILD = fs.existsSync(path.join(__dirname, 'data-source-entity-files.js'))
  ? path.join(__dirname, 'data-source-entity-files.js')
  : path.join(__dirname, '..', '..', 'dist', 'conformance', 'data-source-entity-files.js');
