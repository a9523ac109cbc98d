import type { z } from 'zod';
import { fold } from '../../kernel/decider.js';
import { ValidationError } from '../../kernel/errors.js';
import { parseOrThrow } from '../../kernel/validation.js';
import { Money, Percentage, Quantity } from '../money/index.js';
import {
  type SalesOrderCommand,
  SalesOrderCommandSchema,
  type SalesOrderLineInputSchema,
  type ValidSalesOrderCommand,
} from './sales-order-commands.js';
import type { SalesOrderEvent } from './sales-order-events.js';
import { evolveSalesOrder } from './sales-order-evolve.js';
import { type SalesOrderLineId, SalesOrderLineIdSchema, SalesOrderTaxIdSchema } from './sales-order-ids.js';
import { roundMoney, type SalesOrderRoundingMethod } from './sales-order-rounding.js';
import { type SalesOrderRuleError, salesOrderRuleError } from './sales-order-rules.js';
import {
  type ResolvedSalesOrderSettings,
  resolveSalesOrderSettings,
  type SalesOrderContext,
} from './sales-order-settings.js';
import type { ExistingSalesOrder, SalesOrderLine, SalesOrderState } from './sales-order-state.js';
import type { SalesOrderLineData } from './sales-order-values.js';

type Valid<T extends ValidSalesOrderCommand['type']> = Extract<ValidSalesOrderCommand, { type: T }>;
type LineInput = z.output<typeof SalesOrderLineInputSchema>;

const decider = { initialState: { exists: false as const }, evolve: evolveSalesOrder };

/** The state after `events`, to check a rule on the result of a command before accepting it. */
function after(state: SalesOrderState, events: readonly SalesOrderEvent[]): SalesOrderState {
  return fold(decider, events, state);
}

// ---------------------------------------------------------------------------------------------------------------
// Guards: each throws the rule error that explains why the order is not in the right state.

function existing(state: SalesOrderState, orderId: string): ExistingSalesOrder {
  if (!state.exists) throw salesOrderRuleError('ORDER_NOT_FOUND', `Order "${orderId}" was never created.`, { orderId });
  if (state.orderId !== orderId) {
    throw salesOrderRuleError('ORDER_ID_MISMATCH', `This state holds "${state.orderId}", not "${orderId}".`, {
      orderId,
      stateOrderId: state.orderId,
    });
  }
  return state;
}

function notCancelled(order: ExistingSalesOrder): void {
  if (order.docStatus === 'cancelled') {
    throw salesOrderRuleError('ORDER_CANCELLED', undefined, { orderId: order.orderId, status: order.status });
  }
}

function draftOrder(state: SalesOrderState, orderId: string): ExistingSalesOrder {
  const order = existing(state, orderId);
  notCancelled(order);
  if (order.docStatus !== 'draft') {
    throw salesOrderRuleError('ORDER_NOT_DRAFT', `Order "${orderId}" is ${order.status}.`, {
      orderId,
      status: order.status,
    });
  }
  return order;
}

function submittedOrder(state: SalesOrderState, orderId: string): ExistingSalesOrder {
  const order = existing(state, orderId);
  notCancelled(order);
  if (order.docStatus !== 'submitted') {
    throw salesOrderRuleError('ORDER_NOT_SUBMITTED', `Order "${orderId}" is a draft.`, {
      orderId,
      status: order.status,
    });
  }
  return order;
}

function notOnHold(order: ExistingSalesOrder): void {
  if (order.onHold) throw salesOrderRuleError('ORDER_ON_HOLD', undefined, { orderId: order.orderId });
}

function notClosed(order: ExistingSalesOrder): void {
  if (order.closed) throw salesOrderRuleError('ORDER_CLOSED', undefined, { orderId: order.orderId });
}

function notCompleted(order: ExistingSalesOrder): void {
  if (order.status === 'completed') throw salesOrderRuleError('ORDER_COMPLETED', undefined, { orderId: order.orderId });
}

function lineOf(order: ExistingSalesOrder, lineId: string, path: readonly (string | number)[]): SalesOrderLine {
  const line = order.lines.find((candidate) => candidate.lineId === lineId);
  if (!line) throw salesOrderRuleError('LINE_NOT_FOUND', `No line "${lineId}".`, { lineId }, path);
  return line;
}

function noDuplicates(ids: readonly string[], path: (index: number) => readonly (string | number)[]): void {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (seen.has(id)) {
      throw salesOrderRuleError('DUPLICATE_LINE_ID', `Line "${id}" is listed twice.`, { lineId: id }, path(index));
    }
    seen.add(id);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Lines

/**
 * A rate (or price-list rate) as a line event carries it: rounded to the currency's minor unit with the order's
 * rounding method, as ERPNext rounds every rate field to its precision before computing the amount. So `rate: 0.335`
 * and `priceListRate: 0.335` with no discount both give 0.34 (USD), and the same amount.
 */
function rateOf(value: string, currency: string, method: SalesOrderRoundingMethod): string {
  return roundMoney(Money.of(value, currency), method).amount;
}

/**
 * The rate of a line given its (already rounded) price-list rate and a discount percentage, rounded to the currency
 * (ERPNext).
 */
function discountedRate(
  priceListRate: string,
  discountPercentage: string,
  currency: string,
  method: SalesOrderRoundingMethod,
): string {
  const factor = Percentage.of(100).subtract(discountPercentage);
  return roundMoney(Money.of(priceListRate, currency).percentage(factor), method).amount;
}

function canonicalAmount(amount: string, currency: string): string {
  return Money.of(amount, currency).amount;
}

function resolveNewLine(input: LineInput, lineId: SalesOrderLineId, order: ExistingSalesOrder): SalesOrderLineData {
  const { currency } = order;
  const method = order.pricing.roundingMethod;
  const priceListRate = input.priceListRate === undefined ? undefined : rateOf(input.priceListRate, currency, method);
  // The schema guarantees a rate or a price-list rate; a given rate wins and means "no line discount".
  const rate =
    input.rate !== undefined
      ? rateOf(input.rate, currency, method)
      : discountedRate(priceListRate ?? '0', input.discountPercentage ?? '0', currency, method);
  return {
    lineId,
    itemCode: input.itemCode,
    qty: Quantity.of(input.qty).value,
    uom: input.uom,
    priceListRate: priceListRate ?? rate,
    discountPercentage: input.rate !== undefined ? '0' : Percentage.of(input.discountPercentage ?? '0').value,
    rate,
    deliveryDate: input.deliveryDate ?? null,
    warehouse: input.warehouse,
  };
}

function lineData(line: SalesOrderLine): SalesOrderLineData {
  return {
    lineId: line.lineId,
    itemCode: line.itemCode,
    qty: line.qty,
    uom: line.uom,
    priceListRate: line.priceListRate,
    discountPercentage: line.discountPercentage,
    rate: line.rate,
    deliveryDate: line.deliveryDate,
    warehouse: line.warehouse,
  };
}

function newLineId(given: SalesOrderLineId | undefined, context: SalesOrderContext): SalesOrderLineId {
  return given ?? parseOrThrow(SalesOrderLineIdSchema, context.newId());
}

// ---------------------------------------------------------------------------------------------------------------
// Submit rules, also applied to the result of UpdateSalesOrderItems

function effectiveDeliveryDate(order: ExistingSalesOrder, line: SalesOrderLine): string | null {
  return line.deliveryDate ?? order.deliveryDate;
}

/** The first submit rule the order breaks, in a fixed order, or `undefined`. */
function submitViolation(order: ExistingSalesOrder): SalesOrderRuleError | undefined {
  const { orderId } = order;
  if (order.lines.length === 0) return salesOrderRuleError('ORDER_HAS_NO_LINES', undefined, { orderId });
  for (const [index, line] of order.lines.entries()) {
    if (!Quantity.of(line.qty).isPositive()) {
      return salesOrderRuleError('INVALID_QTY', `Line "${line.lineId}" has quantity ${line.qty}.`, {
        orderId,
        lineId: line.lineId,
        index,
        qty: line.qty,
      });
    }
  }
  for (const [index, line] of order.lines.entries()) {
    const date = effectiveDeliveryDate(order, line);
    if (date === null) {
      return salesOrderRuleError('DELIVERY_DATE_MISSING', `Line "${line.lineId}" has none and the order has none.`, {
        orderId,
        lineId: line.lineId,
        index,
      });
    }
    if (date < order.transactionDate) {
      return salesOrderRuleError(
        'DELIVERY_BEFORE_ORDER_DATE',
        `Line "${line.lineId}" is due ${date}, the order is dated ${order.transactionDate}.`,
        { orderId, lineId: line.lineId, index, deliveryDate: date, transactionDate: order.transactionDate },
      );
    }
  }
  if (Money.of(order.totals.grandTotal, order.currency).isNegative()) {
    return salesOrderRuleError('GRAND_TOTAL_NEGATIVE', `The grand total is ${order.totals.grandTotal}.`, {
      orderId,
      grandTotal: order.totals.grandTotal,
    });
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// One function per command

function create(
  command: Valid<'CreateSalesOrder'>,
  state: SalesOrderState,
  context: SalesOrderContext,
  settings: ResolvedSalesOrderSettings,
): SalesOrderEvent[] {
  const { data } = command;
  if (state.exists) {
    throw salesOrderRuleError('ORDER_ALREADY_EXISTS', `Order "${state.orderId}" exists.`, { orderId: state.orderId });
  }
  return [
    {
      type: 'SalesOrderCreated',
      data: {
        orderId: data.orderId,
        customerId: data.customerId,
        company: data.company,
        currency: data.currency,
        // The business date defaults to the day the command is handled, in UTC, since the context carries an instant.
        transactionDate: data.transactionDate ?? context.now.toISOString().slice(0, 10),
        deliveryDate: data.deliveryDate ?? null,
        ...(data.priceListId === undefined ? {} : { priceListId: data.priceListId }),
        pricing: {
          roundingMethod: settings.roundingMethod,
          roundedTotal: settings.roundedTotal,
          smallestFraction: settings.smallestCurrencyFraction[data.currency] ?? null,
        },
        createdAt: context.now.toISOString(),
      },
    },
  ];
}

function addLine(
  command: Valid<'AddSalesOrderLine'>,
  state: SalesOrderState,
  context: SalesOrderContext,
): SalesOrderEvent[] {
  const order = draftOrder(state, command.data.orderId);
  const lineId = newLineId(command.data.line.lineId, context);
  if (order.lines.some((line) => line.lineId === lineId)) {
    throw salesOrderRuleError('DUPLICATE_LINE_ID', `Line "${lineId}" exists.`, { lineId }, ['data', 'line', 'lineId']);
  }
  return [
    {
      type: 'SalesOrderLineAdded',
      data: { orderId: order.orderId, line: resolveNewLine(command.data.line, lineId, order) },
    },
  ];
}

function updateLine(command: Valid<'UpdateSalesOrderLine'>, state: SalesOrderState): SalesOrderEvent[] {
  const { data } = command;
  const order = draftOrder(state, data.orderId);
  const line = lineOf(order, data.lineId, ['data', 'lineId']);
  const { changes } = data;
  const { currency } = order;
  const method = order.pricing.roundingMethod;
  // A line folded from events stored before rates were rounded may hold more decimals: the event rounds them too.
  let priceListRate = rateOf(line.priceListRate, currency, method);
  let rate = rateOf(line.rate, currency, method);
  let { discountPercentage } = line;
  if (changes.rate !== undefined) {
    rate = rateOf(changes.rate, currency, method);
    discountPercentage = '0';
    if (changes.priceListRate !== undefined) priceListRate = rateOf(changes.priceListRate, currency, method);
  } else if (changes.priceListRate !== undefined || changes.discountPercentage !== undefined) {
    if (changes.priceListRate !== undefined) priceListRate = rateOf(changes.priceListRate, currency, method);
    if (changes.discountPercentage !== undefined) discountPercentage = Percentage.of(changes.discountPercentage).value;
    rate = discountedRate(priceListRate, discountPercentage, currency, method);
  }
  const updated: SalesOrderLineData = {
    ...lineData(line),
    itemCode: changes.itemCode ?? line.itemCode,
    qty: changes.qty === undefined ? line.qty : Quantity.of(changes.qty).value,
    uom: changes.uom ?? line.uom,
    warehouse: changes.warehouse ?? line.warehouse,
    deliveryDate: changes.deliveryDate === undefined ? line.deliveryDate : changes.deliveryDate,
    priceListRate,
    discountPercentage,
    rate,
  };
  return [{ type: 'SalesOrderLineUpdated', data: { orderId: order.orderId, line: updated } }];
}

function removeLine(command: Valid<'RemoveSalesOrderLine'>, state: SalesOrderState): SalesOrderEvent[] {
  const order = draftOrder(state, command.data.orderId);
  const line = lineOf(order, command.data.lineId, ['data', 'lineId']);
  return [{ type: 'SalesOrderLineRemoved', data: { orderId: order.orderId, lineId: line.lineId } }];
}

function setDiscount(command: Valid<'SetSalesOrderDiscount'>, state: SalesOrderState): SalesOrderEvent[] {
  const order = draftOrder(state, command.data.orderId);
  const { discount } = command.data;
  const canonical =
    discount.kind === 'percentage'
      ? { kind: 'percentage' as const, percentage: Percentage.of(discount.percentage).value, applyOn: discount.applyOn }
      : {
          kind: 'amount' as const,
          amount: canonicalAmount(discount.amount, order.currency),
          applyOn: discount.applyOn,
        };
  return [{ type: 'SalesOrderDiscountSet', data: { orderId: order.orderId, discount: canonical } }];
}

function removeDiscount(command: Valid<'RemoveSalesOrderDiscount'>, state: SalesOrderState): SalesOrderEvent[] {
  const order = draftOrder(state, command.data.orderId);
  // Removing what is not there changes nothing; an empty result keeps the stream free of no-op events.
  return order.discount === null ? [] : [{ type: 'SalesOrderDiscountRemoved', data: { orderId: order.orderId } }];
}

function addTax(
  command: Valid<'AddSalesOrderTax'>,
  state: SalesOrderState,
  context: SalesOrderContext,
): SalesOrderEvent[] {
  const order = draftOrder(state, command.data.orderId);
  const { tax } = command.data;
  // A generated id is checked like a line id, so a bad `newId()` is refused here, not by the event's own schema.
  const taxId = tax.taxId ?? parseOrThrow(SalesOrderTaxIdSchema, context.newId());
  if (order.taxes.some((row) => row.taxId === taxId)) {
    throw salesOrderRuleError('DUPLICATE_TAX_ID', `Tax row "${taxId}" exists.`, { taxId }, ['data', 'tax', 'taxId']);
  }
  const row =
    tax.kind === 'on_net_total'
      ? { taxId, description: tax.description, kind: tax.kind, rate: Percentage.of(tax.rate).value }
      : { taxId, description: tax.description, kind: tax.kind, amount: canonicalAmount(tax.amount, order.currency) };
  return [{ type: 'SalesOrderTaxAdded', data: { orderId: order.orderId, tax: row } }];
}

function removeTax(command: Valid<'RemoveSalesOrderTax'>, state: SalesOrderState): SalesOrderEvent[] {
  const order = draftOrder(state, command.data.orderId);
  const { taxId } = command.data;
  if (!order.taxes.some((row) => row.taxId === taxId)) {
    throw salesOrderRuleError('TAX_NOT_FOUND', `No tax row "${taxId}".`, { taxId }, ['data', 'taxId']);
  }
  return [{ type: 'SalesOrderTaxRemoved', data: { orderId: order.orderId, taxId } }];
}

function setDeliveryDate(command: Valid<'SetSalesOrderDeliveryDate'>, state: SalesOrderState): SalesOrderEvent[] {
  const order = draftOrder(state, command.data.orderId);
  return [
    { type: 'SalesOrderDeliveryDateSet', data: { orderId: order.orderId, deliveryDate: command.data.deliveryDate } },
  ];
}

function submit(
  command: Valid<'SubmitSalesOrder'>,
  state: SalesOrderState,
  context: SalesOrderContext,
): SalesOrderEvent[] {
  const order = draftOrder(state, command.data.orderId);
  const violation = submitViolation(order);
  if (violation) throw violation;
  // Every line has an effective date here (checked above), so the latest one exists.
  const dates = order.lines.map((line) => effectiveDeliveryDate(order, line) ?? order.transactionDate);
  // ISO dates sort as text, so the last one is the latest.
  const deliveryDate = [...dates].sort().at(-1) ?? order.transactionDate;
  return [
    {
      type: 'SalesOrderSubmitted',
      data: {
        orderId: order.orderId,
        customerId: order.customerId,
        deliveryDate,
        grandTotal: { amount: order.totals.grandTotal, currency: order.currency },
        submittedAt: context.now.toISOString(),
      },
    },
  ];
}

function hold(command: Valid<'HoldSalesOrder'>, state: SalesOrderState, context: SalesOrderContext): SalesOrderEvent[] {
  const order = submittedOrder(state, command.data.orderId);
  notClosed(order);
  notOnHold(order);
  notCompleted(order);
  return [
    {
      type: 'SalesOrderPutOnHold',
      data: { orderId: order.orderId, reason: command.data.reason ?? null, at: context.now.toISOString() },
    },
  ];
}

function resume(
  command: Valid<'ResumeSalesOrder'>,
  state: SalesOrderState,
  context: SalesOrderContext,
): SalesOrderEvent[] {
  const order = submittedOrder(state, command.data.orderId);
  if (!order.onHold)
    throw salesOrderRuleError('ORDER_NOT_ON_HOLD', undefined, { orderId: order.orderId, status: order.status });
  return [{ type: 'SalesOrderResumed', data: { orderId: order.orderId, at: context.now.toISOString() } }];
}

function close(
  command: Valid<'CloseSalesOrder'>,
  state: SalesOrderState,
  context: SalesOrderContext,
): SalesOrderEvent[] {
  const order = submittedOrder(state, command.data.orderId);
  notOnHold(order);
  notClosed(order);
  notCompleted(order);
  return [{ type: 'SalesOrderClosed', data: { orderId: order.orderId, at: context.now.toISOString() } }];
}

function reopen(
  command: Valid<'ReopenSalesOrder'>,
  state: SalesOrderState,
  context: SalesOrderContext,
): SalesOrderEvent[] {
  const order = submittedOrder(state, command.data.orderId);
  if (!order.closed)
    throw salesOrderRuleError('ORDER_NOT_CLOSED', undefined, { orderId: order.orderId, status: order.status });
  return [{ type: 'SalesOrderReopened', data: { orderId: order.orderId, at: context.now.toISOString() } }];
}

function cancel(
  command: Valid<'CancelSalesOrder'>,
  state: SalesOrderState,
  context: SalesOrderContext,
): SalesOrderEvent[] {
  const order = submittedOrder(state, command.data.orderId);
  if (order.closed) {
    throw salesOrderRuleError('ORDER_CLOSED', 'Re-open the order to cancel it.', { orderId: order.orderId });
  }
  const delivered = order.lines.find((line) => !Quantity.of(line.deliveredQty).isZero());
  if (delivered) {
    throw salesOrderRuleError(
      'ORDER_HAS_DELIVERIES',
      `Line "${delivered.lineId}" has ${delivered.deliveredQty} delivered.`,
      {
        orderId: order.orderId,
        lineId: delivered.lineId,
        deliveredQty: delivered.deliveredQty,
      },
    );
  }
  const billed = order.lines.find((line) => line.billingRecorded);
  if (billed) {
    throw salesOrderRuleError('ORDER_HAS_BILLINGS', `Line "${billed.lineId}" has ${billed.billedAmount} billed.`, {
      orderId: order.orderId,
      lineId: billed.lineId,
      billedAmount: billed.billedAmount,
    });
  }
  return [
    {
      type: 'SalesOrderCancelled',
      data: { orderId: order.orderId, reason: command.data.reason ?? null, at: context.now.toISOString() },
    },
  ];
}

/** Submitted, not on hold, not closed: the order accepts deliveries, billings and item updates. */
function openOrder(state: SalesOrderState, orderId: string): ExistingSalesOrder {
  const order = submittedOrder(state, orderId);
  notOnHold(order);
  notClosed(order);
  return order;
}

function recordDelivery(
  command: Valid<'RecordSalesOrderDelivery'>,
  state: SalesOrderState,
  context: SalesOrderContext,
  settings: ResolvedSalesOrderSettings,
): SalesOrderEvent[] {
  const { data } = command;
  const order = openOrder(state, data.orderId);
  noDuplicates(
    data.lines.map((line) => line.lineId),
    (index) => ['data', 'lines', index, 'lineId'],
  );
  const lines = data.lines.map((delivery, index) => {
    const line = lineOf(order, delivery.lineId, ['data', 'lines', index, 'lineId']);
    const qty = Quantity.of(delivery.qty);
    if (!qty.isPositive()) {
      throw salesOrderRuleError(
        'INVALID_QTY',
        `A delivered quantity of ${delivery.qty}.`,
        { lineId: line.lineId, qty: delivery.qty },
        ['data', 'lines', index, 'qty'],
      );
    }
    const ordered = Quantity.of(line.qty);
    const limit = ordered.add(ordered.multiply(settings.overDeliveryAllowance).divide(100));
    const total = Quantity.of(line.deliveredQty).add(qty);
    if (total.greaterThan(limit)) {
      throw salesOrderRuleError(
        'OVER_DELIVERY',
        `Line "${line.lineId}": ${total.value} delivered of ${line.qty} ordered (at most ${limit.value}).`,
        {
          lineId: line.lineId,
          orderedQty: line.qty,
          deliveredQty: line.deliveredQty,
          qty: qty.value,
          allowance: settings.overDeliveryAllowance,
          maxQty: limit.value,
        },
        ['data', 'lines', index, 'qty'],
      );
    }
    return { lineId: line.lineId, qty: qty.value };
  });
  return [
    {
      type: 'SalesOrderDeliveryRecorded',
      data: { orderId: order.orderId, reference: data.reference ?? null, lines, at: context.now.toISOString() },
    },
  ];
}

function recordBilling(
  command: Valid<'RecordSalesOrderBilling'>,
  state: SalesOrderState,
  context: SalesOrderContext,
  settings: ResolvedSalesOrderSettings,
): SalesOrderEvent[] {
  const { data } = command;
  const order = openOrder(state, data.orderId);
  const { currency } = order;
  noDuplicates(
    data.lines.map((line) => line.lineId),
    (index) => ['data', 'lines', index, 'lineId'],
  );
  const lines = data.lines.map((billing, index) => {
    const path = ['data', 'lines', index, 'amount'] as const;
    const line = lineOf(order, billing.lineId, ['data', 'lines', index, 'lineId']);
    const amount = Money.of(billing.amount, currency);
    const lineAmount = Money.of(line.amount, currency);
    if ((amount.isNegative() && !lineAmount.isNegative()) || (amount.isPositive() && lineAmount.isNegative())) {
      throw salesOrderRuleError(
        'BILLING_SIGN_MISMATCH',
        `Billing ${amount.amount} on a line of ${line.amount}.`,
        { lineId: line.lineId, amount: amount.amount, lineAmount: line.amount },
        path,
      );
    }
    const limit = lineAmount.abs().add(lineAmount.abs().percentage(settings.overBillingAllowance));
    const total = Money.of(line.billedAmount, currency).add(amount);
    if (total.abs().greaterThan(limit)) {
      throw salesOrderRuleError(
        'OVER_BILLING',
        `Line "${line.lineId}": ${total.amount} billed of ${line.amount} (at most ${limit.amount} in absolute value).`,
        {
          lineId: line.lineId,
          lineAmount: line.amount,
          billedAmount: line.billedAmount,
          amount: amount.amount,
          allowance: settings.overBillingAllowance,
          maxAmount: limit.amount,
        },
        path,
      );
    }
    return { lineId: line.lineId, amount: amount.amount };
  });
  return [
    {
      type: 'SalesOrderBillingRecorded',
      data: { orderId: order.orderId, reference: data.reference ?? null, lines, at: context.now.toISOString() },
    },
  ];
}

function updateItems(
  command: Valid<'UpdateSalesOrderItems'>,
  state: SalesOrderState,
  context: SalesOrderContext,
): SalesOrderEvent[] {
  const { data } = command;
  const order = openOrder(state, data.orderId);
  notCompleted(order);
  const { orderId, currency } = order;
  const method = order.pricing.roundingMethod;
  const events: SalesOrderEvent[] = [];

  noDuplicates(data.remove, (index) => ['data', 'remove', index]);
  const removed = new Set<string>();
  data.remove.forEach((lineId, index) => {
    const line = lineOf(order, lineId, ['data', 'remove', index]);
    if (!Quantity.of(line.deliveredQty).isZero()) {
      throw salesOrderRuleError(
        'LINE_HAS_DELIVERIES',
        `Line "${lineId}" has ${line.deliveredQty} delivered.`,
        { lineId, deliveredQty: line.deliveredQty },
        ['data', 'remove', index],
      );
    }
    if (line.billingRecorded) {
      throw salesOrderRuleError(
        'LINE_HAS_BILLINGS',
        `Line "${lineId}" has ${line.billedAmount} billed.`,
        { lineId, billedAmount: line.billedAmount },
        ['data', 'remove', index],
      );
    }
    removed.add(lineId);
    events.push({ type: 'SalesOrderLineRemoved', data: { orderId, lineId: line.lineId } });
  });

  noDuplicates(
    data.update.map((change) => change.lineId),
    (index) => ['data', 'update', index, 'lineId'],
  );
  data.update.forEach((change, index) => {
    const path = ['data', 'update', index] as const;
    if (removed.has(change.lineId)) {
      throw salesOrderRuleError(
        'LINE_NOT_FOUND',
        `Line "${change.lineId}" is removed by the same command.`,
        { lineId: change.lineId },
        [...path, 'lineId'],
      );
    }
    const line = lineOf(order, change.lineId, [...path, 'lineId']);
    const qty = Quantity.of(change.qty ?? line.qty);
    if (!qty.isPositive()) {
      throw salesOrderRuleError('INVALID_QTY', `Quantity ${qty.value}.`, { lineId: line.lineId, qty: qty.value }, [
        ...path,
        'qty',
      ]);
    }
    if (qty.lessThan(line.deliveredQty)) {
      throw salesOrderRuleError(
        'QTY_BELOW_DELIVERED',
        `Line "${line.lineId}" has ${line.deliveredQty} delivered.`,
        { lineId: line.lineId, qty: qty.value, deliveredQty: line.deliveredQty },
        [...path, 'qty'],
      );
    }
    const rate = rateOf(change.rate ?? line.rate, currency, method);
    const amount = roundMoney(Money.of(rate, currency).multiply(qty), method);
    if (amount.abs().lessThan(Money.of(line.billedAmount, currency).abs())) {
      throw salesOrderRuleError(
        'AMOUNT_BELOW_BILLED',
        `Line "${line.lineId}" would be ${amount.amount}, ${line.billedAmount} is billed.`,
        { lineId: line.lineId, amount: amount.amount, billedAmount: line.billedAmount },
        [...path, change.rate === undefined ? 'qty' : 'rate'],
      );
    }
    const deliveryDate = change.deliveryDate ?? line.deliveryDate;
    if (deliveryDate !== null && deliveryDate < order.transactionDate) {
      throw salesOrderRuleError(
        'DELIVERY_BEFORE_ORDER_DATE',
        `${deliveryDate} is before ${order.transactionDate}.`,
        { lineId: line.lineId, deliveryDate, transactionDate: order.transactionDate },
        [...path, 'deliveryDate'],
      );
    }
    const updated: SalesOrderLineData = {
      ...lineData(line),
      qty: qty.value,
      priceListRate: rateOf(line.priceListRate, currency, method),
      rate,
      // A rate set directly replaces the one derived from the price list, as in ERPNext's "Update Items".
      discountPercentage: change.rate === undefined ? line.discountPercentage : '0',
      deliveryDate,
    };
    events.push({ type: 'SalesOrderLineUpdated', data: { orderId, line: updated } });
  });

  const taken = new Set(order.lines.map((line) => line.lineId as string));
  data.add.forEach((input, index) => {
    const path = ['data', 'add', index] as const;
    const lineId = newLineId(input.lineId, context);
    if (taken.has(lineId)) {
      throw salesOrderRuleError('DUPLICATE_LINE_ID', `Line "${lineId}" exists.`, { lineId }, [...path, 'lineId']);
    }
    taken.add(lineId);
    const line = resolveNewLine(input, lineId, order);
    if (!Quantity.of(line.qty).isPositive()) {
      throw salesOrderRuleError('INVALID_QTY', `Quantity ${line.qty}.`, { lineId, qty: line.qty }, [...path, 'qty']);
    }
    // After submit every line carries its date; a new line without one takes the order's.
    const deliveryDate = line.deliveryDate ?? order.deliveryDate;
    if (deliveryDate !== null && deliveryDate < order.transactionDate) {
      throw salesOrderRuleError(
        'DELIVERY_BEFORE_ORDER_DATE',
        `${deliveryDate} is before ${order.transactionDate}.`,
        { lineId, deliveryDate, transactionDate: order.transactionDate },
        [...path, 'deliveryDate'],
      );
    }
    events.push({ type: 'SalesOrderLineAdded', data: { orderId, line: { ...line, deliveryDate } } });
  });

  if (events.length === 0) return events;
  const result = after(order, events);
  if (result.exists) {
    const violation = submitViolation(result);
    if (violation) throw violation;
  }
  return events;
}

/**
 * Decides what happens when `command` meets the order in `state`: the events to append, or a thrown error.
 *
 * @remarks
 * Pure: time (`context.now`), new ids (`context.newId()`) and settings (`context.settings`) come from the context.
 * The command is validated first (a `ValidationError`, code `VALIDATION_FAILED`, with paths such as
 * `['data', 'line', 'qty']`); a broken business rule throws a `DomainRuleError` (`DOMAIN_RULE_VIOLATED`) whose
 * `rule` is one of `SALES_ORDER_RULES`. A refused command produces no event. Some commands that would change
 * nothing (removing an absent discount, updating no items) return no events.
 *
 * @throws ValidationError, DomainRuleError
 */
export function decideSalesOrder(
  command: SalesOrderCommand,
  state: SalesOrderState,
  context: SalesOrderContext,
): SalesOrderEvent[] {
  const valid = parseOrThrow(SalesOrderCommandSchema, command);
  const events = decideValid(valid, state, context, resolveSalesOrderSettings(context.settings));
  assertFiguresInBound(events, state);
  return events;
}

/**
 * Folds the decided events onto the state once, so that an amount or total beyond the decimal bound refuses the
 * command here (as `AMOUNT_OUT_OF_RANGE`) instead of producing events that `evolve` could not apply.
 */
function assertFiguresInBound(events: readonly SalesOrderEvent[], state: SalesOrderState): void {
  try {
    events.reduce(evolveSalesOrder, state);
  } catch (error) {
    if (error instanceof ValidationError && error.issues.some((issue) => issue.code === 'too_big')) {
      throw salesOrderRuleError('AMOUNT_OUT_OF_RANGE', error.issues[0]?.message, {});
    }
    throw error;
  }
}

function decideValid(
  valid: z.output<typeof SalesOrderCommandSchema>,
  state: SalesOrderState,
  context: SalesOrderContext,
  settings: ReturnType<typeof resolveSalesOrderSettings>,
): SalesOrderEvent[] {
  switch (valid.type) {
    case 'CreateSalesOrder':
      return create(valid, state, context, settings);
    case 'AddSalesOrderLine':
      return addLine(valid, state, context);
    case 'UpdateSalesOrderLine':
      return updateLine(valid, state);
    case 'RemoveSalesOrderLine':
      return removeLine(valid, state);
    case 'SetSalesOrderDiscount':
      return setDiscount(valid, state);
    case 'RemoveSalesOrderDiscount':
      return removeDiscount(valid, state);
    case 'AddSalesOrderTax':
      return addTax(valid, state, context);
    case 'RemoveSalesOrderTax':
      return removeTax(valid, state);
    case 'SetSalesOrderDeliveryDate':
      return setDeliveryDate(valid, state);
    case 'SubmitSalesOrder':
      return submit(valid, state, context);
    case 'HoldSalesOrder':
      return hold(valid, state, context);
    case 'ResumeSalesOrder':
      return resume(valid, state, context);
    case 'CloseSalesOrder':
      return close(valid, state, context);
    case 'ReopenSalesOrder':
      return reopen(valid, state, context);
    case 'CancelSalesOrder':
      return cancel(valid, state, context);
    case 'RecordSalesOrderDelivery':
      return recordDelivery(valid, state, context, settings);
    case 'RecordSalesOrderBilling':
      return recordBilling(valid, state, context, settings);
    case 'UpdateSalesOrderItems':
      return updateItems(valid, state, context);
  }
}
