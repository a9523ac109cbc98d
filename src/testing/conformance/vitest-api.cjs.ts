/**
 * The CommonJS build's stand-in for `vitest-api.ts`: vitest cannot be `require`d, so the conformance suite is
 * only available from ES modules. Everything else in `ordo/testing` works from CommonJS.
 */
import type * as Vitest from 'vitest';

/** Always throws: the conformance suite needs `import`, not `require`. */
export function vitestApi(): typeof Vitest {
  throw new Error('eventStoreConformance needs vitest, which is ESM-only: import "ordo/testing" from an ES module');
}
