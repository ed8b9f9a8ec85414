/**
 * A drop in a file that declares the contract phase is where the drop belongs: lint still warns (the old release must
 * be gone), but does not tell the reader to move it into a contract migration.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintMigrationFiles } from '../../src/lint/lint-files';

const body = (phase: string) => `${phase}export async function migrate(db: { execute(sql: string): Promise<void> }): Promise<void> {
  await db.execute('ALTER TABLE "documents" DROP COLUMN "title"');
}
export async function rollback(): Promise<void> {}
`;

describe('lint: drops in a contract file', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-sync-lint-phase-'));
    fs.writeFileSync(path.join(dir, 'a_contract.ts'), body('export const phase = "contract";\n'));
    fs.writeFileSync(path.join(dir, 'b_plain.ts'), body(''));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('warns with the hint that fits where the drop is', async () => {
    const result = await lintMigrationFiles({ projectDir: dir, files: [path.join(dir, 'a_contract.ts'), path.join(dir, 'b_plain.ts')], client: null, dialect: 'postgres' });
    const hints = result.findings.map((finding) => [path.basename(finding.file), finding.rule, finding.severity, finding.hint]);
    expect(hints).toEqual([
      ['a_contract.ts', 'drop-column', 'warning', expect.stringContaining('this file declares the contract phase: apply --phase contract once no pod of the previous release runs')],
      ['b_plain.ts', 'drop-column', 'warning', expect.stringContaining('drop it in a contract migration')],
    ]);
  });
});
