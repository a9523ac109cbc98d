import { z } from 'zod';
import { parseOrThrow } from '../../kernel/validation.js';

/** The stream prefix of customers: the stream of customer `C-1` is `"Customer-C-1"`. */
export const CUSTOMER_STREAM_PREFIX = 'Customer-';

/** The id of the event stream that holds the customer `customerId`. */
export function customerStreamId(customerId: string): string {
  return `${CUSTOMER_STREAM_PREFIX}${customerId}`;
}

/** Validates a customer id, branded {@link CustomerId}. */
export const CustomerIdSchema = z.string().min(1).max(140).brand<'CustomerId'>();
/** The id of a customer, e.g. `"CUST-0001"`. */
export type CustomerId = z.output<typeof CustomerIdSchema>;
/**
 * Checks and brands a customer id.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function CustomerId(value: string): CustomerId {
  return parseOrThrow(CustomerIdSchema, value);
}

/** Validates a customer group id, branded {@link CustomerGroupId}. */
export const CustomerGroupIdSchema = z.string().min(1).max(140).brand<'CustomerGroupId'>();
/** The id of a customer group, e.g. `"Commercial"` or `"Wholesale"`. */
export type CustomerGroupId = z.output<typeof CustomerGroupIdSchema>;
/**
 * Checks and brands a customer group id.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function CustomerGroupId(value: string): CustomerGroupId {
  return parseOrThrow(CustomerGroupIdSchema, value);
}

/** Validates a company id, branded {@link CompanyId}. */
export const CompanyIdSchema = z.string().min(1).max(140).brand<'CompanyId'>();
/** The id of a company (the legal entity that sells); credit limits and receivables are per company. */
export type CompanyId = z.output<typeof CompanyIdSchema>;
/**
 * Checks and brands a company id.
 * @throws ValidationError when it is empty or longer than 140 characters.
 */
export function CompanyId(value: string): CompanyId {
  return parseOrThrow(CompanyIdSchema, value);
}
