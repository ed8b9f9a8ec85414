/**
 * `sync --fill` through the built CLI on a table with rows: without it, the NOT NULL column is refused with the row
 * count and the flag to pass; with it, the migration verifies on generated rows, applies, and fills the rows; the
 * rollback that drops the column again is guarded. Runs the built CLI (npm run build).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatabaseClient } from '../../src/connect/client';
import { MysqlClient } from '../../src/connect/mysql-client';
import { PgClient } from '../../src/connect/pg-client';
import { makeProject, removeProject, runCli } from '../support/cli';
import { createMysqlDatabase, createPostgresDatabase, type ThrowawayDatabase } from '../support/servers';

const entity = (withPriority: boolean) => `import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('notes')
export class Note {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  title!: string;
${withPriority ? "\n  @Column({ type: 'int' })\n  priority!: number;\n" : ''}}
`;

/** Defines the suite for one server. */
export function defineFillSuite(target: 'postgres' | 'mariadb'): void {
  let database: ThrowawayDatabase;
  let project: string;
  const cli = (...args: string[]) => runCli([...args, '--project', project, '--url', database.url], { cwd: project });
  const query = async (sql: string) => {
    const client: DatabaseClient = target === 'postgres' ? await PgClient.connect(database.url, database.url) : await MysqlClient.connect(database.url, database.url);
    try {
      return await client.query<{ n: unknown }>(sql);
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    database = target === 'postgres' ? await createPostgresDatabase('recov_fill') : await createMysqlDatabase('recov_fill');
    project = makeProject({ 'models/note.ts': entity(false), 'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }) });
  });
  afterAll(async () => {
    await database?.drop();
    removeProject(project);
  });

  it(`${target}: refuses a NOT NULL column over rows with the count, and fills the rows with --fill`, async () => {
    expect(cli('sync', '--name', 'notes').status).toBe(0);
    expect(cli('apply').status).toBe(0);
    await query("INSERT INTO notes (id, title) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    fs.writeFileSync(path.join(project, 'models', 'note.ts'), entity(true));

    const refused = cli('sync', '--name', 'priority');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('adding NOT NULL column notes.priority without a default fails: the table has 3 rows (--fill notes.priority=value fills them');

    const written = cli('sync', '--name', 'priority', '--fill', 'notes.priority=5', '--single-phase', '--json');
    expect(written.status).toBe(0);
    const file = (JSON.parse(written.stdout) as { file: string }).file;
    const text = fs.readFileSync(path.join(project, file), 'utf8');
    expect(text).toContain('DEFAULT 5');
    expect(cli('apply').status).toBe(0);
    expect((await query('SELECT COUNT(*) AS n FROM notes WHERE priority = 5')).map((row) => Number(row.n))).toEqual([3]);
    expect(cli('diff', '--exit-code').status).toBe(0);

    // Rolling it back drops values the rows hold now: guarded.
    const rollback = cli('rollback');
    expect(rollback.status).toBe(1);
    expect(rollback.stderr).toContain('dropping column notes.priority destroys 3 non-null values');
    expect(cli('rollback', '--drop').status).toBe(0);
    expect((await query('SELECT COUNT(*) AS n FROM notes')).map((row) => Number(row.n))).toEqual([3]);
    // Rolled back for good: its file goes too, or the next sync refuses to repeat it.
    fs.rmSync(path.join(project, file));
  });

  it(`${target}: a --fill that matches no added column is refused by name`, () => {
    const run = cli('sync', '--fill', 'notes.nothing=1');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--fill notes.nothing: no NOT NULL column without a default is added to an existing table there');
  });
}
