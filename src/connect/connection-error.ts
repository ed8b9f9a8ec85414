import { SchemaSyncError, messageOf } from '../util/errors';

/** Removes every occurrence of the URL's password from a driver message, whatever the driver chose to echo. */
function scrub(message: string, url: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return message;
  }
  return password.length > 0 ? message.split(password).join('***') : message;
}

/** One clear line for a failed connection: what was tried (masked) and the driver's reason (scrubbed). */
export function connectionError(error: unknown, masked: string, url: string): SchemaSyncError {
  const code = (error as { code?: unknown }).code;
  let reason = messageOf(error);
  if (code === 'ECONNREFUSED') reason = 'connection refused (is the server running?)';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') reason = 'host not found';
  else if (reason === '' && error instanceof AggregateError) reason = error.errors.map(messageOf).join('; ');
  return new SchemaSyncError('CONNECTION_FAILED', `Cannot connect to ${masked}: ${scrub(reason, url)}`, { cause: error });
}
