/**
 * A role with CREATEDB but not superuser, on a database that has pgvector (installed by a superuser): its shadow
 * cannot run CREATE EXTENSION vector. Verification then uses a template database that has the extension when one
 * exists, and the embedded PGlite (which bundles pgvector) otherwise, saying which; doctor says the same. The role
 * and the template are made here and dropped after. PGlite's loader needs NODE_OPTIONS=--experimental-vm-modules.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PgClient } from '../../src/connect/pg-client';
import { sqlDialectFor } from '../../src/dialect/sql-dialects';
import { shadowCheck } from '../../src/doctor/doctor';
import { introspect } from '../../src/introspect/introspect';
import { normalizeSchema } from '../../src/model/normalize';
import { planMigration } from '../../src/plan/plan';
import { renderPlan } from '../../src/plan/render-plan';
import { verifyRoundTrip } from '../../src/verify/round-trip';
import { openShadow } from '../../src/verify/shadow';
import { col, int, schema, table, vector } from '../support/schema-builders';
import { createPostgresDatabase, PG_URL, type ThrowawayDatabase } from '../support/servers';

const suffix = randomBytes(4).toString('hex');
const role = `oss_recov_role_${suffix}`;
const template = `oss_recov_tpl_${suffix}`;

async function asAdmin(sql: string, database?: string): Promise<void> {
  const client = new Client({ connectionString: database === undefined ? PG_URL : new URL(`/${database}`, PG_URL).toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('shadow database for a role that may not create pgvector', () => {
  let live: ThrowawayDatabase;
  let url: string;
  let client: PgClient;

  beforeAll(async () => {
    live = await createPostgresDatabase('recov_shadow_ext');
    await asAdmin(`CREATE ROLE "${role}" LOGIN CREATEDB`);
    await asAdmin('CREATE EXTENSION vector', live.name);
    await asAdmin(`ALTER DATABASE "${live.name}" OWNER TO "${role}"`);
    const asRole = new URL(live.url);
    asRole.username = role;
    url = asRole.toString();
    client = await PgClient.connect(url, url);
  });
  afterAll(async () => {
    await client?.close();
    await asAdmin(`ALTER DATABASE "${template}" IS_TEMPLATE false`).catch(() => undefined);
    await asAdmin(`DROP DATABASE IF EXISTS "${template}"`);
    await live?.drop();
    await asAdmin(`DROP ROLE IF EXISTS "${role}"`);
  });

  /** Verifies a migration that adds a table with a vector column, in the shadow openShadow gives. */
  const verifyVectorTable = async () => {
    const sql = sqlDialectFor('postgres');
    const before = normalizeSchema(await introspect(client, {}));
    const after = normalizeSchema(schema('postgres', [table('passages', [col('id', int()), col('embedding', vector(3))], { pk: ['id'] })]));
    const rendered = renderPlan(planMigration(before, after, { allowDrop: false, renames: [] }), before, sql);
    const shadow = await openShadow(client, url, undefined);
    try {
      await verifyRoundTrip({ shadow: shadow.client, shadowDescription: shadow.description, sql, before, after: rendered.after, migrate: rendered.migrate, rollback: rendered.rollback, tablesWithRows: new Set() });
      return { description: shadow.description, notes: shadow.notes };
    } finally {
      await shadow.close();
    }
  };

  it('without a template: verifies in PGlite, says why, and doctor warns with the fix', async () => {
    const outcome = await verifyVectorTable();
    expect(outcome.description).toMatch(/PGlite/);
    expect(outcome.notes).toEqual([expect.stringMatching(/^The role may not create extension vector \(untrusted; a superuser must\) in a shadow database on .*, and no template database has it .*; verified in embedded PGlite instead/)]);
    const check = await shadowCheck(client, url);
    expect(check).toMatchObject({ name: 'verification shadow', status: 'warn' });
    expect(check.detail).toContain('the role may not create extension vector (untrusted; only a superuser may) in a shadow database, and no template database has it');
    expect(check.fix).toContain('CREATE EXTENSION "vector"');
  });

  it('with a template database that has pgvector: a shadow on the server, made from it', async () => {
    await asAdmin(`CREATE DATABASE "${template}" TEMPLATE template0`);
    await asAdmin('CREATE EXTENSION vector', template);
    await asAdmin(`ALTER DATABASE "${template}" IS_TEMPLATE true`);
    const outcome = await verifyVectorTable();
    expect(outcome.description).toMatch(/schema_sync_shadow_/);
    expect(outcome.notes).toContain(`shadow database made from template ${template}, which has extension vector that this role may not create`);
    expect(await shadowCheck(client, url)).toMatchObject({ status: 'ok', detail: expect.stringContaining(`made from template ${template}`) });
  });
});
