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
  | 'HISTORY_MISMATCH';

/** The tool's own error: a code, and a one-line message fit to print without a stack trace. */
export class SchemaSyncError extends Error {
  readonly code: SchemaSyncErrorCode;

  constructor(code: SchemaSyncErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchemaSyncError';
    this.code = code;
  }
}

/** The message of anything thrown, for wrapping into a SchemaSyncError. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
