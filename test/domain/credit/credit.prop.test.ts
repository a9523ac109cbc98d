import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applicableCreditLimit } from '../../../src/domain/credit/credit-check.js';
import { type CreditCheckInput, checkCreditLimit } from '../../../src/domain/credit/index.js';
import { Money } from '../../../src/domain/money/index.js';
import { creditLimitInputArb } from '../../../src/testing/arbitraries/customer-arbitraries.js';
import { moneyArb } from '../../../src/testing/arbitraries/money-arbitraries.js';

const amount = (max = '100000') => moneyArb({ currency: 'USD', min: '0', max, maxFractionDigits: 2 });

const inputArb: fc.Arbitrary<Omit<CreditCheckInput, 'amount'>> = fc.record({
  customerId: fc.constant('CUST-1'),
  company: fc.constantFrom('ACME', 'GLOBEX'),
  customerLimits: fc.uniqueArray(creditLimitInputArb(), { selector: (entry) => entry.company, maxLength: 2 }),
  groupLimits: fc.uniqueArray(creditLimitInputArb(), { selector: (entry) => entry.company, maxLength: 2 }),
  companyLimit: fc.option(amount()),
  outstanding: amount(),
  unbilledOrders: fc.array(
    amount().map((unbilledAmount) => ({ orderId: 'SO', unbilledAmount })),
    { maxLength: 4 },
  ),
  forSalesOrder: fc.boolean(),
});

describe('credit decision properties', () => {
  it('is monotone in the amount: if an amount is refused, every larger amount is refused', () => {
    fc.assert(
      fc.property(inputArb, amount(), amount(), (input, a, extra) => {
        fc.pre(extra.isPositive());
        const larger = a.add(extra);
        if (!checkCreditLimit({ ...input, amount: a }).allowed) {
          expect(checkCreditLimit({ ...input, amount: larger }).allowed).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses exactly when a limit applies, no bypass does, and exposure exceeds it', () => {
    fc.assert(
      fc.property(inputArb, amount(), (input, a) => {
        const decision = checkCreditLimit({ ...input, amount: a });
        expect(decision.exposure.equals(decision.outstanding.add(decision.unbilled).add(a))).toBe(true);
        const refused =
          decision.limit !== null && decision.outcome !== 'bypassed' && decision.exposure.greaterThan(decision.limit);
        expect(decision.allowed).toBe(!refused);
        expect(decision.violation === null).toBe(!refused);
        expect(decision.limit === null || !decision.limit.isZero()).toBe(true);
        if (decision.limit !== null)
          expect(decision.headroom?.equals(decision.limit.subtract(decision.exposure))).toBe(true);
        expect(Money.isMoney(decision.amount)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('checks an invoice or delivery of a bypassing customer on outstanding + amount alone, monotone in the amount', () => {
    fc.assert(
      fc.property(inputArb, amount(), amount(), (input, a, extra) => {
        const check = { ...input, forSalesOrder: false };
        const decision = checkCreditLimit({ ...check, amount: a });
        const applicable = applicableCreditLimit(check);
        if (applicable?.bypassAtSalesOrder) {
          expect(decision.unbilledCounted).toBe(false);
          expect(decision.unbilled.isZero()).toBe(true);
          expect(decision.allowed).toBe(!decision.outstanding.add(a).greaterThan(applicable.limit));
        }
        expect(decision.outcome).not.toBe('bypassed');
        if (!decision.allowed) expect(checkCreditLimit({ ...check, amount: a.add(extra) }).allowed).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('applies the limit and source that applicableCreditLimit resolves, and no check when it resolves none', () => {
    fc.assert(
      fc.property(inputArb, amount(), (input, a) => {
        const decision = checkCreditLimit({ ...input, amount: a });
        const applicable = applicableCreditLimit(input);
        expect(decision.limitSource).toBe(applicable?.source ?? null);
        expect(decision.limit === null ? null : decision.limit.toJSON()).toEqual(applicable?.limit.toJSON() ?? null);
        expect(decision.outcome === 'no_limit').toBe(applicable === null);
        expect(decision.outcome === 'bypassed').toBe(applicable?.bypassAtSalesOrder === true && input.forSalesOrder);
      }),
      { numRuns: 300 },
    );
  });
});
