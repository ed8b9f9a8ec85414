/**
 * String literals from the models through the whole tool: a model whose defaults, comments and enum labels hold
 * quotes, backslashes, `$$` and an injection attempt is synced (with verification), applied and re-diffed; the
 * canary table and its row survive, and a row of defaults reads back the model's values.
 */
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { makeProject, removeProject, runCli } from '../support/cli';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

const INJECTION = "x'); DROP TABLE canary; --";
const QUOTED = "it's";
const BACKSLASHED = 'back\\slash \\\' \\n';
const DOLLARS = '$$x$$ $tag$';

/** The model, written with JSON.stringify so the file states exactly these strings. */
function modelSource(): string {
  const s = JSON.stringify;
  return [
    "import { Column, Entity, PrimaryColumn } from 'typeorm';",
    `export enum Mood { Quoted = ${s(QUOTED)}, Backslashed = ${s(BACKSLASHED)}, Dollars = ${s(DOLLARS)}, Injection = ${s(INJECTION)} }`,
    `@Entity({ name: 'hostile', comment: ${s(`${QUOTED} ${BACKSLASHED}`)} })`,
    'export class Hostile {',
    "  @PrimaryColumn('int') id!: number;",
    `  @Column({ type: 'varchar', length: 100, default: ${s(INJECTION)}, comment: ${s(`${DOLLARS} ${INJECTION}`)} }) injected!: string;`,
    `  @Column({ type: 'varchar', length: 100, default: ${s(BACKSLASHED)} }) backslashed!: string;`,
    `  @Column({ type: 'varchar', length: 100, default: ${s(DOLLARS)} }) dollars!: string;`,
    `  @Column({ type: 'enum', enum: Mood, default: Mood.Quoted }) mood!: Mood;`,
    '}',
    "@Entity('canary') export class Canary { @PrimaryColumn('int') id!: number; }",
    '',
  ].join('\n');
}

/** Defines the suite for one server. */
export function defineLiteralSuite(target: 'postgres' | 'mariadb'): void {
  const q = (name: string) => (target === 'postgres' ? `"${name}"` : `\`${name}\``);
  let database: ThrowawayDatabase;
  let project: string;

  beforeEach(async () => {
    database = target === 'postgres' ? await createPostgresDatabase('e2e_literals') : await createMysqlDatabase('e2e_literals');
    project = makeProject({ 'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }), 'models/hostile.ts': modelSource() });
  });
  afterEach(async () => {
    await database.drop();
    removeProject(project);
  });
  const cli = (...args: string[]) => runCli([...args, '--project', project, '--url', database.url], { cwd: project });
  const open = (): Promise<DatabaseClient> => (target === 'postgres' ? PgClient.connect(database.url, database.url) : MysqlClient.connect(database.url, database.url));

  it(`${target}: hostile defaults, comments and enum labels are escaped, read back equal, and the canary survives`, async () => {
    const sync = cli('sync');
    expect({ status: sync.status, stderr: sync.stderr }).toEqual({ status: 0, stderr: '' });
    expect(sync.stdout).toContain('verified');
    const apply = cli('apply');
    expect({ status: apply.status, stderr: apply.stderr.split('\n').filter((line) => !line.startsWith('applying')).join('\n') }).toEqual({ status: 0, stderr: '' });
    const client = await open();
    try {
      await client.execute(`INSERT INTO ${q('canary')} (${q('id')}) VALUES (1)`);
      await client.execute(`INSERT INTO ${q('hostile')} (${q('id')}) VALUES (1)`);
      const rows = await client.query<Record<string, string>>(`SELECT ${['injected', 'backslashed', 'dollars', 'mood'].map(q).join(', ')} FROM ${q('hostile')}`);
      expect(rows).toEqual([{ injected: INJECTION, backslashed: BACKSLASHED, dollars: DOLLARS, mood: QUOTED }]);
    } finally {
      await client.close();
    }
    const diff = cli('diff', '--exit-code');
    expect({ status: diff.status, stdout: diff.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('In sync') });
    const check = await open();
    try {
      expect(await check.query(`SELECT ${q('id')} AS id FROM ${q('canary')}`)).toEqual([{ id: 1 }]);
    } finally {
      await check.close();
    }
  });
}
