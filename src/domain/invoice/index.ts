/**
 * Sales invoices (billing submitted orders, in parts) and payments (received, allocated to invoices), and the
 * pure function giving a customer's outstanding receivable.
 */
import type { Decider } from '../../kernel/decider.js';
import { customerOutstanding } from './customer-outstanding.js';
import { paymentStreamId, salesInvoiceStreamId } from './invoice-ids.js';
import { type PaymentCommand, PaymentCommandSchema } from './payment-commands.js';
import { decidePayment } from './payment-decide.js';
import { type PaymentEvent, paymentEvents } from './payment-events.js';
import { evolvePayment } from './payment-evolve.js';
import { initialPaymentState, type PaymentState } from './payment-state.js';
import { type SalesInvoiceCommand, SalesInvoiceCommandSchema } from './sales-invoice-commands.js';
import { decideSalesInvoice } from './sales-invoice-decide.js';
import { type SalesInvoiceEvent, salesInvoiceEvents } from './sales-invoice-events.js';
import { evolveSalesInvoice } from './sales-invoice-evolve.js';
import { initialSalesInvoiceState, type SalesInvoiceState } from './sales-invoice-state.js';

export {
  type CustomerOutstanding,
  type CustomerOutstandingInput,
  customerOutstanding,
  type OutstandingInvoice,
} from './customer-outstanding.js';
export {
  PAYMENT_STREAM_PREFIX,
  PaymentId,
  PaymentIdSchema,
  paymentStreamId,
  SALES_INVOICE_STREAM_PREFIX,
  SalesInvoiceId,
  SalesInvoiceIdSchema,
  SalesOrderLineRefSchema,
  SalesOrderRefSchema,
  salesInvoiceStreamId,
} from './invoice-ids.js';
export { NonNegativeMoneySchema, PositiveMoneySchema } from './invoice-money.js';
export {
  AllocatePaymentSchema,
  type ParsedPaymentCommand,
  PaymentAllocationInputSchema,
  type PaymentCommand,
  PaymentCommandSchema,
  ReceivePaymentSchema,
} from './payment-commands.js';
export type { PaymentRuleCode } from './payment-decide.js';
export { PaymentAllocated, type PaymentEvent, PaymentReceived, paymentEvents } from './payment-events.js';
export { initialPaymentState, type PaymentAllocation, type PaymentRecord, type PaymentState } from './payment-state.js';
export {
  ApplyPaymentToInvoiceSchema,
  CancelSalesInvoiceSchema,
  CreateSalesInvoiceSchema,
  type ParsedSalesInvoiceCommand,
  type SalesInvoiceCommand,
  SalesInvoiceCommandSchema,
  SalesInvoiceLineInputSchema,
} from './sales-invoice-commands.js';
export type { SalesInvoiceRuleCode } from './sales-invoice-decide.js';
export {
  BilledOrderLineSchema,
  SalesInvoiceCancelled,
  SalesInvoiceCreated,
  type SalesInvoiceEvent,
  SalesInvoiceLineSchema,
  SalesInvoicePaymentApplied,
  salesInvoiceEvents,
} from './sales-invoice-events.js';
export {
  type BilledOrderLine,
  initialSalesInvoiceState,
  type SalesInvoiceLine,
  type SalesInvoiceRecord,
  type SalesInvoiceState,
  type SalesInvoiceStatus,
} from './sales-invoice-state.js';

/** The SalesInvoice aggregate as a decider. One stream per invoice: see {@link SalesInvoice.streamId}. */
export const salesInvoiceDecider: Decider<SalesInvoiceCommand, SalesInvoiceEvent, SalesInvoiceState> = {
  initialState: initialSalesInvoiceState,
  decide: decideSalesInvoice,
  evolve: evolveSalesInvoice,
};

/** The Payment aggregate as a decider. One stream per payment: see {@link Payment.streamId}. */
export const paymentDecider: Decider<PaymentCommand, PaymentEvent, PaymentState> = {
  initialState: initialPaymentState,
  decide: decidePayment,
  evolve: evolvePayment,
};

/**
 * Everything about sales invoices in one namespace: `SalesInvoice.decider`, `SalesInvoice.events`,
 * `SalesInvoice.streamId`, `SalesInvoice.customerOutstanding`.
 */
export const SalesInvoice = {
  /** `{ initialState, decide, evolve }`. */
  decider: salesInvoiceDecider,
  /** Decides the events for a SalesInvoice command (pure; throws `ValidationError` or `DomainRuleError`). */
  decide: decideSalesInvoice,
  /** Folds one SalesInvoice event into the state (pure). */
  evolve: evolveSalesInvoice,
  initialState: initialSalesInvoiceState,
  /** The event definitions, for the event registry. */
  events: salesInvoiceEvents,
  /** Validates any SalesInvoice command. */
  commandSchema: SalesInvoiceCommandSchema,
  /** The stream that holds one invoice's events: `SalesInvoice-<invoiceId>`. */
  streamId: salesInvoiceStreamId,
  /** {@link customerOutstanding}: what a customer's submitted invoices still owe, for one company or all. */
  customerOutstanding,
} as const;

/** Everything about payments in one namespace: `Payment.decider`, `Payment.events`, `Payment.streamId`. */
export const Payment = {
  /** `{ initialState, decide, evolve }`. */
  decider: paymentDecider,
  /** Decides the events for a Payment command (pure; throws `ValidationError` or `DomainRuleError`). */
  decide: decidePayment,
  /** Folds one Payment event into the state (pure). */
  evolve: evolvePayment,
  initialState: initialPaymentState,
  /** The event definitions, for the event registry. */
  events: paymentEvents,
  /** Validates any Payment command. */
  commandSchema: PaymentCommandSchema,
  /** The stream that holds one payment's events: `Payment-<paymentId>`. */
  streamId: paymentStreamId,
} as const;
