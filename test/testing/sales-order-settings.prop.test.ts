import fc from 'fast-check';
import { SalesOrder } from 'ordo';
import { salesOrderFoldProperty, salesOrderModelProperty } from 'ordo/testing';
import { describe, it } from 'vitest';

// Our settings, resolved so that every one is spelt out (the properties draw a setting that is left out).
const settings = SalesOrder.resolveSettings({
  roundingMethod: 'commercial',
  roundedTotal: true,
  smallestCurrencyFraction: { CHF: '0.05' },
  overDeliveryAllowance: '10',
});
const options = { ...settings, currencies: ['CHF', 'EUR'] };

describe('sales orders under our settings', () => {
  it('agree with the independent model, command by command', () => {
    fc.assert(salesOrderModelProperty(options), { numRuns: 50, seed: 42 });
  });

  it('fold to the same state at once, one by one and from any snapshot', () => {
    fc.assert(salesOrderFoldProperty(options), { numRuns: 30, seed: 42 });
  });
});
