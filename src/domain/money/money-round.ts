import { checkPlaces, Dec } from './decimal.js';
import { decimalRounding, type RoundingMode } from './rounding-mode.js';

/**
 * Rounds `value` to `places` fraction digits with `mode`. Shared by `Money#round`, `Money#roundTo` and the
 * `round` of `Quantity` and `Percentage`, so every value object rounds the same way.
 *
 * @internal
 */
export function roundDecimal(value: Dec, places: number, mode: RoundingMode = 'half-even'): Dec {
  const result = value.toDecimalPlaces(checkPlaces(places), decimalRounding(mode));
  // -0.001 rounded down is -0; one zero keeps equality and JSON canonical.
  return result.isZero() ? new Dec(0) : result;
}
