import { quotePostgresIdentifier } from '../dialect/postgres/quote';
import { EVENT_TRIGGERS_SQL, PRISTINE_FINGERPRINT_SQL, RECREATE_PUBLIC_SCHEMA_SQL, USER_EXTENSIONS_SQL, USER_ROLES_SQL, USER_SCHEMAS_SQL } from '../dialect/postgres/pristine';
import type { PgliteClient } from './pglite-client';

/**
 * What the embedded database holds beyond its bootstrap catalog (see PRISTINE_FINGERPRINT_SQL). Taken on a database
 * just opened, it is what `resetEmbedded` must get back to.
 */
export async function pristineFingerprint(client: PgliteClient): Promise<string> {
  const rows = await client.query<{ fingerprint: string }>(PRISTINE_FINGERPRINT_SQL);
  return rows[0]?.fingerprint ?? '';
}

/**
 * Empties an embedded database so it can serve again as a fresh one: ends an open transaction, discards the session's
 * state, drops every user schema (their tables, types, functions and extensions with them), the extensions and event
 * triggers left, and every role made since initdb, then makes `public` again as initdb does. It reports success only
 * when the database's fingerprint is then exactly `pristine`: a caller that gets false must not reuse the database.
 * Reopening PGlite costs seconds (WebAssembly start, and initdb for an in-memory one); this costs a few statements.
 */
export async function resetEmbedded(client: PgliteClient, pristine: string): Promise<boolean> {
  try {
    if (client.pglite.isInTransaction()) await client.execute('ROLLBACK');
    await client.execute('DISCARD ALL');
    // PGlite sets this when it starts (see its waitReady), so a fresh database has it as a session setting.
    await client.execute('SET search_path TO public');
    for (const { name } of await client.query<{ name: string }>(EVENT_TRIGGERS_SQL)) await client.execute(`DROP EVENT TRIGGER ${quotePostgresIdentifier(name)}`);
    for (const { name } of await client.query<{ name: string }>(USER_SCHEMAS_SQL)) await client.execute(`DROP SCHEMA ${quotePostgresIdentifier(name)} CASCADE`);
    for (const { name } of await client.query<{ name: string }>(USER_EXTENSIONS_SQL)) await client.execute(`DROP EXTENSION ${quotePostgresIdentifier(name)} CASCADE`);
    for (const { name } of await client.query<{ name: string }>(USER_ROLES_SQL)) {
      await client.execute(`DROP OWNED BY ${quotePostgresIdentifier(name)} CASCADE`);
      await client.execute(`DROP ROLE ${quotePostgresIdentifier(name)}`);
    }
    for (const statement of RECREATE_PUBLIC_SCHEMA_SQL) await client.execute(statement);
    return (await pristineFingerprint(client)) === pristine;
  } catch {
    return false;
  }
}
