import { z } from 'zod';
import { defineEvent, type EventOf } from '../../kernel/event-registry.js';
import { CompanyIdSchema, CustomerIdSchema } from '../customer/customer-ids.js';
import { MoneySchema } from '../money/index.js';
import { PaymentIdSchema, SalesInvoiceIdSchema } from './invoice-ids.js';

/** Money was received from a customer. */
export const PaymentReceived = defineEvent({
  type: 'PaymentReceived',
  schemaVersion: 1,
  schema: z.object({
    paymentId: PaymentIdSchema,
    customerId: CustomerIdSchema,
    company: CompanyIdSchema,
    amount: MoneySchema,
    receivedOn: z.iso.date(),
    reference: z.string().nullable(),
  }),
});

/** Part of a payment was allocated to an invoice; `unallocated` is what is left of the payment after it. */
export const PaymentAllocated = defineEvent({
  type: 'PaymentAllocated',
  schemaVersion: 1,
  schema: z.object({
    paymentId: PaymentIdSchema,
    customerId: CustomerIdSchema,
    company: CompanyIdSchema,
    invoiceId: SalesInvoiceIdSchema,
    amount: MoneySchema,
    unallocated: MoneySchema,
  }),
});

/** Every Payment event definition, for the event registry. */
export const paymentEvents = [PaymentReceived, PaymentAllocated] as const;

/** The `{ type, data }` union of Payment events. */
export type PaymentEvent = EventOf<typeof paymentEvents>;
