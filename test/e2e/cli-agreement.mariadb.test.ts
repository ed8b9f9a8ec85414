/** The CLI's run-time loader agrees with TypeORM's synchronize() on MariaDB (see the PostgreSQL twin). */
import { createConnection } from 'mysql2/promise';
import { runCli } from '../support/cli';
import { createMysqlDatabase, type ThrowawayDatabase } from '../support/servers';
import { loadModels, selectDialect, synchronizeThenLog } from '../integration/typeorm-sync-fixtures.shared';

selectDialect('mariadb');
const models = loadModels();

describe('CLI against a MariaDB database built by TypeORM', () => {
  let database: ThrowawayDatabase;
  beforeAll(async () => {
    database = await createMysqlDatabase('e2e_agree');
  });
  afterAll(async () => database?.drop());

  it('reports models/ in sync with exit code 0, and exit 2 once the database drifts', async () => {
    const result = await synchronizeThenLog('mariadb', database.url, models);
    expect(result.pending).toEqual([]);
    const run = runCli(['sync', '--diff', '--exit-code', '--url', database.url]);
    expect(run.stdout).toContain('In sync: the database matches the models.');
    expect(run.status).toBe(0);

    const connection = await createConnection({ uri: database.url });
    await connection.query('ALTER TABLE documents MODIFY title varchar(100) NOT NULL');
    await connection.end();
    const drifted = runCli(['diff', '--exit-code', '--url', database.url]);
    expect(drifted.status).toBe(2);
    expect(drifted.stdout).toContain('alter column title: type varchar(100) -> varchar(255)');
  });
});
