import { z } from 'zod';
import { defineEvent, type EventOf } from '../../kernel/event-registry.js';
import { ItemCodeSchema } from '../item/item-ids.js';
import { NonNegativeQuantitySchema, PositiveQuantitySchema } from '../money/index.js';
import { ReleaseReasonSchema, ReservationKindSchema, RestoreReasonSchema } from './stock-commands.js';
import { OrderLineRefSchema, OrderRefSchema, WarehouseIdSchema } from './stock-ids.js';

const location = { itemCode: ItemCodeSchema, warehouse: WarehouseIdSchema };
const line = { orderId: OrderRefSchema, lineId: OrderLineRefSchema };

/** Stock came in: actual quantity rose by `qty`. */
export const StockReceived = defineEvent({
  type: 'StockReceived',
  schemaVersion: 1,
  schema: z.object({ ...location, qty: PositiveQuantitySchema, reference: z.string().nullable() }),
});

/** Stock went out for something other than an order line: actual quantity fell by `qty`. */
export const StockIssued = defineEvent({
  type: 'StockIssued',
  schemaVersion: 1,
  schema: z.object({ ...location, qty: PositiveQuantitySchema, reference: z.string().nullable() }),
});

/**
 * Stock was delivered for an order line: actual quantity fell by `qty` and the line's reservation by
 * `reservationReduced` (at most what it had outstanding).
 */
export const StockDelivered = defineEvent({
  type: 'StockDelivered',
  schemaVersion: 1,
  schema: z.object({
    ...location,
    ...line,
    qty: PositiveQuantitySchema,
    reservationReduced: NonNegativeQuantitySchema,
    reference: z.string().nullable(),
  }),
});

/** Stock was reserved for an order line. */
export const StockReserved = defineEvent({
  type: 'StockReserved',
  schemaVersion: 1,
  schema: z.object({ ...location, ...line, qty: PositiveQuantitySchema, kind: ReservationKindSchema }),
});

/** An active reservation's outstanding quantity was set from `previousQty` to `qty`. */
export const StockReservationAdjusted = defineEvent({
  type: 'StockReservationAdjusted',
  schemaVersion: 1,
  schema: z.object({ ...location, ...line, previousQty: NonNegativeQuantitySchema, qty: NonNegativeQuantitySchema }),
});

/** An active reservation was released: reserved quantity fell by `qty`, which a restore brings back. */
export const StockReservationReleased = defineEvent({
  type: 'StockReservationReleased',
  schemaVersion: 1,
  schema: z.object({ ...location, ...line, qty: PositiveQuantitySchema, reason: ReleaseReasonSchema }),
});

/** A released reservation became active again: reserved quantity rose by `qty`. */
export const StockReservationRestored = defineEvent({
  type: 'StockReservationRestored',
  schemaVersion: 1,
  schema: z.object({ ...location, ...line, qty: PositiveQuantitySchema, reason: RestoreReasonSchema }),
});

/** Every Stock event definition, for the event registry. */
export const stockEvents = [
  StockReceived,
  StockIssued,
  StockDelivered,
  StockReserved,
  StockReservationAdjusted,
  StockReservationReleased,
  StockReservationRestored,
] as const;

/** The `{ type, data }` union of Stock events. */
export type StockEvent = EventOf<typeof stockEvents>;
