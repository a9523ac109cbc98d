import { z } from 'zod';
import { ItemCodeSchema } from '../item/item-ids.js';
import { NonNegativeQuantitySchema, PositiveQuantitySchema } from '../money/index.js';
import { OrderLineRefSchema, OrderRefSchema, WarehouseIdSchema } from './stock-ids.js';

const location = { itemCode: ItemCodeSchema, warehouse: WarehouseIdSchema };

/** Why reservations are released: the order was cancelled, closed or put on hold. */
export const ReleaseReasonSchema = z.enum(['cancelled', 'closed', 'on_hold']);
/** Why released reservations come back: the order was re-opened or resumed. */
export const RestoreReasonSchema = z.enum(['re_opened', 'resumed']);
/**
 * A soft reservation only counts against projected quantity (it may make it negative); a hard reservation
 * needs the stock to be there and blocks issuing it for anything else.
 */
export const ReservationKindSchema = z.enum(['soft', 'hard']);

/** Books stock into the warehouse (a purchase receipt, a return, a positive adjustment). */
export const ReceiveStockSchema = z.strictObject({
  type: z.literal('ReceiveStock'),
  ...location,
  qty: PositiveQuantitySchema,
  /** The document that moved the stock, for the audit trail. */
  reference: z.string().min(1).max(140).optional(),
});

/** Takes stock out of the warehouse for something other than a reserved order line (scrap, transfer out). */
export const IssueStockSchema = z.strictObject({
  type: z.literal('IssueStock'),
  ...location,
  qty: PositiveQuantitySchema,
  reference: z.string().min(1).max(140).optional(),
  /** Let actual quantity go below zero (ERPNext's `allow_negative_stock`). Hard reservations still block. @defaultValue `false` */
  allowNegativeStock: z.boolean().default(false),
});

/** Delivers stock for an order line: issues it and reduces that line's reservation by up to the delivered qty. */
export const DeliverStockSchema = z.strictObject({
  type: z.literal('DeliverStock'),
  ...location,
  orderId: OrderRefSchema,
  lineId: OrderLineRefSchema,
  qty: PositiveQuantitySchema,
  reference: z.string().min(1).max(140).optional(),
  /** @defaultValue `false` */
  allowNegativeStock: z.boolean().default(false),
});

/** Reserves stock for an order line (in stock units). Repeating the same reservation changes nothing. */
export const ReserveStockSchema = z.strictObject({
  type: z.literal('ReserveStock'),
  ...location,
  orderId: OrderRefSchema,
  lineId: OrderLineRefSchema,
  qty: PositiveQuantitySchema,
  /** @defaultValue `'soft'` */
  kind: ReservationKindSchema.default('soft'),
});

/** Sets an active reservation's outstanding quantity (the order line's quantity changed after submit). */
export const AdjustStockReservationSchema = z.strictObject({
  type: z.literal('AdjustStockReservation'),
  ...location,
  orderId: OrderRefSchema,
  lineId: OrderLineRefSchema,
  /** The new outstanding reserved quantity; `0` keeps the reservation with nothing reserved. */
  qty: NonNegativeQuantitySchema,
});

/** Releases the order's active reservations here (one line with `lineId`, else all its lines). */
export const ReleaseStockReservationSchema = z.strictObject({
  type: z.literal('ReleaseStockReservation'),
  ...location,
  orderId: OrderRefSchema,
  lineId: OrderLineRefSchema.optional(),
  reason: ReleaseReasonSchema,
});

/** Brings back the order's released reservations here (one line with `lineId`, else all its lines). */
export const RestoreStockReservationSchema = z.strictObject({
  type: z.literal('RestoreStockReservation'),
  ...location,
  orderId: OrderRefSchema,
  lineId: OrderLineRefSchema.optional(),
  reason: RestoreReasonSchema,
});

/** Every command the Stock decider accepts, discriminated by `type`. Unknown keys are refused. */
export const StockCommandSchema = z.discriminatedUnion('type', [
  ReceiveStockSchema,
  IssueStockSchema,
  DeliverStockSchema,
  ReserveStockSchema,
  AdjustStockReservationSchema,
  ReleaseStockReservationSchema,
  RestoreStockReservationSchema,
]);

/** A command as a caller writes it (plain strings; validated and branded by `decide`). */
export type StockCommand = z.input<typeof StockCommandSchema>;
/** A command after validation. */
export type ParsedStockCommand = z.output<typeof StockCommandSchema>;
/** `'cancelled' | 'closed' | 'on_hold'`. */
export type ReleaseReason = z.output<typeof ReleaseReasonSchema>;
/** `'re_opened' | 'resumed'`. */
export type RestoreReason = z.output<typeof RestoreReasonSchema>;
/** `'soft' | 'hard'`. */
export type ReservationKind = z.output<typeof ReservationKindSchema>;
