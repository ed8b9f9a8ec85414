import { SchemaSyncError } from '../util/errors';

/** The server families a URL can name; `mysql://` may turn out to be MariaDB once connected. */
export type UrlScheme = 'postgres' | 'mysql';

/** A parsed database URL. */
export interface DatabaseUrl {
  readonly scheme: UrlScheme;
  readonly url: URL;
  /** The URL safe to print: the password replaced by `***`. */
  readonly masked: string;
  /** The database named in the path, or null. */
  readonly database: string | null;
}

const SCHEMES: Record<string, UrlScheme> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/** Replaces the password of a URL-like string with `***`, even when the string does not parse as a URL. */
export function maskUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    // Drivers also take the password as a query parameter (`?user=app&password=…`, libpq's `sslpassword`).
    for (const key of [...url.searchParams.keys()]) if (SECRET_PARAM.test(key)) url.searchParams.set(key, '***');
    return url.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return text.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/, '$1***@').replace(/([?&][^=&\s]*(?:password|passwd|pwd)[^=&\s]*=)[^&\s]*/gi, '$1***');
  }
}

/** Query parameter names that carry a secret. */
const SECRET_PARAM = /pass(?:word|wd)?|pwd|secret|token/i;

/** Parses a database URL, naming the unsupported scheme or the malformed URL (password masked) when it fails. */
export function parseDatabaseUrl(text: string): DatabaseUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SchemaSyncError('BAD_URL', `Not a database URL: ${maskUrl(text)} (expected postgres://, postgresql://, mysql:// or mariadb://)`);
  }
  const scheme = SCHEMES[url.protocol];
  if (scheme === undefined) {
    throw new SchemaSyncError(
      'BAD_URL',
      `Unsupported database URL scheme "${url.protocol.replace(/:$/, '')}" in ${maskUrl(text)}: use postgres://, postgresql://, mysql:// or mariadb://`,
    );
  }
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return { scheme, url, masked: maskUrl(text), database: path === '' ? null : path };
}

/** The same URL pointing at another database on the same server (for throwaway and shadow databases). */
export function withDatabase(text: string, database: string): string {
  const url = new URL(text);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
