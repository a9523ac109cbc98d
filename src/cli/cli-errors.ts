/**
 * Exit codes and error classification of the `ordo` CLI. Scripts branch on the exit code, so each code means
 * one kind of trouble, whatever command raised it; docs/cli.md lists them.
 */
import { isOrdoError, OrdoError, ValidationError } from '../kernel/errors.js';

/** The exit codes of the `ordo` CLI. Part of its contract: never change what a number means. */
export const EXIT_CODES = {
  /** The command did what it was asked. */
  ok: 0,
  /** The operation ran and failed (a corrupt event, a replay that failed again, a missing stream, ...). */
  failed: 1,
  /** The command line is wrong: unknown command or option, missing or malformed value. Nothing was done. */
  usage: 2,
  /** The store cannot be reached: bad or unsupported URL, server down, no SQLite file at the path, bad credentials. */
  unreachable: 3,
  /** The store is there but not usable yet: its schema is missing or outdated (run `ordo migrate`), or it is locked. */
  notReady: 4,
  /** Interrupted (Ctrl-C): what was committed before stays committed; run the command again to resume. */
  interrupted: 130,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The CLI's own error codes, shown with `--json` next to the Ordo error codes. */
export type CliErrorCode =
  | 'USAGE'
  | 'BAD_STORE_URL'
  | 'STORE_UNREACHABLE'
  | 'SCHEMA_MISSING'
  | 'SCHEMA_NEWER'
  | 'STORE_LOCKED'
  | 'EXPORT_LOCKED'
  | 'NOT_FOUND'
  | 'FAILED';

/** An error the CLI raises itself, with the exit code it ends the process with. */
export class CliError extends Error {
  constructor(
    /** Machine-readable code, printed with `--json`. */
    readonly code: CliErrorCode,
    message: string,
    /** The process's exit code. */
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** A usage error: wrong command line, exit code 2. */
export function usageError(message: string): CliError {
  return new CliError('USAGE', message, EXIT_CODES.usage);
}

/** What the CLI prints for an error, and the exit code. */
export interface ClassifiedError {
  readonly exitCode: ExitCode;
  /** A CLI code (see {@link CliErrorCode}) or the Ordo error's own code. */
  readonly code: string;
  readonly message: string;
  /** Extra fields of an Ordo error (`toJSON()` minus name, code and message), for `--json`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** SQLSTATEs of a PostgreSQL schema that is not there: no schema, no table, no function. */
const PG_MISSING_SCHEMA_STATES = new Set(['3F000', '42P01', '42883']);

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  // Bounded: a cause cycle must not hang the error report.
  while (current !== undefined && current !== null && chain.length < 10) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

/** The `code` a driver or Node put on an error (`SQLITE_BUSY`, `ECONNREFUSED`, a SQLSTATE), if any. */
export function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True when a driver error (anywhere in the cause chain) says the SQLite file is locked by another connection. */
export function isSqliteLocked(error: unknown): boolean {
  return causes(error).some((cause) => /^SQLITE_(BUSY|LOCKED)/.test(codeOf(cause) ?? ''));
}

/** True when a driver error (anywhere in the cause chain) says the store's tables are not there. */
export function isSchemaMissing(error: unknown): boolean {
  return causes(error).some((cause) => {
    const code = codeOf(cause);
    if (code === undefined) return false;
    if (PG_MISSING_SCHEMA_STATES.has(code)) return true;
    return code === 'SQLITE_ERROR' && cause instanceof Error && /no such table/i.test(cause.message);
  });
}

function ordoDetails(error: OrdoError): Record<string, unknown> | undefined {
  const { name: _name, code: _code, message: _message, ...details } = error.toJSON();
  return Object.keys(details).length > 0 ? details : undefined;
}

/**
 * Turns anything a command threw into the exit code and message the CLI reports. The store adapters already
 * map driver errors to `STORE_UNAVAILABLE`; the cause chain tells a locked file and a missing schema (exit 4)
 * from a store that cannot be reached (exit 3).
 */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof CliError) return { exitCode: error.exitCode, code: error.code, message: error.message };
  // parseArgs reports unknown options and missing values as TypeErrors with ERR_PARSE_ARGS_* codes.
  if (error instanceof TypeError && (codeOf(error) ?? '').startsWith('ERR_PARSE_ARGS')) {
    return { exitCode: EXIT_CODES.usage, code: 'USAGE', message: error.message };
  }
  if (isSqliteLocked(error)) {
    return {
      exitCode: EXIT_CODES.notReady,
      code: 'STORE_LOCKED',
      message: `${messageOf(error)} (another process holds the SQLite file's lock; retry later or raise --busy-timeout)`,
    };
  }
  if (isSchemaMissing(error)) {
    return {
      exitCode: EXIT_CODES.notReady,
      code: 'SCHEMA_MISSING',
      message: `The store's schema is missing or incomplete: run \`ordo migrate\` first (${messageOf(error)})`,
    };
  }
  if (isOrdoError(error, 'STORE_UNAVAILABLE')) {
    return { exitCode: EXIT_CODES.unreachable, code: 'STORE_UNREACHABLE', message: error.message };
  }
  if (error instanceof ValidationError && error.issues.some((issue) => issue.code === 'sink_locked')) {
    return { exitCode: EXIT_CODES.notReady, code: 'EXPORT_LOCKED', message: error.message };
  }
  if (OrdoError.is(error)) {
    const details = ordoDetails(error);
    return { exitCode: EXIT_CODES.failed, code: error.code, message: error.message, ...(details ? { details } : {}) };
  }
  return { exitCode: EXIT_CODES.failed, code: 'FAILED', message: messageOf(error) };
}

/** The message of an error, or its string form. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
