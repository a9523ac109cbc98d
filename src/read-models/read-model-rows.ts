/**
 * The pure arithmetic of the ERP read models, shared by the in-memory and the SQL versions so that both compute
 * exactly the same rows: how an event moves a sales order, what an order contributes to each read model, and how
 * a contribution is added to (or taken back from) a row. @internal
 *
 * Every order-derived read model works by difference: for each event it folds the order with the domain's own
 * `evolve`, computes the order's contribution before and after, and applies `after − before`. A cancellation
 * therefore takes back exactly what the order had contributed, and a submitted order whose lines change
 * (ERPNext's "Update Items") moves its totals by the change.
 */
import type { CustomerCreditLimit } from '../domain/customer/index.js';
import { Money, Quantity } from '../domain/money/index.js';
import {
  type ExistingSalesOrder,
  evolveSalesOrder,
  initialSalesOrderState,
  type SalesOrderEvent,
  salesOrderEventDefinitions,
} from '../domain/sales-order/index.js';
import { type StockEvent, type StockState, stockEvents } from '../domain/stock/index.js';
import type { StoredEvent } from '../kernel/event.js';
import type {
  CreditBalance,
  DailySales,
  ItemStockLevel,
  OrderDetails,
  OrderLineDetails,
  OrderListEntry,
} from './read-model-types.js';

/** Every sales order event type: an order-derived read model folds them all to keep its copy of the order. */
export const SALES_ORDER_EVENT_TYPES: readonly string[] = Object.freeze(
  salesOrderEventDefinitions.map((definition) => definition.type),
);

/** Every stock event type. */
export const STOCK_EVENT_TYPES: readonly string[] = Object.freeze(stockEvents.map((definition) => definition.type));

/** The customer events that carry credit limits. */
export const CREDIT_LIMIT_EVENT_TYPES = [
  'CustomerRegistered',
  'CustomerCreditLimitAdded',
  'CustomerCreditLimitChanged',
  'CustomerCreditLimitRemoved',
] as const;

/** The invoice events that move a customer's outstanding amount. */
export const INVOICE_EVENT_TYPES = [
  'SalesInvoiceCreated',
  'SalesInvoicePaymentApplied',
  'SalesInvoiceCancelled',
] as const;

/** A composite key that cannot collide however its parts are spelt. */
export function keyOf(...parts: readonly string[]): string {
  return JSON.stringify(parts);
}

// -------------------------------------------------------------------------------------------------------------
// Sales orders

/** The order an order event is about. */
export function orderIdOf(event: StoredEvent): string {
  return (event.data as { readonly orderId: string }).orderId;
}

/**
 * The order after `event`, folded with the domain's `evolve`; `undefined` when the event is about an order that
 * was never created (the read model then ignores it, as `evolve` does).
 */
export function stepOrder(before: ExistingSalesOrder | undefined, event: StoredEvent): ExistingSalesOrder | undefined {
  const orderEvent = event as unknown as SalesOrderEvent;
  if (before === undefined && orderEvent.type !== 'SalesOrderCreated') return undefined;
  const after = evolveSalesOrder(before ?? initialSalesOrderState, orderEvent);
  return after.exists ? after : undefined;
}

/**
 * What an order contributes to the sales figures (customer summary, dashboard): only a submitted order that is
 * not cancelled counts (ERPNext's `docstatus = 1`), with its net total, after discounts and before taxes.
 */
export interface SalesContribution {
  readonly customerId: string;
  readonly company: string;
  readonly currency: string;
  /** The transaction date. */
  readonly date: string;
  /** The net total. */
  readonly amount: string;
  /** Still to deliver or bill: not closed, not completed. */
  readonly open: boolean;
}

/** The order's {@link SalesContribution}, or `undefined` for a draft, a cancelled order or no order. */
export function salesContribution(order: ExistingSalesOrder | undefined): SalesContribution | undefined {
  if (order?.docStatus !== 'submitted') return undefined;
  return {
    customerId: order.customerId,
    company: order.company,
    currency: order.currency,
    date: order.transactionDate,
    amount: order.totals.netTotal,
    open: !order.closed && order.status !== 'completed',
  };
}

/** True when two contributions are the same, so an event that changed neither needs no row written. */
export function sameContribution<T extends object>(a: T | undefined, b: T | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return keyOf(...Object.values(a).map(String)) === keyOf(...Object.values(b).map(String));
}

/** A contribution to add (`sign` 1) or take back (`-1`). */
export interface Change<T> {
  readonly contribution: T;
  readonly sign: 1 | -1;
}

/**
 * The changes an event makes, taking back `before` and adding `after`, grouped by the row they touch: usually one
 * row (an order keeps its customer, day and currency), so the SQL read models read and write it once.
 */
export function changesByKey<T>(
  before: T | undefined,
  after: T | undefined,
  key: (contribution: T) => string,
): Change<T>[][] {
  const groups = new Map<string, Change<T>[]>();
  const changes: Change<T>[] = [];
  if (before !== undefined) changes.push({ contribution: before, sign: -1 });
  if (after !== undefined) changes.push({ contribution: after, sign: 1 });
  for (const change of changes) {
    const id = key(change.contribution);
    groups.set(id, [...(groups.get(id) ?? []), change]);
  }
  return [...groups.values()];
}

/** Signed money arithmetic on decimal strings of one currency. */
function addMoney(amount: string, delta: string, sign: 1 | -1, currency: string): string {
  const change = Money.of(delta, currency);
  return Money.of(amount, currency).add(sign === 1 ? change : change.negate()).amount;
}

/** A customer summary row as maintained: counts and amount, without the last order date. */
export interface SummaryTotals {
  readonly customerId: string;
  readonly currency: string;
  readonly totalOrders: number;
  readonly totalAmount: string;
  readonly openOrders: number;
}

/**
 * Adds (`sign` 1) or takes back (`-1`) a contribution; `undefined` once no order is left, so the row goes away
 * (a rebuild would never have written it).
 */
export function addToSummary(
  row: SummaryTotals | undefined,
  contribution: SalesContribution,
  sign: 1 | -1,
): SummaryTotals | undefined {
  const { customerId, currency } = contribution;
  const base = row ?? { customerId, currency, totalOrders: 0, totalAmount: Money.zero(currency).amount, openOrders: 0 };
  const totalOrders = base.totalOrders + sign;
  if (totalOrders <= 0) return undefined;
  return {
    customerId,
    currency,
    totalOrders,
    totalAmount: addMoney(base.totalAmount, contribution.amount, sign, currency),
    openOrders: base.openOrders + (contribution.open ? sign : 0),
  };
}

/** A dashboard row as maintained: total and count, the average is computed when read. */
export interface DailyTotals {
  readonly date: string;
  readonly company: string;
  readonly customerId: string;
  readonly currency: string;
  readonly totalSales: string;
  readonly orderCount: number;
}

/** Adds or takes back a contribution to a day's row; `undefined` once the day has no order left. */
export function addToDaily(
  row: DailyTotals | undefined,
  contribution: SalesContribution,
  sign: 1 | -1,
): DailyTotals | undefined {
  const { date, company, customerId, currency } = contribution;
  const base = row ?? { date, company, customerId, currency, totalSales: Money.zero(currency).amount, orderCount: 0 };
  const orderCount = base.orderCount + sign;
  if (orderCount <= 0) return undefined;
  return { ...base, orderCount, totalSales: addMoney(base.totalSales, contribution.amount, sign, currency) };
}

/** `total / count` rounded half-even to the currency's minor unit. */
export function averageOf(total: string, count: number, currency: string): string {
  return count === 0 ? Money.zero(currency).amount : Money.of(total, currency).divide(count).round('half-even').amount;
}

/** A dashboard row with its average. */
export function dailySalesOf(row: DailyTotals): DailySales {
  return { ...row, averageOrderValue: averageOf(row.totalSales, row.orderCount, row.currency) };
}

/** An order as the order list shows it. */
export function orderListEntryOf(order: ExistingSalesOrder): OrderListEntry {
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    company: order.company,
    currency: order.currency,
    transactionDate: order.transactionDate,
    deliveryDate: order.deliveryDate,
    status: order.status,
    docStatus: order.docStatus,
    total: order.totals.total,
    discountAmount: order.totals.discountAmount,
    netTotal: order.totals.netTotal,
    totalTaxes: order.totals.totalTaxes,
    grandTotal: order.totals.grandTotal,
    perDelivered: order.perDelivered,
    perBilled: order.perBilled,
    lineCount: order.lines.length,
    createdAt: order.createdAt,
    submittedAt: order.submittedAt,
    cancelledAt: order.cancelledAt,
  };
}

/** The lines of an order as the order details show them. */
export function orderLinesOf(order: ExistingSalesOrder): OrderLineDetails[] {
  return order.lines.map((line) => ({
    lineId: line.lineId,
    itemCode: line.itemCode,
    warehouse: line.warehouse,
    qty: line.qty,
    uom: line.uom,
    priceListRate: line.priceListRate,
    discountPercentage: line.discountPercentage,
    rate: line.rate,
    amount: line.amount,
    discountAmount: line.discountAmount,
    netAmount: line.netAmount,
    deliveredQty: line.deliveredQty,
    billedAmount: line.billedAmount,
    deliveryDate: line.deliveryDate,
  }));
}

/** An order with its lines. */
export function orderDetailsOf(order: ExistingSalesOrder): OrderDetails {
  return {
    ...orderListEntryOf(order),
    onHold: order.onHold,
    holdReason: order.holdReason,
    closed: order.closed,
    lines: orderLinesOf(order),
  };
}

// -------------------------------------------------------------------------------------------------------------
// Credit

/** What an order adds to its customer's exposure: its unbilled amount (grand total based, as the credit check). */
export interface UnbilledContribution {
  readonly customerId: string;
  readonly company: string;
  readonly currency: string;
  readonly amount: string;
}

/**
 * The order's unbilled amount, or `undefined` when it has none: a draft, a cancelled or closed order (the
 * domain's `unbilledAmount` is zero for those) or a fully billed one.
 */
export function unbilledContribution(order: ExistingSalesOrder | undefined): UnbilledContribution | undefined {
  if (order === undefined || Money.of(order.unbilledAmount, order.currency).isZero()) return undefined;
  return {
    customerId: order.customerId,
    company: order.company,
    currency: order.currency,
    amount: order.unbilledAmount,
  };
}

/** One invoice's part in the outstanding amount. */
export interface InvoiceOutstanding {
  readonly invoiceId: string;
  readonly customerId: string;
  readonly company: string;
  readonly currency: string;
  readonly outstanding: string;
}

type InvoiceEventData =
  | { readonly invoiceId: string; readonly customerId: string; readonly company: string; readonly total: MoneyLike }
  | { readonly invoiceId: string; readonly outstanding: MoneyLike };
type MoneyLike = { readonly amount: string; readonly currency: string };

/**
 * The invoice's outstanding amount after an invoice event: the total when created, what the payment left, zero
 * when cancelled. `undefined` for an event about an invoice that was never created.
 */
export function stepInvoice(
  before: InvoiceOutstanding | undefined,
  event: StoredEvent,
): InvoiceOutstanding | undefined {
  const data = event.data as InvoiceEventData & { readonly invoiceId: string };
  if (event.type === 'SalesInvoiceCreated' && 'total' in data) {
    return {
      invoiceId: data.invoiceId,
      customerId: data.customerId,
      company: data.company,
      currency: data.total.currency,
      outstanding: Money.of(data.total.amount, data.total.currency).amount,
    };
  }
  if (before === undefined) return undefined;
  if (event.type === 'SalesInvoicePaymentApplied' && 'outstanding' in data) {
    return { ...before, outstanding: Money.of(data.outstanding.amount, before.currency).amount };
  }
  if (event.type === 'SalesInvoiceCancelled') return { ...before, outstanding: Money.zero(before.currency).amount };
  return before;
}

/** A customer's credit limit for a company, as the read model keeps it. */
export interface CreditLimitRecord {
  readonly customerId: string;
  readonly company: string;
  readonly currency: string;
  readonly limit: string;
  readonly bypassAtSalesOrder: boolean;
}

/**
 * The limits a credit-limit event leaves for its customer: each company's limit set (`undefined`: removed).
 * `CustomerRegistered` sets every company it lists.
 */
export function limitChanges(event: StoredEvent): { readonly company: string; readonly limit?: CreditLimitRecord }[] {
  const data = event.data as {
    readonly customerId: string;
    readonly company?: string;
    readonly limit?: MoneyLike;
    readonly bypassAtSalesOrder?: boolean;
    readonly creditLimits?: readonly CustomerCreditLimit[];
  };
  const record = (entry: { company: string; limit: MoneyLike; bypassAtSalesOrder: boolean }): CreditLimitRecord => ({
    customerId: data.customerId,
    company: entry.company,
    currency: entry.limit.currency,
    limit: Money.of(entry.limit.amount, entry.limit.currency).amount,
    bypassAtSalesOrder: entry.bypassAtSalesOrder,
  });
  switch (event.type) {
    case 'CustomerRegistered':
      return (data.creditLimits ?? []).map((entry) => ({ company: entry.company, limit: record(entry) }));
    case 'CustomerCreditLimitAdded':
    case 'CustomerCreditLimitChanged':
      if (data.company === undefined || data.limit === undefined) return [];
      return [
        {
          company: data.company,
          limit: record({
            company: data.company,
            limit: data.limit,
            bypassAtSalesOrder: data.bypassAtSalesOrder ?? false,
          }),
        },
      ];
    case 'CustomerCreditLimitRemoved':
      return data.company === undefined ? [] : [{ company: data.company }];
    default:
      return [];
  }
}

/** A credit balance row as maintained: the two amounts; limit and derived figures are added by {@link creditBalanceOf}. */
export interface CreditAmounts {
  readonly customerId: string;
  readonly company: string;
  readonly currency: string;
  readonly outstanding: string;
  readonly unbilledOrders: string;
}

/** Zero amounts for a balance key. */
export function zeroCredit(customerId: string, company: string, currency: string): CreditAmounts {
  const zero = Money.zero(currency).amount;
  return { customerId, company, currency, outstanding: zero, unbilledOrders: zero };
}

/** Moves one of the amounts by `delta` (signed). */
export function addToCredit(
  row: CreditAmounts,
  column: 'outstanding' | 'unbilledOrders',
  delta: string,
  sign: 1 | -1,
): CreditAmounts {
  return { ...row, [column]: addMoney(row[column], delta, sign, row.currency) };
}

/**
 * The full balance: the limit applies when it is in the row's currency and not zero. `undefined` when there is
 * nothing to show (no limit, nothing owed, nothing unbilled), so the row goes away.
 */
export function creditBalanceOf(row: CreditAmounts, limit: CreditLimitRecord | undefined): CreditBalance | undefined {
  const { currency } = row;
  const applies = limit !== undefined && limit.currency === currency && !Money.of(limit.limit, currency).isZero();
  const outstanding = Money.of(row.outstanding, currency);
  const unbilled = Money.of(row.unbilledOrders, currency);
  if (!applies && outstanding.isZero() && unbilled.isZero()) return undefined;
  const exposure = outstanding.add(unbilled);
  const available = applies ? Money.of(limit.limit, currency).subtract(exposure) : undefined;
  return {
    customerId: row.customerId,
    company: row.company,
    currency,
    creditLimit: applies ? limit.limit : null,
    bypassAtSalesOrder: applies ? limit.bypassAtSalesOrder : false,
    outstanding: outstanding.amount,
    unbilledOrders: unbilled.amount,
    exposure: exposure.amount,
    available: available === undefined ? null : available.amount,
    overLimit: available?.isNegative() ?? false,
  };
}

// -------------------------------------------------------------------------------------------------------------
// Stock

/** The stock stream's key: item and warehouse. */
export function stockLocationOf(event: StoredEvent): { readonly itemCode: string; readonly warehouse: string } {
  const data = (event as unknown as StockEvent).data;
  return { itemCode: data.itemCode, warehouse: data.warehouse };
}

/** The order line a stock event is about, if any (`<orderId>#<lineId>` in the stock state). */
export function stockReservationOf(
  event: StoredEvent,
): { readonly orderId: string; readonly lineId: string } | undefined {
  const data = event.data as { readonly orderId?: string; readonly lineId?: string };
  return data.orderId === undefined || data.lineId === undefined
    ? undefined
    : { orderId: data.orderId, lineId: data.lineId };
}

/** The stock figures of a stock state. */
export function itemStockLevelOf(itemCode: string, warehouse: string, state: StockState): ItemStockLevel {
  return {
    itemCode,
    warehouse,
    actualQty: state.actualQty,
    reservedQty: state.reservedQty,
    hardReservedQty: state.hardReservedQty,
    projectedQty: Quantity.of(state.actualQty).subtract(state.reservedQty).value,
  };
}

// -------------------------------------------------------------------------------------------------------------
// Sorting (the in-memory queries sort exactly as the SQL ones)

/** Compares strings by UTF-16 code unit, as SQLite's `BINARY` and PostgreSQL's `COLLATE "C"` do for BMP text. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares decimal strings by value. */
export function compareDecimal(a: string, b: string): number {
  return Quantity.of(a).compare(b);
}
