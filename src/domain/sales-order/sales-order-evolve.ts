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
} from './sales-order-state.js';
import { billingStatusOf, deliveryStatusOf, deriveSalesOrderStatus } from './sales-order-status.js';
import type { SalesOrderDiscount, SalesOrderLineData, SalesOrderTax } from './sales-order-values.js';

/*
 * `evolve` folds long streams (thousands of deliveries and billings against one order), so it does only the work an
 * event calls for: an event that changes no price keeps the totals, a delivery or billing moves the sums behind a
 * percentage by the lines it touched, a line change reprices that line only. What would otherwise be recomputed is
 * remembered per lines array, index by index (see `memos`). A lines array and its lines are never mutated — every
 * state, lines array and line `evolve` returns is frozen, so a caller who tries gets a TypeError instead of totals
 * silently computed from stale memos — so a memo stays true for as long as its array lives. A state from anywhere
 * else (a read model's JSON, a hand-built state) has no memo, gets frozen copies of its lines (see `adopt`) and its
 * figures computed from its fields, as `deriveSalesOrder` would.
 */

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The line amounts of a lines array, with their sum, as `reprice` computed them. */
interface AmountsMemo {
  readonly currency: string;
  readonly method: string;
  /** Each line's `rate × qty` rounded, for the order's currency and rounding method. */
  readonly values: readonly Money[];
  /** Their sum. */
  readonly total: Money;
  /** No discount is spread over the lines: each line's figures are its amount, a zero discount and the same net. */
  readonly plain: boolean;
}

/** What is remembered about a lines array, aligned with it: each line's figures and, for the percentages, their sums. */
interface LinesMemo {
  readonly amounts?: AmountsMemo | undefined;
  readonly delivery?: { readonly shares: readonly DeliveryShare[]; readonly sums: DeliveryProgress } | undefined;
  readonly billing?: { readonly shares: readonly BillingShare[]; readonly sums: BillingProgress } | undefined;
}

/** The line amounts an event leaves as they were, for `reprice`. */
interface KnownAmounts {
  /** Aligned with the new lines; a gap where a line is new or its rate or quantity changed. */
  readonly values: readonly (Money | undefined)[];
  /** The sum of the amounts before the event, when known. */
  readonly total?: Money | undefined;
  /** The amounts before the event that are gone (a removed line, a repriced line's old amount). */
  readonly dropped: readonly Money[];
  /** No discount was spread over the lines before the event (see `AmountsMemo.plain`). */
  readonly plain: boolean;
}

const UNKNOWN: KnownAmounts = { values: [], dropped: [], plain: false };

/*
 * The memos of the lines arrays most recently made or read, oldest first. A fold asks for the memo of the array it
 * made one event before, so a few hundred entries serve many orders folded side by side. A plain map rather than a
 * WeakMap: a new key on every event makes a WeakMap cost more (in garbage collection) than the memo saves.
 */
const MEMO_LIMIT = 256;
const memos = new Map<readonly SalesOrderLine[], LinesMemo>();
const NOTHING: LinesMemo = {};

function memoOf(lines: readonly SalesOrderLine[]): LinesMemo {
  return memos.get(lines) ?? NOTHING;
}

function remember(lines: readonly SalesOrderLine[], memo: LinesMemo): void {
  memos.delete(lines);
  memos.set(lines, memo);
  if (memos.size > MEMO_LIMIT) {
    const oldest = memos.keys().next();
    if (!oldest.done) memos.delete(oldest.value);
  }
}

/** The remembered line amounts of `order` (aligned with its lines), or none. */
function knownAmounts(order: ExistingSalesOrder): KnownAmounts {
  const known = memoOf(order.lines).amounts;
  return known !== undefined && known.currency === order.currency && known.method === order.pricing.roundingMethod
    ? { values: known.values, total: known.total, dropped: [], plain: known.plain }
    : UNKNOWN;
}

function deliveryProgress(lines: readonly SalesOrderLine[]): DeliveryProgress {
  const memo = memoOf(lines);
  if (memo.delivery !== undefined) return memo.delivery.sums;
  const shares: DeliveryShare[] = [];
  const sums = sumDeliveryShares(lines, (line) => {
    const share = deliveryShareOf(line);
    shares.push(share);
    return share;
  });
  remember(lines, { ...memo, delivery: { shares, sums } });
  return sums;
}

function billingProgress(lines: readonly SalesOrderLine[]): BillingProgress {
  const memo = memoOf(lines);
  if (memo.billing !== undefined) return memo.billing.sums;
  const shares: BillingShare[] = [];
  const sums = sumBillingShares(lines, (line) => {
    const share = billingShareOf(line);
    shares.push(share);
    return share;
  });
  remember(lines, { ...memo, billing: { shares, sums } });
  return sums;
}

/*
 * The last unbilled amount computed: deliveries, holds and the like keep both the grand total and the billed
 * percentage, so the next order state usually asks for the same one.
 */
let lastUnbilled:
  | {
      readonly grandTotal: string;
      readonly perBilled: string;
      readonly currency: string;
      readonly method: string;
      readonly amount: string;
    }
  | undefined;

function newLine(data: SalesOrderLineData, currency: string): SalesOrderLine {
  // The figures are placeholders: `reprice` computes them right after.
  return Object.freeze({
    ...data,
    deliveredQty: '0',
    billedAmount: Money.zero(currency).amount,
    billingRecorded: false,
    amount: '0',
    discountAmount: '0',
    netAmount: '0',
  });
}

/**
 * `order` with a frozen lines array of frozen lines: itself when `evolve` (or `deriveSalesOrder`) made it, a copy
 * when it was built elsewhere (a read model's JSON, a hand-built state), so that no memo is ever kept about an array
 * or a line its owner could still change.
 */
function adopt(order: ExistingSalesOrder): ExistingSalesOrder {
  if (Object.isFrozen(order.lines)) return order;
  const lines = order.lines.map((line) => (Object.isFrozen(line) ? line : Object.freeze({ ...line })));
  return { ...order, lines: Object.freeze(lines) };
}

function latestDate(lines: readonly SalesOrderLine[]): string | null {
  let latest: string | null = null;
  for (const { deliveryDate: date } of lines) if (date !== null && (latest === null || date > latest)) latest = date;
  return latest;
}

const HUNDRED = Quantity.of(100);

function unbilledAmountOf(order: ExistingSalesOrder, perBilled: string): string {
  const { currency } = order;
  if (order.docStatus !== 'submitted' || order.closed) return Money.zero(currency).amount;
  const { grandTotal } = order.totals;
  const method = order.pricing.roundingMethod;
  const last = lastUnbilled;
  if (
    last !== undefined &&
    last.grandTotal === grandTotal &&
    last.perBilled === perBilled &&
    last.currency === currency &&
    last.method === method
  ) {
    return last.amount;
  }
  const amount = roundMoney(
    Money.of(grandTotal, currency).multiplyDivide(HUNDRED.subtract(perBilled), 100),
    method,
  ).amount;
  lastUnbilled = { grandTotal, perBilled, currency, method, amount };
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
  const perBilled = progressing
    ? recompute.billed
      ? percentBilledOf(billingProgress(next.lines))
      : next.perBilled
    : '0';
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
  // States are immutable: freezing makes a caller's mutation throw (in strict mode) rather than go unnoticed.
  return Object.freeze(next);
}

const RECOMPUTE_BOTH = { delivered: true, billed: true } as const;
const RECOMPUTE_NONE = { delivered: false, billed: false } as const;
const DELIVERED = { delivered: true, billed: false } as const;
const BILLED = { delivered: false, billed: true } as const;

/**
 * An event that changes what the totals are computed from (lines, discount, taxes): the totals, the lines' figures and
 * both percentages are recomputed. Only the amounts `known` lacks are computed, and the total is moved by what changed.
 * When no discount is spread over the lines, before or after, a line's figures are its amount: only the lines with a
 * new amount get new figures.
 */
function reprice(
  order: ExistingSalesOrder,
  known: KnownAmounts,
  changes: {
    /** The new lines, and the indices of those that are new or changed (the others are the same lines, moved). */
    readonly lines?: readonly SalesOrderLine[];
    readonly touched?: readonly number[];
    readonly discount?: SalesOrderDiscount | null;
    readonly taxes?: readonly SalesOrderTax[];
  },
): ExistingSalesOrder {
  const { currency, pricing } = order;
  const method = pricing.roundingMethod;
  const lines = changes.lines ?? order.lines;
  const discount = changes.discount === undefined ? order.discount : changes.discount;
  const taxes = changes.taxes ?? order.taxes;
  const amounts = lines.map((line, index) => known.values[index] ?? lineAmountOf(line, currency, method));
  let total: Money | undefined;
  if (known.total !== undefined) {
    // Σ new amounts = Σ old amounts - dropped + added, exactly; `Money.sum` checks the bound on the result only.
    const parts = [known.total, ...known.dropped.map((amount) => amount.negate())];
    amounts.forEach((amount, index) => {
      if (known.values[index] === undefined) parts.push(amount);
    });
    total = Money.sum(parts, currency);
  }
  const figures = computeSalesOrderFigures({ currency, lines, discount, taxes, pricing }, amounts, total);
  const plain = figures.nets === figures.amounts;
  const priced = lines.slice();
  let changed = lines !== order.lines;
  const price = (line: SalesOrderLine, index: number) => {
    const { amount, discountAmount, netAmount } = lineTotalsAt(figures, index, line.lineId);
    if (line.amount === amount && line.discountAmount === discountAmount && line.netAmount === netAmount) return;
    changed = true;
    priced[index] = Object.freeze({ ...line, amount, discountAmount, netAmount });
  };
  if (plain && known.plain && changes.touched !== undefined) {
    for (const index of changes.touched) {
      const line = lines[index];
      if (line !== undefined) price(line, index);
    }
  } else {
    lines.forEach(price);
  }
  const next: Mutable<ExistingSalesOrder> = {
    ...order,
    lines: changed ? Object.freeze(priced) : order.lines,
    discount,
    taxes,
    totals: figures.totals,
  };
  // New lines get their sums computed when asked for (only a submitted order has progress); the same lines keep theirs.
  remember(next.lines, {
    ...(changed ? NOTHING : memoOf(next.lines)),
    amounts: { currency, method, values: amounts, total: figures.total, plain },
  });
  // After submit the header date follows the lines (ERPNext keeps it at the latest line date).
  if (next.docStatus === 'submitted') next.deliveryDate = latestDate(next.lines) ?? next.deliveryDate;
  return settle(next, RECOMPUTE_BOTH);
}

function indexOfLine(lines: readonly SalesOrderLine[], lineId: string): number {
  return lines.findIndex((line) => line.lineId === lineId);
}

/**
 * A delivery: each line it names gets its new delivered quantity (in turn, so a line named twice counts twice), and
 * the sums behind the delivered percentage move by what those lines changed.
 */
function recordDelivery(
  order: ExistingSalesOrder,
  event: SalesOrderEventOfType<'SalesOrderDeliveryRecorded'>,
): ExistingSalesOrder {
  const memo = memoOf(order.lines);
  const lines = [...order.lines];
  // Only an order with progress has the sums; a draft's are computed if it is ever submitted.
  const shares = memo.delivery === undefined ? undefined : [...memo.delivery.shares];
  let sums = memo.delivery?.sums;
  let changed = false;
  for (const entry of event.data.lines) {
    const index = indexOfLine(lines, entry.lineId);
    const line = lines[index];
    if (line === undefined) continue;
    const delivered = Quantity.of(line.deliveredQty).add(entry.qty);
    lines[index] = Object.freeze({ ...line, deliveredQty: delivered.value });
    changed = true;
    const before = shares?.[index];
    if (shares !== undefined && sums !== undefined && before !== undefined) {
      const after = { ordered: before.ordered, delivered: Quantity.min(delivered.abs(), before.ordered) };
      shares[index] = after;
      sums = replaceDeliveryShare(sums, before, after);
    }
  }
  if (!changed) return settle({ ...order }, DELIVERED);
  Object.freeze(lines);
  remember(lines, {
    amounts: memo.amounts,
    delivery: shares === undefined || sums === undefined ? undefined : { shares, sums },
    billing: memo.billing,
  });
  return settle({ ...order, lines }, DELIVERED);
}

/**
 * A billing: each line it names gets its new billed amount (in turn, so a line named twice counts twice), and the sums
 * behind the billed percentage move by what those lines changed.
 */
function recordBilling(
  order: ExistingSalesOrder,
  event: SalesOrderEventOfType<'SalesOrderBillingRecorded'>,
): ExistingSalesOrder {
  const { currency } = order;
  const memo = memoOf(order.lines);
  const lines = [...order.lines];
  const shares = memo.billing === undefined ? undefined : [...memo.billing.shares];
  let sums = memo.billing?.sums;
  let changed = false;
  for (const entry of event.data.lines) {
    const index = indexOfLine(lines, entry.lineId);
    const line = lines[index];
    if (line === undefined) continue;
    const billed = Money.of(line.billedAmount, currency).add(Money.of(entry.amount, currency)).amount;
    lines[index] = Object.freeze({ ...line, billedAmount: billed, billingRecorded: true });
    changed = true;
    const before = shares?.[index];
    if (shares !== undefined && sums !== undefined && before !== undefined) {
      const after = {
        amount: before.amount,
        billed: Quantity.min(Quantity.of(billed).abs(), before.amount),
        recorded: true,
      };
      shares[index] = after;
      sums = replaceBillingShare(sums, before, after);
    }
  }
  if (!changed) return settle({ ...order }, BILLED);
  Object.freeze(lines);
  remember(lines, {
    amounts: memo.amounts,
    delivery: memo.delivery,
    billing: shares === undefined || sums === undefined ? undefined : { shares, sums },
  });
  return settle({ ...order, lines }, BILLED);
}

function submit(order: ExistingSalesOrder, event: SalesOrderEventOfType<'SalesOrderSubmitted'>): ExistingSalesOrder {
  // As ERPNext does on submit: lines without a date take the header's, the header becomes the latest line date.
  let changed = false;
  const lines = order.lines.map((line) => {
    if (line.deliveryDate != null || line.deliveryDate === order.deliveryDate) return line;
    changed = true;
    return Object.freeze({ ...line, deliveryDate: order.deliveryDate });
  });
  // A delivery date counts in no figure: what is known about the lines stays true.
  if (changed) remember(Object.freeze(lines), memoOf(order.lines));
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
    case 'SalesOrderLineAdded': {
      const lines = [...order.lines, newLine(event.data.line, order.currency)];
      return reprice(order, knownAmounts(order), { lines, touched: [order.lines.length] });
    }
    case 'SalesOrderLineUpdated': {
      const { line } = event.data;
      const index = indexOfLine(order.lines, line.lineId);
      const current = order.lines[index];
      const known = knownAmounts(order);
      if (current === undefined) return reprice(order, known, {});
      const lines = [...order.lines];
      lines[index] = Object.freeze({ ...current, ...line });
      // The amount is `rate × qty`: it stays when neither changed.
      const before = known.values[index];
      const touched = [index];
      if (before === undefined || (line.rate === current.rate && line.qty === current.qty)) {
        return reprice(order, known, { lines, touched });
      }
      const values = [...known.values];
      values[index] = undefined;
      return reprice(order, { ...known, values, dropped: [before] }, { lines, touched });
    }
    case 'SalesOrderLineRemoved': {
      const removed = (line: SalesOrderLine) => line.lineId === event.data.lineId;
      const known = knownAmounts(order);
      const values: Money[] = [];
      const dropped: Money[] = [];
      if (known.values.length > 0) {
        order.lines.forEach((line, index) => {
          const amount = known.values[index];
          if (amount !== undefined) (removed(line) ? dropped : values).push(amount);
        });
      }
      const lines = order.lines.filter((line) => !removed(line));
      return reprice(order, known.values.length > 0 ? { ...known, values, dropped } : UNKNOWN, { lines, touched: [] });
    }
    case 'SalesOrderDiscountSet':
      return reprice(order, knownAmounts(order), { discount: event.data.discount });
    case 'SalesOrderDiscountRemoved':
      return reprice(order, knownAmounts(order), { discount: null });
    case 'SalesOrderTaxAdded':
      return reprice(order, knownAmounts(order), { taxes: [...order.taxes, event.data.tax] });
    case 'SalesOrderTaxRemoved':
      return reprice(order, knownAmounts(order), {
        taxes: order.taxes.filter((tax) => tax.taxId !== event.data.taxId),
      });
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
      return recordDelivery(order, event);
    case 'SalesOrderBillingRecorded':
      return recordBilling(order, event);
    default:
      return settle({ ...order }, RECOMPUTE_NONE);
  }
}

/**
 * Folds one event into the state. Pure: the state is never mutated (the changed parts are copied, the rest shared);
 * the state returned is frozen, with its lines array and every line, so mutating it throws in strict mode (treat
 * its other parts — totals, taxes, discount — as read-only too: they are shared with events and later states). Every
 * derived field (figures, totals, percentages, statuses, unbilled amount) is what `deriveSalesOrder` would
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
      priceListId: data.priceListId ?? null,
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
  return evolveOrder(adopt(state), event);
}
