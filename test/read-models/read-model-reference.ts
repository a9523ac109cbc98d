/**
 * A deliberately simple reference for the read models: fold every stream to its final state with the domain's own
 * `evolve`, then compute each read model directly from those final states. The read models work by difference,
 * event by event; this computes from the end result, so the two only agree when every difference was right.
 */
import { Customer, type CustomerEvent, type CustomerState } from '../../src/domain/customer/index.js';
import { SalesInvoice, type SalesInvoiceEvent, type SalesInvoiceState } from '../../src/domain/invoice/index.js';
import { Money, Quantity } from '../../src/domain/money/index.js';
import {
  type ExistingSalesOrder,
  SalesOrder,
  type SalesOrderEvent,
  type SalesOrderState,
} from '../../src/domain/sales-order/index.js';
import { Stock, type StockEvent, type StockState } from '../../src/domain/stock/index.js';
import type { EventLike } from '../../src/kernel/event.js';
import type {
  CreditBalance,
  CustomerOrderSummary,
  DailySales,
  ItemStockLevel,
  OrderDetails,
  OrderListEntry,
} from '../../src/read-models/index.js';

/** What the read models should show, in the order their list queries return it. */
export interface ExpectedReadModels {
  readonly summaries: CustomerOrderSummary[];
  readonly days: DailySales[];
  readonly orders: OrderListEntry[];
  readonly details: OrderDetails[];
  readonly stock: ItemStockLevel[];
  readonly credit: CreditBalance[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function foldStreams<S>(
  log: readonly { readonly streamId: string; readonly event: EventLike }[],
  prefix: string,
  initial: S,
  evolve: (state: S, event: never) => S,
): S[] {
  const states = new Map<string, S>();
  for (const { streamId, event } of log) {
    if (!streamId.startsWith(prefix)) continue;
    states.set(streamId, evolve(states.get(streamId) ?? initial, event as never));
  }
  return [...states.values()];
}

function entryOf(order: ExistingSalesOrder): OrderListEntry {
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

/** Computes every read model from the final states of the streams in `log`. */
export function expectedReadModels(
  log: readonly { readonly streamId: string; readonly event: EventLike }[],
): ExpectedReadModels {
  const orders = foldStreams<SalesOrderState>(log, 'SalesOrder-', SalesOrder.initialState, (state, event) =>
    SalesOrder.evolve(state, event as SalesOrderEvent),
  ).filter((state): state is ExistingSalesOrder => state.exists);
  const counted = orders.filter((order) => order.docStatus === 'submitted');

  // Customer order summary.
  const summaries = new Map<string, ExistingSalesOrder[]>();
  for (const order of counted) {
    const key = `${order.customerId}\u0000${order.currency}`;
    summaries.set(key, [...(summaries.get(key) ?? []), order]);
  }
  const summaryRows: CustomerOrderSummary[] = [...summaries.values()]
    .map((group) => {
      const first = group[0] as ExistingSalesOrder;
      return {
        customerId: first.customerId,
        currency: first.currency,
        totalOrders: group.length,
        totalAmount: Money.sum(
          group.map((order) => Money.of(order.totals.netTotal, order.currency)),
          first.currency,
        ).amount,
        lastOrderDate: group
          .map((order) => order.transactionDate)
          .sort(byText)
          .at(-1) as string,
        openOrders: group.filter((order) => !order.closed && order.status !== 'completed').length,
      };
    })
    .sort((a, b) => byText(a.customerId, b.customerId) || byText(a.currency, b.currency));

  // Daily sales.
  const days = new Map<string, ExistingSalesOrder[]>();
  for (const order of counted) {
    const key = [order.transactionDate, order.company, order.customerId, order.currency].join('\u0000');
    days.set(key, [...(days.get(key) ?? []), order]);
  }
  const dayRows: DailySales[] = [...days.values()]
    .map((group) => {
      const first = group[0] as ExistingSalesOrder;
      const total = Money.sum(
        group.map((order) => Money.of(order.totals.netTotal, order.currency)),
        first.currency,
      );
      return {
        date: first.transactionDate,
        company: first.company,
        customerId: first.customerId,
        currency: first.currency,
        totalSales: total.amount,
        orderCount: group.length,
        averageOrderValue: total.divide(group.length).round('half-even').amount,
      };
    })
    .sort(
      (a, b) =>
        byText(a.date, b.date) ||
        byText(a.company, b.company) ||
        byText(a.customerId, b.customerId) ||
        byText(a.currency, b.currency),
    );

  // Orders, newest first.
  const listed = [...orders].sort(
    (a, b) => byText(b.transactionDate, a.transactionDate) || byText(b.orderId, a.orderId),
  );
  const details: OrderDetails[] = listed.map((order) => ({
    ...entryOf(order),
    onHold: order.onHold,
    holdReason: order.holdReason,
    closed: order.closed,
    lines: order.lines.map((line) => ({
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
    })),
  }));

  // Stock.
  const stock = foldStreams<StockState>(log, 'Stock-', Stock.initialState, (state, event) =>
    Stock.evolve(state, event as StockEvent),
  )
    .map((state) => ({
      itemCode: state.itemCode as string,
      warehouse: state.warehouse as string,
      actualQty: state.actualQty,
      reservedQty: state.reservedQty,
      hardReservedQty: state.hardReservedQty,
      projectedQty: Quantity.of(state.actualQty).subtract(state.reservedQty).value,
    }))
    .sort((a, b) => byText(a.itemCode, b.itemCode) || byText(a.warehouse, b.warehouse));

  // Credit: limits from customers, outstanding from invoices, unbilled from orders.
  const customers = foldStreams<CustomerState>(log, 'Customer-', Customer.initialState, (state, event) =>
    Customer.evolve(state, event as CustomerEvent),
  );
  const invoices = foldStreams<SalesInvoiceState>(log, 'SalesInvoice-', SalesInvoice.initialState, (state, event) =>
    SalesInvoice.evolve(state, event as SalesInvoiceEvent),
  );
  const amounts = new Map<
    string,
    { customerId: string; company: string; currency: string; outstanding: Money; unbilled: Money }
  >();
  const at = (customerId: string, company: string, currency: string) => {
    const key = [customerId, company, currency].join('\u0000');
    const entry = amounts.get(key) ?? {
      customerId,
      company,
      currency,
      outstanding: Money.zero(currency),
      unbilled: Money.zero(currency),
    };
    amounts.set(key, entry);
    return entry;
  };
  for (const order of orders) {
    const entry = at(order.customerId, order.company, order.currency);
    entry.unbilled = entry.unbilled.add(Money.of(order.unbilledAmount, order.currency));
  }
  for (const state of invoices) {
    if (!state.exists) continue;
    const { invoice } = state;
    const entry = at(invoice.customerId, invoice.company, invoice.currency);
    entry.outstanding = entry.outstanding.add(Money.fromJSON(invoice.outstanding));
  }
  const limits = new Map<string, { company: string; limit: Money; bypass: boolean }>();
  for (const state of customers) {
    if (!state.exists) continue;
    for (const limit of state.customer.creditLimits) {
      at(state.customer.customerId, limit.company, limit.limit.currency);
      limits.set(`${state.customer.customerId}\u0000${limit.company}`, {
        company: limit.company,
        limit: Money.fromJSON(limit.limit),
        bypass: limit.bypassAtSalesOrder,
      });
    }
  }
  const credit: CreditBalance[] = [];
  for (const entry of amounts.values()) {
    const limit = limits.get(`${entry.customerId}\u0000${entry.company}`);
    const applies = limit !== undefined && limit.limit.currency === entry.currency && !limit.limit.isZero();
    if (!applies && entry.outstanding.isZero() && entry.unbilled.isZero()) continue;
    const exposure = entry.outstanding.add(entry.unbilled);
    const available = applies ? limit.limit.subtract(exposure) : undefined;
    credit.push({
      customerId: entry.customerId,
      company: entry.company,
      currency: entry.currency,
      creditLimit: applies ? limit.limit.amount : null,
      bypassAtSalesOrder: applies ? limit.bypass : false,
      outstanding: entry.outstanding.amount,
      unbilledOrders: entry.unbilled.amount,
      exposure: exposure.amount,
      available: available?.amount ?? null,
      overLimit: available?.isNegative() ?? false,
    });
  }
  credit.sort(
    (a, b) => byText(a.customerId, b.customerId) || byText(a.company, b.company) || byText(a.currency, b.currency),
  );

  return { summaries: summaryRows, days: dayRows, orders: listed.map(entryOf), details, stock, credit };
}
