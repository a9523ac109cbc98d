import fc from 'fast-check';
import { Customer, type CustomerCommand, type CustomerRecord } from '../../domain/customer/index.js';
import { fold } from '../../kernel/decider.js';
import { moneyJsonArb } from './money-arbitraries.js';

/** A `RegisterCustomer` command as a caller writes it. */
export type RegisterCustomerCommand = Extract<CustomerCommand, { type: 'RegisterCustomer' }>;

/** Options of the customer arbitraries. */
export interface CustomerArbOptions {
  /**
   * Currency of generated credit limits.
   * @defaultValue `'USD'`
   */
  readonly currency?: string;
  /**
   * Companies a credit limit may be for.
   * @defaultValue `['ACME', 'GLOBEX']`
   */
  readonly companies?: readonly string[];
  /**
   * Customer groups a customer may belong to.
   * @defaultValue `['Commercial', 'Retail', 'Wholesale']`
   */
  readonly customerGroups?: readonly string[];
  /**
   * Price lists a customer may have as its default (or none).
   * @defaultValue `['Standard Selling', 'Wholesale']`
   */
  readonly priceLists?: readonly string[];
  /**
   * Largest credit limit generated, as a decimal string.
   * @defaultValue `'100000'`
   */
  readonly maxLimit?: string;
}

const DEFAULT_COMPANIES = ['ACME', 'GLOBEX'] as const;
const DEFAULT_GROUPS = ['Commercial', 'Retail', 'Wholesale'] as const;
const DEFAULT_PRICE_LISTS = ['Standard Selling', 'Wholesale'] as const;

/** Customer ids `CUST-0001` ... `CUST-9999`. Shrinks toward `CUST-0001`. */
export function customerIdArb(): fc.Arbitrary<string> {
  return fc.integer({ min: 1, max: 9999 }).map((n) => `CUST-${String(n).padStart(4, '0')}`);
}

/** One company's credit limit as a command gives it: zero (no limit) now and then, bypass flag either way. */
export function creditLimitInputArb(
  options: CustomerArbOptions = {},
): fc.Arbitrary<{ company: string; limit: { amount: string; currency: string }; bypassAtSalesOrder: boolean }> {
  const currency = options.currency ?? 'USD';
  return fc.record({
    company: fc.constantFrom(...(options.companies ?? DEFAULT_COMPANIES)),
    limit: fc.oneof(
      { arbitrary: fc.constant({ amount: '0', currency }), weight: 1 },
      {
        arbitrary: moneyJsonArb({ currency, min: '0', max: options.maxLimit ?? '100000', maxFractionDigits: 2 }),
        weight: 4,
      },
    ),
    bypassAtSalesOrder: fc.boolean(),
  });
}

/**
 * Valid `RegisterCustomer` commands: any group, an optional default price list, credit limits for distinct
 * companies. Addresses are left out (see `addressInputArb` to add them).
 */
export function registerCustomerCommandArb(options: CustomerArbOptions = {}): fc.Arbitrary<RegisterCustomerCommand> {
  return fc
    .record({
      customerId: customerIdArb(),
      name: fc.constantFrom('Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries'),
      customerGroup: fc.constantFrom(...(options.customerGroups ?? DEFAULT_GROUPS)),
      defaultPriceList: fc.option(fc.constantFrom(...(options.priceLists ?? DEFAULT_PRICE_LISTS)), { nil: undefined }),
      creditLimits: fc.uniqueArray(creditLimitInputArb(options), {
        selector: (entry) => entry.company,
        maxLength: (options.companies ?? DEFAULT_COMPANIES).length,
      }),
    })
    .map(({ defaultPriceList, ...rest }) => ({
      type: 'RegisterCustomer' as const,
      ...rest,
      ...(defaultPriceList === undefined ? {} : { defaultPriceList }),
    }));
}

/** Registered customers' records, made by running a generated `RegisterCustomer` through the Customer decider. */
export function customerRecordArb(options: CustomerArbOptions = {}): fc.Arbitrary<CustomerRecord> {
  return registerCustomerCommandArb(options).map((command) => {
    const state = fold(Customer.decider, Customer.decide(command, Customer.initialState));
    if (!state.exists) throw new Error('a registered customer must exist');
    return state.customer;
  });
}
