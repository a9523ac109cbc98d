import { describe, expect, it } from 'vitest';
import { Money, Percentage, Quantity } from '../../../src/domain/money/index.js';
import { ValidationError } from '../../../src/kernel/errors.js';

const amounts = (parts: readonly Money[]) => parts.map((part) => part.amount);

function issuePaths(action: () => unknown): (readonly (string | number)[])[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((issue) => issue.path);
  }
  throw new Error('expected the action to throw');
}

describe('Money#allocate', () => {
  it('splits 100 USD three ways without losing a cent, the extra cent to the first part', () => {
    expect(amounts(Money.of('100', 'USD').allocate([1, 1, 1]))).toEqual(['33.34', '33.33', '33.33']);
  });

  it('gives leftover cents to the largest remainders, ties to the earlier part', () => {
    expect(amounts(Money.of('0.05', 'USD').allocate([1, 1]))).toEqual(['0.03', '0.02']);
    expect(amounts(Money.of('0.02', 'USD').allocate([1, 1, 1]))).toEqual(['0.01', '0.01', '0.00']);
    // Shares 3.33…, 6.66…: the second has the larger remainder, so it gets the cent.
    expect(amounts(Money.of('0.10', 'USD').allocate([1, 2]))).toEqual(['0.03', '0.07']);
  });

  it('splits by uneven and decimal ratios, Quantities and Percentages', () => {
    expect(amounts(Money.of('100', 'USD').allocate([70, 30]))).toEqual(['70.00', '30.00']);
    expect(amounts(Money.of('10', 'USD').allocate(['0.5', '0.25', '0.25']))).toEqual(['5.00', '2.50', '2.50']);
    expect(amounts(Money.of('1', 'USD').allocate([Quantity.of('1.5'), Percentage.of('1.5')]))).toEqual([
      '0.50',
      '0.50',
    ]);
  });

  it('gives a zero ratio nothing', () => {
    expect(amounts(Money.of('0.03', 'USD').allocate([1, 0, 1]))).toEqual(['0.02', '0.00', '0.01']);
  });

  it('splits a negative amount symmetrically: the parts of -x are the parts of x negated', () => {
    expect(amounts(Money.of('-100', 'USD').allocate([1, 1, 1]))).toEqual(['-33.34', '-33.33', '-33.33']);
  });

  it('works in the currency minor unit: whole yen, thousandths of a dinar', () => {
    expect(amounts(Money.of('100', 'JPY').allocate([1, 1, 1]))).toEqual(['34', '33', '33']);
    expect(amounts(Money.of('1', 'KWD').allocate([1, 1, 1]))).toEqual(['0.334', '0.333', '0.333']);
  });

  it('splits an amount finer than the minor unit in its own smallest unit, still exactly', () => {
    expect(amounts(Money.of('10.005', 'USD').allocate([1, 1]))).toEqual(['5.003', '5.002']);
  });

  it('keeps the currency on every part', () => {
    expect(
      Money.of('1', 'EUR')
        .allocate([1, 1])
        .every((part) => part.currency === 'EUR'),
    ).toBe(true);
  });

  it('refuses no ratios, negative ratios, all-zero ratios and float ratios, with paths', () => {
    const amount = Money.of('1', 'USD');
    expect(issuePaths(() => amount.allocate([]))).toEqual([['ratios']]);
    expect(issuePaths(() => amount.allocate([1, -1, -2]))).toEqual([
      ['ratios', 1],
      ['ratios', 2],
    ]);
    expect(issuePaths(() => amount.allocate([0, '0.0']))).toEqual([['ratios']]);
    expect(issuePaths(() => amount.allocate([0.5, 0.5]))).toEqual([['ratios', 0]]);
  });
});
