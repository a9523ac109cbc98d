import type { z } from 'zod';
import type { CompanyId, CustomerId } from '../customer/customer-ids.js';
import type { MoneyJSON } from '../money/index.js';
import type { PaymentId, SalesInvoiceId } from './invoice-ids.js';
import type { BilledOrderLineSchema, SalesInvoiceLineSchema } from './sales-invoice-events.js';

/** One invoice line. */
export type SalesInvoiceLine = z.output<typeof SalesInvoiceLineSchema>;
/** The amount an invoice bills on one order line. */
export type BilledOrderLine = z.output<typeof BilledOrderLineSchema>;

/**
 * ERPNext's invoice statuses that follow from events (`Overdue` depends on today's date, so it is not stored:
 * an `unpaid` or `partly_paid` invoice past its due date is overdue).
 */
export type SalesInvoiceStatus = 'unpaid' | 'partly_paid' | 'paid' | 'cancelled';

/** Everything known about a submitted invoice. Plain JSON, so it can be snapshotted as is. */
export interface SalesInvoiceRecord {
  readonly invoiceId: SalesInvoiceId;
  readonly customerId: CustomerId;
  readonly company: CompanyId;
  readonly salesOrderId: string;
  readonly currency: string;
  readonly postingDate: string;
  readonly dueDate: string;
  readonly lines: readonly SalesInvoiceLine[];
  readonly billedOrderLines: readonly BilledOrderLine[];
  readonly total: MoneyJSON;
  /** Sum of the applied payments. */
  readonly paidAmount: MoneyJSON;
  /** `total − paidAmount`; what the customer still owes on it (zero once cancelled). */
  readonly outstanding: MoneyJSON;
  readonly payments: readonly { readonly paymentId: PaymentId; readonly amount: MoneyJSON }[];
  readonly status: SalesInvoiceStatus;
}

/** The SalesInvoice aggregate's state: nothing before creation, then the invoice. */
export type SalesInvoiceState =
  | { readonly exists: false }
  | { readonly exists: true; readonly invoice: SalesInvoiceRecord };

/** Where folding an invoice stream starts. */
export const initialSalesInvoiceState: SalesInvoiceState = { exists: false };
