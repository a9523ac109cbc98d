import { z } from 'zod';
import { CompanyIdSchema, CustomerIdSchema } from '../customer/customer-ids.js';
import { MoneySchema } from '../money/index.js';
import { PaymentIdSchema, SalesInvoiceIdSchema } from './invoice-ids.js';
import { PositiveMoneySchema } from './invoice-money.js';

/**
 * One allocation of a payment to an invoice. `invoiceOutstanding` is the invoice's outstanding amount before
 * this allocation: the caller reads it from the invoice, because `decide` is pure and cannot read other streams.
 */
export const PaymentAllocationInputSchema = z.strictObject({
  invoiceId: SalesInvoiceIdSchema,
  amount: PositiveMoneySchema,
  invoiceOutstanding: MoneySchema,
});

/** Records money received from a customer, optionally allocating it to invoices at once. */
export const ReceivePaymentSchema = z.strictObject({
  type: z.literal('ReceivePayment'),
  paymentId: PaymentIdSchema,
  customerId: CustomerIdSchema,
  company: CompanyIdSchema,
  amount: PositiveMoneySchema,
  receivedOn: z.iso.date(),
  /** A bank reference or cheque number. */
  reference: z.string().min(1).max(140).optional(),
  /** @defaultValue `[]` (all unallocated: an advance) */
  allocations: z.array(PaymentAllocationInputSchema).default([]),
});

/** Allocates part of a payment's unallocated amount to an invoice. */
export const AllocatePaymentSchema = PaymentAllocationInputSchema.extend({
  type: z.literal('AllocatePayment'),
  paymentId: PaymentIdSchema,
});

/**
 * Every command the Payment decider accepts, discriminated by `type`. Unknown keys are refused, in nested
 * objects too, except in a money value (`MoneySchema` drops them, so a `Money` may be given as is).
 */
export const PaymentCommandSchema = z.discriminatedUnion('type', [ReceivePaymentSchema, AllocatePaymentSchema]);

/** A command as a caller writes it (plain strings; validated and branded by `decide`). */
export type PaymentCommand = z.input<typeof PaymentCommandSchema>;
/** A command after validation. */
export type ParsedPaymentCommand = z.output<typeof PaymentCommandSchema>;
