/** The corpus runner names a project folder that is not there, instead of passing on Node's raw lstat error. */
import * as os from 'node:os';
import * as path from 'node:path';
import { measureProject } from '../../src/conformance/corpus-main';

describe('npm run corpus -- <project>', () => {
  it('refuses a project folder that does not exist, naming it', async () => {
    const missing = path.join(os.tmpdir(), 'schema-sync-no-such-project');
    await expect(measureProject({ project: missing, dialect: ['postgres'], load: ['ts'], timeout: 1, verify: false, jsonLines: path.join(os.tmpdir(), 'unused.jsonl') } as unknown as Parameters<typeof measureProject>[0])).rejects.toThrow(
      `${missing}: no such project folder`,
    );
  });
});
