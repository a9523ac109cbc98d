import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyMinorUnit, DecimalStringSchema, Money, MoneySchema } from '../../../src/domain/money/index.js';
import {
  currencyCodeArb,
  decimalStringArb,
  moneyArb,
  moneyJsonArb,
  percentageArb,
  quantityArb,
} from '../../../src/testing/arbitraries/money-arbitraries.js';

const RUNS = { numRuns: 300 };

describe('money arbitraries', () => {
  it('currencyCodeArb gives only codes Money accepts, restricted to the asked minor units', () => {
    fc.assert(
      fc.property(currencyCodeArb(), currencyCodeArb({ minorUnits: [0, 3] }), (any, odd) => {
        expect(() => Money.zero(any)).not.toThrow();
        expect([0, 3]).toContain(currencyMinorUnit(odd));
      }),
      RUNS,
    );
    expect(() => currencyCodeArb({ minorUnits: [7] })).toThrow(RangeError);
  });

  it('moneyArb respects currency, min, max and maxFractionDigits', () => {
    const arb = moneyArb({ currency: 'KWD', min: '-1.5', max: '2.25', maxFractionDigits: 5 });
    fc.assert(
      fc.property(arb, (money) => {
        expect(money.currency).toBe('KWD');
        expect(money.greaterThanOrEqual(Money.of('-1.5', 'KWD'))).toBe(true);
        expect(money.lessThanOrEqual(Money.of('2.25', 'KWD'))).toBe(true);
        expect(money.amount.split('.')[1]?.length ?? 0).toBeLessThanOrEqual(5);
      }),
      RUNS,
    );
  });

  it('moneyArb reaches every magnitude up to the bound, and both signs', () => {
    const samples = fc.sample(moneyArb({ currency: 'USD' }), { numRuns: 2000, seed: 42 });
    const integerDigits = new Set(samples.map((money) => money.amount.replace('-', '').split('.')[0]!.length));
    expect(Math.max(...integerDigits)).toBe(15);
    expect(integerDigits.has(1)).toBe(true);
    expect(samples.some((money) => money.isNegative())).toBe(true);
    expect(samples.some((money) => money.isPositive())).toBe(true);
  });

  it('moneyJsonArb gives JSON that MoneySchema accepts and Money writes back unchanged', () => {
    fc.assert(
      fc.property(moneyJsonArb(), (json) => {
        expect(MoneySchema.safeParse(json).success).toBe(true);
        expect(Money.fromJSON(json).toJSON()).toEqual(json);
      }),
      RUNS,
    );
  });

  it('decimalStringArb gives canonical in-bound strings within the range', () => {
    fc.assert(
      fc.property(decimalStringArb({ min: '-0.005', max: '0.0071', maxFractionDigits: 4 }), (text) => {
        expect(DecimalStringSchema.safeParse(text).success).toBe(true);
        expect(text).not.toMatch(/\.\d*0$|^-0$|^-?0\d/);
        const value = Money.of(text, 'USD');
        expect(value.greaterThanOrEqual(Money.of('-0.005', 'USD'))).toBe(true);
        expect(value.lessThanOrEqual(Money.of('0.0071', 'USD'))).toBe(true);
      }),
      RUNS,
    );
  });

  it('quantityArb and percentageArb default to the whole bound and to 0–100 %', () => {
    fc.assert(
      fc.property(quantityArb(), percentageArb(), (q, p) => {
        expect(q.abs().lessThanOrEqual('999999999999999.999999999')).toBe(true);
        expect(p.greaterThanOrEqual(0) && p.lessThanOrEqual(100)).toBe(true);
      }),
      RUNS,
    );
  });

  it('refuses an empty range and a bad maxFractionDigits', () => {
    expect(() => decimalStringArb({ min: '2', max: '1' })).toThrow(RangeError);
    expect(() => moneyArb({ maxFractionDigits: 31 })).toThrow(RangeError);
    expect(() => quantityArb({ min: 'abc' })).toThrow(RangeError);
  });
});
