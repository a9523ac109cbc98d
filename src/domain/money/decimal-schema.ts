import { z } from 'zod';
import { DECIMAL_PATTERN, Dec, decimalStringBoundProblem, MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS } from './decimal.js';

/**
 * A plain decimal string within Ordo's bound: `"12.34"`, `"-0.5"`, `"100"`.
 *
 * @remarks
 * No exponent, no `+`, no spaces, no thousands separators. At most 15 integer digits and 30 fraction digits
 * (leading zeros of the integer part and trailing zeros of the fraction do not count). This is how money amounts,
 * quantities and percentages are stored in events — never as JS numbers.
 */
export const DecimalStringSchema: z.ZodType<string> = z
  .string()
  .regex(DECIMAL_PATTERN, {
    error: 'expected a plain decimal string such as "12.34" (no exponent, spaces or "+")',
  })
  .superRefine((value, ctx) => {
    // Only in-format strings reach the bound check; otherwise the format issue above says enough.
    if (!DECIMAL_PATTERN.test(value)) return;
    const problem = decimalStringBoundProblem(value);
    if (problem !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${value} ${problem} (bound: ${MAX_INTEGER_DIGITS} integer, ${MAX_FRACTION_DIGITS} fraction digits)`,
        input: value,
      });
    }
  });

/** @internal A decimal-string schema with an extra check on the (valid, in-bound) value. */
export function decimalStringWhere(test: (value: Dec) => boolean, message: string): z.ZodType<string> {
  return DecimalStringSchema.refine((value) => !DECIMAL_PATTERN.test(value) || test(new Dec(value)), {
    error: message,
  });
}
