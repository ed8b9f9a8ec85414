/**
 * The corpus runner's tsc build compiles the entity files and what they import, not the whole project: a DataSource's
 * glob-named entities (imported by nothing) are entries of their own, and application code no entity imports (here
 * one that does not type-check) is left out. The child that reads the DataSource runs from the build: `npm run build`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildProject } from '../../src/conformance/corpus-main';
import { materialise } from '../real-world/real-world.shared';

const ENTITY_FILES = ['src/entities/customer.entity.ts', 'src/entities/money.ts', 'src/entities/order.entity.ts'];

describe('corpus runner: what the tsc build compiles', () => {
  let project: string;
  beforeAll(() => {
    project = fs.realpathSync(materialise({ name: 'glob-data-source' }, '1.x'));
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  const compiledOf = async (options: Parameters<typeof buildProject>[1]) => {
    const build = await buildProject(project, options);
    try {
      const compiled = build.compiled.map((file) => path.relative(project, file)).sort();
      const emitted = fs.readdirSync(build.outDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js')).sort();
      return { compiled, emitted, outDir: path.relative(project, build.outDir) };
    } finally {
      fs.rmSync(build.outDir, { recursive: true, force: true });
    }
  };

  it('--data-source: the DataSource file, the files its entity glob matches and their imports; no migrations, no application code', async () => {
    const { compiled, emitted, outDir } = await compiledOf({ 'data-source': 'src/data-source.ts', dialect: ['postgres'] });
    expect(compiled).toEqual(['src/data-source.ts', ...ENTITY_FILES]);
    // Where the compiled DataSource's `__dirname + '/entities/*.entity{.ts,.js}'` finds them.
    expect(outDir).toBe('.schema-sync-corpus-tsc');
    expect(emitted).toEqual(['data-source.js', 'entities/customer.entity.js', 'entities/money.js', 'entities/order.entity.js']);
  });

  it('--entities: the glob matches and their imports', async () => {
    const { compiled } = await compiledOf({ entities: ['src/entities/*.entity.ts'], dialect: ['postgres'] });
    expect(compiled).toEqual(ENTITY_FILES);
  });
});
