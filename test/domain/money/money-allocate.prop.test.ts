import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Money } from '../../../src/domain/money/index.js';
import { decimalStringArb, moneyArb } from '../../../src/testing/arbitraries/money-arbitraries.js';

const RUNS = { numRuns: 300 };

// Non-negative ratios, at least one of them positive: integers and decimals.
const ratiosArb = fc
  .array(
    fc.oneof(fc.integer({ min: 0, max: 1000 }), decimalStringArb({ min: '0', max: '100', maxFractionDigits: 4 })),
    { minLength: 1, maxLength: 8 },
  )
  .filter((ratios) => ratios.some((ratio) => Number(ratio) > 0));

const smallestUnit = (money: Money) => {
  const decimals = money.amount.split('.')[1]?.length ?? 0;
  return decimals === 0 ? Money.of(1, money.currency) : Money.of(`0.${'0'.repeat(decimals - 1)}1`, money.currency);
};

describe('Money allocation laws', () => {
  it('parts always sum exactly to the original', () => {
    fc.assert(
      fc.property(moneyArb(), ratiosArb, (x, ratios) => {
        const parts = x.allocate(ratios);
        expect(parts).toHaveLength(ratios.length);
        expect(Money.sum(parts, x.currency).equals(x)).toBe(true);
      }),
      RUNS,
    );
  });

  it('is symmetric for negatives: allocate(-x) = allocate(x).map(negate)', () => {
    fc.assert(
      fc.property(moneyArb(), ratiosArb, (x, ratios) => {
        const negated = x.negate().allocate(ratios);
        const mirrored = x.allocate(ratios).map((part) => part.negate());
        expect(negated.map((part) => part.toJSON())).toEqual(mirrored.map((part) => part.toJSON()));
      }),
      RUNS,
    );
  });

  it('is deterministic: the same amount and ratios give the same parts', () => {
    fc.assert(
      fc.property(moneyArb(), ratiosArb, (x, ratios) => {
        const again = Money.fromJSON(x.toJSON()).allocate([...ratios]);
        expect(again.map(String)).toEqual(x.allocate(ratios).map(String));
      }),
      RUNS,
    );
  });

  it('gives parts at most one minor unit apart for equal ratios, larger parts first', () => {
    fc.assert(
      fc.property(moneyArb(), fc.integer({ min: 1, max: 50 }), (x, n) => {
        const rounded = x.round();
        const parts = rounded.allocate(Array.from({ length: n }, () => 1));
        const minorUnit = smallestUnit(rounded);
        const largest = Money.max(parts[0]!, ...parts);
        const smallest = Money.min(parts[0]!, ...parts);
        expect(largest.subtract(smallest).lessThanOrEqual(minorUnit)).toBe(true);
        for (let i = 1; i < parts.length; i++) {
          expect(parts[i - 1]!.abs().greaterThanOrEqual(parts[i]!.abs())).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('keeps every part within one smallest unit of its exact share', () => {
    fc.assert(
      fc.property(moneyArb({ min: '-1000000000', max: '1000000000' }), ratiosArb, (x, ratios) => {
        const total = ratios.reduce<Money>(
          (sum, ratio) => sum.add(Money.of(ratio, x.currency)),
          Money.zero(x.currency),
        );
        const parts = x.allocate(ratios);
        const unit = smallestUnit(x);
        parts.forEach((part, index) => {
          // exact share = x × ratio / total, compared as part × total vs x × ratio to stay exact
          const scaled = part.multiply(total.amount);
          const exact = x.multiply(ratios[index]!);
          expect(scaled.subtract(exact).abs().lessThan(unit.multiply(total.amount))).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it('gives every part in the currency of the original and a zero ratio a zero part', () => {
    fc.assert(
      fc.property(moneyArb(), ratiosArb, fc.nat(), (x, ratios, at) => {
        const withZero = [...ratios];
        withZero.splice(at % (ratios.length + 1), 0, 0);
        const parts = x.allocate(withZero);
        expect(parts.every((part) => part.currency === x.currency)).toBe(true);
        expect(parts[at % (ratios.length + 1)]!.isZero()).toBe(true);
      }),
      RUNS,
    );
  });
});
