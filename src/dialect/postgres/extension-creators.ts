import type { DatabaseClient } from '../../connect/client';

/**
 * Whether the connected role may run CREATE EXTENSION for each extension: a superuser may create any; since
 * PostgreSQL 13 a role with CREATE on the database may create a trusted one (citext, hstore, ltree, cube are; pgvector
 * is not).
 */
export async function extensionCreators(client: DatabaseClient): Promise<(name: string) => { may: boolean; why: string }> {
  const [role] = await client.query<{ superuser: boolean; can_create: boolean }>(
    `SELECT r.rolsuper AS superuser, has_database_privilege(current_database(), 'CREATE') AS can_create FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const trustedRows = await client.query<{ name: string; trusted: boolean }>(
    `SELECT v.name, v.trusted FROM pg_available_extension_versions v JOIN pg_available_extensions e ON e.name = v.name AND e.default_version = v.version`,
  ).catch(() => [] as { name: string; trusted: boolean }[]);
  const trusted = new Set(trustedRows.filter((row) => row.trusted === true).map((row) => row.name));
  return (name) => {
    if (role?.superuser === true) return { may: true, why: 'superuser' };
    if (trusted.has(name) && role?.can_create === true) return { may: true, why: 'a trusted extension, and the role has CREATE on the database' };
    if (trusted.has(name)) return { may: false, why: 'trusted, but the role lacks CREATE on the database' };
    return { may: false, why: 'not a trusted extension, and the role is not a superuser' };
  };
}
