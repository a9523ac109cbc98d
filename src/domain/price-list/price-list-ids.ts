import { z } from 'zod';
import { parseOrThrow } from '../../kernel/validation.js';

/** The stream prefix of price lists: the stream of list `Standard Selling` is `"PriceList-Standard Selling"`. */
export const PRICE_LIST_STREAM_PREFIX = 'PriceList-';

/** The id of the event stream that holds the price list `priceListId` and its item prices. */
export function priceListStreamId(priceListId: string): string {
  return `${PRICE_LIST_STREAM_PREFIX}${priceListId}`;
}

/** Validates a price list id, branded {@link PriceListId}. */
export const PriceListIdSchema = z.string().min(1).max(140).brand<'PriceListId'>();
/** The id of a price list, e.g. `"Standard Selling"`. */
export type PriceListId = z.output<typeof PriceListIdSchema>;
/**
 * Checks and brands a price list id.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function PriceListId(value: string): PriceListId {
  return parseOrThrow(PriceListIdSchema, value);
}

/** Validates an item price id, branded {@link ItemPriceId}. */
export const ItemPriceIdSchema = z.string().min(1).max(140).brand<'ItemPriceId'>();
/** The id of one item price inside a price list. */
export type ItemPriceId = z.output<typeof ItemPriceIdSchema>;
/**
 * Checks and brands an item price id.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function ItemPriceId(value: string): ItemPriceId {
  return parseOrThrow(ItemPriceIdSchema, value);
}
