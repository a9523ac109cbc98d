/**
 * Turns driver errors into Ordo errors, so that no raw `SQLITE_BUSY` (or any other driver code a host could
 * do something about) leaves the store.
 */
import { OrdoError, StoreClosedError, StoreUnavailableError } from '../../kernel/errors.js';
import type { SqliteDatabase } from './sqlite-config.js';

/** The extended result code of a `better-sqlite3` error (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_UNIQUE`, ...). */
export function sqliteErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** True for a `UNIQUE` (or primary key) violation naming `column`. */
export function isUniqueViolation(error: unknown, column: string): boolean {
  const code = sqliteErrorCode(error);
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return false;
  // SQLite names the columns in the message: "UNIQUE constraint failed: ordo_events.event_id".
  return error instanceof Error && error.message.includes(`.${column}`);
}

/** Codes that say the database cannot be used right now; the operation did not commit. */
const UNAVAILABLE_CODES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN'];
const CORRUPT_CODES = ['SQLITE_CORRUPT', 'SQLITE_NOTADB'];

/**
 * Maps an error thrown by the driver to an Ordo error; anything else (an Ordo error, a hook's own error) is
 * returned unchanged.
 */
export function toStoreError(error: unknown, database: SqliteDatabase): unknown {
  if (OrdoError.is(error)) return error;
  const code = sqliteErrorCode(error);
  if (code === undefined) {
    // better-sqlite3 throws a plain TypeError once the connection is closed under the store.
    return database.open ? error : new StoreClosedError();
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreUnavailableError(
      `The SQLite database stayed locked by another connection past the busy timeout (${code}); nothing was written, the operation can be retried`,
      { cause: error },
    );
  }
  if (UNAVAILABLE_CODES.some((prefix) => code.startsWith(prefix))) {
    return new StoreUnavailableError(`The SQLite database cannot be used (${code}): ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (CORRUPT_CODES.some((prefix) => code.startsWith(prefix))) {
    return new StoreUnavailableError(`The SQLite database file is damaged or not a database (${code})`, {
      cause: error,
    });
  }
  return error;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
