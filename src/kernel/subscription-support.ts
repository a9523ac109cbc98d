/**
 * What subscriptions, projection runners and the event bus share: reading one bounded batch from `readAll`,
 * option checks, and telling a passing store outage from a permanent failure. Internal.
 * @internal
 */
import { isOrdoError, ValidationError } from './errors.js';
import type { StoredEvent } from './event.js';
import type { EventStore } from './event-store.js';

/** One batch read from `readAll`, and how far it covers the log. @internal */
export interface ReadBatch {
  readonly events: readonly StoredEvent[];
  /**
   * Every position up to here has been looked at: the last event's position when the batch is full (more may
   * follow), else the head the read was bounded by (positions without a wanted event count as covered).
   */
  readonly through: number;
}

/**
 * Reads at most `batchSize` events after `position` and up to `head`. Stops the iterator as soon as the
 * batch is full, so a follower never holds more than one batch in memory (its back-pressure).
 * @internal
 */
export async function readBatch(
  store: EventStore,
  position: number,
  head: number,
  types: readonly string[] | undefined,
  batchSize: number,
): Promise<ReadBatch> {
  const events: StoredEvent[] = [];
  if (head <= position) return { events, through: position };
  for await (const event of store.readAll({
    fromPosition: position + 1,
    toPosition: head,
    batchSize,
    ...(types ? { types } : {}),
  })) {
    events.push(event);
    if (events.length >= batchSize) break;
  }
  const last = events[events.length - 1];
  return { events, through: events.length >= batchSize && last ? last.globalPosition : head };
}

/** Throws `VALIDATION_FAILED` unless `value` is an integer in `[min, max]`. @internal */
export function assertIntegerOption(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new ValidationError([
      {
        path: [path],
        message:
          max === Number.MAX_SAFE_INTEGER
            ? `must be an integer of at least ${min}`
            : `must be an integer from ${min} to ${max}`,
        code: 'invalid_value',
      },
    ]);
  }
}

/** Throws `VALIDATION_FAILED` unless `types` is absent or a non-empty array of non-empty strings. @internal */
export function assertTypesOption(types: unknown, path = 'types'): void {
  if (types === undefined) return;
  if (!Array.isArray(types) || types.length === 0 || types.some((type) => typeof type !== 'string' || type === '')) {
    throw new ValidationError([
      { path: [path], message: 'must be a non-empty array of event types', code: 'invalid_value' },
    ]);
  }
}

/**
 * True for errors worth retrying after a pause: the store could not be reached. Anything else (a corrupt
 * event, a closed store) would fail the same way again, so followers stop on it instead of spinning.
 * @internal
 */
export function isTransientStoreError(error: unknown): boolean {
  return isOrdoError(error, 'STORE_UNAVAILABLE');
}

/** A JSON-safe summary of a thrown value, for dead letters and status reports. */
export interface ErrorSummary {
  readonly name: string;
  readonly message: string;
  /** The `code` of an Ordo error (or of any error that has a string `code`). */
  readonly code?: string;
}

/** @internal */
export function summarizeError(error: unknown): ErrorSummary {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'NonError', message: String(error) };
}

/** A promise with its settle functions, for waiters. @internal */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** @internal */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
