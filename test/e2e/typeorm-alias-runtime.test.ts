import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/cli';

/**
 * A project whose `typeorm` is an npm alias or a link to a copy installed beside another typeorm (this repository's
 * `typeorm-03` alias, linked as the project's typeorm): every TypeORM class the loader uses must come from that one
 * copy. Run in plain Node from the build, as the CLI runs: jest's resolver finds the right copy where Node did not.
 */
describe('TypeORM runtime of an aliased install', () => {
  let project: string;
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-runtime-alias-'));
    fs.mkdirSync(path.join(project, 'node_modules'));
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'typeorm-03'), path.join(project, 'node_modules', 'typeorm'), 'dir');
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  it("takes the metadata builders from the project's own copy, not from the typeorm found by name beside it", () => {
    const own = fs.realpathSync(path.join(REPO_ROOT, 'node_modules', 'typeorm-03'));
    const script = `
      const path = require('node:path');
      const { loadTypeormRuntime } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'source', 'typeorm', 'typeorm-runtime.js'))});
      const runtime = loadTypeormRuntime(${JSON.stringify(project)});
      const own = (file) => require(path.join(${JSON.stringify(own)}, file));
      console.log(JSON.stringify({
        location: runtime.location,
        builder: runtime.EntityMetadataBuilder === own('metadata-builder/EntityMetadataBuilder.js').EntityMetadataBuilder,
        validator: runtime.EntityMetadataValidator === own('metadata-builder/EntityMetadataValidator.js').EntityMetadataValidator,
        connection: runtime.ConnectionMetadataBuilder === own('connection/ConnectionMetadataBuilder.js').ConnectionMetadataBuilder,
        table: runtime.Table === own('schema-builder/table/Table.js').Table,
      }));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ location: path.join(own, 'index.js'), builder: true, validator: true, connection: true, table: true });
  });
});
