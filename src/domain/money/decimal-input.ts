import type { Percentage } from './percentage.js';
import type { Quantity } from './quantity.js';

/**
 * What Ordo accepts wherever it needs a decimal number.
 *
 * @remarks
 * - a plain decimal string: `"12.34"`, `"-0.5"`, `"100"` (no exponent, no `+`, no spaces);
 * - a JS number only when it is an integer (`3`, `-10`): a float such as `0.1` is not exact, so `12.5` is refused
 *   with `VALIDATION_FAILED` — write `"12.5"`;
 * - a {@link Quantity} or a {@link Percentage} (its value, so `Percentage.of("7.5")` is the number 7.5).
 *
 * Every input must fit the supported bound: at most 15 integer and 30 fraction digits.
 */
export type DecimalInput = string | number | Quantity | Percentage;
