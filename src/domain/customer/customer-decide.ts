import type { DecideContext } from '../../kernel/decider.js';
import { DomainRuleError } from '../../kernel/errors.js';
import { parseOrThrow } from '../../kernel/validation.js';
import { Money, type MoneyJSON } from '../money/index.js';
import { type CustomerCommand, CustomerCommandSchema } from './customer-commands.js';
import type { CustomerEvent } from './customer-events.js';
import type { CompanyId, CustomerId } from './customer-ids.js';
import type { CustomerRecord, CustomerState } from './customer-state.js';

/** The rule codes the Customer decider refuses commands with. */
export type CustomerRuleCode =
  | 'CUSTOMER_ALREADY_EXISTS'
  | 'CUSTOMER_NOT_FOUND'
  | 'DUPLICATE_CREDIT_LIMIT'
  | 'CREDIT_LIMIT_NOT_FOUND'
  | 'CREDIT_LIMIT_BELOW_OUTSTANDING';

function existing(state: CustomerState, customerId: CustomerId): CustomerRecord {
  if (!state.exists) {
    throw new DomainRuleError<CustomerRuleCode>('CUSTOMER_NOT_FOUND', `Customer "${customerId}" does not exist`, {
      customerId,
    });
  }
  return state.customer;
}

/**
 * ERPNext refuses a credit limit below what the customer already owes ("New credit limit is less than current
 * outstanding amount for the customer"). A limit of 0 is exempt: it means "no limit here", not "owe nothing".
 */
function checkNotBelowOutstanding(
  customerId: CustomerId,
  company: CompanyId,
  limit: Money,
  currentOutstanding: MoneyJSON,
): void {
  const outstanding = Money.fromJSON(currentOutstanding);
  if (!limit.isZero() && limit.lessThan(outstanding)) {
    throw new DomainRuleError<CustomerRuleCode>(
      'CREDIT_LIMIT_BELOW_OUTSTANDING',
      `The credit limit ${limit} for company "${company}" is below the customer's current outstanding ${outstanding}`,
      { customerId, company, limit: limit.toJSON(), outstanding: outstanding.toJSON() },
      ['limit'],
    );
  }
}

/**
 * Decides what a Customer command changes. Validates the command first (`VALIDATION_FAILED` with paths), then:
 * a customer is registered once; every other command needs a registered customer; a company has at most one
 * credit limit (`DUPLICATE_CREDIT_LIMIT`); a changed limit needs an existing one (`CREDIT_LIMIT_NOT_FOUND`);
 * a non-zero limit below the current outstanding is refused (`CREDIT_LIMIT_BELOW_OUTSTANDING`). Disabling or
 * enabling twice, or changing nothing, emits nothing.
 */
export function decideCustomer(
  input: CustomerCommand,
  state: CustomerState,
  _context?: DecideContext,
): readonly CustomerEvent[] {
  const command = parseOrThrow(CustomerCommandSchema, input);
  switch (command.type) {
    case 'RegisterCustomer': {
      if (state.exists) {
        throw new DomainRuleError<CustomerRuleCode>(
          'CUSTOMER_ALREADY_EXISTS',
          `Customer "${command.customerId}" already exists`,
          { customerId: command.customerId },
        );
      }
      const companies = new Set<string>();
      command.creditLimits.forEach((entry, index) => {
        if (companies.has(entry.company)) {
          throw new DomainRuleError<CustomerRuleCode>(
            'DUPLICATE_CREDIT_LIMIT',
            `Credit limit is already defined for company "${entry.company}"`,
            { customerId: command.customerId, company: entry.company },
            ['creditLimits', index, 'company'],
          );
        }
        companies.add(entry.company);
      });
      return [
        {
          type: 'CustomerRegistered',
          data: {
            customerId: command.customerId,
            name: command.name,
            customerGroup: command.customerGroup,
            defaultPriceList: command.defaultPriceList ?? null,
            creditLimits: command.creditLimits.map((entry) => ({
              company: entry.company,
              limit: Money.fromJSON(entry.limit).toJSON(),
              bypassAtSalesOrder: entry.bypassAtSalesOrder,
            })),
            billingAddress: command.billingAddress ?? null,
            shippingAddress: command.shippingAddress ?? null,
          },
        },
      ];
    }
    case 'ChangeCustomerDetails': {
      const customer = existing(state, command.customerId);
      const next = {
        customerId: customer.customerId,
        name: command.name ?? customer.name,
        customerGroup: command.customerGroup ?? customer.customerGroup,
        defaultPriceList: command.defaultPriceList === undefined ? customer.defaultPriceList : command.defaultPriceList,
      };
      const unchanged =
        next.name === customer.name &&
        next.customerGroup === customer.customerGroup &&
        next.defaultPriceList === customer.defaultPriceList;
      return unchanged ? [] : [{ type: 'CustomerDetailsChanged', data: next }];
    }
    case 'ChangeCustomerAddresses': {
      const customer = existing(state, command.customerId);
      const next = {
        customerId: customer.customerId,
        billingAddress: command.billingAddress === undefined ? customer.billingAddress : command.billingAddress,
        shippingAddress: command.shippingAddress === undefined ? customer.shippingAddress : command.shippingAddress,
      };
      const unchanged =
        JSON.stringify([next.billingAddress, next.shippingAddress]) ===
        JSON.stringify([customer.billingAddress, customer.shippingAddress]);
      return unchanged ? [] : [{ type: 'CustomerAddressesChanged', data: next }];
    }
    case 'AddCustomerCreditLimit': {
      const customer = existing(state, command.customerId);
      if (customer.creditLimits.some((entry) => entry.company === command.company)) {
        throw new DomainRuleError<CustomerRuleCode>(
          'DUPLICATE_CREDIT_LIMIT',
          `Credit limit is already defined for company "${command.company}"`,
          { customerId: customer.customerId, company: command.company },
          ['company'],
        );
      }
      const limit = Money.fromJSON(command.limit);
      checkNotBelowOutstanding(customer.customerId, command.company, limit, command.currentOutstanding);
      return [
        {
          type: 'CustomerCreditLimitAdded',
          data: {
            customerId: customer.customerId,
            company: command.company,
            limit: limit.toJSON(),
            bypassAtSalesOrder: command.bypassAtSalesOrder,
          },
        },
      ];
    }
    case 'ChangeCustomerCreditLimit': {
      const customer = existing(state, command.customerId);
      const current = customer.creditLimits.find((entry) => entry.company === command.company);
      if (!current) {
        throw new DomainRuleError<CustomerRuleCode>(
          'CREDIT_LIMIT_NOT_FOUND',
          `Customer "${customer.customerId}" has no credit limit for company "${command.company}"`,
          { customerId: customer.customerId, company: command.company },
          ['company'],
        );
      }
      const limit = Money.fromJSON(command.limit);
      const unchanged =
        limit.currency === current.limit.currency &&
        limit.equals(Money.fromJSON(current.limit)) &&
        command.bypassAtSalesOrder === current.bypassAtSalesOrder;
      if (unchanged) return [];
      checkNotBelowOutstanding(customer.customerId, command.company, limit, command.currentOutstanding);
      return [
        {
          type: 'CustomerCreditLimitChanged',
          data: {
            customerId: customer.customerId,
            company: command.company,
            limit: limit.toJSON(),
            bypassAtSalesOrder: command.bypassAtSalesOrder,
            previousLimit: current.limit,
          },
        },
      ];
    }
    case 'RemoveCustomerCreditLimit': {
      const customer = existing(state, command.customerId);
      if (!customer.creditLimits.some((entry) => entry.company === command.company)) return [];
      return [
        { type: 'CustomerCreditLimitRemoved', data: { customerId: customer.customerId, company: command.company } },
      ];
    }
    case 'DisableCustomer': {
      const customer = existing(state, command.customerId);
      return customer.disabled ? [] : [{ type: 'CustomerDisabled', data: { customerId: customer.customerId } }];
    }
    case 'EnableCustomer': {
      const customer = existing(state, command.customerId);
      return customer.disabled ? [{ type: 'CustomerEnabled', data: { customerId: customer.customerId } }] : [];
    }
  }
}
