import fc from 'fast-check';
import { describe, it } from 'vitest';
import { salesOrderModelProperty } from '../../../src/testing/index.js';

/*
 * The model-based property is shipped in `ordo/testing` (src/testing/properties/), with its independent model, so that
 * hosts can run it under their own settings; this suite runs it as shipped. Each run draws a currency (USD, JPY, KWD,
 * CLF, CHF), a rounding method, a rounded total (off, whole units or a smallest fraction) and allowances.
 */
describe('SalesOrder against an independent model', () => {
  it('agrees with the model on every acceptance, refusal rule, line, total, percentage and status', () => {
    // A fixed seed keeps runs reproducible; on failure fast-check prints the seed, the path and the shrunk commands.
    fc.assert(salesOrderModelProperty(), { numRuns: 150, seed: 42 });
  });
});
