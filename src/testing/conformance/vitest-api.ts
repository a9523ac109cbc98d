/**
 * The conformance suite registers vitest tests. vitest is an optional peer dependency and refuses to be
 * `require`d, so it is loaded here, once, without making `ordo/testing` unusable when it is absent.
 */
import type * as Vitest from 'vitest';

let loaded: typeof Vitest | undefined;
let failure: unknown;
try {
  loaded = await import('vitest');
} catch (error) {
  failure = error;
}

/** The vitest API, or a clear error when vitest is not installed. */
export function vitestApi(): typeof Vitest {
  if (!loaded) {
    throw new Error('eventStoreConformance runs under vitest: install vitest (>= 3) as a dev dependency', {
      cause: failure,
    });
  }
  return loaded;
}
