import type { AddressJSON } from '../address/index.js';
import type { MoneyJSON } from '../money/index.js';
import type { PriceListId } from '../price-list/price-list-ids.js';
import type { CompanyId, CustomerGroupId, CustomerId } from './customer-ids.js';

/** A postal address as the Customer aggregate stores it (the `Address` value object's JSON form). */
export type CustomerAddress = AddressJSON;

/** One company's credit limit for a customer. */
export interface CustomerCreditLimit {
  readonly company: CompanyId;
  /** `0` means no limit at the customer level (the group's, then the company's, applies). */
  readonly limit: MoneyJSON;
  /** Skip the check when a sales order is submitted. */
  readonly bypassAtSalesOrder: boolean;
}

/** Everything known about a registered customer. Plain JSON, so it can be snapshotted as is. */
export interface CustomerRecord {
  readonly customerId: CustomerId;
  readonly name: string;
  readonly customerGroup: CustomerGroupId;
  readonly defaultPriceList: PriceListId | null;
  readonly disabled: boolean;
  /** At most one per company. */
  readonly creditLimits: readonly CustomerCreditLimit[];
  readonly billingAddress: CustomerAddress | null;
  readonly shippingAddress: CustomerAddress | null;
}

/** The Customer aggregate's state: nothing before registration, then the customer's record. */
export type CustomerState = { readonly exists: false } | { readonly exists: true; readonly customer: CustomerRecord };

/** Where folding a customer stream starts. */
export const initialCustomerState: CustomerState = { exists: false };
