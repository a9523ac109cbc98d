import type { CustomerEvent } from './customer-events.js';
import type { CustomerRecord, CustomerState } from './customer-state.js';

function update(state: CustomerState, change: (customer: CustomerRecord) => CustomerRecord): CustomerState {
  // Only `decide` produces these events, and never before registration; ignoring strays keeps evolve total.
  return state.exists ? { exists: true, customer: change(state.customer) } : state;
}

/** Folds one Customer event into the state. Pure. */
export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'CustomerRegistered':
      return { exists: true, customer: { ...event.data, disabled: false } };
    case 'CustomerDetailsChanged':
      return update(state, (customer) => ({
        ...customer,
        name: event.data.name,
        customerGroup: event.data.customerGroup,
        defaultPriceList: event.data.defaultPriceList,
      }));
    case 'CustomerAddressesChanged':
      return update(state, (customer) => ({
        ...customer,
        billingAddress: event.data.billingAddress,
        shippingAddress: event.data.shippingAddress,
      }));
    case 'CustomerCreditLimitAdded':
    case 'CustomerCreditLimitChanged': {
      const { company, limit, bypassAtSalesOrder } = event.data;
      return update(state, (customer) => ({
        ...customer,
        creditLimits: [
          ...customer.creditLimits.filter((entry) => entry.company !== company),
          { company, limit, bypassAtSalesOrder },
        ],
      }));
    }
    case 'CustomerCreditLimitRemoved':
      return update(state, (customer) => ({
        ...customer,
        creditLimits: customer.creditLimits.filter((entry) => entry.company !== event.data.company),
      }));
    case 'CustomerDisabled':
      return update(state, (customer) => ({ ...customer, disabled: true }));
    case 'CustomerEnabled':
      return update(state, (customer) => ({ ...customer, disabled: false }));
  }
}
