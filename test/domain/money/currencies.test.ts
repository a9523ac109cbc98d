import { describe, expect, it } from 'vitest';
import {
  CURRENCY_CODES,
  CURRENCY_MINOR_UNITS,
  currencyMinorUnit,
  isCurrencyCode,
} from '../../../src/domain/money/index.js';
import { ValidationError } from '../../../src/kernel/errors.js';

describe('ISO 4217 table', () => {
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['CLP', 0],
    ['USD', 2],
    ['EUR', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['TND', 3],
    ['CLF', 4],
    ['UYW', 4],
  ])('gives %s a minor unit of %i', (code, minor) => {
    expect(currencyMinorUnit(code)).toBe(minor);
  });

  it('holds the whole list: every code three upper-case letters, minor units 0 to 4, sorted', () => {
    expect(CURRENCY_CODES.length).toBeGreaterThanOrEqual(160);
    expect(CURRENCY_CODES.every((code) => /^[A-Z]{3}$/.test(code))).toBe(true);
    expect(Object.values(CURRENCY_MINOR_UNITS).every((minor) => [0, 2, 3, 4].includes(minor))).toBe(true);
    expect([...CURRENCY_CODES].sort()).toEqual(CURRENCY_CODES);
  });

  it('lists no code the runtime does not know, apart from funds and codes newer than its ICU data', () => {
    // Intl lists current and historic codes; every one of ours that it knows must be a real currency.
    const runtime = new Set(Intl.supportedValuesOf('currency'));
    const funds = ['BOV', 'CHE', 'CHW', 'CLF', 'COU', 'MXV', 'USN', 'UYI', 'UYW', 'VED', 'XCG', 'ZWG', 'SLE'];
    expect(CURRENCY_CODES.filter((code) => !runtime.has(code) && !funds.includes(code))).toEqual([]);
  });

  it('refuses unknown, lower-case and no-minor-unit codes', () => {
    for (const code of ['usd', 'XYZ', 'US', 'USDD', 'XAU', 'XXX', 'XTS', '']) expect(isCurrencyCode(code)).toBe(false);
    expect(() => currencyMinorUnit('ABC')).toThrow(ValidationError);
  });

  it('does not mistake Object.prototype keys for currencies', () => {
    expect(isCurrencyCode('constructor')).toBe(false);
    expect(isCurrencyCode('__proto__')).toBe(false);
  });
});
