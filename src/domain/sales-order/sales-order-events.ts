import { z } from 'zod';
import { defineEvent, type EventOf } from '../../kernel/event-registry.js';
import { CurrencyCodeSchema, DecimalStringSchema, MoneySchema, QuantitySchema } from '../money/index.js';
import { SalesOrderIdSchema, SalesOrderLineIdSchema, SalesOrderTaxIdSchema } from './sales-order-ids.js';
import {
  CompanyRefSchema,
  CustomerRefSchema,
  IsoDateSchema,
  PriceListRefSchema,
  SalesOrderDiscountSchema,
  SalesOrderLineDataSchema,
  SalesOrderPricingSchema,
  SalesOrderTaxSchema,
} from './sales-order-values.js';

const Instant = z.iso.datetime();
const Reference = z.string().min(1).max(140).nullable();

/**
 * A draft order was created for a customer, with the rounding it will use for its whole life and, when known, the
 * price list it is priced from. `priceListId` is optional (absent in events stored before it existed, and when the
 * creator named none), so adding it needed no new schema version.
 */
export const SalesOrderCreated = defineEvent({
  type: 'SalesOrderCreated',
  schemaVersion: 1,
  schema: z.object({
    orderId: SalesOrderIdSchema,
    customerId: CustomerRefSchema,
    company: CompanyRefSchema,
    currency: CurrencyCodeSchema,
    transactionDate: IsoDateSchema,
    deliveryDate: IsoDateSchema.nullable(),
    priceListId: PriceListRefSchema.optional(),
    pricing: SalesOrderPricingSchema,
    createdAt: Instant,
  }),
});

/** A line was added (to a draft, or to a submitted order through `UpdateSalesOrderItems`). Carries the whole line. */
export const SalesOrderLineAdded = defineEvent({
  type: 'SalesOrderLineAdded',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema, line: SalesOrderLineDataSchema }),
});

/** A line was changed; carries the whole line as it is now, rate resolved. */
export const SalesOrderLineUpdated = defineEvent({
  type: 'SalesOrderLineUpdated',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema, line: SalesOrderLineDataSchema }),
});

/** A line was removed. */
export const SalesOrderLineRemoved = defineEvent({
  type: 'SalesOrderLineRemoved',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema, lineId: SalesOrderLineIdSchema }),
});

/** The order-level discount was set (replacing any earlier one). */
export const SalesOrderDiscountSet = defineEvent({
  type: 'SalesOrderDiscountSet',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema, discount: SalesOrderDiscountSchema }),
});

/** The order-level discount was removed. */
export const SalesOrderDiscountRemoved = defineEvent({
  type: 'SalesOrderDiscountRemoved',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema }),
});

/** A tax or charge row was appended (rows apply in the order they were added). */
export const SalesOrderTaxAdded = defineEvent({
  type: 'SalesOrderTaxAdded',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema, tax: SalesOrderTaxSchema }),
});

/** A tax or charge row was removed. */
export const SalesOrderTaxRemoved = defineEvent({
  type: 'SalesOrderTaxRemoved',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema, taxId: SalesOrderTaxIdSchema }),
});

/** The header delivery date of a draft was set or cleared. */
export const SalesOrderDeliveryDateSet = defineEvent({
  type: 'SalesOrderDeliveryDateSet',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema, deliveryDate: IsoDateSchema.nullable() }),
});

/**
 * The draft was submitted. Lines without a delivery date take the header's; the header date becomes the latest
 * line date (`deliveryDate`). `grandTotal` is informative, for read models that do not fold the order.
 */
export const SalesOrderSubmitted = defineEvent({
  type: 'SalesOrderSubmitted',
  schemaVersion: 1,
  schema: z.object({
    orderId: SalesOrderIdSchema,
    customerId: CustomerRefSchema,
    deliveryDate: IsoDateSchema,
    grandTotal: MoneySchema,
    submittedAt: Instant,
  }),
});

/** The submitted order was put on hold (nothing can be delivered or billed until it is resumed). */
export const SalesOrderPutOnHold = defineEvent({
  type: 'SalesOrderPutOnHold',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema, reason: z.string().max(1000).nullable(), at: Instant }),
});

/** The order on hold was resumed. */
export const SalesOrderResumed = defineEvent({
  type: 'SalesOrderResumed',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema, at: Instant }),
});

/** The submitted order was closed: nothing more will be delivered or billed, and it no longer counts as unbilled. */
export const SalesOrderClosed = defineEvent({
  type: 'SalesOrderClosed',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema, at: Instant }),
});

/** The closed order was re-opened. */
export const SalesOrderReopened = defineEvent({
  type: 'SalesOrderReopened',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema, at: Instant }),
});

/** The submitted order was cancelled. Final. */
export const SalesOrderCancelled = defineEvent({
  type: 'SalesOrderCancelled',
  schemaVersion: 1,
  schema: z.object({ orderId: SalesOrderIdSchema, reason: z.string().max(1000).nullable(), at: Instant }),
});

/** Quantities were delivered against lines (e.g. by a delivery note, named by `reference`). */
export const SalesOrderDeliveryRecorded = defineEvent({
  type: 'SalesOrderDeliveryRecorded',
  schemaVersion: 1,
  schema: z.object({
    orderId: SalesOrderIdSchema,
    reference: Reference,
    lines: z.array(z.object({ lineId: SalesOrderLineIdSchema, qty: QuantitySchema })).min(1),
    at: Instant,
  }),
});

/** Amounts were billed against lines (e.g. by a sales invoice, named by `reference`), in the order's currency. */
export const SalesOrderBillingRecorded = defineEvent({
  type: 'SalesOrderBillingRecorded',
  schemaVersion: 1,
  schema: z.object({
    orderId: SalesOrderIdSchema,
    reference: Reference,
    lines: z.array(z.object({ lineId: SalesOrderLineIdSchema, amount: DecimalStringSchema })).min(1),
    at: Instant,
  }),
});

/** Every sales order event definition, for building an event registry. */
export const salesOrderEventDefinitions = [
  SalesOrderCreated,
  SalesOrderLineAdded,
  SalesOrderLineUpdated,
  SalesOrderLineRemoved,
  SalesOrderDiscountSet,
  SalesOrderDiscountRemoved,
  SalesOrderTaxAdded,
  SalesOrderTaxRemoved,
  SalesOrderDeliveryDateSet,
  SalesOrderSubmitted,
  SalesOrderPutOnHold,
  SalesOrderResumed,
  SalesOrderClosed,
  SalesOrderReopened,
  SalesOrderCancelled,
  SalesOrderDeliveryRecorded,
  SalesOrderBillingRecorded,
] as const;

/** Any sales order event, as `{ type, data }`. */
export type SalesOrderEvent = EventOf<typeof salesOrderEventDefinitions>;
/** The type names of sales order events. */
export type SalesOrderEventType = SalesOrderEvent['type'];
/** The event of one type, e.g. `SalesOrderEventOfType<'SalesOrderSubmitted'>`. */
export type SalesOrderEventOfType<T extends SalesOrderEventType> = Extract<SalesOrderEvent, { type: T }>;
