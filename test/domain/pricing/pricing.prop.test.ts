import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Money } from '../../../src/domain/money/index.js';
import { priceLine, promotionalSchemeRules } from '../../../src/domain/pricing/index.js';
import { DomainRuleError } from '../../../src/kernel/errors.js';
import { pricingScenarioArb, promotionalSchemeArb } from '../../../src/testing/arbitraries/pricing-arbitraries.js';

describe('pricing properties', () => {
  it('never prices below zero, and never above the price-list rate unless a margin applies', () => {
    fc.assert(
      fc.property(pricingScenarioArb(), ({ request, catalog }) => {
        const result = priceLine(request, catalog);
        expect(result.rate.isNegative()).toBe(false);
        if (!result.marginApplied) expect(result.rate.lessThanOrEqual(result.priceListRate)).toBe(true);
        expect(result.rate.lessThanOrEqual(result.rateWithMargin.round('up'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('without a rate rule or a margin, never above the rate looked up from the price list or standard rate', () => {
    fc.assert(
      fc.property(pricingScenarioArb(), ({ request, catalog }) => {
        const result = priceLine(request, catalog);
        fc.pre(result.rateSource !== 'pricing_rule' && !result.marginApplied);
        const listed = priceLine(request, { ...catalog, pricingRules: [] });
        expect(result.rate.lessThanOrEqual(listed.rate)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("never gives more discount than the item's max discount allows", () => {
    fc.assert(
      fc.property(pricingScenarioArb(), ({ request, catalog, item }) => {
        fc.pre(item.maxDiscount !== null);
        const result = priceLine(request, catalog);
        const floor = result.rateWithMargin.subtract(result.rateWithMargin.percentage(item.maxDiscount ?? '0'));
        expect(result.rate.greaterThanOrEqual(floor)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('amount is rate × quantity rounded to the currency, and every applied rule is explained', () => {
    fc.assert(
      fc.property(pricingScenarioArb(), ({ request, catalog }) => {
        const result = priceLine(request, catalog);
        expect(result.amount.equals(result.rate.multiply(result.qty).round())).toBe(true);
        const levelStep = result.explanation.find((step) => step.kind === 'rule_level');
        for (const id of result.appliedRules) expect(levelStep?.message).toContain(`"${id}"`);
        expect(result.appliedRules.length > 0).toBe(levelStep !== undefined);
      }),
      { numRuns: 200 },
    );
  });

  it('either prices the line or names a conflict between rules of equal priority that do not all stack', () => {
    fc.assert(
      fc.property(pricingScenarioArb({ conflictFree: false }), ({ request, catalog }) => {
        try {
          priceLine(request, catalog);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainRuleError);
          const { rule, data } = error as DomainRuleError;
          expect(rule).toBe('PRICING_RULE_CONFLICT');
          const named = catalog.pricingRules.filter((candidate) => (data.rules as string[]).includes(candidate.id));
          expect(named.length).toBeGreaterThan(1);
          expect(new Set(named.map((candidate) => candidate.priority)).size).toBe(1);
          expect(named.every((candidate) => candidate.applyMultiple)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('promotional scheme slabs never overlap, so at most one slab of a scheme applies to a quantity', () => {
    fc.assert(
      fc.property(promotionalSchemeArb(), fc.integer({ min: 0, max: 700 }), (scheme, qty) => {
        const rules = promotionalSchemeRules(scheme);
        const matching = rules.filter(
          (rule) =>
            (rule.minQty === null || Number(rule.minQty) <= qty) &&
            (rule.maxQty === null || qty <= Number(rule.maxQty)),
        );
        expect(matching.length).toBeLessThanOrEqual(1);
        expect(rules).toHaveLength(scheme.slabs.length);
      }),
      { numRuns: 200 },
    );
  });

  it('prices are in the request currency', () => {
    fc.assert(
      fc.property(pricingScenarioArb(), ({ request, catalog }) => {
        const result = priceLine(request, catalog);
        expect(Money.isMoney(result.rate) && result.rate.currency).toBe(request.currency);
      }),
      { numRuns: 50 },
    );
  });
});
