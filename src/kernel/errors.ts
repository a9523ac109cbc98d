/**
 * Every error Ordo throws on purpose is an {@link OrdoError} with a stable string `code`.
 * Codes are part of the public contract: hosts switch on them, so they never change meaning.
 */

/** The error codes raised by the kernel and the stores. Domain layers add their own (see {@link OrdoErrorCode}). */
export type KernelErrorCode =
  | 'CONCURRENCY_CONFLICT'
  | 'VALIDATION_FAILED'
  | 'DOMAIN_RULE_VIOLATED'
  | 'STREAM_NOT_FOUND'
  | 'UNKNOWN_EVENT_TYPE'
  | 'CORRUPT_EVENT'
  | 'DUPLICATE_EVENT_ID'
  | 'STORE_UNAVAILABLE'
  | 'STORE_CLOSED';

/**
 * Every code an {@link OrdoError} can carry. `CURRENCY_MISMATCH` belongs to the Money value object; it is
 * listed here so that a single union documents every code a host may see.
 */
export type OrdoErrorCode = KernelErrorCode | 'CURRENCY_MISMATCH';

const ORDO_ERROR_BRAND = Symbol.for('ordo.error');

/** One problem found while validating input: where it is (`path`) and what is wrong. */
export interface ValidationIssue {
  /** Path from the root of the validated value, e.g. `['lines', 0, 'qty']`. Empty for the root itself. */
  readonly path: readonly (string | number)[];
  /** Human-readable explanation. */
  readonly message: string;
  /** Machine-readable issue code (zod's issue code when the issue came from zod). */
  readonly code: string;
}

/**
 * Base class of every error Ordo throws on purpose.
 *
 * @remarks
 * `instanceof` and {@link OrdoError.is} both work across bundle boundaries (an ESM and a CJS copy of Ordo in
 * one process): they check a `Symbol.for` brand and the class name, not only the prototype chain.
 */
export abstract class OrdoError extends Error {
  /** Stable machine-readable code; switch on this, never on `message`. */
  abstract readonly code: OrdoErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    Object.defineProperty(this, ORDO_ERROR_BRAND, { value: true, enumerable: false });
  }

  static {
    // In the class body rather than beside it, so no bundler can shake it off as a separate side effect.
    Object.defineProperty(OrdoError, Symbol.hasInstance, { value: ordoErrorHasInstance });
  }

  /** True for any Ordo error, even one thrown by another copy of the package. */
  static is(value: unknown): value is OrdoError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ORDO_ERROR_BRAND] === true;
  }

  /** A plain JSON form: `{ name, code, message, ...details }`. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, ...this.details() };
  }

  /** Extra fields for {@link OrdoError.toJSON}; subclasses override. */
  protected details(): Record<string, unknown> {
    return {};
  }
}

/**
 * Makes `instanceof` work across copies of the package too: an error from the other copy is an instance of this
 * copy's class of the same name (and of `OrdoError`). A third-party adapter built against the CJS build throws
 * errors the ESM command handler must still recognise, or it would not retry a conflict. A plain function on the
 * base class, inherited by every subclass, where `this` is the class on the right of `instanceof`.
 */
function ordoErrorHasInstance(this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
  if (!OrdoError.is(value)) return false;
  if (this.name === 'OrdoError') return true;
  for (let proto: unknown = Object.getPrototypeOf(value); proto; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: unknown } }).constructor?.name === this.name) return true;
  }
  return false;
}

/** True when `value` is an {@link OrdoError} with the given code (works across bundle copies). */
export function isOrdoError<C extends OrdoErrorCode>(value: unknown, code?: C): value is OrdoError & { code: C } {
  return OrdoError.is(value) && (code === undefined || value.code === code);
}

/** What a stream's version was when an expected-version check failed: a number, or `0` for no stream. */
export type ActualVersion = number;

/**
 * An append's expected version did not match the stream. Nothing was written.
 * The command handler catches it, reloads and retries.
 */
export class ConcurrencyError extends OrdoError {
  readonly code = 'CONCURRENCY_CONFLICT' as const;
  constructor(
    /** The stream whose version did not match. */
    readonly streamId: string,
    /** What the caller expected. */
    readonly expected: number | 'no_stream' | 'stream_exists' | 'any',
    /** The stream's version at the time of the check (`0` when the stream did not exist). */
    readonly actual: ActualVersion,
  ) {
    super(`Stream "${streamId}" is at version ${actual}, but version ${String(expected)} was expected`);
  }
  protected override details(): Record<string, unknown> {
    return { streamId: this.streamId, expected: this.expected, actual: this.actual };
  }
}

/** Input from outside (a command, config, an event payload on write) failed its schema. Nothing was written. */
export class ValidationError extends OrdoError {
  readonly code = 'VALIDATION_FAILED' as const;
  constructor(
    /** Every problem found, each with its path. */
    readonly issues: readonly ValidationIssue[],
    message?: string,
  ) {
    super(message ?? `Validation failed: ${formatIssues(issues)}`);
  }
  protected override details(): Record<string, unknown> {
    return { issues: this.issues };
  }
}

/**
 * A business rule refused a command. `rule` is the rule's own code (`CREDIT_LIMIT_EXCEEDED`,
 * `ORDER_NOT_DRAFT`, ...); `details` carries the figures that explain the refusal.
 */
export class DomainRuleError<R extends string = string> extends OrdoError {
  readonly code = 'DOMAIN_RULE_VIOLATED' as const;
  constructor(
    /** The rule's own stable code. */
    readonly rule: R,
    message: string,
    /** Data that explains the refusal (amounts, limits, ids). JSON-safe. */
    readonly data: Readonly<Record<string, unknown>> = {},
    /** Where in the command the problem is, when it is about one field. */
    readonly path?: readonly (string | number)[],
  ) {
    super(message);
  }
  protected override details(): Record<string, unknown> {
    return { rule: this.rule, data: this.data, ...(this.path ? { path: this.path } : {}) };
  }
}

/** A stream that must exist does not. */
export class StreamNotFoundError extends OrdoError {
  readonly code = 'STREAM_NOT_FOUND' as const;
  constructor(readonly streamId: string) {
    super(`Stream "${streamId}" does not exist`);
  }
  protected override details(): Record<string, unknown> {
    return { streamId: this.streamId };
  }
}

/** A stored or appended event has a type the registry does not know. */
export class UnknownEventTypeError extends OrdoError {
  readonly code = 'UNKNOWN_EVENT_TYPE' as const;
  constructor(
    readonly type: string,
    readonly streamId: string,
    /** The event's version in its stream, when it was read from the store. */
    readonly streamVersion?: number,
  ) {
    super(
      `Unknown event type "${type}" in stream "${streamId}"${streamVersion === undefined ? '' : ` at version ${streamVersion}`}`,
    );
  }
  protected override details(): Record<string, unknown> {
    return { type: this.type, streamId: this.streamId, streamVersion: this.streamVersion };
  }
}

/** A stored event cannot be turned back into a valid event: bad JSON, a failing schema, or a missing upcaster. */
export class CorruptEventError extends OrdoError {
  readonly code = 'CORRUPT_EVENT' as const;
  constructor(
    readonly streamId: string,
    readonly streamVersion: number,
    readonly type: string,
    readonly reason: string,
    readonly issues: readonly ValidationIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(`Corrupt event "${type}" in stream "${streamId}" at version ${streamVersion}: ${reason}`, options);
  }
  protected override details(): Record<string, unknown> {
    return {
      streamId: this.streamId,
      streamVersion: this.streamVersion,
      type: this.type,
      reason: this.reason,
      issues: this.issues,
    };
  }
}

/** An event id is already stored somewhere other than the place this append would put it. Nothing was written. */
export class DuplicateEventIdError extends OrdoError {
  readonly code = 'DUPLICATE_EVENT_ID' as const;
  constructor(
    readonly eventId: string,
    readonly streamId: string,
  ) {
    super(`Event id ${eventId} is already stored elsewhere (append to "${streamId}")`);
  }
  protected override details(): Record<string, unknown> {
    return { eventId: this.eventId, streamId: this.streamId };
  }
}

/** The store could not be reached or lost its connection mid-operation. The operation did not commit. */
export class StoreUnavailableError extends OrdoError {
  readonly code = 'STORE_UNAVAILABLE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The store was closed and cannot be used any more. */
export class StoreClosedError extends OrdoError {
  readonly code = 'STORE_CLOSED' as const;
  constructor() {
    super('The event store is closed');
  }
}

function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
