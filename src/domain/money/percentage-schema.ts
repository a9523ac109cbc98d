import type { z } from 'zod';
import { DecimalStringSchema, decimalStringWhere } from './decimal-schema.js';

/** A percentage as stored: a decimal string of percent points, `"7.5"` for 7.5 %. Any sign, any size in bound. */
export const PercentageSchema: z.ZodType<string> = DecimalStringSchema;

/** A percentage that may not be negative (a tax rate, a margin). */
export const NonNegativePercentageSchema: z.ZodType<string> = decimalStringWhere(
  (value) => value.gte(0),
  'must not be negative',
);

/** A discount percentage: from 0 to 100 inclusive, as ERPNext allows on lines and orders. */
export const DiscountPercentageSchema: z.ZodType<string> = decimalStringWhere(
  (value) => value.gte(0) && value.lte(100),
  'must be between 0 and 100',
);
