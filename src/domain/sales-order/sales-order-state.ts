import { z } from 'zod';
import type { JsonValue } from '../../kernel/event.js';
import { parseOrThrow } from '../../kernel/validation.js';
import { CurrencyCodeSchema, DecimalStringSchema, Money, Quantity, QuantitySchema } from '../money/index.js';
import { type SalesOrderId, SalesOrderIdSchema } from './sales-order-ids.js';
import { roundMoney } from './sales-order-rounding.js';
import {
  billingStatusOf,
  deliveryStatusOf,
  deriveSalesOrderStatus,
  percentBilled,
  percentDelivered,
  type SalesOrderBillingStatus,
  type SalesOrderDeliveryStatus,
  type SalesOrderDocStatus,
  type SalesOrderStatus,
} from './sales-order-status.js';
import { computeSalesOrderTotals, type SalesOrderTotals } from './sales-order-totals.js';
import {
  CompanyRefSchema,
  CustomerRefSchema,
  IsoDateSchema,
  PriceListRefSchema,
  type SalesOrderDiscount,
  SalesOrderDiscountSchema,
  type SalesOrderLineData,
  SalesOrderLineDataSchema,
  type SalesOrderPricing,
  SalesOrderPricingSchema,
  type SalesOrderTax,
  SalesOrderTaxSchema,
} from './sales-order-values.js';

/** What the order records about a line besides its data: progress of delivery and billing. */
export interface SalesOrderLineProgress {
  /** Quantity delivered so far (ERPNext's `delivered_qty`). */
  readonly deliveredQty: string;
  /** Amount billed so far (ERPNext's `billed_amt`), in the order's currency. */
  readonly billedAmount: string;
  /** Whether any billing was recorded against the line (decides `perBilled` for zero-amount orders). */
  readonly billingRecorded: boolean;
}

/** The figures of a line computed from the order (see `SalesOrderTotals`), kept on the line for readers. */
export interface SalesOrderLineFigures {
  /** `rate × qty` rounded to the currency. */
  readonly amount: string;
  /** The line's share of the order-level discount. */
  readonly discountAmount: string;
  /** `amount - discountAmount`: what taxes are computed on. */
  readonly netAmount: string;
}

/** One line of an order in the state: its data, its delivery and billing progress, and its computed figures. */
export interface SalesOrderLine extends SalesOrderLineData, SalesOrderLineProgress, SalesOrderLineFigures {}

/** The recorded (not computed) part of an order: what events set directly. Snapshots hold exactly this. */
export interface SalesOrderRecord {
  readonly exists: true;
  readonly orderId: SalesOrderId;
  readonly customerId: string;
  readonly company: string;
  /** ISO 4217 code of every amount of the order. */
  readonly currency: string;
  /** The order date (`YYYY-MM-DD`). */
  readonly transactionDate: string;
  /**
   * The order's delivery date. In a draft, the date given for lines without their own; from submit on, the latest
   * line delivery date (as ERPNext sets it).
   */
  readonly deliveryDate: string | null;
  /**
   * The price list the order is priced from (ERPNext's `selling_price_list`), as recorded at creation; lines added
   * after submit are priced from it. `null` when none was recorded (orders created before it was, or without one).
   */
  readonly priceListId: string | null;
  readonly pricing: SalesOrderPricing;
  readonly docStatus: SalesOrderDocStatus;
  readonly onHold: boolean;
  readonly holdReason: string | null;
  readonly closed: boolean;
  /** When the order was created / submitted / cancelled (ISO 8601 instants from the deciding context). */
  readonly createdAt: string;
  readonly submittedAt: string | null;
  readonly cancelledAt: string | null;
  readonly lines: readonly (SalesOrderLineData & SalesOrderLineProgress)[];
  readonly discount: SalesOrderDiscount | null;
  readonly taxes: readonly SalesOrderTax[];
}

/** An order's totals in the state: {@link SalesOrderTotals} without the per-line figures, which are on the lines. */
export type SalesOrderStateTotals = Omit<SalesOrderTotals, 'lines'>;

/**
 * An order that exists: its record plus everything derived from it, recomputed by `evolve` after every event so
 * readers (stock reservation, credit, invoicing, read models) never compute anything themselves.
 */
export interface ExistingSalesOrder extends Omit<SalesOrderRecord, 'lines'> {
  readonly lines: readonly SalesOrderLine[];
  readonly totals: SalesOrderStateTotals;
  /** Percent delivered, by quantity, 6 decimals rounded down (ERPNext's `per_delivered`). */
  readonly perDelivered: string;
  /** Percent billed, by amount, 6 decimals rounded down (ERPNext's `per_billed`). */
  readonly perBilled: string;
  readonly deliveryStatus: SalesOrderDeliveryStatus;
  readonly billingStatus: SalesOrderBillingStatus;
  /** The derived status (see `SalesOrderStatus`). */
  readonly status: SalesOrderStatus;
  /**
   * What is ordered but not billed yet, for credit checks: `grandTotal × (100 - perBilled) / 100` rounded, as
   * ERPNext counts unbilled sales orders; `0` for a draft, a cancelled or a closed order.
   */
  readonly unbilledAmount: string;
}

/** Before `SalesOrderCreated`: there is no order. */
export interface NoSalesOrder {
  readonly exists: false;
}

/** The state of a sales order stream: plain JSON (no classes), so it can be snapshotted as it is. */
export type SalesOrderState = NoSalesOrder | ExistingSalesOrder;

/** The state before any event. */
export const initialSalesOrderState: SalesOrderState = Object.freeze({ exists: false as const });

/**
 * What {@link deriveSalesOrder} may reuse from the state before an event, because the event cannot have changed it:
 * the totals (nothing priced changed) and the delivered or billed percentages (no line, delivery or billing changed).
 */
export interface SalesOrderDerivationReuse {
  readonly totals?: SalesOrderTotals;
  readonly perDelivered?: string;
  readonly perBilled?: string;
}

/**
 * Recomputes every derived field of an order from its record, except what `reuse` says is unchanged. The order
 * returned is frozen, with its lines array and every line.
 */
export function deriveSalesOrder(record: SalesOrderRecord, reuse: SalesOrderDerivationReuse = {}): ExistingSalesOrder {
  const { totals } = reuse;
  const computed =
    totals ??
    computeSalesOrderTotals({
      currency: record.currency,
      lines: record.lines,
      discount: record.discount,
      taxes: record.taxes,
      pricing: record.pricing,
    });
  // Frozen, as every state `evolve` returns: a state, its lines array and its lines are never mutated.
  const lines: readonly SalesOrderLine[] = Object.freeze(
    record.lines.map((line, index) => {
      const figures = computed.lines[index];
      return Object.freeze({
        ...line,
        amount: figures?.amount ?? '0',
        discountAmount: figures?.discountAmount ?? '0',
        netAmount: figures?.netAmount ?? '0',
      });
    }),
  );
  const { lines: _lineTotals, ...orderTotals } = computed;
  const submitted = record.docStatus === 'submitted';
  // A draft has nothing delivered or billed; only submitted (or since cancelled) orders have progress.
  const progressing = record.docStatus !== 'draft';
  const perDelivered = progressing ? (reuse.perDelivered ?? percentDelivered(lines)) : '0';
  const perBilled = progressing ? (reuse.perBilled ?? percentBilled(lines)) : '0';
  const unbilledAmount =
    submitted && !record.closed
      ? roundMoney(
          Money.of(orderTotals.grandTotal, record.currency).multiplyDivide(Quantity.of(100).subtract(perBilled), 100),
          record.pricing.roundingMethod,
        ).amount
      : Money.zero(record.currency).amount;
  return Object.freeze({
    ...record,
    lines,
    totals: orderTotals,
    perDelivered,
    perBilled,
    deliveryStatus: deliveryStatusOf(perDelivered),
    billingStatus: billingStatusOf(perBilled),
    status: deriveSalesOrderStatus({
      docStatus: record.docStatus,
      onHold: record.onHold,
      closed: record.closed,
      perDelivered,
      perBilled,
    }),
    unbilledAmount,
  });
}

/** The totals of an order including its per-line figures, as {@link computeSalesOrderTotals} returns them. */
export function totalsOf(order: ExistingSalesOrder): SalesOrderTotals {
  return {
    ...order.totals,
    lines: order.lines.map((line) => ({
      lineId: line.lineId,
      amount: line.amount,
      discountAmount: line.discountAmount,
      netAmount: line.netAmount,
    })),
  };
}

/** The recorded part of an order, without anything derived. */
export function recordOf(order: ExistingSalesOrder): SalesOrderRecord {
  return {
    exists: true,
    orderId: order.orderId,
    customerId: order.customerId,
    company: order.company,
    currency: order.currency,
    transactionDate: order.transactionDate,
    deliveryDate: order.deliveryDate,
    priceListId: order.priceListId,
    pricing: order.pricing,
    docStatus: order.docStatus,
    onHold: order.onHold,
    holdReason: order.holdReason,
    closed: order.closed,
    createdAt: order.createdAt,
    submittedAt: order.submittedAt,
    cancelledAt: order.cancelledAt,
    lines: order.lines.map((line) => ({
      lineId: line.lineId,
      itemCode: line.itemCode,
      qty: line.qty,
      uom: line.uom,
      priceListRate: line.priceListRate,
      discountPercentage: line.discountPercentage,
      rate: line.rate,
      deliveryDate: line.deliveryDate,
      warehouse: line.warehouse,
      deliveredQty: line.deliveredQty,
      billedAmount: line.billedAmount,
      billingRecorded: line.billingRecorded,
    })),
    discount: order.discount,
    taxes: order.taxes,
  };
}

const SalesOrderRecordSchema = z.object({
  exists: z.literal(true),
  orderId: SalesOrderIdSchema,
  customerId: CustomerRefSchema,
  company: CompanyRefSchema,
  currency: CurrencyCodeSchema,
  transactionDate: IsoDateSchema,
  deliveryDate: IsoDateSchema.nullable(),
  // Absent in snapshots taken before orders recorded their price list: those load as "none recorded".
  priceListId: PriceListRefSchema.nullable().default(null),
  pricing: SalesOrderPricingSchema,
  docStatus: z.enum(['draft', 'submitted', 'cancelled']),
  onHold: z.boolean(),
  holdReason: z.string().nullable(),
  closed: z.boolean(),
  createdAt: z.iso.datetime(),
  submittedAt: z.iso.datetime().nullable(),
  cancelledAt: z.iso.datetime().nullable(),
  lines: z.array(
    SalesOrderLineDataSchema.extend({
      deliveredQty: QuantitySchema,
      billedAmount: DecimalStringSchema,
      billingRecorded: z.boolean(),
    }),
  ),
  discount: SalesOrderDiscountSchema.nullable(),
  taxes: z.array(SalesOrderTaxSchema),
});

/**
 * Validates a snapshot: `{ exists: false }` or the recorded part of an order. Derived fields present in the input
 * are ignored (and recomputed), so a snapshot taken before a derivation changed still loads correctly.
 */
export const SalesOrderSnapshotSchema = z.discriminatedUnion('exists', [
  z.object({ exists: z.literal(false) }),
  SalesOrderRecordSchema,
]);

/** The version of the snapshot format, for stores that key snapshots by the state's schema version. */
export const SALES_ORDER_SNAPSHOT_VERSION = 1;

/**
 * The state as a JSON snapshot: the recorded part only (derived fields are recomputed on load).
 * `fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(s))))` equals `s`.
 */
export function toSalesOrderSnapshot(state: SalesOrderState): JsonValue {
  const snapshot = state.exists ? recordOf(state) : { exists: false };
  // A JSON round trip both proves the snapshot is plain JSON and hands out a copy the caller may keep.
  return JSON.parse(JSON.stringify(snapshot)) as JsonValue;
}

/**
 * Loads a snapshot made by {@link toSalesOrderSnapshot}.
 * @throws ValidationError (paths under `['snapshot']`) when it is not a valid sales order snapshot.
 */
export function fromSalesOrderSnapshot(snapshot: unknown): SalesOrderState {
  const parsed = parseOrThrow(SalesOrderSnapshotSchema, snapshot, ['snapshot']);
  return parsed.exists ? deriveSalesOrder(parsed) : initialSalesOrderState;
}
