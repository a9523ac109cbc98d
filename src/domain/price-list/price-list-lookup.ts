import { type DecimalInput, Money, Quantity } from '../money/index.js';
import type { ItemPrice } from './price-list-state.js';

/**
 * Where a looked-up rate came from, in the order they are tried:
 * a price for this customer in the line's unit, a general price in the line's unit, then a price per stock unit
 * (this customer's, then general) multiplied by the unit's conversion factor.
 */
export type ItemPriceSource =
  | 'customer_price'
  | 'general_price'
  | 'customer_stock_unit_price'
  | 'general_stock_unit_price';

/** What {@link lookupItemPrice} looks for. */
export interface ItemPriceQuery {
  readonly priceListId: string;
  readonly itemCode: string;
  /** The customer, for customer-specific prices. Omit (or `null`) for general prices only. */
  readonly customerId?: string | null | undefined;
  /** The line's unit. @defaultValue the stock unit */
  readonly unit?: string | null | undefined;
  /** The item's stock unit: a price without a unit is per stock unit. */
  readonly stockUnit: string;
  /** Stock units in one `unit`, for the stock-unit fallback. @defaultValue `1` */
  readonly conversionFactor?: DecimalInput | undefined;
  /** The transaction date, `YYYY-MM-DD`; a price applies from `validFrom` to `validUpto` inclusive. */
  readonly date: string;
}

/** A price found by {@link lookupItemPrice}. */
export interface ItemPriceLookup {
  /** Rate per one of the query's unit (the stock-unit price already multiplied by the factor). */
  readonly rate: Money;
  readonly source: ItemPriceSource;
  /** The item price that was used. */
  readonly itemPrice: ItemPrice;
  /** The factor the price was multiplied by: `"1"` unless the stock-unit fallback was used. */
  readonly conversionFactor: string;
  /** One sentence saying which price was used and why. */
  readonly explanation: string;
}

/** True when `date` lies in the price's validity period (both ends inclusive, open when `null`). */
export function isItemPriceValidOn(price: ItemPrice, date: string): boolean {
  return (price.validFrom === null || price.validFrom <= date) && (price.validUpto === null || date <= price.validUpto);
}

/** Latest valid-from wins (no valid-from counts as the earliest); the id breaks exact ties so the result is stable. */
function latest(candidates: readonly ItemPrice[]): ItemPrice | undefined {
  let best: ItemPrice | undefined;
  for (const price of candidates) {
    if (!best) {
      best = price;
      continue;
    }
    const a = price.validFrom ?? '';
    const b = best.validFrom ?? '';
    if (a > b || (a === b && price.itemPriceId < best.itemPriceId)) best = price;
  }
  return best;
}

/**
 * Finds the rate of an item in a price list for a customer, unit and date (ERPNext's price-list rate).
 *
 * @remarks
 * Tried in order, the first that has a valid price wins: a customer-specific price in the line's unit, a
 * general price in the line's unit, a customer-specific price per stock unit × conversion factor, a general
 * price per stock unit × conversion factor. Within one step the price with the latest valid-from date wins.
 * A price without a unit is per stock unit. Prices of other lists or items are ignored, so all prices of
 * several lists may be passed at once.
 *
 * @returns the rate and where it came from, or `null` when the list has no valid price for the item.
 */
export function lookupItemPrice(prices: readonly ItemPrice[], query: ItemPriceQuery): ItemPriceLookup | null {
  const unit = query.unit ?? query.stockUnit;
  const customerId = query.customerId ?? null;
  const valid = prices.filter(
    (price) =>
      price.priceListId === query.priceListId &&
      price.itemCode === query.itemCode &&
      isItemPriceValidOn(price, query.date),
  );
  const inUnit = (price: ItemPrice, wanted: string) => (price.unit ?? query.stockUnit) === wanted;

  const steps: { source: ItemPriceSource; customer: string | null; unit: string; scaled: boolean }[] = [];
  if (customerId !== null) steps.push({ source: 'customer_price', customer: customerId, unit, scaled: false });
  steps.push({ source: 'general_price', customer: null, unit, scaled: false });
  if (unit !== query.stockUnit) {
    if (customerId !== null) {
      steps.push({ source: 'customer_stock_unit_price', customer: customerId, unit: query.stockUnit, scaled: true });
    }
    steps.push({ source: 'general_stock_unit_price', customer: null, unit: query.stockUnit, scaled: true });
  }

  for (const step of steps) {
    const found = latest(valid.filter((price) => price.customerId === step.customer && inUnit(price, step.unit)));
    if (!found) continue;
    const factor = step.scaled ? Quantity.of(query.conversionFactor ?? 1) : Quantity.of(1);
    const base = Money.fromJSON(found.rate);
    const rate = base.multiply(factor);
    const who = step.customer === null ? 'general' : `customer "${step.customer}"'s`;
    const explanation = step.scaled
      ? `${who} price ${base} per ${query.stockUnit} in price list "${query.priceListId}" × conversion factor ${factor.value} = ${rate} per ${unit}`
      : `${who} price ${rate} per ${unit} in price list "${query.priceListId}"`;
    return { rate, source: step.source, itemPrice: found, conversionFactor: factor.value, explanation };
  }
  return null;
}
