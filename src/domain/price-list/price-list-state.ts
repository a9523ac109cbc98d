import type { z } from 'zod';
import type { ItemPriceSchema } from './price-list-events.js';
import type { PriceListId } from './price-list-ids.js';

/** One item price: a rate for an item in a price list, optionally per unit, per customer and per period. */
export type ItemPrice = z.output<typeof ItemPriceSchema>;

/** A price list's own facts. */
export interface PriceListRecord {
  readonly priceListId: PriceListId;
  readonly name: string;
  readonly currency: string;
  readonly selling: boolean;
  readonly buying: boolean;
  readonly enabled: boolean;
}

/** The PriceList aggregate's state: nothing before creation, then the list and its item prices. */
export type PriceListState =
  | { readonly exists: false }
  | { readonly exists: true; readonly priceList: PriceListRecord; readonly itemPrices: readonly ItemPrice[] };

/** Where folding a price-list stream starts. */
export const initialPriceListState: PriceListState = { exists: false };
