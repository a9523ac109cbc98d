import { z } from 'zod';
import { AddressSchema } from '../address/index.js';
import { Money, type MoneyJSON, MoneySchema } from '../money/index.js';
import { PriceListIdSchema } from '../price-list/price-list-ids.js';
import { CompanyIdSchema, CustomerGroupIdSchema, CustomerIdSchema } from './customer-ids.js';

/** A credit limit may be zero (no limit) but never negative. Malformed money is left to `MoneySchema`. */
const CreditLimitAmountSchema = MoneySchema.refine(
  (value: MoneyJSON) => {
    try {
      return !Money.fromJSON(value).isNegative();
    } catch {
      return true;
    }
  },
  { error: 'must not be negative' },
);

/** One company's credit limit for a customer, as given in a command. */
export const CreditLimitInputSchema = z.strictObject({
  company: CompanyIdSchema,
  /** The limit in the company's currency; `0` means no limit at this level. */
  limit: CreditLimitAmountSchema,
  /**
   * Skip the credit check when a sales order is submitted (ERPNext's `bypass_credit_limit_check`); invoices are
   * still checked, without counting unbilled orders. @defaultValue `false`
   */
  bypassAtSalesOrder: z.boolean().default(false),
});

/** Registers a new customer. Two credit limits for one company are refused. */
export const RegisterCustomerSchema = z.strictObject({
  type: z.literal('RegisterCustomer'),
  customerId: CustomerIdSchema,
  name: z.string().min(1).max(140),
  customerGroup: CustomerGroupIdSchema,
  /** The price list its sales use unless another is given; overrides the company's default selling list. */
  defaultPriceList: PriceListIdSchema.optional(),
  /** @defaultValue `[]` */
  creditLimits: z.array(CreditLimitInputSchema).default([]),
  billingAddress: AddressSchema.optional(),
  shippingAddress: AddressSchema.optional(),
});

/** Changes name, group or default price list. Omitted fields stay; `defaultPriceList: null` clears it. */
export const ChangeCustomerDetailsSchema = z.strictObject({
  type: z.literal('ChangeCustomerDetails'),
  customerId: CustomerIdSchema,
  name: z.string().min(1).max(140).optional(),
  customerGroup: CustomerGroupIdSchema.optional(),
  defaultPriceList: PriceListIdSchema.nullable().optional(),
});

/** Changes the billing and/or shipping address. Omitted ones stay; `null` removes one. */
export const ChangeCustomerAddressesSchema = z.strictObject({
  type: z.literal('ChangeCustomerAddresses'),
  customerId: CustomerIdSchema,
  billingAddress: AddressSchema.nullable().optional(),
  shippingAddress: AddressSchema.nullable().optional(),
});

/**
 * The figure a new limit is checked against: what the customer owes the company now, as the credit check counts
 * it (receivables plus unbilled orders; without unbilled orders when the limit bypasses the sales-order check).
 * The caller computes it, because `decide` is pure and cannot read other streams.
 */
const CurrentOutstandingSchema = MoneySchema;

/** Adds a credit limit for a company that has none yet. */
export const AddCustomerCreditLimitSchema = CreditLimitInputSchema.extend({
  type: z.literal('AddCustomerCreditLimit'),
  customerId: CustomerIdSchema,
  currentOutstanding: CurrentOutstandingSchema,
});

/** Changes the credit limit of a company that has one. */
export const ChangeCustomerCreditLimitSchema = CreditLimitInputSchema.extend({
  type: z.literal('ChangeCustomerCreditLimit'),
  customerId: CustomerIdSchema,
  currentOutstanding: CurrentOutstandingSchema,
});

/** Removes a company's credit limit (the customer group's then applies). */
export const RemoveCustomerCreditLimitSchema = z.strictObject({
  type: z.literal('RemoveCustomerCreditLimit'),
  customerId: CustomerIdSchema,
  company: CompanyIdSchema,
});

/** Disables the customer: no new sales documents for it. */
export const DisableCustomerSchema = z.strictObject({
  type: z.literal('DisableCustomer'),
  customerId: CustomerIdSchema,
});

/** Enables a disabled customer again. */
export const EnableCustomerSchema = z.strictObject({ type: z.literal('EnableCustomer'), customerId: CustomerIdSchema });

/**
 * Every command the Customer decider accepts, discriminated by `type`. Unknown keys are refused, in nested
 * objects too, except in a money value (`MoneySchema` drops them, so a `Money` may be given as is).
 */
export const CustomerCommandSchema = z.discriminatedUnion('type', [
  RegisterCustomerSchema,
  ChangeCustomerDetailsSchema,
  ChangeCustomerAddressesSchema,
  AddCustomerCreditLimitSchema,
  ChangeCustomerCreditLimitSchema,
  RemoveCustomerCreditLimitSchema,
  DisableCustomerSchema,
  EnableCustomerSchema,
]);

/** A command as a caller writes it (plain strings; validated and branded by `decide`). */
export type CustomerCommand = z.input<typeof CustomerCommandSchema>;
/** A command after validation. */
export type ParsedCustomerCommand = z.output<typeof CustomerCommandSchema>;
