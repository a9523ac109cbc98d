import { describe, expect, it } from 'vitest';
import { Money, Percentage, Quantity } from '../../../src/domain/money/index.js';
import { ValidationError } from '../../../src/kernel/errors.js';

describe('Quantity', () => {
  it('keeps a canonical decimal string without trailing zeros', () => {
    expect(Quantity.of('1.50').value).toBe('1.5');
    expect(Quantity.of('10').value).toBe('10');
    expect(Quantity.of('-2.000').value).toBe('-2');
    expect(Quantity.of('-0').value).toBe('0');
    expect(Quantity.of(3).value).toBe('3');
  });

  it('refuses a non-integer JS number and malformed or out-of-bound strings', () => {
    for (const input of [1.5, '1e2', 'x', '1'.repeat(16)]) {
      expect(() => Quantity.of(input as string)).toThrow(ValidationError);
    }
  });

  it('does exact decimal arithmetic', () => {
    const q = Quantity.of('0.1');
    expect(q.add('0.2').value).toBe('0.3');
    expect(q.subtract(1).value).toBe('-0.9');
    expect(Quantity.of('1.5').multiply('1.5').value).toBe('2.25');
    expect(Quantity.of('1').divide(3).value).toBe(`0.${'3'.repeat(30)}`);
    expect(() => q.divide(0)).toThrow(ValidationError);
  });

  it('rounds to a number of places with any mode', () => {
    expect(Quantity.of('2.5').round(0).value).toBe('2');
    expect(Quantity.of('2.5').round(0, 'half-away-from-zero').value).toBe('3');
    expect(Quantity.of('-2.5').round(0, 'half-up').value).toBe('-2');
    expect(Quantity.of('1.23456').round(3, 'down').value).toBe('1.234');
  });

  it('compares by value and takes min and max', () => {
    expect(Quantity.of('1.5').equals('1.50')).toBe(true);
    expect(Quantity.of('1').compare('2')).toBe(-1);
    expect(Quantity.of('2').greaterThanOrEqual(2)).toBe(true);
    expect(Quantity.min('3', 1, Quantity.of('2')).value).toBe('1');
    expect(Quantity.max('3', 1, Quantity.of('2')).value).toBe('3');
  });

  it('tells zero, negative and positive apart', () => {
    expect([Quantity.zero().isZero(), Quantity.of('-1').isNegative(), Quantity.of('1').isPositive()]).toEqual([
      true,
      true,
      true,
    ]);
    expect([Quantity.zero().isNegative(), Quantity.zero().isPositive()]).toEqual([false, false]);
  });

  it('serialises to its decimal string and reads it back', () => {
    expect(JSON.stringify({ qty: Quantity.of('1.50') })).toBe('{"qty":"1.5"}');
    expect(Quantity.fromJSON('1.5').equals(Quantity.of('1.5'))).toBe(true);
    expect(() => Quantity.fromJSON(1.5)).toThrow(ValidationError);
  });

  it('can be used wherever a decimal is expected', () => {
    expect(Money.of('2.50', 'USD').multiply(Quantity.of('4')).amount).toBe('10.00');
    expect(Quantity.of(Percentage.of('12.5')).value).toBe('12.5');
  });
});

describe('Percentage', () => {
  it('holds percent points: 7.5 is 7.5 %', () => {
    const p = Percentage.of('7.50');
    expect(p.value).toBe('7.5');
    expect(p.toFraction()).toBe('0.075');
    expect(String(p)).toBe('7.5');
    expect(JSON.stringify(p)).toBe('"7.5"');
  });

  it('applies to money through Money#percentage', () => {
    expect(Money.of('200', 'EUR').percentage(Percentage.of('12.5')).amount).toBe('25.00');
  });

  it('has the same exact arithmetic, rounding and order as Quantity', () => {
    expect(Percentage.of('10').add('2.5').value).toBe('12.5');
    expect(Percentage.of('10').subtract(Percentage.of('12')).isNegative()).toBe(true);
    expect(Percentage.of('33.335').round(2).value).toBe('33.34');
    expect(Percentage.max('5', '7.5').value).toBe('7.5');
    expect(Percentage.fromJSON('7.5').equals('7.50')).toBe(true);
    expect(() => Percentage.fromJSON(7.5)).toThrow(ValidationError);
  });
});
