import { Quantity } from '../money/index.js';
import {
  billingShareOf,
  deliveryShareOf,
  percentBilledOf,
  percentDeliveredOf,
  sumBillingShares,
  sumDeliveryShares,
} from './sales-order-progress.js';

/**
 * Where an order is in its document life cycle (ERPNext's `docstatus`): `draft` (0), `submitted` (1),
 * `cancelled` (2). Hold and close are flags on a submitted order, not document states.
 */
export type SalesOrderDocStatus = 'draft' | 'submitted' | 'cancelled';

/** Every {@link SalesOrderStatus}, in precedence order (the first that applies wins). */
export const SALES_ORDER_STATUSES = [
  'on_hold',
  'closed',
  'cancelled',
  'completed',
  'to_deliver',
  'to_bill',
  'to_deliver_and_bill',
  'draft',
] as const;

/**
 * The status of an order, derived — never set — from its document status, its hold and close flags and its
 * delivered and billed percentages, with ERPNext's precedence:
 * `on_hold` > `closed` > `cancelled` > `completed` > `to_deliver` > `to_bill` > `to_deliver_and_bill` > `draft`.
 *
 * @remarks
 * For a submitted order that is neither on hold nor closed:
 * - `completed`: delivered 100 % and billed 100 %;
 * - `to_deliver`: billed 100 % but delivered less than 100 % (only delivery is left);
 * - `to_bill`: delivered 100 % but billed less than 100 % (only billing is left);
 * - `to_deliver_and_bill`: neither is at 100 %.
 */
export type SalesOrderStatus = (typeof SALES_ORDER_STATUSES)[number];

/** How much of an order was delivered (ERPNext's `delivery_status`). */
export type SalesOrderDeliveryStatus = 'not_delivered' | 'partly_delivered' | 'fully_delivered';
/** How much of an order was billed (ERPNext's `billing_status`). */
export type SalesOrderBillingStatus = 'not_billed' | 'partly_billed' | 'fully_billed';

export { PERCENT_DECIMALS } from './sales-order-progress.js';

/**
 * ERPNext's `per_delivered`: `Σ min(|delivered|, |qty|) / Σ |qty| × 100`, by quantity, each line capped at its
 * quantity so that over-delivering one line never makes up for another. `"0"` for an order without quantity.
 */
export function percentDelivered(lines: readonly { readonly qty: string; readonly deliveredQty: string }[]): string {
  return percentDeliveredOf(sumDeliveryShares(lines, deliveryShareOf));
}

/**
 * ERPNext's `per_billed`: `Σ min(|billed|, |amount|) / Σ |amount| × 100`, by amount (the line amount before the
 * order-level discount, which is what invoice lines bill), each line capped at its amount.
 *
 * @remarks
 * An order whose lines all have a zero amount (free items) has nothing to measure; as ERPNext does for such orders,
 * it counts as 100 % billed once a billing was recorded against every line, and 0 % before.
 */
export function percentBilled(
  lines: readonly { readonly amount: string; readonly billedAmount: string; readonly billingRecorded: boolean }[],
): string {
  return percentBilledOf(sumBillingShares(lines, billingShareOf));
}

function isComplete(percent: string): boolean {
  return Quantity.of(percent).greaterThanOrEqual(100);
}

/** `not_delivered` at 0 %, `fully_delivered` at 100 % (or more), `partly_delivered` in between. */
export function deliveryStatusOf(perDelivered: string): SalesOrderDeliveryStatus {
  if (isComplete(perDelivered)) return 'fully_delivered';
  return Quantity.of(perDelivered).isPositive() ? 'partly_delivered' : 'not_delivered';
}

/** `not_billed` at 0 %, `fully_billed` at 100 % (or more), `partly_billed` in between. */
export function billingStatusOf(perBilled: string): SalesOrderBillingStatus {
  if (isComplete(perBilled)) return 'fully_billed';
  return Quantity.of(perBilled).isPositive() ? 'partly_billed' : 'not_billed';
}

/** What `SalesOrder.status.derive` (`deriveSalesOrderStatus`) needs to derive a {@link SalesOrderStatus}. */
export interface SalesOrderStatusInput {
  readonly docStatus: SalesOrderDocStatus;
  readonly onHold: boolean;
  readonly closed: boolean;
  /** Percentage as a decimal string, e.g. `"50"`. */
  readonly perDelivered: string;
  /** Percentage as a decimal string, e.g. `"100"`. */
  readonly perBilled: string;
}

/** Derives the {@link SalesOrderStatus}, with ERPNext's precedence (see there). */
export function deriveSalesOrderStatus(input: SalesOrderStatusInput): SalesOrderStatus {
  if (input.onHold) return 'on_hold';
  if (input.closed) return 'closed';
  if (input.docStatus === 'cancelled') return 'cancelled';
  if (input.docStatus === 'draft') return 'draft';
  const delivered = isComplete(input.perDelivered);
  const billed = isComplete(input.perBilled);
  if (delivered && billed) return 'completed';
  if (billed) return 'to_deliver';
  if (delivered) return 'to_bill';
  return 'to_deliver_and_bill';
}
