import { z } from 'zod';
import { defineEvent, type EventOf } from '../../kernel/event-registry.js';
import { AddressEventSchema } from '../address/index.js';
import { MoneySchema } from '../money/index.js';
import { PriceListIdSchema } from '../price-list/price-list-ids.js';
import { CompanyIdSchema, CustomerGroupIdSchema, CustomerIdSchema } from './customer-ids.js';

/** One company's credit limit as stored. */
export const CreditLimitSchema = z.object({
  company: CompanyIdSchema,
  limit: MoneySchema,
  bypassAtSalesOrder: z.boolean(),
});

/** A customer was registered. Optional facts are `null` when absent. */
export const CustomerRegistered = defineEvent({
  type: 'CustomerRegistered',
  schemaVersion: 1,
  schema: z.object({
    customerId: CustomerIdSchema,
    name: z.string(),
    customerGroup: CustomerGroupIdSchema,
    defaultPriceList: PriceListIdSchema.nullable(),
    creditLimits: z.array(CreditLimitSchema),
    billingAddress: AddressEventSchema.nullable(),
    shippingAddress: AddressEventSchema.nullable(),
  }),
});

/** Name, group or default price list changed; the event carries the values after the change. */
export const CustomerDetailsChanged = defineEvent({
  type: 'CustomerDetailsChanged',
  schemaVersion: 1,
  schema: z.object({
    customerId: CustomerIdSchema,
    name: z.string(),
    customerGroup: CustomerGroupIdSchema,
    defaultPriceList: PriceListIdSchema.nullable(),
  }),
});

/** The addresses changed; the event carries both after the change. */
export const CustomerAddressesChanged = defineEvent({
  type: 'CustomerAddressesChanged',
  schemaVersion: 1,
  schema: z.object({
    customerId: CustomerIdSchema,
    billingAddress: AddressEventSchema.nullable(),
    shippingAddress: AddressEventSchema.nullable(),
  }),
});

/** A credit limit was added for a company. */
export const CustomerCreditLimitAdded = defineEvent({
  type: 'CustomerCreditLimitAdded',
  schemaVersion: 1,
  schema: CreditLimitSchema.extend({ customerId: CustomerIdSchema }),
});

/** A company's credit limit changed (amount and/or bypass flag). */
export const CustomerCreditLimitChanged = defineEvent({
  type: 'CustomerCreditLimitChanged',
  schemaVersion: 1,
  schema: CreditLimitSchema.extend({ customerId: CustomerIdSchema, previousLimit: MoneySchema }),
});

/** A company's credit limit was removed. */
export const CustomerCreditLimitRemoved = defineEvent({
  type: 'CustomerCreditLimitRemoved',
  schemaVersion: 1,
  schema: z.object({ customerId: CustomerIdSchema, company: CompanyIdSchema }),
});

/** The customer was disabled. */
export const CustomerDisabled = defineEvent({
  type: 'CustomerDisabled',
  schemaVersion: 1,
  schema: z.object({ customerId: CustomerIdSchema }),
});

/** The customer was enabled again. */
export const CustomerEnabled = defineEvent({
  type: 'CustomerEnabled',
  schemaVersion: 1,
  schema: z.object({ customerId: CustomerIdSchema }),
});

/** Every Customer event definition, for the event registry. */
export const customerEvents = [
  CustomerRegistered,
  CustomerDetailsChanged,
  CustomerAddressesChanged,
  CustomerCreditLimitAdded,
  CustomerCreditLimitChanged,
  CustomerCreditLimitRemoved,
  CustomerDisabled,
  CustomerEnabled,
] as const;

/** The `{ type, data }` union of Customer events. */
export type CustomerEvent = EventOf<typeof customerEvents>;
