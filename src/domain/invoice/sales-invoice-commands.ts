import { z } from 'zod';
import { CompanyIdSchema, CustomerIdSchema } from '../customer/customer-ids.js';
import { ItemCodeSchema } from '../item/item-ids.js';
import { CurrencyCodeSchema, MoneySchema, PositiveQuantitySchema } from '../money/index.js';
import { PaymentIdSchema, SalesInvoiceIdSchema, SalesOrderLineRefSchema, SalesOrderRefSchema } from './invoice-ids.js';
import { NonNegativeMoneySchema, PositiveMoneySchema } from './invoice-money.js';

const DateSchema = z.iso.date();

/** One invoice line, billing (part of) one order line. */
export const SalesInvoiceLineInputSchema = z.strictObject({
  orderLineId: SalesOrderLineRefSchema,
  itemCode: ItemCodeSchema,
  qty: PositiveQuantitySchema,
  /** Rate per unit, as on the order line. */
  rate: NonNegativeMoneySchema,
  /** The line amount. @defaultValue `qty × rate`, rounded half-even to the currency's minor unit */
  amount: NonNegativeMoneySchema.optional(),
  /**
   * What is still unbilled on the order line before this invoice (its amount minus what earlier invoices
   * billed). The caller reads it from the order, because `decide` is pure and cannot read other streams.
   */
  unbilledAmount: MoneySchema,
});

/** Creates (and submits) an invoice billing part or all of a submitted sales order. */
export const CreateSalesInvoiceSchema = z
  .strictObject({
    type: z.literal('CreateSalesInvoice'),
    invoiceId: SalesInvoiceIdSchema,
    customerId: CustomerIdSchema,
    company: CompanyIdSchema,
    salesOrderId: SalesOrderRefSchema,
    currency: CurrencyCodeSchema,
    postingDate: DateSchema,
    /** @defaultValue the posting date */
    dueDate: DateSchema.optional(),
    lines: z.array(SalesInvoiceLineInputSchema).min(1),
  })
  .refine((value) => value.dueDate === undefined || value.dueDate >= value.postingDate, {
    error: 'dueDate must not be before postingDate',
    path: ['dueDate'],
  });

/** Records (part of) a payment against the invoice. One application per payment. */
export const ApplyPaymentToInvoiceSchema = z.strictObject({
  type: z.literal('ApplyPaymentToInvoice'),
  invoiceId: SalesInvoiceIdSchema,
  paymentId: PaymentIdSchema,
  amount: PositiveMoneySchema,
});

/** Cancels an unpaid invoice; the order lines' billed amounts are to be reversed by the caller. */
export const CancelSalesInvoiceSchema = z.strictObject({
  type: z.literal('CancelSalesInvoice'),
  invoiceId: SalesInvoiceIdSchema,
});

/**
 * Every command the SalesInvoice decider accepts, discriminated by `type`. Unknown keys are refused, in nested
 * objects too, except in a money value (`MoneySchema` drops them, so a `Money` may be given as is).
 */
export const SalesInvoiceCommandSchema = z.discriminatedUnion('type', [
  CreateSalesInvoiceSchema,
  ApplyPaymentToInvoiceSchema,
  CancelSalesInvoiceSchema,
]);

/** A command as a caller writes it (plain strings; validated and branded by `decide`). */
export type SalesInvoiceCommand = z.input<typeof SalesInvoiceCommandSchema>;
/** A command after validation. */
export type ParsedSalesInvoiceCommand = z.output<typeof SalesInvoiceCommandSchema>;
