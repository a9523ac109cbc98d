import { z } from 'zod';
import { parseOrThrow } from '../../kernel/validation.js';

/** Frappe's name limit; ids longer than this could not round-trip through an ERPNext import. */
const MAX_ID_LENGTH = 140;

/** Validates a sales order id: a non-empty string of at most 140 characters, branded {@link SalesOrderId}. */
export const SalesOrderIdSchema = z.string().min(1).max(MAX_ID_LENGTH).brand<'SalesOrderId'>();
/** The id of a sales order, e.g. `"SO-2026-00001"` or a UUID. It is also the suffix of the order's stream id. */
export type SalesOrderId = z.output<typeof SalesOrderIdSchema>;
/**
 * Checks and brands a sales order id.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function SalesOrderId(value: string): SalesOrderId {
  return parseOrThrow(SalesOrderIdSchema, value);
}

/** Validates a sales order line id, branded {@link SalesOrderLineId}. */
export const SalesOrderLineIdSchema = z.string().min(1).max(MAX_ID_LENGTH).brand<'SalesOrderLineId'>();
/**
 * The id of one line of a sales order (ERPNext's `so_detail`). Unique within its order; generated with
 * `ctx.newId()` when a command does not give one, so deliveries and invoices can point at a line.
 */
export type SalesOrderLineId = z.output<typeof SalesOrderLineIdSchema>;
/**
 * Checks and brands a sales order line id.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function SalesOrderLineId(value: string): SalesOrderLineId {
  return parseOrThrow(SalesOrderLineIdSchema, value);
}

/** Validates the id of a tax row of a sales order (unique within its order; not branded: it is local to one order). */
export const SalesOrderTaxIdSchema = z.string().min(1).max(MAX_ID_LENGTH);

/** The stream prefix of sales orders: the stream of order `SO-1` is `"SalesOrder-SO-1"`. */
export const SALES_ORDER_STREAM_PREFIX = 'SalesOrder-';

/** The id of the event stream that holds the order `orderId`. */
export function salesOrderStreamId(orderId: string): string {
  return `${SALES_ORDER_STREAM_PREFIX}${orderId}`;
}
