/**
 * Reading driver errors: the SQLSTATE and the fields `pg` and PGlite put on a server error, and which errors
 * mean "the database cannot be reached" (mapped to `STORE_UNAVAILABLE`).
 */
import { OrdoError, StoreUnavailableError } from '../../kernel/errors.js';

/** The fields of a PostgreSQL server error that Ordo reads (both drivers set them). */
export interface ServerErrorFields {
  readonly code?: unknown;
  readonly detail?: unknown;
  readonly constraint?: unknown;
  readonly schema?: unknown;
  readonly table?: unknown;
}

/** The error's SQLSTATE, when it is a server error. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as ServerErrorFields).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The server error's fields, or an empty object. */
export function serverFields(error: unknown): ServerErrorFields {
  return typeof error === 'object' && error !== null ? (error as ServerErrorFields) : {};
}

/** SQLSTATEs that mean the server went away or refused the connection, not that the statement was wrong. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '3D000', '28000', '28P01']);

/** Node socket error codes on a lost or refused connection. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** Messages `pg`, `pg-pool` and PGlite use for connections that are gone (they carry no code). */
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /connection error/i,
  /not queryable/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /after calling end on the pool/i,
  /PGlite is closed/i,
  /database is closed/i,
];

/** True when `error` says the connection was lost or could not be made. */
export function isConnectionError(error: unknown): boolean {
  if (OrdoError.is(error)) return false;
  const state = sqlState(error);
  if (state !== undefined) return state.startsWith('08') || UNAVAILABLE_STATES.has(state);
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/** SQLSTATEs of a schema that is not there (yet): no schema, table or function. */
const MISSING_SCHEMA_STATES = new Set(['3F000', '42P01', '42883']);

/**
 * Maps a driver error to what the store throws: a lost connection becomes `STORE_UNAVAILABLE` (the operation did
 * not commit, or for a failed `COMMIT`, its outcome is unknown and a retry with the same event ids is safe), a
 * missing schema becomes `STORE_UNAVAILABLE` naming `migrate()`; anything else is returned unchanged.
 */
export function toStoreError(error: unknown, operation: string, schema: string): unknown {
  if (OrdoError.is(error)) return error;
  if (isConnectionError(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new StoreUnavailableError(`PostgreSQL is unavailable during ${operation}: ${reason}`, { cause: error });
  }
  const state = sqlState(error);
  if (state !== undefined && MISSING_SCHEMA_STATES.has(state)) {
    return new StoreUnavailableError(
      `The event store schema "${schema}" is missing or incomplete during ${operation}: run migrate() (or enable autoMigrate)`,
      { cause: error },
    );
  }
  return error;
}
