import { Money, Quantity } from '../money/index.js';
import type { SalesOrderEvent, SalesOrderEventOfType } from './sales-order-events.js';
import { computeSalesOrderFigures, lineAmountOf, lineTotalsAt } from './sales-order-figures.js';
import {
  type BillingProgress,
  type BillingShare,
  billingShareOf,
  type DeliveryProgress,
  type DeliveryShare,
  deliveryShareOf,
  percentBilledOf,
  percentDeliveredOf,
  replaceBillingShare,
  replaceDeliveryShare,
  sumBillingShares,
  sumDeliveryShares,
} from './sales-order-progress.js';
import { roundMoney } from './sales-order-rounding.js';
import {
  deriveSalesOrder,
  type ExistingSalesOrder,
  type SalesOrderLine,
  type SalesOrderState,
  type SalesOrderStateTotals,
} from './sales-order-state.js';
import { billingStatusOf, deliveryStatusOf, deriveSalesOrderStatus } from './sales-order-status.js';
import type { SalesOrderDiscount, SalesOrderLineData, SalesOrderTax } from './sales-order-values.js';

/*
 * `evolve` folds long streams (thousands of deliveries and billings against one order), so it does only the work an
 * event calls for: an event that changes no price keeps the totals, a delivery or billing updates the sums behind the
 * percentages by the lines it touched, a line change reprices that line only. What it would otherwise recompute is
 * remembered per state part, in the weak maps below. The keys are state objects (a line, a lines array, the totals),
 * which are never mutated, so an entry stays true for as long as its key lives; a state from anywhere else (a
 * snapshot, a read model's JSON) simply has no entry yet and gets one computed from its fields.
 */

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface LineAmount {
  readonly currency: string;
  readonly method: string;
  readonly amount: Money;
}

/** `rate × qty` rounded, of a line object (it depends on nothing else but the order's currency and method). */
const lineAmounts = new WeakMap<SalesOrderLine, LineAmount>();
/** The share of a line object in the delivered and the billed percentages. */
const deliveryShares = new WeakMap<SalesOrderLine, DeliveryShare>();
const billingShares = new WeakMap<SalesOrderLine, BillingShare>();
/** The sums of those shares over a lines array. */
const deliveryProgresses = new WeakMap<readonly SalesOrderLine[], DeliveryProgress>();
const billingProgresses = new WeakMap<readonly SalesOrderLine[], BillingProgress>();

interface Unbilled {
  readonly currency: string;
  readonly method: string;
  readonly perBilled: string;
  readonly amount: string;
}
/** The last unbilled amount computed for a totals object (deliveries and other events keep both totals and perBilled). */
const unbilledAmounts = new WeakMap<SalesOrderStateTotals, Unbilled>();

function amountOf(line: SalesOrderLine, order: ExistingSalesOrder): Money {
  const { currency } = order;
  const method = order.pricing.roundingMethod;
  const known = lineAmounts.get(line);
  if (known !== undefined && known.currency === currency && known.method === method) return known.amount;
  const amount = lineAmountOf(line, currency, method);
  lineAmounts.set(line, { currency, method, amount });
  return amount;
}

function deliveryShare(line: SalesOrderLine): DeliveryShare {
  let share = deliveryShares.get(line);
  if (share === undefined) {
    share = deliveryShareOf(line);
    deliveryShares.set(line, share);
  }
  return share;
}

function billingShare(line: SalesOrderLine): BillingShare {
  let share = billingShares.get(line);
  if (share === undefined) {
    share = billingShareOf(line);
    billingShares.set(line, share);
  }
  return share;
}

function deliveryProgress(lines: readonly SalesOrderLine[]): DeliveryProgress {
  let progress = deliveryProgresses.get(lines);
  if (progress === undefined) {
    progress = sumDeliveryShares(lines, deliveryShare);
    deliveryProgresses.set(lines, progress);
  }
  return progress;
}

function billingProgress(lines: readonly SalesOrderLine[]): BillingProgress {
  let progress = billingProgresses.get(lines);
  if (progress === undefined) {
    progress = sumBillingShares(lines, billingShare);
    billingProgresses.set(lines, progress);
  }
  return progress;
}

/** What a new line object shares with the one it was made from. */
interface Kept {
  readonly amount: boolean;
  readonly delivery: boolean;
  readonly billing: boolean;
}

/** `{ ...line, ...changes }`, carrying over what is remembered about `line` that `changes` cannot affect. */
function changedLine(line: SalesOrderLine, changes: Partial<SalesOrderLine>, kept: Kept): SalesOrderLine {
  const next: SalesOrderLine = { ...line, ...changes };
  const amount = kept.amount ? lineAmounts.get(line) : undefined;
  if (amount !== undefined) lineAmounts.set(next, amount);
  const delivery = kept.delivery ? deliveryShares.get(line) : undefined;
  if (delivery !== undefined) deliveryShares.set(next, delivery);
  const billing = kept.billing ? billingShares.get(line) : undefined;
  if (billing !== undefined) billingShares.set(next, billing);
  return next;
}

function newLine(data: SalesOrderLineData, currency: string): SalesOrderLine {
  // The figures are placeholders: `reprice` computes them right after.
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

function latestDate(lines: readonly SalesOrderLine[]): string | null {
  let latest: string | null = null;
  for (const { deliveryDate: date } of lines) if (date !== null && (latest === null || date > latest)) latest = date;
  return latest;
}

function unbilledAmountOf(order: ExistingSalesOrder, perBilled: string): string {
  const { currency, totals } = order;
  if (order.docStatus !== 'submitted' || order.closed) return Money.zero(currency).amount;
  const method = order.pricing.roundingMethod;
  const known = unbilledAmounts.get(totals);
  if (known !== undefined && known.perBilled === perBilled && known.currency === currency && known.method === method) {
    return known.amount;
  }
  const amount = roundMoney(
    Money.of(totals.grandTotal, currency).multiply(Quantity.of(100).subtract(perBilled)).divide(100),
    method,
  ).amount;
  unbilledAmounts.set(totals, { currency, method, perBilled, amount });
  return amount;
}

/**
 * Completes `next` (a fresh copy of the order with the event applied to its recorded fields, its lines and totals)
 * with the derived fields, as `deriveSalesOrder` does, recomputing the percentages an event can have changed and
 * keeping the others.
 */
function settle(
  next: Mutable<ExistingSalesOrder>,
  recompute: { readonly delivered: boolean; readonly billed: boolean },
): ExistingSalesOrder {
  // A draft has nothing delivered or billed; only submitted (or since cancelled) orders have progress.
  const progressing = next.docStatus !== 'draft';
  const perDelivered = progressing
    ? recompute.delivered
      ? percentDeliveredOf(deliveryProgress(next.lines))
      : next.perDelivered
    : '0';
  const perBilled = progressing ? (recompute.billed ? percentBilledOf(billingProgress(next.lines)) : next.perBilled) : '0';
  next.perDelivered = perDelivered;
  next.perBilled = perBilled;
  next.deliveryStatus = deliveryStatusOf(perDelivered);
  next.billingStatus = billingStatusOf(perBilled);
  next.status = deriveSalesOrderStatus({
    docStatus: next.docStatus,
    onHold: next.onHold,
    closed: next.closed,
    perDelivered,
    perBilled,
  });
  next.unbilledAmount = unbilledAmountOf(next, perBilled);
  return next;
}

const KEEP_ALL: Kept = { amount: true, delivery: true, billing: true };
const RECOMPUTE_BOTH = { delivered: true, billed: true } as const;
const RECOMPUTE_NONE = { delivered: false, billed: false } as const;

/**
 * An event that changes what the totals are computed from (lines, discount, taxes): the totals, every line's figures
 * and both percentages are recomputed, each line amount only when its line is new or changed.
 */
function reprice(
  order: ExistingSalesOrder,
  changes: {
    readonly lines?: readonly SalesOrderLine[];
    readonly discount?: SalesOrderDiscount | null;
    readonly taxes?: readonly SalesOrderTax[];
  },
): ExistingSalesOrder {
  const { currency, pricing } = order;
  const lines = changes.lines ?? order.lines;
  const discount = changes.discount === undefined ? order.discount : changes.discount;
  const taxes = changes.taxes ?? order.taxes;
  const figures = computeSalesOrderFigures(
    { currency, lines, discount, taxes, pricing },
    lines.map((line) => amountOf(line, order)),
  );
  let changed = lines !== order.lines;
  const priced = lines.map((line, index) => {
    const { amount, discountAmount, netAmount } = lineTotalsAt(figures, index, line.lineId);
    if (line.amount === amount && line.discountAmount === discountAmount && line.netAmount === netAmount) return line;
    changed = true;
    // A new amount changes the line's billing share; its delivery share and its `rate × qty` stay.
    return changedLine(
      line,
      { amount, discountAmount, netAmount },
      { amount: true, delivery: true, billing: line.amount === amount },
    );
  });
  const next: Mutable<ExistingSalesOrder> = {
    ...order,
    lines: changed ? priced : order.lines,
    discount,
    taxes,
    totals: figures.totals,
  };
  // After submit the header date follows the lines (ERPNext keeps it at the latest line date).
  if (next.docStatus === 'submitted') next.deliveryDate = latestDate(next.lines) ?? next.deliveryDate;
  return settle(next, RECOMPUTE_BOTH);
}

type Recorded = SalesOrderEventOfType<'SalesOrderDeliveryRecorded' | 'SalesOrderBillingRecorded'>;

/**
 * A delivery or a billing: the lines it names get their new progress (in turn, so a line named twice counts twice),
 * and the sums behind the percentage move by what those lines changed.
 */
function recordProgress(order: ExistingSalesOrder, event: Recorded): ExistingSalesOrder {
  const delivery = event.type === 'SalesOrderDeliveryRecorded';
  const lines = [...order.lines];
  const replaced: [before: SalesOrderLine, after: SalesOrderLine][] = [];
  for (const entry of event.data.lines) {
    const index = lines.findIndex((candidate) => candidate.lineId === entry.lineId);
    const line = lines[index];
    if (line === undefined) continue;
    const changed =
      'qty' in entry
        ? changedLine(
            line,
            { deliveredQty: Quantity.of(line.deliveredQty).add(entry.qty).value },
            { amount: true, delivery: false, billing: true },
          )
        : changedLine(
            line,
            {
              billedAmount: Money.of(line.billedAmount, order.currency).add(Money.of(entry.amount, order.currency)).amount,
              billingRecorded: true,
            },
            { amount: true, delivery: true, billing: false },
          );
    lines[index] = changed;
    replaced.push([line, changed]);
  }
  if (replaced.length === 0) return settle({ ...order }, delivery ? { delivered: true, billed: false } : { delivered: false, billed: true });
  // Only orders with progress need the sums; a draft's are computed if it is ever submitted.
  if (delivery) {
    let progress = deliveryProgresses.get(order.lines);
    if (progress !== undefined) {
      for (const [before, after] of replaced) progress = replaceDeliveryShare(progress, deliveryShare(before), deliveryShare(after));
      deliveryProgresses.set(lines, progress);
    }
    const billed = billingProgresses.get(order.lines);
    if (billed !== undefined) billingProgresses.set(lines, billed);
  } else {
    let progress = billingProgresses.get(order.lines);
    if (progress !== undefined) {
      for (const [before, after] of replaced) progress = replaceBillingShare(progress, billingShare(before), billingShare(after));
      billingProgresses.set(lines, progress);
    }
    const delivered = deliveryProgresses.get(order.lines);
    if (delivered !== undefined) deliveryProgresses.set(lines, delivered);
  }
  return settle({ ...order, lines }, delivery ? { delivered: true, billed: false } : { delivered: false, billed: true });
}

function submit(order: ExistingSalesOrder, event: SalesOrderEventOfType<'SalesOrderSubmitted'>): ExistingSalesOrder {
  // As ERPNext does on submit: lines without a date take the header's, the header becomes the latest line date.
  let changed = false;
  const lines = order.lines.map((line) => {
    if (line.deliveryDate != null || line.deliveryDate === order.deliveryDate) return line;
    changed = true;
    return changedLine(line, { deliveryDate: order.deliveryDate }, KEEP_ALL);
  });
  return settle(
    {
      ...order,
      lines: changed ? lines : order.lines,
      deliveryDate: event.data.deliveryDate,
      docStatus: 'submitted',
      submittedAt: event.data.submittedAt,
    },
    RECOMPUTE_BOTH,
  );
}

function evolveOrder(order: ExistingSalesOrder, event: SalesOrderEvent): ExistingSalesOrder {
  switch (event.type) {
    case 'SalesOrderCreated':
      return order; // handled by the caller: it starts a new order
    case 'SalesOrderLineAdded':
      return reprice(order, { lines: [...order.lines, newLine(event.data.line, order.currency)] });
    case 'SalesOrderLineUpdated': {
      const index = order.lines.findIndex((line) => line.lineId === event.data.line.lineId);
      const current = order.lines[index];
      if (current === undefined) return reprice(order, {});
      const { line } = event.data;
      const lines = [...order.lines];
      const samePrice = line.rate === current.rate && line.qty === current.qty;
      lines[index] = changedLine(current, line, { amount: samePrice, delivery: false, billing: false });
      return reprice(order, { lines });
    }
    case 'SalesOrderLineRemoved':
      return reprice(order, { lines: order.lines.filter((line) => line.lineId !== event.data.lineId) });
    case 'SalesOrderDiscountSet':
      return reprice(order, { discount: event.data.discount });
    case 'SalesOrderDiscountRemoved':
      return reprice(order, { discount: null });
    case 'SalesOrderTaxAdded':
      return reprice(order, { taxes: [...order.taxes, event.data.tax] });
    case 'SalesOrderTaxRemoved':
      return reprice(order, { taxes: order.taxes.filter((tax) => tax.taxId !== event.data.taxId) });
    case 'SalesOrderDeliveryDateSet':
      return settle({ ...order, deliveryDate: event.data.deliveryDate }, RECOMPUTE_NONE);
    case 'SalesOrderSubmitted':
      return submit(order, event);
    case 'SalesOrderPutOnHold':
      return settle({ ...order, onHold: true, holdReason: event.data.reason }, RECOMPUTE_NONE);
    case 'SalesOrderResumed':
      return settle({ ...order, onHold: false, holdReason: null }, RECOMPUTE_NONE);
    case 'SalesOrderClosed':
      return settle({ ...order, closed: true }, RECOMPUTE_NONE);
    case 'SalesOrderReopened':
      return settle({ ...order, closed: false }, RECOMPUTE_NONE);
    case 'SalesOrderCancelled':
      return settle(
        { ...order, docStatus: 'cancelled', cancelledAt: event.data.at, onHold: false, holdReason: null },
        RECOMPUTE_NONE,
      );
    case 'SalesOrderDeliveryRecorded':
    case 'SalesOrderBillingRecorded':
      return recordProgress(order, event);
    default:
      return settle({ ...order }, RECOMPUTE_NONE);
  }
}

/**
 * Folds one event into the state. Pure: the state is never mutated (the changed parts are copied, the rest shared),
 * and every derived field (figures, totals, percentages, statuses, unbilled amount) is what `deriveSalesOrder` would
 * compute from the recorded ones.
 *
 * @remarks
 * Only what an event can change is recomputed: a delivery, a billing or a status change keeps the totals; a change to
 * one line reprices that line and re-adds the totals. Events for an order that does not exist yet (anything before
 * `SalesOrderCreated`) leave the state unchanged; `decide` never produces them.
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
  return evolveOrder(state, event);
}
