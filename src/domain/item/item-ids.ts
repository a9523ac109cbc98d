import { z } from 'zod';
import { parseOrThrow } from '../../kernel/validation.js';

/** Frappe's name limit; ids longer than this could not round-trip through an ERPNext import. */
const MAX_ID_LENGTH = 140;

/** The stream prefix of items: the stream of item `W-1` is `"Item-W-1"`. */
export const ITEM_STREAM_PREFIX = 'Item-';

/** The id of the event stream that holds the item `itemCode`. */
export function itemStreamId(itemCode: string): string {
  return `${ITEM_STREAM_PREFIX}${itemCode}`;
}

/** Validates an item code: a non-empty string of at most 140 characters, branded {@link ItemCode}. */
export const ItemCodeSchema = z.string().min(1).max(MAX_ID_LENGTH).brand<'ItemCode'>();
/** The code that identifies an item (ERPNext's `item_code`), e.g. `"WIDGET-01"`. */
export type ItemCode = z.output<typeof ItemCodeSchema>;
/**
 * Checks and brands an item code.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function ItemCode(value: string): ItemCode {
  return parseOrThrow(ItemCodeSchema, value);
}

/** Validates an item group id, branded {@link ItemGroupId}. */
export const ItemGroupIdSchema = z.string().min(1).max(MAX_ID_LENGTH).brand<'ItemGroupId'>();
/** The id of a node in the item-group tree, e.g. `"All Item Groups"` or `"Widgets"`. */
export type ItemGroupId = z.output<typeof ItemGroupIdSchema>;
/**
 * Checks and brands an item group id.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function ItemGroupId(value: string): ItemGroupId {
  return parseOrThrow(ItemGroupIdSchema, value);
}

/** Validates a brand id, branded {@link BrandId}. */
export const BrandIdSchema = z.string().min(1).max(MAX_ID_LENGTH).brand<'BrandId'>();
/** The id of a brand, e.g. `"Acme"`. */
export type BrandId = z.output<typeof BrandIdSchema>;
/**
 * Checks and brands a brand id.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function BrandId(value: string): BrandId {
  return parseOrThrow(BrandIdSchema, value);
}

/**
 * Validates a unit of measure name (`"Nos"`, `"Box"`, `"Kg"`). Units are names, not ids, so they are not
 * branded: they are compared as written (ERPNext's UOM names are case-sensitive too).
 */
export const UnitSchema = z.string().min(1).max(MAX_ID_LENGTH);
