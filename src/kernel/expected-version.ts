import { ConcurrencyError } from './errors.js';

/**
 * What an append expects of its stream:
 * - a number `n`: the stream is exactly at version `n` (`0` means it does not exist yet);
 * - `'no_stream'`: the stream does not exist;
 * - `'stream_exists'`: the stream has at least one event;
 * - `'any'`: no check.
 */
export type ExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

/** True when a stream at `actual` (`0` = missing) satisfies `expected`. */
export function matchesExpectedVersion(expected: ExpectedVersion, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 0;
    case 'stream_exists':
      return actual > 0;
    default:
      return actual === expected;
  }
}

/** Throws {@link ConcurrencyError} unless a stream at `actual` satisfies `expected`. */
export function assertExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  if (!matchesExpectedVersion(expected, actual)) throw new ConcurrencyError(streamId, expected, actual);
}

/** True when `value` is a well-formed {@link ExpectedVersion}. */
export function isExpectedVersion(value: unknown): value is ExpectedVersion {
  return (
    value === 'any' ||
    value === 'no_stream' ||
    value === 'stream_exists' ||
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
  );
}
