import { describe, expect, it } from 'vitest';
import { CurrencyMismatchError, Money, Percentage, Quantity } from '../../../src/domain/money/index.js';
import { isOrdoError, OrdoError, ValidationError } from '../../../src/kernel/errors.js';

function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

function issuesOf(action: () => unknown): { path: readonly (string | number)[]; code: string }[] {
  const error = caught(action);
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).code).toBe('VALIDATION_FAILED');
  return (error as ValidationError).issues.map(({ path, code }) => ({ path, code }));
}

const usd = (amount: string) => Money.of(amount, 'USD');

describe('Money.of', () => {
  it('keeps the exact amount with at least the minor-unit decimals and no other trailing zeros', () => {
    expect(usd('12.3').amount).toBe('12.30');
    expect(usd('12.3450').amount).toBe('12.345');
    expect(usd('007.5').amount).toBe('7.50');
    expect(usd('-5').amount).toBe('-5.00');
    expect(usd('0.000000001').amount).toBe('0.000000001');
  });

  it('gives JPY no minor unit, so its amounts have no decimals', () => {
    const yen = Money.of('1234', 'JPY');
    expect(yen.minorUnit).toBe(0);
    expect(yen.amount).toBe('1234');
    expect(Money.of('12.5', 'JPY').round().amount).toBe('12');
  });

  it('takes the minor unit from the ISO 4217 table, never a hard-coded 2', () => {
    expect(Money.of('1', 'USD').minorUnit).toBe(2);
    expect(Money.of('1', 'KWD').amount).toBe('1.000');
    expect(Money.of('1', 'BHD').minorUnit).toBe(3);
    expect(Money.of('1', 'CLF').amount).toBe('1.0000');
    expect(Money.of('1', 'UYW').minorUnit).toBe(4);
    expect(Money.of('1', 'KRW').minorUnit).toBe(0);
  });

  it('treats -0 as 0', () => {
    expect(usd('-0').amount).toBe('0.00');
    expect(usd('-0.000').isNegative()).toBe(false);
    expect(Money.of(-0, 'USD').amount).toBe('0.00');
  });

  it('accepts an integer JS number', () => {
    expect(Money.of(12, 'USD').amount).toBe('12.00');
    expect(Money.of(-3, 'JPY').amount).toBe('-3');
  });

  it('refuses the non-integer JS number 12.5 with VALIDATION_FAILED at the amount', () => {
    expect(issuesOf(() => Money.of(12.5, 'USD'))).toEqual([{ path: ['amount'], code: 'invalid_type' }]);
    expect(issuesOf(() => Money.of(Number.NaN, 'USD'))[0]?.path).toEqual(['amount']);
    expect(issuesOf(() => Money.of(Number.POSITIVE_INFINITY, 'USD'))[0]?.path).toEqual(['amount']);
  });

  it.each(['1e3', ' 1', '1 ', '+1', '1.', '.5', '1,000', '', '0x10', 'NaN', 'Infinity', '١٢'])(
    'refuses the malformed decimal string %j',
    (text) => {
      expect(issuesOf(() => usd(text))).toEqual([{ path: ['amount'], code: 'invalid_format' }]);
    },
  );

  it('holds every amount of 15 integer and 9 fraction digits exactly', () => {
    expect(usd('999999999999999.999999999').amount).toBe('999999999999999.999999999');
    expect(usd('-123456789012345.123456789').amount).toBe('-123456789012345.123456789');
  });

  it('refuses amounts beyond the bound instead of rounding them', () => {
    expect(issuesOf(() => usd('1000000000000000'))).toEqual([{ path: ['amount'], code: 'too_big' }]);
    expect(issuesOf(() => usd(`0.${'1'.repeat(31)}`))).toEqual([{ path: ['amount'], code: 'too_big' }]);
    expect(issuesOf(() => Money.of(10 ** 15, 'USD'))).toEqual([{ path: ['amount'], code: 'too_big' }]);
    // Leading zeros and trailing fraction zeros do not count toward the bound.
    expect(usd(`000${'9'.repeat(15)}.${'0'.repeat(40)}`).amount).toBe(`${'9'.repeat(15)}.00`);
  });

  it('refuses an unknown or lower-case currency at the currency path', () => {
    expect(issuesOf(() => Money.of('1', 'XYZ'))).toEqual([{ path: ['currency'], code: 'invalid_value' }]);
    expect(issuesOf(() => Money.of('1', 'usd'))).toEqual([{ path: ['currency'], code: 'invalid_value' }]);
    expect(issuesOf(() => Money.of('1', 'XAU'))).toEqual([{ path: ['currency'], code: 'invalid_value' }]);
  });

  it('reports a bad amount and a bad currency together', () => {
    expect(issuesOf(() => Money.of(1.5, 'EURO')).map((issue) => issue.path)).toEqual([['amount'], ['currency']]);
  });

  it('accepts a Quantity or a Percentage as the amount', () => {
    expect(Money.of(Quantity.of('2.5'), 'EUR').amount).toBe('2.50');
    expect(Money.of(Percentage.of('7'), 'EUR').amount).toBe('7.00');
  });

  it('is immutable', () => {
    const money = usd('1');
    expect(Object.isFrozen(money)).toBe(true);
    expect(Reflect.set(money, 'amount', '2.00')).toBe(false);
    expect(money.amount).toBe('1.00');
  });
});

describe('Money arithmetic', () => {
  it('adds and subtracts exactly, where floats would not', () => {
    expect(usd('0.1').add(usd('0.2')).amount).toBe('0.30');
    expect(usd('0.3').subtract(usd('0.1')).amount).toBe('0.20');
    expect(usd('1.005').add(usd('0.005')).amount).toBe('1.01');
  });

  it('multiplies by a decimal exactly and unrounded', () => {
    expect(usd('19.99').multiply('3').amount).toBe('59.97');
    expect(usd('19.99').multiply('0.333').amount).toBe('6.65667');
    expect(usd('10').multiply(Quantity.of('1.5')).amount).toBe('15.00');
    expect(usd('10').multiply(-2).amount).toBe('-20.00');
  });

  it('refuses a float factor and names the factor path', () => {
    expect(issuesOf(() => usd('10').multiply(0.5))).toEqual([{ path: ['factor'], code: 'invalid_type' }]);
  });

  it('takes a percentage as amount × percent / 100, exactly', () => {
    expect(usd('80').percentage('7.5').amount).toBe('6.00');
    expect(usd('59.97').percentage(Percentage.of('7.5')).amount).toBe('4.49775');
    expect(usd('59.97').percentage('7.5').round().amount).toBe('4.50');
  });

  it('divides to 30 fraction digits and refuses a zero divisor', () => {
    expect(usd('10').divide(3).amount).toBe(`3.${'3'.repeat(30)}`);
    expect(usd('10').divide('0.5').amount).toBe('20.00');
    expect(issuesOf(() => usd('10').divide('0'))).toEqual([{ path: ['divisor'], code: 'division_by_zero' }]);
  });

  it('refuses a result of 10^15 or more with VALIDATION_FAILED', () => {
    const max = usd('999999999999999.99');
    expect(issuesOf(() => max.add(usd('0.01')))[0]?.code).toBe('too_big');
    expect(issuesOf(() => max.multiply(2))[0]?.code).toBe('too_big');
    expect(max.negate().subtract(usd('0.00')).amount).toBe('-999999999999999.99');
  });

  it('negates and takes the absolute value', () => {
    expect(usd('5').negate().amount).toBe('-5.00');
    expect(usd('-5').abs().amount).toBe('5.00');
    expect(usd('0').negate().isNegative()).toBe(false);
  });

  it('tells zero, negative and positive apart', () => {
    expect([usd('0').isZero(), usd('0').isNegative(), usd('0').isPositive()]).toEqual([true, false, false]);
    expect([usd('-0.01').isZero(), usd('-0.01').isNegative(), usd('-0.01').isPositive()]).toEqual([false, true, false]);
    expect([usd('0.01').isZero(), usd('0.01').isNegative(), usd('0.01').isPositive()]).toEqual([false, false, true]);
  });

  it('sums a list in one currency, and an empty list to zero in that currency', () => {
    expect(Money.sum([usd('1.10'), usd('2.20'), usd('-0.30')], 'USD').amount).toBe('3.00');
    const none = Money.sum([], 'JPY');
    expect(none.isZero()).toBe(true);
    expect(none.currency).toBe('JPY');
  });

  it('finds the smallest and largest amount', () => {
    expect(Money.min(usd('3'), usd('-1'), usd('2')).amount).toBe('-1.00');
    expect(Money.max(usd('3'), usd('-1'), usd('2')).amount).toBe('3.00');
  });
});

describe('Money currency invariant', () => {
  const eur = Money.of('1', 'EUR');

  it.each([
    ['add', () => usd('1').add(eur)],
    ['subtract', () => usd('1').subtract(eur)],
    ['compare', () => usd('1').compare(eur)],
    ['greaterThan', () => usd('1').greaterThan(eur)],
    ['lessThanOrEqual', () => usd('1').lessThanOrEqual(eur)],
    ['sum', () => Money.sum([usd('1'), eur], 'USD')],
    ['min', () => Money.min(usd('1'), eur)],
  ])('refuses to mix currencies in %s with CURRENCY_MISMATCH', (_name, action) => {
    const error = caught(action);
    expect(error).toBeInstanceOf(CurrencyMismatchError);
    expect(error).toBeInstanceOf(OrdoError);
    expect(isOrdoError(error, 'CURRENCY_MISMATCH')).toBe(true);
  });

  it('names both currencies in the error and its JSON', () => {
    const error = caught(() => usd('1').add(eur)) as CurrencyMismatchError;
    expect([error.left, error.right]).toEqual(['USD', 'EUR']);
    expect(error.toJSON()).toMatchObject({ code: 'CURRENCY_MISMATCH', left: 'USD', right: 'EUR', operation: 'add' });
  });

  it('says amounts in different currencies are not equal, without throwing', () => {
    expect(usd('1').equals(eur)).toBe(false);
  });
});

describe('Money comparison', () => {
  it('compares to -1, 0 or 1', () => {
    expect(usd('1').compare(usd('2'))).toBe(-1);
    expect(usd('2').compare(usd('2.000'))).toBe(0);
    expect(usd('3').compare(usd('2'))).toBe(1);
  });

  it('treats 1.5 and 1.50 as equal', () => {
    expect(usd('1.5').equals(usd('1.50'))).toBe(true);
  });

  it('answers the ordering predicates', () => {
    expect(usd('1').lessThan(usd('2'))).toBe(true);
    expect(usd('2').lessThanOrEqual(usd('2'))).toBe(true);
    expect(usd('2').greaterThan(usd('2'))).toBe(false);
    expect(usd('2').greaterThanOrEqual(usd('2'))).toBe(true);
  });
});

describe('Money JSON and text', () => {
  it('writes JSON as { amount: "12.34", currency: "USD" }', () => {
    expect(usd('12.34').toJSON()).toEqual({ amount: '12.34', currency: 'USD' });
    expect(JSON.stringify({ total: usd('12.3') })).toBe('{"total":{"amount":"12.30","currency":"USD"}}');
  });

  it('reads its own JSON back exactly, even unrounded amounts', () => {
    const third = usd('10').divide(3);
    const back = Money.fromJSON(JSON.parse(JSON.stringify(third)));
    expect(back.equals(third)).toBe(true);
    expect(back.toJSON()).toEqual(third.toJSON());
  });

  it('rejects bad JSON with paths', () => {
    expect(issuesOf(() => Money.fromJSON({ amount: 12.34, currency: 'USD' }))).toEqual([
      { path: ['amount'], code: 'invalid_type' },
    ]);
    expect(issuesOf(() => Money.fromJSON({ amount: '1', currency: 'usd' })).map((issue) => issue.path)).toEqual([
      ['currency'],
    ]);
    expect(issuesOf(() => Money.fromJSON({})).map((issue) => issue.path)).toEqual([['amount'], ['currency']]);
    expect(issuesOf(() => Money.fromJSON(null)).map((issue) => issue.path)).toEqual([[]]);
    expect(issuesOf(() => Money.fromJSON({ amount: '1e5', currency: 'USD' })).map((issue) => issue.path)).toEqual([
      ['amount'],
    ]);
    expect(issuesOf(() => Money.fromJSON({ amount: '1'.repeat(16), currency: 'USD' }))[0]?.path).toEqual(['amount']);
  });

  it('prints the exact amount with the currency, and a rounded figure with toFixed', () => {
    expect(String(usd('12.345'))).toBe('12.345 USD');
    expect(usd('12.345').toFixed()).toBe('12.34');
    expect(usd('12.355').toFixed()).toBe('12.36');
    expect(Money.of('1234.5', 'JPY').toFixed()).toBe('1234');
    expect(usd('-0.001').toFixed()).toBe('0.00');
  });

  it('exposes the amount as an own property, so deep equality compares amounts', () => {
    expect(usd('1')).toEqual(usd('1.0'));
    expect(usd('1')).not.toEqual(usd('2'));
    expect(Money.of('1', 'EUR')).not.toEqual(usd('1'));
  });

  it('recognises Money values', () => {
    expect(Money.isMoney(usd('1'))).toBe(true);
    expect(Money.isMoney({ amount: '1.00', currency: 'USD' })).toBe(false);
  });
});
