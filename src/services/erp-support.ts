import { applicableCreditLimit, type CreditDecision, checkCreditLimit } from '../domain/credit/credit-check.js';
import { customerStreamId } from '../domain/customer/customer-ids.js';
import type { CustomerRecord } from '../domain/customer/customer-state.js';
import { customerDecider } from '../domain/customer/index.js';
import { paymentDecider, salesInvoiceDecider } from '../domain/invoice/index.js';
import type { SalesInvoiceRecord } from '../domain/invoice/sales-invoice-state.js';
import { itemDecider } from '../domain/item/index.js';
import { assertItemSellable } from '../domain/item/item-checks.js';
import { itemStreamId } from '../domain/item/item-ids.js';
import type { ItemRecord } from '../domain/item/item-state.js';
import { conversionFactor } from '../domain/item/item-units.js';
import { CurrencyMismatchError, Money, Quantity } from '../domain/money/index.js';
import { priceListDecider } from '../domain/price-list/index.js';
import { salesOrderDecider } from '../domain/sales-order/index.js';
import type { SalesOrderContext } from '../domain/sales-order/sales-order-settings.js';
import type { ExistingSalesOrder } from '../domain/sales-order/sales-order-state.js';
import { stockDecider } from '../domain/stock/index.js';
import {
  checkStockAvailability,
  type StockAvailabilityDecision,
  type StockPolicy,
  type StockRequestLine,
} from '../domain/stock/stock-availability.js';
import type { StockCommand } from '../domain/stock/stock-commands.js';
import { reservationKey, stockStreamId } from '../domain/stock/stock-ids.js';
import type { StockState } from '../domain/stock/stock-state.js';
import type { DecideContext } from '../kernel/decider.js';
import {
  type CustomerLedgerState,
  customerLedgerDecider,
  customerLedgerStreamId,
  ledgerExposure,
} from './customer-ledger.js';
import { collect, type ErpError, erpError, toErpErrors } from './erp-result.js';
import type { ErpRuntime, UseCaseCall } from './erp-runtime.js';
import type { UnitOfWork } from './unit-of-work.js';

/** @internal The deciders the ERP folds and decides with. */
export const models = {
  customer: customerDecider,
  item: itemDecider,
  priceList: priceListDecider,
  stock: stockDecider,
  salesOrder: salesOrderDecider,
  salesInvoice: salesInvoiceDecider,
  payment: paymentDecider,
  ledger: customerLedgerDecider,
} as const;

/** @internal The decide context of the plain aggregates. */
export function decideContext(runtime: ErpRuntime, call: UseCaseCall): DecideContext {
  return { now: call.now, newId: () => runtime.ids.next() };
}

/** @internal The decide context of sales orders: time, ids and the host's sales-order settings. */
export function salesOrderContext(runtime: ErpRuntime, call: UseCaseCall): SalesOrderContext {
  return { now: call.now, newId: () => runtime.ids.next(), settings: runtime.settings.salesOrder };
}

/** @internal `date` (`YYYY-MM-DD`) plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00.000Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

/** @internal Loads an order and returns it, or an `ORDER_NOT_FOUND` error. */
export async function loadOrder(
  uow: UnitOfWork,
  streamId: string,
  orderId: string,
): Promise<ExistingSalesOrder | ErpError> {
  const state = await uow.load(streamId, models.salesOrder);
  if (!state.exists) {
    return erpError('ORDER_NOT_FOUND', `Order "${orderId}" does not exist`, ['orderId'], { orderId });
  }
  return state;
}

/** @internal True for an {@link ErpError} (as opposed to a loaded record). */
export function isErpError(value: unknown): value is ErpError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && !('exists' in value);
}

/** @internal The path of a field of a line of the input, or `undefined` for a line that is not in the input. */
export function pathOf(
  line: { readonly path?: readonly (string | number)[] | undefined },
  ...rest: (string | number)[]
) {
  return line.path === undefined ? undefined : [...line.path, ...rest];
}

/** One order line as the line checks see it, before or after it is on an order. */
export interface LineRequest {
  /** Where the line is in the caller's input, for error paths; absent for a line already on the order. */
  readonly path?: readonly (string | number)[] | undefined;
  readonly lineId: string;
  readonly itemCode: string;
  /** In `unit`; a decimal string. */
  readonly qty: string;
  /** @defaultValue the item's stock unit */
  readonly unit?: string | undefined;
  readonly warehouse: string;
}

/** A line whose item was found sellable and whose unit converts. */
export interface CheckedLine extends LineRequest {
  readonly item: ItemRecord;
  readonly unit: string;
  /** `qty × conversion factor`, in stock units. */
  readonly stockQty: string;
  readonly factor: string;
}

/**
 * @internal Checks each line's item (`ITEM_NOT_FOUND`, `ITEM_DISABLED`) and unit (`UNIT_NOT_CONVERTIBLE`), every
 * failure listed in `errors`; returns the lines that passed.
 */
export async function checkLineItems(
  uow: UnitOfWork,
  lines: readonly LineRequest[],
  errors: ErpError[],
  options: { readonly sellable: boolean } = { sellable: true },
): Promise<CheckedLine[]> {
  const checked: CheckedLine[] = [];
  for (const line of lines) {
    const state = await uow.load(itemStreamId(line.itemCode), models.item);
    const item = options.sellable
      ? collect(errors, pathOf(line, 'itemCode'), () => assertItemSellable(state, line.itemCode))
      : state.exists
        ? state.item
        : collect(errors, pathOf(line, 'itemCode'), () => assertItemSellable(state, line.itemCode));
    if (!item) continue;
    const unit = line.unit ?? item.stockUnit;
    const factor = collect(errors, pathOf(line, 'unit'), () => conversionFactor(item, unit));
    if (!factor) continue;
    checked.push({
      ...line,
      item,
      unit,
      factor: factor.value,
      stockQty: Quantity.of(line.qty).multiply(factor).value,
    });
  }
  return checked;
}

/** @internal Loads the stock streams of the given item-and-warehouse pairs (each once). */
export async function loadStock(
  uow: UnitOfWork,
  pairs: readonly { readonly itemCode: string; readonly warehouse: string }[],
): Promise<StockState[]> {
  const seen = new Set<string>();
  const states: StockState[] = [];
  for (const { itemCode, warehouse } of pairs) {
    const streamId = stockStreamId(itemCode, warehouse);
    if (seen.has(streamId)) continue;
    seen.add(streamId);
    const state = await uow.load(streamId, models.stock);
    // A pair that never had stock has no location yet; the availability check keys entries by it.
    states.push(
      state.itemCode === null
        ? { ...state, itemCode: itemCode as StockState['itemCode'], warehouse: warehouse as StockState['warehouse'] }
        : state,
    );
  }
  return states;
}

/**
 * @internal Checks stock for lines (stock units) with `policy` (the call's), else the ERP's `stockPolicy`; under
 * `block` every short line is an `INSUFFICIENT_STOCK` error at its path. Returns the decision (its `reservations` are
 * ready to decide).
 */
export async function checkLineStock(
  runtime: ErpRuntime,
  uow: UnitOfWork,
  orderId: string,
  lines: readonly (CheckedLine & { readonly requestQty?: string })[],
  errors: ErpError[],
  policy: StockPolicy | undefined = undefined,
): Promise<StockAvailabilityDecision> {
  const stock = await loadStock(uow, lines);
  const request: StockRequestLine[] = lines.map((line) => ({
    lineId: line.lineId,
    itemCode: line.itemCode,
    warehouse: line.warehouse,
    stockQty: line.requestQty ?? line.stockQty,
    isStockItem: line.item.isStockItem,
  }));
  const decision = checkStockAvailability({
    policy: policy ?? runtime.settings.stockPolicy,
    orderId,
    lines: request,
    stock,
  });
  if (!decision.allowed) {
    for (const shortfall of decision.shortfalls) {
      const line = lines.find((candidate) => candidate.lineId === shortfall.lineId);
      errors.push(
        erpError(
          'INSUFFICIENT_STOCK',
          `Insufficient stock: "${shortfall.itemCode}" in "${shortfall.warehouse}" is short by ${shortfall.shortfall} (${shortfall.requested} requested, ${shortfall.available} available)`,
          line ? pathOf(line, 'qty') : undefined,
          { orderId, ...shortfall },
        ),
      );
    }
  }
  return decision;
}

/** @internal Decides stock commands on their streams (loading them), in order. Rule errors propagate. */
export async function decideStock(
  runtime: ErpRuntime,
  uow: UnitOfWork,
  call: UseCaseCall,
  commands: readonly StockCommand[],
): Promise<void> {
  for (const command of commands) {
    const streamId = stockStreamId(command.itemCode, command.warehouse);
    await uow.load(streamId, models.stock);
    uow.decide(streamId, models.stock, command, decideContext(runtime, call));
  }
}

/**
 * @internal Releases (hold, close, cancel) or restores (resume, re-open) the reservations of an order, on the stock
 * stream of each item and warehouse its lines use. Lines already in that state change nothing.
 *
 * @remarks A release takes every active reservation of the order on those streams; a restore brings back only the
 * lines **still on the order**, one by one, so a reservation of a removed line never comes back (a removed line's
 * reservation is set to zero when it is removed; this also keeps one released by an older version from returning).
 */
export async function moveOrderReservations(
  runtime: ErpRuntime,
  uow: UnitOfWork,
  call: UseCaseCall,
  order: ExistingSalesOrder,
  move:
    | { readonly type: 'ReleaseStockReservation'; readonly reason: 'cancelled' | 'closed' | 'on_hold' }
    | { readonly type: 'RestoreStockReservation'; readonly reason: 're_opened' | 'resumed' },
): Promise<void> {
  const { orderId } = order;
  const commands: StockCommand[] = [];
  if (move.type === 'ReleaseStockReservation') {
    const pairs = new Map<string, { itemCode: string; warehouse: string }>();
    for (const line of order.lines) pairs.set(stockStreamId(line.itemCode, line.warehouse), line);
    for (const { itemCode, warehouse } of pairs.values()) {
      commands.push({ type: 'ReleaseStockReservation', itemCode, warehouse, orderId, reason: move.reason });
    }
  } else {
    for (const { itemCode, warehouse, lineId } of order.lines) {
      commands.push({ type: 'RestoreStockReservation', itemCode, warehouse, orderId, lineId, reason: move.reason });
    }
  }
  await decideStock(runtime, uow, call, commands);
}

/**
 * @internal The stock commands that end the reservations of lines removed from an order: each active reservation
 * is adjusted to zero, so no restore (resume, re-open) can bring it back and nothing stays reserved for a line
 * that is gone. Lines without a reservation (non-stock items) need nothing.
 */
export async function removedLineReservations(
  uow: UnitOfWork,
  orderId: string,
  lines: readonly { readonly lineId: string; readonly itemCode: string; readonly warehouse: string }[],
): Promise<StockCommand[]> {
  const commands: StockCommand[] = [];
  for (const { lineId, itemCode, warehouse } of lines) {
    const stock = await uow.load(stockStreamId(itemCode, warehouse), models.stock);
    const reservation = stock.reservations[reservationKey(orderId, lineId)];
    if (reservation?.status !== 'active' || Quantity.of(reservation.qty).isZero()) continue;
    commands.push({ type: 'AdjustStockReservation', itemCode, warehouse, orderId, lineId, qty: '0' });
  }
  return commands;
}

/** @internal Loads a customer's ledger. */
export async function loadLedger(uow: UnitOfWork, customerId: string): Promise<CustomerLedgerState> {
  return uow.load(customerLedgerStreamId(customerId), models.ledger);
}

/** What a credit check is about: a sales order (the default) or an invoice or delivery of one. */
export interface CreditSubject {
  /** The order being checked, left out of the other orders' unbilled amounts. */
  readonly orderId: string;
  readonly company: string;
  /** The new amount. */
  readonly amount: Money;
  /** `false` for an invoice or a delivery: the bypass flag then leaves unbilled orders out. @defaultValue `true` */
  readonly forSalesOrder?: boolean | undefined;
}

/**
 * @internal The credit check of an order, invoice or delivery: the customer's exposure from its ledger (other orders'
 * unbilled amounts, invoices' outstanding) plus `amount`, against the customer's, group's or company's limit.
 *
 * @remarks The limit is resolved first. With no non-zero limit at any level nothing is checked, whatever the
 * currencies of the customer's ledger (its figures in `amount`'s currency are reported, for information). With a
 * limit, the exposure counts the ledger's entries **in the limit's currency** only (Ordo converts no currency).
 * @throws CurrencyMismatchError when a limit applies and `amount` is in another currency than the limit.
 */
export async function creditDecision(
  runtime: ErpRuntime,
  uow: UnitOfWork,
  customer: CustomerRecord,
  subject: CreditSubject,
): Promise<CreditDecision> {
  const { settings } = runtime;
  const levels = {
    company: subject.company,
    customerLimits: customer.creditLimits,
    groupLimits: settings.customerGroupLimits
      .filter((entry) => entry.customerGroup === customer.customerGroup)
      .map((entry) => ({ company: entry.company, limit: entry.limit })),
    companyLimit: settings.companyLimits.find((entry) => entry.company === subject.company)?.limit ?? null,
  };
  const applicable = applicableCreditLimit(levels);
  if (applicable !== null && applicable.limit.currency !== subject.amount.currency) {
    throw new CurrencyMismatchError(applicable.limit.currency, subject.amount.currency, 'compare');
  }
  const ledger = await loadLedger(uow, customer.customerId);
  const exposure = ledgerExposure(ledger, subject.company, subject.amount.currency, subject.orderId);
  return checkCreditLimit({
    ...levels,
    customerId: customer.customerId,
    customerGroup: customer.customerGroup,
    outstanding: exposure.outstanding,
    unbilledOrders: exposure.unbilledOrders,
    amount: subject.amount,
    forSalesOrder: subject.forSalesOrder ?? true,
  });
}

/**
 * @internal Checks an order's credit (the order's unbilled amount after the command as the new amount), adding
 * `CREDIT_LIMIT_EXCEEDED` or `CURRENCY_MISMATCH` to `errors`. Returns the decision when it could be made.
 */
export async function checkOrderCredit(
  runtime: ErpRuntime,
  uow: UnitOfWork,
  customer: CustomerRecord,
  order: CreditSubject,
  errors: ErpError[],
): Promise<CreditDecision | undefined> {
  try {
    const decision = await creditDecision(runtime, uow, customer, order);
    if (decision.violation) errors.push(...(toErpErrors(decision.violation) ?? []));
    return decision;
  } catch (error) {
    const converted = toErpErrors(error);
    if (!converted) throw error;
    errors.push(...converted);
    return undefined;
  }
}

/**
 * @internal ERPNext's credit check of a Sales Invoice or a Delivery Note made from an order: only for a customer
 * whose own limit for the company bypasses the sales-order check (the others were checked when the order was
 * submitted, and billing or delivering it adds nothing to their exposure). Outstanding receivables (unbilled orders
 * left out) + `amount` against the applicable limit; adds `CREDIT_LIMIT_EXCEEDED` or `CURRENCY_MISMATCH` to
 * `errors`. Returns the decision when one was made.
 */
export async function checkBypassedCredit(
  runtime: ErpRuntime,
  uow: UnitOfWork,
  customerId: string,
  document: Omit<CreditSubject, 'forSalesOrder'>,
  errors: ErpError[],
): Promise<CreditDecision | undefined> {
  const customer = await loadCustomerRecord(uow, customerId);
  const own = customer?.creditLimits.find((entry) => entry.company === document.company);
  if (!customer || own?.bypassAtSalesOrder !== true) return undefined;
  return checkOrderCredit(runtime, uow, customer, { ...document, forSalesOrder: false }, errors);
}

/** @internal Loads the customer of an order (it exists: the order was created for it). */
export async function loadCustomerRecord(uow: UnitOfWork, customerId: string): Promise<CustomerRecord | undefined> {
  const state = await uow.load(customerStreamId(customerId), models.customer);
  return state.exists ? state.customer : undefined;
}

/**
 * @internal Records an order's current figures in its customer's ledger when they changed (or it is new), in the
 * same commit as the order's events.
 */
export async function syncOrderLedger(uow: UnitOfWork, order: ExistingSalesOrder): Promise<void> {
  const ledgerStream = customerLedgerStreamId(order.customerId);
  const ledger = await uow.load(ledgerStream, models.ledger);
  const known = ledger.orders[order.orderId];
  const grandTotal = Money.of(order.totals.grandTotal, order.currency).toJSON();
  const unbilledAmount = Money.of(order.unbilledAmount, order.currency).toJSON();
  if (
    known &&
    known.status === order.status &&
    known.grandTotal.amount === grandTotal.amount &&
    known.unbilledAmount.amount === unbilledAmount.amount
  ) {
    return;
  }
  uow.append(ledgerStream, models.ledger, [
    {
      type: 'CustomerLedgerOrderRecorded',
      data: {
        customerId: order.customerId,
        orderId: order.orderId,
        company: order.company,
        status: order.status,
        grandTotal,
        unbilledAmount,
      },
    },
  ]);
}

/** @internal Records an invoice's current figures in its customer's ledger. */
export async function syncInvoiceLedger(uow: UnitOfWork, invoice: SalesInvoiceRecord): Promise<void> {
  const ledgerStream = customerLedgerStreamId(invoice.customerId);
  await uow.load(ledgerStream, models.ledger);
  uow.append(ledgerStream, models.ledger, [
    {
      type: 'CustomerLedgerInvoiceRecorded',
      data: {
        customerId: invoice.customerId,
        invoiceId: invoice.invoiceId,
        salesOrderId: invoice.salesOrderId,
        company: invoice.company,
        status: invoice.status,
        dueDate: invoice.dueDate,
        total: invoice.total,
        outstanding: invoice.outstanding,
      },
    },
  ]);
}
