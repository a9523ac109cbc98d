import { z } from 'zod';
import { defineEvent, type EventOf } from '../../kernel/event-registry.js';
import { CompanyIdSchema, CustomerIdSchema } from '../customer/customer-ids.js';
import { ItemCodeSchema } from '../item/item-ids.js';
import { CurrencyCodeSchema, MoneySchema, PositiveQuantitySchema } from '../money/index.js';
import { PaymentIdSchema, SalesInvoiceIdSchema, SalesOrderLineRefSchema, SalesOrderRefSchema } from './invoice-ids.js';

/** One invoice line as stored. */
export const SalesInvoiceLineSchema = z.object({
  orderLineId: SalesOrderLineRefSchema,
  itemCode: ItemCodeSchema,
  qty: PositiveQuantitySchema,
  rate: MoneySchema,
  amount: MoneySchema,
});

/** How much of one order line an invoice bills: what the use case adds to (or, on cancel, takes from) it. */
export const BilledOrderLineSchema = z.object({ orderLineId: SalesOrderLineRefSchema, amount: MoneySchema });

/** An invoice was created and submitted: it now counts in the customer's outstanding. */
export const SalesInvoiceCreated = defineEvent({
  type: 'SalesInvoiceCreated',
  schemaVersion: 1,
  schema: z.object({
    invoiceId: SalesInvoiceIdSchema,
    customerId: CustomerIdSchema,
    company: CompanyIdSchema,
    salesOrderId: SalesOrderRefSchema,
    currency: CurrencyCodeSchema,
    postingDate: z.iso.date(),
    dueDate: z.iso.date(),
    lines: z.array(SalesInvoiceLineSchema),
    total: MoneySchema,
    /** Billed amount per order line (lines of one order line summed). */
    billedOrderLines: z.array(BilledOrderLineSchema),
  }),
});

/** A payment was applied to the invoice; `outstanding` is what remains after it. */
export const SalesInvoicePaymentApplied = defineEvent({
  type: 'SalesInvoicePaymentApplied',
  schemaVersion: 1,
  schema: z.object({
    invoiceId: SalesInvoiceIdSchema,
    customerId: CustomerIdSchema,
    company: CompanyIdSchema,
    paymentId: PaymentIdSchema,
    amount: MoneySchema,
    outstanding: MoneySchema,
  }),
});

/** The invoice was cancelled; `billedOrderLines` are the amounts to take back from the order lines. */
export const SalesInvoiceCancelled = defineEvent({
  type: 'SalesInvoiceCancelled',
  schemaVersion: 1,
  schema: z.object({
    invoiceId: SalesInvoiceIdSchema,
    customerId: CustomerIdSchema,
    company: CompanyIdSchema,
    salesOrderId: SalesOrderRefSchema,
    billedOrderLines: z.array(BilledOrderLineSchema),
  }),
});

/** Every SalesInvoice event definition, for the event registry. */
export const salesInvoiceEvents = [SalesInvoiceCreated, SalesInvoicePaymentApplied, SalesInvoiceCancelled] as const;

/** The `{ type, data }` union of SalesInvoice events. */
export type SalesInvoiceEvent = EventOf<typeof salesInvoiceEvents>;
