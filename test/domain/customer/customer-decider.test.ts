import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CompanyId,
  Customer,
  type CustomerEvent,
  CustomerGroupId,
  CustomerId,
  customerEvents,
} from '../../../src/domain/customer/index.js';
import { createEventRegistry } from '../../../src/kernel/event-registry.js';
import { registerCustomerCommandArb } from '../../../src/testing/arbitraries/customer-arbitraries.js';
import { deciderSpec } from '../../../src/testing/decider-spec.js';

const spec = deciderSpec(Customer.decider);
const id = CustomerId('CUST-0001');
const acme = CompanyId('ACME');
const usd = (amount: string) => ({ amount, currency: 'USD' });

const registered: CustomerEvent = {
  type: 'CustomerRegistered',
  data: {
    customerId: id,
    name: 'Globex',
    customerGroup: CustomerGroupId('Commercial'),
    defaultPriceList: null,
    creditLimits: [{ company: acme, limit: usd('1000.00'), bypassAtSalesOrder: false }],
    billingAddress: null,
    shippingAddress: null,
  },
};

const register = {
  type: 'RegisterCustomer' as const,
  customerId: 'CUST-0001',
  name: 'Globex',
  customerGroup: 'Commercial',
  creditLimits: [{ company: 'ACME', limit: usd('1000') }],
};

describe('Customer decider', () => {
  it('registers a customer, with the bypass flag off by default', () => {
    spec.given().when(register).thenEmits([registered]);
  });

  it('refuses to register a customer twice', () => {
    spec.given([registered]).when(register).thenRejects('CUSTOMER_ALREADY_EXISTS');
  });

  it('refuses two credit limits for the same company', () => {
    spec
      .given()
      .when({
        ...register,
        creditLimits: [
          { company: 'ACME', limit: usd('1') },
          { company: 'ACME', limit: usd('2') },
        ],
      })
      .thenRejects('DUPLICATE_CREDIT_LIMIT');
    spec
      .given([registered])
      .when({
        type: 'AddCustomerCreditLimit',
        customerId: 'CUST-0001',
        company: 'ACME',
        limit: usd('5'),
        currentOutstanding: usd('0'),
      })
      .thenRejects('DUPLICATE_CREDIT_LIMIT');
  });

  it('normalises and stores billing and shipping addresses', () => {
    spec
      .given()
      .when({ ...register, billingAddress: { line1: '  1 Main   St ', city: 'Springfield', country: 'us' } })
      .thenState((state) => {
        expect(state.exists && state.customer.billingAddress).toEqual({
          line1: '1 Main St',
          city: 'Springfield',
          country: 'US',
        });
        expect(state.exists && state.customer.shippingAddress).toBeNull();
      });
  });

  it('rejects an invalid address or a negative limit with paths', () => {
    spec
      .given()
      .when({ ...register, shippingAddress: { line1: 'x', city: 'y', country: 'XX' } })
      .thenRejects((error) =>
        (error as { issues: { path: unknown[] }[] }).issues.some(
          (issue) => issue.path.join('.') === 'shippingAddress.country',
        ),
      );
    spec
      .given()
      .when({ ...register, creditLimits: [{ company: 'ACME', limit: usd('-1') }] })
      .thenRejects((error) =>
        (error as { issues: { path: unknown[] }[] }).issues.some(
          (issue) => issue.path.join('.') === 'creditLimits.0.limit',
        ),
      );
  });

  it('refuses lowering a limit below the current outstanding', () => {
    spec
      .given([registered])
      .when({
        type: 'ChangeCustomerCreditLimit',
        customerId: 'CUST-0001',
        company: 'ACME',
        limit: usd('400'),
        currentOutstanding: usd('500'),
      })
      .thenRejects('CREDIT_LIMIT_BELOW_OUTSTANDING');
  });

  it('accepts a limit equal to the outstanding, and a limit of 0 (no limit) whatever is owed', () => {
    spec
      .given([registered])
      .when({
        type: 'ChangeCustomerCreditLimit',
        customerId: 'CUST-0001',
        company: 'ACME',
        limit: usd('500'),
        currentOutstanding: usd('500'),
      })
      .thenEmits([
        {
          type: 'CustomerCreditLimitChanged',
          data: {
            customerId: id,
            company: acme,
            limit: usd('500.00'),
            bypassAtSalesOrder: false,
            previousLimit: usd('1000.00'),
          },
        },
      ]);
    spec
      .given([registered])
      .when({
        type: 'ChangeCustomerCreditLimit',
        customerId: 'CUST-0001',
        company: 'ACME',
        limit: usd('0'),
        currentOutstanding: usd('9999'),
      })
      .thenState((state) => expect(state.exists && state.customer.creditLimits[0]?.limit).toEqual(usd('0.00')));
  });

  it('refuses adding a limit below what the customer already owes that company', () => {
    spec
      .given([registered])
      .when({
        type: 'AddCustomerCreditLimit',
        customerId: 'CUST-0001',
        company: 'GLOBEX',
        limit: usd('10'),
        currentOutstanding: usd('11'),
      })
      .thenRejects('CREDIT_LIMIT_BELOW_OUTSTANDING');
    spec
      .given([registered])
      .when({
        type: 'AddCustomerCreditLimit',
        customerId: 'CUST-0001',
        company: 'GLOBEX',
        limit: usd('10'),
        bypassAtSalesOrder: true,
        currentOutstanding: usd('0'),
      })
      .thenState((state) =>
        expect(state.exists && state.customer.creditLimits).toEqual([
          { company: 'ACME', limit: usd('1000.00'), bypassAtSalesOrder: false },
          { company: 'GLOBEX', limit: usd('10.00'), bypassAtSalesOrder: true },
        ]),
      );
  });

  it('refuses changing a limit the company does not have, and removes one that it has', () => {
    spec
      .given([registered])
      .when({
        type: 'ChangeCustomerCreditLimit',
        customerId: 'CUST-0001',
        company: 'GLOBEX',
        limit: usd('1'),
        currentOutstanding: usd('0'),
      })
      .thenRejects('CREDIT_LIMIT_NOT_FOUND');
    spec
      .given([registered])
      .when({ type: 'RemoveCustomerCreditLimit', customerId: 'CUST-0001', company: 'ACME' })
      .thenState((state) => expect(state.exists && state.customer.creditLimits).toEqual([]));
    spec
      .given([registered])
      .when({ type: 'RemoveCustomerCreditLimit', customerId: 'CUST-0001', company: 'GLOBEX' })
      .thenNothingHappens();
  });

  it('changing a limit to what it already is emits nothing', () => {
    spec
      .given([registered])
      .when({
        type: 'ChangeCustomerCreditLimit',
        customerId: 'CUST-0001',
        company: 'ACME',
        limit: usd('1000'),
        currentOutstanding: usd('5000'),
      })
      .thenNothingHappens();
  });

  it('disables and enables idempotently, and a disabled customer cannot transact', () => {
    const disabled: CustomerEvent = { type: 'CustomerDisabled', data: { customerId: id } };
    spec.given([registered]).when({ type: 'DisableCustomer', customerId: 'CUST-0001' }).thenEmits([disabled]);
    spec.given([registered, disabled]).when({ type: 'DisableCustomer', customerId: 'CUST-0001' }).thenNothingHappens();
    spec.given([registered]).when({ type: 'EnableCustomer', customerId: 'CUST-0001' }).thenNothingHappens();
    const state = [registered, disabled].reduce(Customer.evolve, Customer.initialState);
    expect(() => Customer.assertCanTransact(state, 'CUST-0001')).toThrow(
      expect.objectContaining({ rule: 'CUSTOMER_DISABLED' }),
    );
    expect(() => Customer.assertCanTransact(Customer.initialState, 'CUST-0001')).toThrow(
      expect.objectContaining({ rule: 'CUSTOMER_NOT_FOUND' }),
    );
  });

  it('changes details and addresses, and needs a registered customer', () => {
    spec
      .given([registered])
      .when({ type: 'ChangeCustomerDetails', customerId: 'CUST-0001', defaultPriceList: 'Wholesale' })
      .thenState((state) => expect(state.exists && state.customer.defaultPriceList).toBe('Wholesale'));
    spec
      .given([registered])
      .when({ type: 'ChangeCustomerAddresses', customerId: 'CUST-0001', billingAddress: null })
      .thenNothingHappens();
    spec
      .given()
      .when({ type: 'ChangeCustomerDetails', customerId: 'CUST-0001', name: 'X' })
      .thenRejects('CUSTOMER_NOT_FOUND');
  });

  it('every generated registration produces events that pass their own schemas', () => {
    const registry = createEventRegistry(customerEvents);
    fc.assert(
      fc.property(registerCustomerCommandArb(), (command) => {
        for (const event of Customer.decide(command, Customer.initialState)) {
          expect(() => registry.encode('Customer-x', event.type, event.data)).not.toThrow();
        }
      }),
      { numRuns: 100 },
    );
  });
});
