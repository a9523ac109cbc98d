import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Money } from '../../../src/domain/money/index.js';
import {
  currencyCodeArb,
  decimalStringArb,
  moneyArb,
  moneyJsonArb,
} from '../../../src/testing/arbitraries/money-arbitraries.js';

const RUNS = { numRuns: 300 };

// Same-currency pairs and triples, any currency; magnitudes kept where two or three of them cannot overflow.
const third = { min: '-333333333333333', max: '333333333333333' };
const pairArb = currencyCodeArb().chain((currency) =>
  fc.tuple(moneyArb({ currency, ...third }), moneyArb({ currency, ...third })),
);
const tripleArb = currencyCodeArb().chain((currency) =>
  fc.tuple(moneyArb({ currency, ...third }), moneyArb({ currency, ...third }), moneyArb({ currency, ...third })),
);

describe('Money laws', () => {
  it('add is commutative: a + b = b + a', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        expect(a.add(b).equals(b.add(a))).toBe(true);
      }),
      RUNS,
    );
  });

  it('add is associative: (a + b) + c = a + (b + c)', () => {
    fc.assert(
      fc.property(tripleArb, ([a, b, c]) => {
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

  it('zero is the identity of add: a + 0 = a', () => {
    fc.assert(
      fc.property(moneyArb(), (a) => {
        expect(a.add(Money.zero(a.currency)).equals(a)).toBe(true);
        expect(Money.zero(a.currency).add(a).toJSON()).toEqual(a.toJSON());
      }),
      RUNS,
    );
  });

  it('negate is the inverse of add: a + (-a) = 0', () => {
    fc.assert(
      fc.property(moneyArb(), (a) => {
        expect(a.add(a.negate()).isZero()).toBe(true);
        expect(a.negate().negate().equals(a)).toBe(true);
      }),
      RUNS,
    );
  });

  it('subtract is add of the negation: a - b = a + (-b)', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        expect(a.subtract(b).equals(a.add(b.negate()))).toBe(true);
      }),
      RUNS,
    );
  });

  it('multiplyDivide is multiply then divide, and only its result is held to the bound: a × k ÷ d', () => {
    const arb = currencyCodeArb().chain((currency) =>
      fc.tuple(
        moneyArb({ currency }),
        decimalStringArb({ min: '1', max: '999999999999999' }),
        fc.integer({ min: 0, max: 1 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([a, k, sign]) => {
        // A share of `a`: k ÷ d within [0, 1], whatever the magnitude of k (and so of a × k).
        const factor = sign === 0 ? k : `-${k}`;
        const share = a.multiplyDivide(factor, k);
        expect(share.equals(sign === 0 ? a : a.negate())).toBe(true);
      }),
      RUNS,
    );
    const small = Money.of('12.34', 'USD');
    expect(small.multiplyDivide('3', '7').equals(small.multiply('3').divide('7'))).toBe(true);
    expect(() => Money.of('999999999999999', 'JPY').multiplyDivide('3', '2')).toThrow(/10\^15|bound|integer digits/);
  });

  it('multiply distributes over add: (a + b) × k = a × k + b × k, exactly', () => {
    const small = { min: '-1000000', max: '1000000' };
    const arb = currencyCodeArb().chain((currency) =>
      fc.tuple(moneyArb({ currency, ...small }), moneyArb({ currency, ...small }), decimalStringArb(small)),
    );
    fc.assert(
      fc.property(arb, ([a, b, k]) => {
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

  it('multiply by 1 is the identity and by -1 is negate', () => {
    fc.assert(
      fc.property(moneyArb(), (a) => {
        expect(a.multiply(1).equals(a)).toBe(true);
        expect(a.multiply('-1').equals(a.negate())).toBe(true);
      }),
      RUNS,
    );
  });

  it('percentage is multiply by percent / 100', () => {
    const arb = fc.tuple(
      moneyArb({ min: '-1000000000', max: '1000000000' }),
      decimalStringArb({ min: '-1000', max: '1000' }),
    );
    fc.assert(
      fc.property(arb, ([a, p]) => {
        expect(a.percentage(p).multiply(100).equals(a.multiply(p))).toBe(true);
      }),
      RUNS,
    );
  });

  it('sum equals adding one by one, in any order', () => {
    const arb = currencyCodeArb().chain((currency) =>
      fc
        .array(moneyArb({ currency, min: '-1000000000000', max: '1000000000000' }), { maxLength: 20 })
        .map((items) => [currency, items] as const),
    );
    fc.assert(
      fc.property(arb, ([currency, items]) => {
        const folded = items.reduce((total, item) => total.add(item), Money.zero(currency));
        expect(Money.sum(items, currency).equals(folded)).toBe(true);
        expect(Money.sum([...items].reverse(), currency).equals(folded)).toBe(true);
      }),
      RUNS,
    );
  });

  it('compare is a total order consistent with equals', () => {
    fc.assert(
      fc.property(tripleArb, ([a, b, c]) => {
        // antisymmetry and consistency with equals
        expect(a.compare(b)).toBe(-b.compare(a) || 0);
        expect(a.compare(b) === 0).toBe(a.equals(b));
        expect(a.compare(a)).toBe(0);
        // transitivity
        if (a.compare(b) <= 0 && b.compare(c) <= 0) expect(a.compare(c)).toBeLessThanOrEqual(0);
        // the predicates agree with compare
        expect(a.lessThan(b)).toBe(a.compare(b) < 0);
        expect(a.greaterThanOrEqual(b)).toBe(a.compare(b) >= 0);
      }),
      RUNS,
    );
  });

  it('compare orders like the number line: a < a + p for every positive p', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        const p = b.abs();
        expect(a.add(p).compare(a)).toBe(p.isZero() ? 0 : 1);
      }),
      RUNS,
    );
  });

  it('equal amounts have equal JSON, whatever their written form', () => {
    fc.assert(
      fc.property(moneyArb(), fc.integer({ min: 0, max: 5 }), (a, zeros) => {
        const padded = a.amount.includes('.') ? a.amount + '0'.repeat(zeros) : `${a.amount}.${'0'.repeat(zeros + 1)}`;
        const same = Money.of(padded, a.currency);
        expect(same.equals(a)).toBe(true);
        expect(same.toJSON()).toEqual(a.toJSON());
      }),
      RUNS,
    );
  });

  it('survives a JSON round-trip exactly', () => {
    fc.assert(
      fc.property(moneyArb(), (a) => {
        const back = Money.fromJSON(JSON.parse(JSON.stringify(a)));
        expect(back.equals(a)).toBe(true);
        expect(back.toJSON()).toEqual(a.toJSON());
      }),
      RUNS,
    );
  });

  it('reads every generated JSON form and writes it back unchanged', () => {
    fc.assert(
      fc.property(moneyJsonArb(), (json) => {
        expect(Money.fromJSON(json).toJSON()).toEqual(json);
      }),
      RUNS,
    );
  });

  it('writes at least the minor-unit decimals, never an exponent, never a float', () => {
    fc.assert(
      fc.property(moneyArb(), (a) => {
        expect(a.amount).toMatch(/^-?\d+(\.\d+)?$/);
        const decimals = a.amount.split('.')[1]?.length ?? 0;
        expect(decimals).toBeGreaterThanOrEqual(a.minorUnit);
        expect(typeof a.toJSON().amount).toBe('string');
      }),
      RUNS,
    );
  });
});
