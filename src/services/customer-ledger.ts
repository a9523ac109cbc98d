import { z } from 'zod';
import { Money, type MoneyJSON, MoneySchema } from '../domain/money/index.js';
import type { Decider } from '../kernel/decider.js';
import { defineEvent, type EventOf } from '../kernel/event-registry.js';

/**
 * The stream prefix of customer ledgers: the ledger of customer `CUST-1` is `"CustomerLedger-CUST-1"`.
 *
 * @remarks
 * The ledger is the application services' index of what a customer owes: each of its orders' unbilled amount,
 * each of its invoices' outstanding amount, each payment's unallocated rest. Every use case that changes one of
 * them appends to the ledger in the same atomic `appendMany` as the order, invoice or payment events, with the
 * ledger version it read. So a credit check reads one stream, and two concurrent use cases for one customer
 * conflict on it: the second is retried against the first's figures, and a limit only one order fits cannot be
 * passed by both.
 */
export const CUSTOMER_LEDGER_STREAM_PREFIX = 'CustomerLedger-';

/** The id of the ledger stream of `customerId`. */
export function customerLedgerStreamId(customerId: string): string {
  return `${CUSTOMER_LEDGER_STREAM_PREFIX}${customerId}`;
}

const Id = z.string().min(1).max(140);

/** An order's figures as the ledger keeps them; appended whenever its status or unbilled amount changes. */
export const CustomerLedgerOrderRecorded = defineEvent({
  type: 'CustomerLedgerOrderRecorded',
  schemaVersion: 1,
  schema: z.object({
    customerId: Id,
    orderId: Id,
    company: Id,
    /** The order's derived status (`draft`, `to_deliver_and_bill`, `on_hold`, `closed`, `cancelled`, ...). */
    status: z.string().min(1).max(40),
    grandTotal: MoneySchema,
    /** What the order counts in the credit exposure: zero for a draft, a closed or a cancelled order. */
    unbilledAmount: MoneySchema,
  }),
});

/** An invoice's figures as the ledger keeps them; appended when it is created and when a payment is applied. */
export const CustomerLedgerInvoiceRecorded = defineEvent({
  type: 'CustomerLedgerInvoiceRecorded',
  schemaVersion: 1,
  schema: z.object({
    customerId: Id,
    invoiceId: Id,
    salesOrderId: Id,
    company: Id,
    status: z.string().min(1).max(40),
    dueDate: z.iso.date(),
    total: MoneySchema,
    outstanding: MoneySchema,
  }),
});

/** A payment's figures as the ledger keeps them: its amount and what is not allocated to an invoice yet. */
export const CustomerLedgerPaymentRecorded = defineEvent({
  type: 'CustomerLedgerPaymentRecorded',
  schemaVersion: 1,
  schema: z.object({
    customerId: Id,
    paymentId: Id,
    company: Id,
    receivedOn: z.iso.date(),
    amount: MoneySchema,
    unallocated: MoneySchema,
  }),
});

/** Every customer-ledger event definition, for the ERP's event registry. */
export const customerLedgerEvents = [
  CustomerLedgerOrderRecorded,
  CustomerLedgerInvoiceRecorded,
  CustomerLedgerPaymentRecorded,
] as const;

/** The `{ type, data }` union of customer-ledger events. */
export type CustomerLedgerEvent = EventOf<typeof customerLedgerEvents>;

/** One order in the ledger. */
export interface LedgerOrder {
  readonly orderId: string;
  readonly company: string;
  readonly status: string;
  readonly grandTotal: MoneyJSON;
  readonly unbilledAmount: MoneyJSON;
}

/** One invoice in the ledger. */
export interface LedgerInvoice {
  readonly invoiceId: string;
  readonly salesOrderId: string;
  readonly company: string;
  readonly status: string;
  readonly dueDate: string;
  readonly total: MoneyJSON;
  readonly outstanding: MoneyJSON;
}

/** One payment in the ledger. */
export interface LedgerPayment {
  readonly paymentId: string;
  readonly company: string;
  readonly receivedOn: string;
  readonly amount: MoneyJSON;
  readonly unallocated: MoneyJSON;
}

/** A customer's ledger: the latest figures of each of its orders, invoices and payments, in first-seen order. */
export interface CustomerLedgerState {
  readonly orders: Readonly<Record<string, LedgerOrder>>;
  readonly invoices: Readonly<Record<string, LedgerInvoice>>;
  readonly payments: Readonly<Record<string, LedgerPayment>>;
}

/** An empty ledger. */
export const initialCustomerLedgerState: CustomerLedgerState = Object.freeze({
  orders: Object.freeze({}),
  invoices: Object.freeze({}),
  payments: Object.freeze({}),
});

/** Folds one ledger event: each event replaces the figures of its order, invoice or payment. Pure. */
export function evolveCustomerLedger(state: CustomerLedgerState, event: CustomerLedgerEvent): CustomerLedgerState {
  switch (event.type) {
    case 'CustomerLedgerOrderRecorded': {
      const { customerId: _customerId, ...order } = event.data;
      return { ...state, orders: { ...state.orders, [order.orderId]: order } };
    }
    case 'CustomerLedgerInvoiceRecorded': {
      const { customerId: _customerId, ...invoice } = event.data;
      return { ...state, invoices: { ...state.invoices, [invoice.invoiceId]: invoice } };
    }
    case 'CustomerLedgerPaymentRecorded': {
      const { customerId: _customerId, ...payment } = event.data;
      return { ...state, payments: { ...state.payments, [payment.paymentId]: payment } };
    }
  }
}

/**
 * The ledger as a fold-only decider: the ERP decides its events itself (they restate figures other aggregates
 * decided), so `decide` only passes them through.
 */
export const customerLedgerDecider: Decider<CustomerLedgerEvent, CustomerLedgerEvent, CustomerLedgerState> = {
  initialState: initialCustomerLedgerState,
  decide: (event) => [event],
  evolve: evolveCustomerLedger,
};

/** The figures the credit check needs from a ledger, for one company and currency. */
export interface LedgerExposure {
  /** Σ outstanding of the company's invoices in the currency. */
  readonly outstanding: Money;
  /** The company's orders in the currency with something unbilled, except the one left out. */
  readonly unbilledOrders: readonly { readonly orderId: string; readonly unbilledAmount: Money }[];
  /** Σ of `unbilledOrders`. */
  readonly unbilled: Money;
  /** Σ unallocated payments (advances) in the currency; not netted against the exposure, as in ERPNext. */
  readonly advances: Money;
}

/**
 * Reads a ledger's exposure for one company in one currency, leaving `exceptOrderId` out (the order being checked:
 * its own amount is the credit check's new amount).
 *
 * @remarks Ordo converts no currency: entries of the company in another currency are **left out** (they are counted
 * in their own currency's exposure, see {@link ledgerCurrencies}). A customer may so have orders in several
 * currencies; a credit limit only counts those in its own currency.
 */
export function ledgerExposure(
  state: CustomerLedgerState,
  company: string,
  currency: string,
  exceptOrderId?: string,
): LedgerExposure {
  const zero = Money.zero(currency);
  const inScope = (entry: { readonly company: string }, amount: MoneyJSON) =>
    entry.company === company && amount.currency === zero.currency;
  const outstanding = Object.values(state.invoices)
    .filter((invoice) => inScope(invoice, invoice.outstanding))
    .reduce((sum, invoice) => sum.add(Money.fromJSON(invoice.outstanding)), zero);
  const unbilledOrders = Object.values(state.orders)
    .filter((order) => inScope(order, order.unbilledAmount) && order.orderId !== exceptOrderId)
    .map((order) => ({ orderId: order.orderId, unbilledAmount: Money.fromJSON(order.unbilledAmount) }))
    .filter((order) => !order.unbilledAmount.isZero());
  const unbilled = unbilledOrders.reduce((sum, order) => sum.add(order.unbilledAmount), zero);
  const advances = Object.values(state.payments)
    .filter((payment) => inScope(payment, payment.unallocated))
    .reduce((sum, payment) => sum.add(Money.fromJSON(payment.unallocated)), zero);
  return { outstanding, unbilledOrders, unbilled, advances };
}

/** The currencies of a ledger's entries (orders, invoices, payments) for one company, sorted. */
export function ledgerCurrencies(state: CustomerLedgerState, company: string): string[] {
  const currencies = new Set<string>();
  for (const order of Object.values(state.orders)) {
    if (order.company === company) currencies.add(order.grandTotal.currency);
  }
  for (const invoice of Object.values(state.invoices)) {
    if (invoice.company === company) currencies.add(invoice.total.currency);
  }
  for (const payment of Object.values(state.payments)) {
    if (payment.company === company) currencies.add(payment.amount.currency);
  }
  return [...currencies].sort();
}
