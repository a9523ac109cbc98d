import { ValidationError, type ValidationIssue } from '../../kernel/errors.js';
import { Dec, toDec } from './decimal.js';

/**
 * Splits `amount` in proportion to `ratios` so that the parts add up to exactly `amount`.
 *
 * @remarks
 * Works in units of 10^-`scale` (the caller passes the currency's minor unit, or more when the amount has more
 * decimals, so that every unit of the amount is distributed). Largest-remainder method: each part first gets the
 * floor of its exact share; the units left over go one each to the parts with the largest remainders, ties to the
 * earlier part. All of it in bigint, so no step rounds. A negative amount is split as its absolute value and
 * every part negated, so `allocate(-x)` is `allocate(x)` negated part by part.
 *
 * @internal
 */
export function allocateDecimal(amount: Dec, scale: number, ratios: readonly unknown[]): Dec[] {
  const weights = ratioWeights(ratios);
  const pow = new Dec(10).pow(scale);
  const units = BigInt(amount.abs().times(pow).toFixed(0));
  const total = weights.reduce((sum, weight) => sum + weight, 0n);

  const shares = weights.map((weight) => (units * weight) / total);
  const remainders = weights.map((weight) => (units * weight) % total);
  let leftover = units - shares.reduce((sum, share) => sum + share, 0n);

  const order = weights.map((_, index) => index);
  order.sort((a, b) => {
    const ra = remainders[a]!;
    const rb = remainders[b]!;
    return ra === rb ? a - b : ra > rb ? -1 : 1;
  });
  for (const index of order) {
    if (leftover === 0n) break;
    shares[index] = shares[index]! + 1n;
    leftover -= 1n;
  }

  const negative = amount.isNegative();
  return shares.map((share) => {
    const part = new Dec(share.toString()).div(pow);
    return negative && !part.isZero() ? part.negated() : part;
  });
}

/** Validates the ratios and scales them to integers with one common factor, so the split stays exact. */
function ratioWeights(ratios: readonly unknown[]): bigint[] {
  const issues: ValidationIssue[] = [];
  if (!Array.isArray(ratios) || ratios.length === 0) {
    throw new ValidationError([{ path: ['ratios'], message: 'at least one ratio is required', code: 'too_small' }]);
  }
  const values = ratios.map((ratio, index) => {
    const value = toDec(ratio, ['ratios', index]);
    if (value.isNegative()) {
      issues.push({ path: ['ratios', index], message: `ratio ${value.toFixed()} is negative`, code: 'too_small' });
    }
    return value;
  });
  if (issues.length > 0) throw new ValidationError(issues);
  if (values.every((value) => value.isZero())) {
    throw new ValidationError([{ path: ['ratios'], message: 'ratios must not all be zero', code: 'invalid_value' }]);
  }
  const places = Math.max(...values.map((value) => value.decimalPlaces()));
  const pow = new Dec(10).pow(places);
  return values.map((value) => BigInt(value.times(pow).toFixed(0)));
}
