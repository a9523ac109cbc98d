import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CurrencyCodeSchema,
  DecimalStringSchema,
  DiscountPercentageSchema,
  MoneySchema,
  NonNegativePercentageSchema,
  NonNegativeQuantitySchema,
  PercentageSchema,
  PositiveQuantitySchema,
  QuantitySchema,
} from '../../../src/domain/money/index.js';
import { parseOrThrow } from '../../../src/kernel/validation.js';

const ok = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;

describe('DecimalStringSchema', () => {
  it.each(['0', '12.34', '-0.5', '100', '007', '-0', `${'9'.repeat(15)}.${'9'.repeat(30)}`])('accepts %j', (value) => {
    expect(ok(DecimalStringSchema, value)).toBe(true);
  });

  it.each(['1e3', '1.', '.5', '+1', ' 1', '1,5', '', '1_000', '1'.repeat(16), `0.${'1'.repeat(31)}`])(
    'refuses %j',
    (value) => {
      expect(ok(DecimalStringSchema, value)).toBe(false);
    },
  );

  it('refuses a JS number: decimals are stored as strings', () => {
    expect(ok(DecimalStringSchema, 12)).toBe(false);
  });
});

describe('quantity and percentage schemas', () => {
  it('lets QuantitySchema take negatives, as on returns', () => {
    expect(ok(QuantitySchema, '-2')).toBe(true);
  });

  it('refuses negatives with NonNegativeQuantitySchema but accepts zero and -0', () => {
    expect(ok(NonNegativeQuantitySchema, '-0.001')).toBe(false);
    expect(ok(NonNegativeQuantitySchema, '0')).toBe(true);
    expect(ok(NonNegativeQuantitySchema, '-0')).toBe(true);
  });

  it('refuses zero and negatives with PositiveQuantitySchema', () => {
    expect(ok(PositiveQuantitySchema, '0')).toBe(false);
    expect(ok(PositiveQuantitySchema, '-1')).toBe(false);
    expect(ok(PositiveQuantitySchema, '0.001')).toBe(true);
  });

  it('keeps percentages between 0 and 100 with DiscountPercentageSchema', () => {
    expect(['0', '7.5', '100'].map((value) => ok(DiscountPercentageSchema, value))).toEqual([true, true, true]);
    expect(['-0.1', '100.01'].map((value) => ok(DiscountPercentageSchema, value))).toEqual([false, false]);
    expect(ok(NonNegativePercentageSchema, '150')).toBe(true);
    expect(ok(NonNegativePercentageSchema, '-1')).toBe(false);
    expect(ok(PercentageSchema, '-1')).toBe(true);
  });

  it('reports one format issue, not a cascade, for a malformed string', () => {
    const result = PositiveQuantitySchema.safeParse('abc');
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
  });
});

describe('MoneySchema', () => {
  it('accepts the JSON form of money', () => {
    expect(MoneySchema.parse({ amount: '12.34', currency: 'USD' })).toEqual({ amount: '12.34', currency: 'USD' });
  });

  it('gives nested paths when used inside another schema', () => {
    const Line = z.object({ lines: z.array(z.object({ price: MoneySchema })) });
    const error = (() => {
      try {
        parseOrThrow(Line, { lines: [{ price: { amount: '1' } }, { price: { amount: 2, currency: 'EUR' } }] });
      } catch (caught) {
        return caught as { issues: { path: unknown[] }[] };
      }
      throw new Error('expected a validation error');
    })();
    expect(error.issues.map((issue) => issue.path)).toEqual([
      ['lines', 0, 'price', 'currency'],
      ['lines', 1, 'price', 'amount'],
    ]);
  });

  it('refuses unknown currency codes through CurrencyCodeSchema', () => {
    expect(ok(CurrencyCodeSchema, 'EUR')).toBe(true);
    expect(ok(CurrencyCodeSchema, 'eur')).toBe(false);
    expect(ok(CurrencyCodeSchema, 978)).toBe(false);
  });
});
