import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Money, ROUNDING_MODES } from '../../../src/domain/money/index.js';
import { moneyArb } from '../../../src/testing/arbitraries/money-arbitraries.js';

const RUNS = { numRuns: 300 };
const modeArb = fc.constantFrom(...ROUNDING_MODES);
// One minor unit of the currency: 0.01 USD, 1 JPY, 0.001 KWD.
const oneUnit = (money: Money) =>
  money.minorUnit === 0
    ? Money.of(1, money.currency)
    : Money.of(`0.${'0'.repeat(money.minorUnit - 1)}1`, money.currency);

describe('Money rounding laws', () => {
  it('is idempotent: round(round(x)) = round(x), in every mode', () => {
    fc.assert(
      fc.property(moneyArb(), modeArb, (x, mode) => {
        const once = x.round(mode);
        expect(once.round(mode).equals(once)).toBe(true);
        expect(once.round('half-even').equals(once)).toBe(true);
      }),
      RUNS,
    );
  });

  it('lands on the minor unit: the result has exactly minorUnit decimals', () => {
    fc.assert(
      fc.property(moneyArb(), modeArb, (x, mode) => {
        const decimals = x.round(mode).amount.split('.')[1]?.length ?? 0;
        expect(decimals).toBe(x.minorUnit);
      }),
      RUNS,
    );
  });

  it('stays within half a minor unit in the half modes', () => {
    fc.assert(
      fc.property(moneyArb(), fc.constantFrom('half-even', 'half-up', 'half-away-from-zero' as const), (x, mode) => {
        const error = x.round(mode).subtract(x).abs();
        expect(error.multiply(2).lessThanOrEqual(oneUnit(x))).toBe(true);
      }),
      RUNS,
    );
  });

  it('moves toward zero with down and away from zero with up, by less than one minor unit', () => {
    fc.assert(
      fc.property(moneyArb(), (x) => {
        const down = x.round('down');
        const up = x.round('up');
        expect(down.abs().lessThanOrEqual(x.abs())).toBe(true);
        expect(up.abs().greaterThanOrEqual(x.abs())).toBe(true);
        expect(x.subtract(down).abs().lessThan(oneUnit(x))).toBe(true);
        expect(up.subtract(x).abs().lessThan(oneUnit(x))).toBe(true);
      }),
      RUNS,
    );
  });

  it('is symmetric for negatives in every mode but half-up', () => {
    fc.assert(
      fc.property(moneyArb(), fc.constantFrom('half-even', 'half-away-from-zero', 'down', 'up' as const), (x, mode) => {
        expect(x.negate().round(mode).equals(x.round(mode).negate())).toBe(true);
      }),
      RUNS,
    );
  });

  it('gives the same result in every mode for an amount already on the minor unit', () => {
    fc.assert(
      fc.property(moneyArb(), modeArb, (x, mode) => {
        const onUnit = x.round('half-even');
        expect(onUnit.round(mode).equals(onUnit)).toBe(true);
      }),
      RUNS,
    );
  });

  it('sends exact ties to the even minor unit with half-even, away from zero with half-away-from-zero', () => {
    fc.assert(
      fc.property(moneyArb({ min: '-1000000000000', max: '1000000000000' }), (x) => {
        const base = x.round('down');
        const half = oneUnit(x).divide(2);
        const tie = x.isNegative() ? base.subtract(half) : base.add(half);
        const lastDigit = (money: Money) => Number(money.amount.at(-1));
        expect(lastDigit(tie.round('half-even')) % 2).toBe(0);
        expect(tie.round('half-away-from-zero').abs().greaterThan(tie.abs())).toBe(true);
        expect(tie.round('half-up').greaterThan(tie)).toBe(true);
      }),
      RUNS,
    );
  });
});
