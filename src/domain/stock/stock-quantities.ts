import { Quantity } from '../money/index.js';
import type { StockState } from './stock-state.js';

/** What the stock figures of an item in a warehouse need: actual and reserved quantity. */
export interface StockLevel {
  readonly actualQty: string;
  readonly reservedQty: string;
}

/** Projected quantity = actual − reserved (may be negative: more is promised than is there). */
export function projectedQty(stock: StockLevel): Quantity {
  return Quantity.of(stock.actualQty).subtract(stock.reservedQty);
}

/** What may be issued for anything other than the hard reservations' orders: actual − hard-reserved. */
export function availableToIssue(stock: Pick<StockState, 'actualQty' | 'hardReservedQty'>): Quantity {
  return Quantity.of(stock.actualQty).subtract(stock.hardReservedQty);
}
