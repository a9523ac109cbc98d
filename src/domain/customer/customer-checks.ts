import { DomainRuleError } from '../../kernel/errors.js';
import type { CustomerRecord, CustomerState } from './customer-state.js';

/**
 * Returns the customer when a sales document may be made for it: it must exist and not be disabled.
 *
 * @throws DomainRuleError `CUSTOMER_NOT_FOUND` or `CUSTOMER_DISABLED` (ERPNext: "Customer {0} is disabled").
 */
export function assertCustomerCanTransact(state: CustomerState, customerId: string): CustomerRecord {
  if (!state.exists) {
    throw new DomainRuleError('CUSTOMER_NOT_FOUND', `Customer "${customerId}" does not exist`, { customerId });
  }
  if (state.customer.disabled) {
    throw new DomainRuleError('CUSTOMER_DISABLED', `Customer "${customerId}" is disabled`, { customerId });
  }
  return state.customer;
}
