/**
 * Shared body of the real-world suites: small projects written in the shapes real TypeORM code has (entity files that
 * import each other with class-typed relations, a 50-file import cycle, NodeNext `.js` specifiers (also in a `"type": "module"` package), a tsconfig `paths`
 * alias, `esModuleInterop: false` and unset under CommonJS, an EntitySchema, a `synchronize: false` index, TypeORM's migrations table, views and a generated column), each with TypeORM 1.x and 0.3.x
 * installed as the project's own `typeorm`. Each goes through the corpus runner, as a user's project would:
 * TypeORM synchronize() → TypeORM's log() empty → our diff empty (the `.ts` loaded as users do, and the tsc build);
 * empty database → sync → apply → our diff and TypeORM's log() empty → rollback → nothing left.
 * The workers run from the build: `npm run build` first, as for the e2e suites.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureProject } from '../../src/conformance/corpus-main';
import type { ScenarioResult } from '../../src/conformance/scenario';
import type { MeasuredDialect } from '../../src/conformance/throwaway-database';

const ROOT = path.resolve(__dirname, '..', '..');
const PROJECTS = path.join(__dirname, 'projects');

/** The TypeORM lines users run, each as the package the project's `typeorm` resolves to. */
export const TYPEORM_LINES = { '1.x': 'typeorm', '0.3.x': 'typeorm-03' } as const;
export type TypeormLine = keyof typeof TYPEORM_LINES;

/** A fixture project and where its entities are declared. */
export interface RealWorldProject {
  readonly name: string;
  readonly entities?: readonly string[];
  readonly dataSource?: string;
  /** Tables the round trip builds, where TypeORM's synchronize() fails and the round trip is checked alone. */
  readonly tables?: number;
  /** Writes generated files into the materialised project (the 50-file cycle). */
  readonly generate?: (dir: string) => void;
}

/** The projects the suites run. */
export const REAL_WORLD_PROJECTS: readonly RealWorldProject[] = [
  { name: 'baseline', dataSource: 'src/data-source.ts' },
  { name: 'glob-data-source', dataSource: 'src/data-source.ts' },
  { name: 'import-pair', entities: ['src/**/*.entity.ts'] },
  { name: 'ring-50', entities: ['src/ring/*.ts'], generate: writeImportRing },
  { name: 'nodenext', entities: ['src/entities/*.ts'] },
  { name: 'paths-alias', entities: ['src/**/*.entity.ts'] },
  { name: 'views', entities: ['src/*.ts'] },
  { name: 'build-layout', entities: ['src/entities/*.ts'] },
  { name: 'esm-package', entities: ['src/models/*.ts'] },
  { name: 'no-interop', entities: ['src/*.entity.ts'], generate: writeLegacyLimits },
  { name: 'interop-unset', entities: ['src/*.entity.ts'], generate: writeLegacyLimits },
];

/** Projects in shapes only TypeORM 0.3 on MySQL and MariaDB has (options TypeORM 1.x dropped). */
export const MYSQL_03_PROJECTS: readonly RealWorldProject[] = [{ name: 'display-widths', entities: ['src/*.ts'] }];

/**
 * Projects TypeORM's own synchronize() cannot build (an entity declared on a @JoinTable's table; one index declared
 * twice, as OneUptime does): the runner still runs the round trip, without TypeORM's log(), and says TypeORM's failure
 * where the agreement would be.
 */
export const TYPEORM_FAILS_PROJECTS: readonly RealWorldProject[] = [
  { name: 'join-table-entity', entities: ['src/*.ts'], tables: 3 },
  { name: 'duplicate-index', entities: ['src/*.ts'], tables: 1 },
];

const RING_SIZE = 50;

/**
 * 50 entity files in one import cycle: each imports the next and the previous, with relations typed by their classes
 * and no Relation<> wrapper. Generated rather than kept as 50 near-identical files.
 */
function writeImportRing(dir: string): void {
  const ring = path.join(dir, 'src', 'ring');
  fs.mkdirSync(ring, { recursive: true });
  for (let i = 0; i < RING_SIZE; i++) {
    const next = (i + 1) % RING_SIZE;
    const previous = (i + RING_SIZE - 1) % RING_SIZE;
    fs.writeFileSync(
      path.join(ring, `station-${i}.ts`),
      `import { Column, Entity, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Station${next} } from './station-${next}';
import { Station${previous} } from './station-${previous}';

@Entity('station_${i}')
export class Station${i} {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 40 })
  label!: string;

  @ManyToOne(() => Station${next}, (station) => station.arrivals, { nullable: true })
  next!: Station${next};

  @OneToMany(() => Station${previous}, (station) => station.next)
  arrivals!: Station${previous}[];
}
`,
    );
  }
}

/**
 * A CommonJS package in the shape of chalk 4: its module.exports inherits what it offers (no own properties), which
 * tsc's `import * as` without esModuleInterop reads as is, and an interop helper that copies own properties loses.
 */
function writeLegacyLimits(dir: string): void {
  const folder = path.join(dir, 'node_modules', 'legacy-limits');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'legacy-limits', version: '1.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(folder, 'index.js'), "'use strict';\nmodule.exports = Object.create({ trackingCode: 40, carrierName: 24, defaultCarrier: 'post', lengthOf(name) { return this[name]; } });\n");
}

/** Copies the fixture into a temporary project whose node_modules holds the chosen TypeORM as `typeorm`. */
export function materialise(project: RealWorldProject, line: TypeormLine): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `oss-real-world-${project.name}-`));
  const source = path.join(PROJECTS, project.name);
  if (fs.existsSync(source)) fs.cpSync(source, dir, { recursive: true });
  project.generate?.(dir);
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules', TYPEORM_LINES[line]), path.join(modules, 'typeorm'), 'dir');
  // TypeScript too, as a real project has it: esModuleInterop's default depends on its version.
  for (const dependency of ['reflect-metadata', 'pg', 'mysql2', 'typescript']) fs.symlinkSync(path.join(ROOT, 'node_modules', dependency), path.join(modules, dependency), 'dir');
  return dir;
}

/** The verdict of one run, as one comparable value; the details ride along so a failure says what went wrong. */
export function verdictOf(result: ScenarioResult): Record<string, unknown> {
  const typeorm = result.typeorm.status === 'clean' && result.typeorm.entities > 0 ? 'clean' : result.typeorm;
  const ours = result.ours.map((outcome) => (outcome.status === 'in-sync' ? `${outcome.mode}: in sync` : outcome));
  const roundTrip = result.roundTrip?.status === 'clean' ? 'clean' : result.roundTrip;
  return { typeorm, ours, roundTrip };
}

/** What every project must give. */
export const IN_STEP = { typeorm: 'clean', ours: ['ts: in sync', 'js: in sync'], roundTrip: 'clean' };

/** What a project TypeORM cannot synchronize must give: its failure said, no diff of its database, a clean round trip. */
export const TYPEORM_FAILS = {
  typeorm: { status: 'error', error: expect.stringContaining("TypeORM's synchronize() fails") },
  ours: [],
  roundTrip: 'clean',
};

/** Runs one project on one database with one TypeORM line. */
export async function measure(project: RealWorldProject, line: TypeormLine, dialect: MeasuredDialect): Promise<ScenarioResult> {
  const dir = materialise(project, line);
  try {
    const [result] = await measureProject({
      project: dir,
      dialect: [dialect],
      ...(project.dataSource === undefined ? { entities: project.entities ?? [] } : { 'data-source': project.dataSource }),
      load: ['ts', 'js'],
      timeout: 280,
      verify: true,
      jsonLines: null,
    });
    return result!;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Registers the suite for one database. */
export function describeRealWorld(
  dialect: MeasuredDialect,
  lines: readonly TypeormLine[],
  projects: readonly RealWorldProject[] = REAL_WORLD_PROJECTS,
  typeormFails: readonly RealWorldProject[] = TYPEORM_FAILS_PROJECTS,
): void {
  describe(`real-world projects on ${dialect}`, () => {
    for (const project of projects) {
      for (const line of lines) {
        it(`${project.name} with TypeORM ${line}: TypeORM and we agree, and the round trip is clean`, async () => {
          expect(verdictOf(await measure(project, line, dialect))).toEqual(IN_STEP);
        });
      }
    }
    for (const project of typeormFails) {
      for (const line of lines) {
        it(`${project.name} with TypeORM ${line}: TypeORM's synchronize() fails, and the round trip still runs clean without its log()`, async () => {
          const result = await measure(project, line, dialect);
          expect(verdictOf(result)).toEqual(TYPEORM_FAILS);
          expect(result.roundTrip).toMatchObject({ status: 'clean', typeormLog: 'not consulted', tables: project.tables });
        });
      }
    }
  });
}
