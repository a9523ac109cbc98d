import { describe, expect, it } from 'vitest';
import { applicableCreditLimit } from '../../../src/domain/credit/credit-check.js';
import {
  assertCreditLimit,
  type CreditCheckInput,
  checkCreditLimit,
  orderUnbilledAmount,
} from '../../../src/domain/credit/index.js';
import { Money } from '../../../src/domain/money/index.js';

const usd = (amount: string) => ({ amount, currency: 'USD' });
const base: CreditCheckInput = {
  customerId: 'CUST-1',
  customerGroup: 'Commercial',
  company: 'ACME',
  customerLimits: [{ company: 'ACME', limit: usd('1000'), bypassAtSalesOrder: false }],
  outstanding: usd('300'),
  unbilledOrders: [
    { orderId: 'SO-1', unbilledAmount: usd('200') },
    { orderId: 'SO-2', unbilledAmount: Money.of('100', 'USD') },
  ],
  amount: usd('400'),
  forSalesOrder: true,
};

describe('credit limit check', () => {
  it('allows when outstanding + unbilled orders + the new amount stay within the limit (equal is within)', () => {
    const decision = checkCreditLimit(base);
    expect(decision.allowed).toBe(true);
    expect(decision.outcome).toBe('within_limit');
    expect(decision.exposure.toJSON()).toEqual(usd('1000.00'));
    expect(decision.headroom?.isZero()).toBe(true);
    expect(decision.violation).toBeNull();
  });

  it('refuses with CREDIT_LIMIT_EXCEEDED carrying customer, outstanding, unbilled, amount and limit', () => {
    const decision = checkCreditLimit({ ...base, amount: usd('400.01') });
    expect(decision.allowed).toBe(false);
    expect(decision.outcome).toBe('exceeded');
    expect(decision.violation?.rule).toBe('CREDIT_LIMIT_EXCEEDED');
    expect(decision.violation?.data).toMatchObject({
      customerId: 'CUST-1',
      company: 'ACME',
      outstanding: usd('300.00'),
      unbilled: usd('300.00'),
      amount: usd('400.01'),
      limit: usd('1000.00'),
      limitSource: 'customer',
    });
    expect(() => assertCreditLimit({ ...base, amount: usd('400.01') })).toThrow(
      expect.objectContaining({ code: 'DOMAIN_RULE_VIOLATED', rule: 'CREDIT_LIMIT_EXCEEDED' }),
    );
  });

  it('does not check when no level has a non-zero limit (0 means no limit)', () => {
    const decision = checkCreditLimit({
      ...base,
      customerLimits: [{ company: 'ACME', limit: usd('0') }],
      amount: usd('1000000'),
    });
    expect(decision.outcome).toBe('no_limit');
    expect(decision.allowed).toBe(true);
  });

  it("uses the company's own limit only: another company's limit does not apply", () => {
    const decision = checkCreditLimit({ ...base, company: 'GLOBEX', amount: usd('1000000') });
    expect(decision.outcome).toBe('no_limit');
  });

  it("falls back to the customer group's limit, then the company's default", () => {
    const group = checkCreditLimit({
      ...base,
      customerLimits: [],
      groupLimits: [{ company: 'ACME', limit: usd('500') }],
      companyLimit: usd('5000'),
    });
    expect(group.limitSource).toBe('customer_group');
    expect(group.outcome).toBe('exceeded');
    const company = checkCreditLimit({
      ...base,
      customerLimits: [{ company: 'ACME', limit: usd('0') }],
      companyLimit: usd('5000'),
    });
    expect(company.limitSource).toBe('company');
    expect(company.outcome).toBe('within_limit');
  });

  it('bypass skips the check for sales orders only', () => {
    const bypassing = {
      ...base,
      customerLimits: [{ company: 'ACME', limit: usd('1000'), bypassAtSalesOrder: true }],
      amount: usd('5000'),
    };
    expect(checkCreditLimit(bypassing).outcome).toBe('bypassed');
    const invoice = checkCreditLimit({ ...bypassing, forSalesOrder: false });
    expect(invoice.outcome).toBe('exceeded');
  });

  it('with bypass, a non-sales-order check leaves unbilled orders out, as ERPNext does', () => {
    const decision = checkCreditLimit({
      ...base,
      customerLimits: [{ company: 'ACME', limit: usd('1000'), bypassAtSalesOrder: true }],
      amount: usd('700'),
      forSalesOrder: false,
    });
    expect(decision.unbilledCounted).toBe(false);
    expect(decision.unbilled.isZero()).toBe(true);
    expect(decision.allowed).toBe(true);
  });

  it('resolves the applicable limit without any exposure: none when every level is 0, else the first non-zero one', () => {
    expect(
      applicableCreditLimit({ company: 'ACME', customerLimits: [{ company: 'ACME', limit: usd('0') }] }),
    ).toBeNull();
    const group = applicableCreditLimit({
      company: 'ACME',
      customerLimits: [{ company: 'ACME', limit: usd('0'), bypassAtSalesOrder: true }],
      groupLimits: [{ company: 'ACME', limit: usd('700') }],
      companyLimit: usd('900'),
    });
    // The bypass flag is the customer's own, even when the group's limit applies.
    expect(group && { ...group, limit: group.limit.toJSON() }).toEqual({
      source: 'customer_group',
      limit: usd('700.00'),
      bypassAtSalesOrder: true,
    });
  });

  it('explains what it applied', () => {
    expect(checkCreditLimit(base).explanation).toEqual([
      'credit limit 1000.00 USD from the customer for company "ACME"',
      'outstanding 300.00 USD + unbilled orders 300.00 USD (2) + new amount 400.00 USD = 1000.00 USD',
      '1000.00 USD is within the limit 1000.00 USD',
    ]);
  });

  it('refuses to mix currencies', () => {
    expect(() => checkCreditLimit({ ...base, outstanding: { amount: '1', currency: 'EUR' } })).toThrow(
      expect.objectContaining({ code: 'CURRENCY_MISMATCH' }),
    );
  });

  it('an order still has to bill its grand total minus what was billed, never below zero', () => {
    expect(orderUnbilledAmount(usd('100'), usd('30')).toJSON()).toEqual(usd('70.00'));
    expect(orderUnbilledAmount(usd('100'), usd('130')).toJSON()).toEqual(usd('0.00'));
  });
});
