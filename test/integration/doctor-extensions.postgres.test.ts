/**
 * doctor's answer to "may this role create the extension the models need?", asked as a role that is not a superuser:
 * trusted extensions (citext) need CREATE on the database, untrusted ones (pgvector) a superuser.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PgClient } from '../../src/connect/pg-client';
import { extensionCreators } from '../../src/doctor/doctor';
import { createPostgresDatabase, PG_URL, type ThrowawayDatabase } from '../support/servers';

describe('doctor: whether the role may create an extension', () => {
  let database: ThrowawayDatabase;
  const role = `oss_ext_role_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const askAsRole = async () => {
    const url = new URL(database.url);
    url.username = role;
    const client = await PgClient.connect(url.toString(), url.toString());
    try {
      const mayCreate = await extensionCreators(client);
      return { citext: mayCreate('citext'), vector: mayCreate('vector') };
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    database = await createPostgresDatabase('doctor_extensions');
    await admin(`CREATE ROLE "${role}" LOGIN`);
  });
  afterAll(async () => {
    await database?.drop();
    // The role outlives the database: drop it through the server's maintenance database.
    const client = new Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(`DROP ROLE IF EXISTS "${role}"`);
    } finally {
      await client.end();
    }
  });

  it('a trusted extension with CREATE on the database: yes; pgvector: no', async () => {
    await admin(`GRANT CREATE ON DATABASE "${database.name}" TO "${role}"`);
    const answer = await askAsRole();
    expect(answer.citext).toEqual({ may: true, why: 'a trusted extension, and the role has CREATE on the database' });
    expect(answer.vector).toEqual({ may: false, why: 'not a trusted extension, and the role is not a superuser' });
  });

  it('without CREATE on the database: not even a trusted one', async () => {
    await admin(`REVOKE CREATE ON DATABASE "${database.name}" FROM "${role}"`);
    await admin(`REVOKE CREATE ON DATABASE "${database.name}" FROM PUBLIC`);
    expect((await askAsRole()).citext).toEqual({ may: false, why: 'trusted, but the role lacks CREATE on the database' });
  });
});
