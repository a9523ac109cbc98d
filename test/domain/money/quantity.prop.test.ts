import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Percentage, Quantity, ROUNDING_MODES } from '../../../src/domain/money/index.js';
import { decimalStringArb, percentageArb, quantityArb } from '../../../src/testing/arbitraries/money-arbitraries.js';

const RUNS = { numRuns: 300 };
const third = { min: '-333333333333333', max: '333333333333333' };

interface Kind {
  readonly name: string;
  readonly of: (value: string) => Quantity | Percentage;
  readonly fromJSON: (json: unknown) => Quantity | Percentage;
}

// Quantity and Percentage share one implementation shape; the same laws hold for both.
const kinds: readonly Kind[] = [
  { name: 'Quantity', of: (value) => Quantity.of(value), fromJSON: (json) => Quantity.fromJSON(json) },
  { name: 'Percentage', of: (value) => Percentage.of(value), fromJSON: (json) => Percentage.fromJSON(json) },
];

for (const kind of kinds) {
  describe(`${kind.name} laws`, () => {
    const arb = decimalStringArb(third).map(kind.of);

    it('add is commutative and associative', () => {
      fc.assert(
        fc.property(arb, arb, arb, (a, b, c) => {
          expect(a.add(b).equals(b.add(a))).toBe(true);
          expect(
            a
              .add(b)
              .add(c)
              .equals(a.add(b.add(c))),
          ).toBe(true);
        }),
        RUNS,
      );
    });

    it('zero is the identity and negate the inverse', () => {
      fc.assert(
        fc.property(arb, (a) => {
          expect(a.add(0).equals(a)).toBe(true);
          expect(a.add(a.negate()).isZero()).toBe(true);
          expect(a.subtract(a).isZero()).toBe(true);
        }),
        RUNS,
      );
    });

    it('multiply distributes over add', () => {
      const small = decimalStringArb({ min: '-1000000', max: '1000000' }).map(kind.of);
      fc.assert(
        fc.property(small, small, small, (a, b, k) => {
          expect(
            a
              .add(b)
              .multiply(k)
              .equals(a.multiply(k).add(b.multiply(k))),
          ).toBe(true);
        }),
        RUNS,
      );
    });

    it('compare is a total order consistent with equals', () => {
      fc.assert(
        fc.property(arb, arb, arb, (a, b, c) => {
          expect(a.compare(b)).toBe(-b.compare(a) || 0);
          expect(a.compare(b) === 0).toBe(a.equals(b));
          if (a.compare(b) <= 0 && b.compare(c) <= 0) expect(a.compare(c)).toBeLessThanOrEqual(0);
        }),
        RUNS,
      );
    });

    it('rounding is idempotent and lands within the requested places', () => {
      fc.assert(
        fc.property(arb, fc.integer({ min: 0, max: 9 }), fc.constantFrom(...ROUNDING_MODES), (a, places, mode) => {
          const once = a.round(places, mode);
          expect(once.round(places, mode).equals(once)).toBe(true);
          expect(once.value.split('.')[1]?.length ?? 0).toBeLessThanOrEqual(places);
        }),
        RUNS,
      );
    });

    it('survives a JSON round-trip exactly', () => {
      fc.assert(
        fc.property(arb, (a) => {
          const back = kind.fromJSON(JSON.parse(JSON.stringify(a)));
          expect(back.equals(a)).toBe(true);
          expect(back.value).toBe(a.value);
        }),
        RUNS,
      );
    });
  });
}

describe('quantity and percentage arbitraries', () => {
  it('quantityArb and percentageArb stay within their ranges', () => {
    fc.assert(
      fc.property(quantityArb({ min: '0', max: '10' }), percentageArb(), (q, p) => {
        expect(q.greaterThanOrEqual(0) && q.lessThanOrEqual(10)).toBe(true);
        expect(p.greaterThanOrEqual(0) && p.lessThanOrEqual(100)).toBe(true);
      }),
      RUNS,
    );
  });
});
