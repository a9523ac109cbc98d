import { describe, expect, it } from 'vitest';
import { Money, ROUNDING_MODES, type RoundingMode } from '../../../src/domain/money/index.js';
import { ValidationError } from '../../../src/kernel/errors.js';

// Each row: an amount in USD and what each mode rounds it to (2 places). Ties (…5) and negatives are the cases
// where the modes differ.
const TABLE: readonly [string, Record<RoundingMode, string>][] = [
  ['2.345', { 'half-even': '2.34', 'half-up': '2.35', 'half-away-from-zero': '2.35', down: '2.34', up: '2.35' }],
  ['2.355', { 'half-even': '2.36', 'half-up': '2.36', 'half-away-from-zero': '2.36', down: '2.35', up: '2.36' }],
  ['-2.345', { 'half-even': '-2.34', 'half-up': '-2.34', 'half-away-from-zero': '-2.35', down: '-2.34', up: '-2.35' }],
  ['-2.355', { 'half-even': '-2.36', 'half-up': '-2.35', 'half-away-from-zero': '-2.36', down: '-2.35', up: '-2.36' }],
  ['2.341', { 'half-even': '2.34', 'half-up': '2.34', 'half-away-from-zero': '2.34', down: '2.34', up: '2.35' }],
  ['-2.349', { 'half-even': '-2.35', 'half-up': '-2.35', 'half-away-from-zero': '-2.35', down: '-2.34', up: '-2.35' }],
  ['2.3450001', { 'half-even': '2.35', 'half-up': '2.35', 'half-away-from-zero': '2.35', down: '2.34', up: '2.35' }],
  ['-0.001', { 'half-even': '0.00', 'half-up': '0.00', 'half-away-from-zero': '0.00', down: '0.00', up: '-0.01' }],
  ['2.34', { 'half-even': '2.34', 'half-up': '2.34', 'half-away-from-zero': '2.34', down: '2.34', up: '2.34' }],
];

describe('Money#round', () => {
  for (const [amount, expected] of TABLE) {
    for (const mode of ROUNDING_MODES) {
      it(`rounds ${amount} USD ${mode} to ${expected[mode]}`, () => {
        expect(Money.of(amount, 'USD').round(mode).amount).toBe(expected[mode]);
      });
    }
  }

  it('rounds half-even by default: a tie goes to the even cent', () => {
    expect(Money.of('0.125', 'USD').round().amount).toBe('0.12');
    expect(Money.of('0.135', 'USD').round().amount).toBe('0.14');
  });

  it('rounds KWD to 3 places', () => {
    expect(Money.of('1.23456', 'KWD').round().amount).toBe('1.235');
    expect(Money.of('1.2345', 'KWD').round().amount).toBe('1.234');
    expect(Money.of('1.2345', 'KWD').round('half-away-from-zero').amount).toBe('1.235');
  });

  it('rounds JPY to whole yen and CLF to 4 places', () => {
    expect(Money.of('2.5', 'JPY').round().amount).toBe('2');
    expect(Money.of('3.5', 'JPY').round().amount).toBe('4');
    expect(Money.of('-2.5', 'JPY').round('half-up').amount).toBe('-2');
    expect(Money.of('1.23455', 'CLF').round().amount).toBe('1.2346');
  });

  it('never turns a small negative amount into negative zero', () => {
    const rounded = Money.of('-0.004', 'USD').round('half-away-from-zero');
    expect(rounded.amount).toBe('0.00');
    expect(rounded.isNegative()).toBe(false);
  });

  it('refuses an unknown rounding mode with VALIDATION_FAILED', () => {
    const round = () => Money.of('1', 'USD').round('bankers' as RoundingMode);
    expect(round).toThrow(ValidationError);
  });
});

describe('Money#roundTo', () => {
  it('rounds to any number of places from 0 to 30', () => {
    expect(Money.of('2.34567', 'USD').roundTo(4).amount).toBe('2.3457');
    expect(Money.of('2.34567', 'USD').roundTo(0).amount).toBe('2.00');
    expect(Money.of('2.5', 'USD').roundTo(0, 'half-away-from-zero').amount).toBe('3.00');
  });

  it.each([-1, 31, 1.5, Number.NaN])('refuses %s places with VALIDATION_FAILED', (places) => {
    expect(() => Money.of('1', 'USD').roundTo(places)).toThrow(ValidationError);
  });
});
