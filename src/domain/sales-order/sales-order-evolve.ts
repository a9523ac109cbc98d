import { type Draft, produce } from 'immer';
import { Money, Quantity } from '../money/index.js';
import type { SalesOrderEvent } from './sales-order-events.js';
import {
  deriveSalesOrder,
  type ExistingSalesOrder,
  type SalesOrderLine,
  type SalesOrderState,
  totalsOf,
} from './sales-order-state.js';
import type { SalesOrderLineData } from './sales-order-values.js';

/** Events that change what the totals are computed from; the others only touch progress, dates or flags. */
const TOTALS_EVENTS: ReadonlySet<SalesOrderEvent['type']> = new Set([
  'SalesOrderLineAdded',
  'SalesOrderLineUpdated',
  'SalesOrderLineRemoved',
  'SalesOrderDiscountSet',
  'SalesOrderDiscountRemoved',
  'SalesOrderTaxAdded',
  'SalesOrderTaxRemoved',
]);

function newLine(data: SalesOrderLineData, currency: string): SalesOrderLine {
  // The figures are placeholders: `deriveSalesOrder` recomputes them right after.
  return {
    ...data,
    deliveredQty: '0',
    billedAmount: Money.zero(currency).amount,
    billingRecorded: false,
    amount: '0',
    discountAmount: '0',
    netAmount: '0',
  };
}

function latestDate(dates: readonly (string | null)[]): string | null {
  let latest: string | null = null;
  for (const date of dates) if (date !== null && (latest === null || date > latest)) latest = date;
  return latest;
}

function apply(draft: Draft<ExistingSalesOrder>, event: SalesOrderEvent): void {
  switch (event.type) {
    case 'SalesOrderCreated':
      return; // handled by the caller: it starts a new order
    case 'SalesOrderLineAdded':
      draft.lines.push(newLine(event.data.line, draft.currency));
      return;
    case 'SalesOrderLineUpdated': {
      const index = draft.lines.findIndex((line) => line.lineId === event.data.line.lineId);
      const current = draft.lines[index];
      if (current) draft.lines[index] = { ...current, ...event.data.line };
      return;
    }
    case 'SalesOrderLineRemoved':
      draft.lines = draft.lines.filter((line) => line.lineId !== event.data.lineId);
      return;
    case 'SalesOrderDiscountSet':
      draft.discount = event.data.discount;
      return;
    case 'SalesOrderDiscountRemoved':
      draft.discount = null;
      return;
    case 'SalesOrderTaxAdded':
      draft.taxes.push(event.data.tax);
      return;
    case 'SalesOrderTaxRemoved':
      draft.taxes = draft.taxes.filter((tax) => tax.taxId !== event.data.taxId);
      return;
    case 'SalesOrderDeliveryDateSet':
      draft.deliveryDate = event.data.deliveryDate;
      return;
    case 'SalesOrderSubmitted':
      // As ERPNext does on submit: lines without a date take the header's, the header becomes the latest line date.
      for (const line of draft.lines) line.deliveryDate ??= draft.deliveryDate;
      draft.deliveryDate = event.data.deliveryDate;
      draft.docStatus = 'submitted';
      draft.submittedAt = event.data.submittedAt;
      return;
    case 'SalesOrderPutOnHold':
      draft.onHold = true;
      draft.holdReason = event.data.reason;
      return;
    case 'SalesOrderResumed':
      draft.onHold = false;
      draft.holdReason = null;
      return;
    case 'SalesOrderClosed':
      draft.closed = true;
      return;
    case 'SalesOrderReopened':
      draft.closed = false;
      return;
    case 'SalesOrderCancelled':
      draft.docStatus = 'cancelled';
      draft.cancelledAt = event.data.at;
      draft.onHold = false;
      draft.holdReason = null;
      return;
    case 'SalesOrderDeliveryRecorded':
      for (const delivered of event.data.lines) {
        const line = draft.lines.find((candidate) => candidate.lineId === delivered.lineId);
        if (line) line.deliveredQty = Quantity.of(line.deliveredQty).add(delivered.qty).value;
      }
      return;
    case 'SalesOrderBillingRecorded':
      for (const billed of event.data.lines) {
        const line = draft.lines.find((candidate) => candidate.lineId === billed.lineId);
        if (line) {
          line.billedAmount = Money.of(line.billedAmount, draft.currency).add(
            Money.of(billed.amount, draft.currency),
          ).amount;
          line.billingRecorded = true;
        }
      }
      return;
  }
}

/**
 * Folds one event into the state. Pure: the state is never mutated (immer makes the changed copy), and every
 * derived field (figures, totals, percentages, statuses, unbilled amount) is recomputed from the recorded ones.
 *
 * @remarks
 * Events for an order that does not exist yet (anything before `SalesOrderCreated`) leave the state unchanged;
 * `decide` never produces them.
 */
export function evolveSalesOrder(state: SalesOrderState, event: SalesOrderEvent): SalesOrderState {
  if (event.type === 'SalesOrderCreated') {
    const { data } = event;
    return deriveSalesOrder({
      exists: true,
      orderId: data.orderId,
      customerId: data.customerId,
      company: data.company,
      currency: data.currency,
      transactionDate: data.transactionDate,
      deliveryDate: data.deliveryDate,
      pricing: data.pricing,
      docStatus: 'draft',
      onHold: false,
      holdReason: null,
      closed: false,
      createdAt: data.createdAt,
      submittedAt: null,
      cancelledAt: null,
      lines: [],
      discount: null,
      taxes: [],
    });
  }
  if (!state.exists) return state;
  const next = produce(state, (draft) => {
    apply(draft, event);
    // After submit the header date follows the lines (ERPNext keeps it at the latest line date).
    if (draft.docStatus === 'submitted' && TOTALS_EVENTS.has(event.type)) {
      draft.deliveryDate = latestDate(draft.lines.map((line) => line.deliveryDate)) ?? draft.deliveryDate;
    }
  });
  if (TOTALS_EVENTS.has(event.type)) return deriveSalesOrder(next);
  // Only what an event can change is recomputed: the money arithmetic is what `evolve` costs.
  const submitted = event.type === 'SalesOrderSubmitted';
  return deriveSalesOrder(next, {
    totals: totalsOf(next),
    ...(submitted || event.type === 'SalesOrderDeliveryRecorded' ? {} : { perDelivered: next.perDelivered }),
    ...(submitted || event.type === 'SalesOrderBillingRecorded' ? {} : { perBilled: next.perBilled }),
  });
}
