import { z } from 'zod';
import { parseOrThrow } from '../../kernel/validation.js';

/** Validates a warehouse id, branded {@link WarehouseId}. */
export const WarehouseIdSchema = z.string().min(1).max(140).brand<'WarehouseId'>();
/** The id of a warehouse, e.g. `"Stores - ACME"`. */
export type WarehouseId = z.output<typeof WarehouseIdSchema>;
/**
 * Checks and brands a warehouse id.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function WarehouseId(value: string): WarehouseId {
  return parseOrThrow(WarehouseIdSchema, value);
}

/**
 * The id of the document a reservation or delivery belongs to (a sales order id). Kept as a plain non-empty
 * string so any order id type fits; the stock stream does not interpret it.
 */
export const OrderRefSchema = z.string().min(1).max(140);

/** The id of one line of that document; one reservation per order line. */
export const OrderLineRefSchema = z.string().min(1).max(140);

/**
 * The stream prefix of stock: the stock of item `W-1` in warehouse `Main` is the stream `"Stock-W-1@Main"`.
 */
export const STOCK_STREAM_PREFIX = 'Stock-';

/**
 * The stream holding the stock of one item in one warehouse: `Stock-<itemCode>@<warehouse>`.
 * Every movement and reservation of that pair goes to it, so its version orders them.
 */
export function stockStreamId(itemCode: string, warehouse: string): string {
  return `${STOCK_STREAM_PREFIX}${itemCode}@${warehouse}`;
}

/** The key of one reservation in the stock state: `<orderId>#<lineId>`. */
export function reservationKey(orderId: string, lineId: string): string {
  return `${orderId}#${lineId}`;
}
