import type { z } from 'zod';
import { DecimalStringSchema, decimalStringWhere } from './decimal-schema.js';

/**
 * A quantity as stored: a decimal string (`"1.5"`, `"-2"`). Negative values are allowed, as on returns and
 * stock adjustments; use {@link NonNegativeQuantitySchema} or {@link PositiveQuantitySchema} where ERPNext
 * refuses them.
 */
export const QuantitySchema: z.ZodType<string> = DecimalStringSchema;

/** A quantity that may not be negative (stock on hand, delivered quantity, a price). */
export const NonNegativeQuantitySchema: z.ZodType<string> = decimalStringWhere(
  (value) => value.gte(0),
  'must not be negative',
);

/** A quantity that must be greater than zero (an ordered line quantity, a conversion factor). */
export const PositiveQuantitySchema: z.ZodType<string> = decimalStringWhere(
  (value) => value.gt(0),
  'must be greater than zero',
);
