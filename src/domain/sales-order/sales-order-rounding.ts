import { Money, Quantity, type RoundingMode } from '../money/index.js';

/** The rounding methods a host can choose (Frappe's "Rounding Method" system setting). */
export const SALES_ORDER_ROUNDING_METHODS = ['half-even', 'commercial', 'erpnext-legacy'] as const;

/**
 * How a sales order rounds amounts to its currency.
 *
 * @remarks
 * - `half-even`: banker's rounding, ties to the even neighbour (Frappe's "Banker's Rounding").
 * - `commercial`: ties away from zero (Frappe's "Commercial Rounding").
 * - `erpnext-legacy`: Frappe's "Banker's Rounding (legacy)": a tie goes up (toward +∞) when rounding to one or
 *   more decimals, and to the even neighbour when rounding to whole units.
 */
export type SalesOrderRoundingMethod = (typeof SALES_ORDER_ROUNDING_METHODS)[number];

/** The Money rounding mode a method uses when rounding to `places` decimals. */
export function roundingModeFor(method: SalesOrderRoundingMethod, places: number): RoundingMode {
  switch (method) {
    case 'half-even':
      return 'half-even';
    case 'commercial':
      return 'half-away-from-zero';
    case 'erpnext-legacy':
      // The legacy Frappe routine only falls back to banker's rounding at precision 0; otherwise a tie goes up.
      return places === 0 ? 'half-even' : 'half-up';
  }
}

/** Rounds `value` to its currency's minor unit with `method`. */
export function roundMoney(value: Money, method: SalesOrderRoundingMethod): Money {
  return value.round(roundingModeFor(method, value.minorUnit));
}

/**
 * ERPNext's rounded total: the grand total rounded to the currency's smallest fraction.
 *
 * @remarks
 * With a smallest fraction `f` (e.g. CHF 0.05) ERPNext takes the remainder `r` of the grand total modulo `f`
 * (never negative, as Python's `%`), and rounds up by `f - r` when `r > f / 2`, otherwise down by `r` — so an exact
 * half goes down; this is ERPNext's rule, not the configured method. Without a smallest fraction the grand total is
 * rounded to whole units with the configured method. The result is then rounded to the currency's minor unit.
 */
export function roundGrandTotal(
  grandTotal: Money,
  method: SalesOrderRoundingMethod,
  smallestFraction: string | null,
): Money {
  if (smallestFraction === null) return grandTotal.roundTo(0, roundingModeFor(method, 0));
  const value = Quantity.of(grandTotal.amount);
  const quotient = value.divide(smallestFraction);
  let whole = quotient.round(0, 'down');
  // `down` truncates toward zero; a floor is needed so the remainder is never negative, as in Python.
  if (quotient.isNegative() && !whole.equals(quotient)) whole = whole.subtract(1);
  const remainder = value.subtract(whole.multiply(smallestFraction));
  const half = Quantity.of(smallestFraction).divide(2);
  const rounded = remainder.greaterThan(half)
    ? whole.add(1).multiply(smallestFraction)
    : whole.multiply(smallestFraction);
  return roundMoney(Money.of(rounded, grandTotal.currency), method);
}
