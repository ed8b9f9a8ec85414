/** Error codes a user can script against; every message names the file, entity, column, flag or URL at fault. */
export type SchemaSyncErrorCode =
  | 'BAD_URL'
  | 'CONNECTION_FAILED'
  | 'MODEL_LOAD_FAILED'
  | 'MODEL_INVALID'
  | 'NO_MODELS'
  | 'INTROSPECTION_FAILED'
  | 'UNSUPPORTED'
  | 'BAD_ARGUMENT'
  | 'UNSAFE_CHANGE'
  | 'VERIFY_FAILED'
  | 'LOCK_TIMEOUT'
  | 'MIGRATION_FAILED'
  | 'HISTORY_MISMATCH'
  | 'UNAPPLIED_MIGRATIONS';

/** Facts about an error that a script reads from `--json` output: the file, line, chain or hint behind the message. */
export type ErrorDetails = Readonly<Record<string, string | number | readonly string[]>>;

/** The tool's own error: a code, and a message fit to print without a stack trace. */
export class SchemaSyncError extends Error {
  readonly code: SchemaSyncErrorCode;
  readonly details: ErrorDetails;

  constructor(code: SchemaSyncErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(message, options);
    this.name = 'SchemaSyncError';
    this.code = code;
    this.details = options?.details ?? {};
  }
}

/** The message of anything thrown, for wrapping into a SchemaSyncError. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
