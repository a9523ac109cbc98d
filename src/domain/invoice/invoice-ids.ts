import { z } from 'zod';
import { parseOrThrow } from '../../kernel/validation.js';

/** The stream prefix of sales invoices: the stream of invoice `SINV-1` is `"SalesInvoice-SINV-1"`. */
export const SALES_INVOICE_STREAM_PREFIX = 'SalesInvoice-';

/** The id of the event stream that holds the sales invoice `invoiceId`. */
export function salesInvoiceStreamId(invoiceId: string): string {
  return `${SALES_INVOICE_STREAM_PREFIX}${invoiceId}`;
}

/** The stream prefix of payments: the stream of payment `PAY-1` is `"Payment-PAY-1"`. */
export const PAYMENT_STREAM_PREFIX = 'Payment-';

/** The id of the event stream that holds the payment `paymentId`. */
export function paymentStreamId(paymentId: string): string {
  return `${PAYMENT_STREAM_PREFIX}${paymentId}`;
}

/** Validates a sales invoice id, branded {@link SalesInvoiceId}. */
export const SalesInvoiceIdSchema = z.string().min(1).max(140).brand<'SalesInvoiceId'>();
/** The id of a sales invoice, e.g. `"SINV-0001"`. */
export type SalesInvoiceId = z.output<typeof SalesInvoiceIdSchema>;
/**
 * Checks and brands a sales invoice id.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function SalesInvoiceId(value: string): SalesInvoiceId {
  return parseOrThrow(SalesInvoiceIdSchema, value);
}

/** Validates a payment id, branded {@link PaymentId}. */
export const PaymentIdSchema = z.string().min(1).max(140).brand<'PaymentId'>();
/** The id of a received payment (ERPNext's Payment Entry), e.g. `"PAY-0001"`. */
export type PaymentId = z.output<typeof PaymentIdSchema>;
/**
 * Checks and brands a payment id.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function PaymentId(value: string): PaymentId {
  return parseOrThrow(PaymentIdSchema, value);
}

/** The id of the sales order an invoice bills (kept a plain string so any order id type fits). */
export const SalesOrderRefSchema = z.string().min(1).max(140);
/** The id of a line of that order. */
export const SalesOrderLineRefSchema = z.string().min(1).max(140);
