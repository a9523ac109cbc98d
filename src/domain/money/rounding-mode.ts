import { ValidationError } from '../../kernel/errors.js';
import { Dec, type DecRounding } from './decimal.js';

/**
 * How a value is rounded to fewer decimal places.
 *
 * @remarks
 * - `half-even` (banker's rounding, the default everywhere): a tie goes to the even neighbour — 2.5 → 2,
 *   3.5 → 4, -2.5 → -2. Unbiased over many roundings.
 * - `half-up`: a tie goes toward +∞ — 2.5 → 3, -2.5 → -2.
 * - `half-away-from-zero` ("commercial" rounding): a tie goes away from zero — 2.5 → 3, -2.5 → -3.
 * - `down`: toward zero (truncation) — 2.7 → 2, -2.7 → -2.
 * - `up`: away from zero — 2.1 → 3, -2.1 → -3.
 */
export type RoundingMode = 'half-even' | 'half-up' | 'half-away-from-zero' | 'down' | 'up';

/** Every {@link RoundingMode}, for schemas, menus and exhaustive tests. */
export const ROUNDING_MODES: readonly RoundingMode[] = Object.freeze([
  'half-even',
  'half-up',
  'half-away-from-zero',
  'down',
  'up',
] as const);

const DECIMAL_ROUNDING: Readonly<Record<RoundingMode, DecRounding>> = {
  'half-even': Dec.ROUND_HALF_EVEN,
  'half-up': Dec.ROUND_HALF_CEIL,
  'half-away-from-zero': Dec.ROUND_HALF_UP,
  down: Dec.ROUND_DOWN,
  up: Dec.ROUND_UP,
};

/** @internal decimal.js's rounding constant for `mode`; an unknown mode (from untyped callers) is a `VALIDATION_FAILED`. */
export function decimalRounding(mode: unknown): DecRounding {
  if (typeof mode === 'string' && Object.hasOwn(DECIMAL_ROUNDING, mode)) {
    return DECIMAL_ROUNDING[mode as RoundingMode];
  }
  throw new ValidationError([
    {
      path: ['mode'],
      message: `unknown rounding mode ${JSON.stringify(mode) ?? String(mode)}; expected one of ${ROUNDING_MODES.join(', ')}`,
      code: 'invalid_value',
    },
  ]);
}
