import { describe, expect, it } from 'vitest';
import { customerOutstanding, SalesInvoice, type SalesInvoiceState } from '../../../src/domain/invoice/index.js';
import { fold } from '../../../src/kernel/decider.js';

const usd = (amount: string) => ({ amount, currency: 'USD' });

function invoice(
  invoiceId: string,
  customerId: string,
  company: string,
  amount: string,
  dueDate: string,
): SalesInvoiceState {
  const command = {
    type: 'CreateSalesInvoice' as const,
    invoiceId,
    customerId,
    company,
    salesOrderId: 'SO-1',
    currency: 'USD',
    postingDate: '2026-01-01',
    dueDate,
    lines: [{ orderLineId: 'L1', itemCode: 'WIDGET', qty: '1', rate: usd(amount), unbilledAmount: usd(amount) }],
  };
  return fold(SalesInvoice.decider, SalesInvoice.decide(command, SalesInvoice.initialState));
}

function then(state: SalesInvoiceState, command: Parameters<typeof SalesInvoice.decide>[0]): SalesInvoiceState {
  return fold(SalesInvoice.decider, SalesInvoice.decide(command, state), state);
}

describe('customer outstanding', () => {
  const a = invoice('SINV-1', 'CUST-1', 'ACME', '100', '2026-02-01');
  const b = then(invoice('SINV-2', 'CUST-1', 'ACME', '50', '2026-01-15'), {
    type: 'ApplyPaymentToInvoice',
    invoiceId: 'SINV-2',
    paymentId: 'PAY-1',
    amount: usd('20'),
  });
  const paidOff = then(invoice('SINV-3', 'CUST-1', 'ACME', '10', '2026-01-10'), {
    type: 'ApplyPaymentToInvoice',
    invoiceId: 'SINV-3',
    paymentId: 'PAY-2',
    amount: usd('10'),
  });
  const cancelled = then(invoice('SINV-4', 'CUST-1', 'ACME', '999', '2026-01-10'), {
    type: 'CancelSalesInvoice',
    invoiceId: 'SINV-4',
  });
  const otherCustomer = invoice('SINV-5', 'CUST-2', 'ACME', '70', '2026-01-10');
  const otherCompany = invoice('SINV-6', 'CUST-1', 'GLOBEX', '30', '2026-01-10');
  const all = [a, b, paidOff, cancelled, otherCustomer, otherCompany, SalesInvoice.initialState];

  it('sums what the customer still owes on submitted, not cancelled invoices of the company', () => {
    const result = customerOutstanding({ customerId: 'CUST-1', company: 'ACME', currency: 'USD', invoices: all });
    expect(result.outstanding.toJSON()).toEqual(usd('130.00'));
    expect(result.invoices.map((entry) => entry.invoiceId)).toEqual(['SINV-2', 'SINV-1']);
    expect(result.explanation.at(-1)).toContain('owes 130.00 USD on 2 invoice(s)');
  });

  it('counts every company when none is given', () => {
    expect(customerOutstanding({ customerId: 'CUST-1', currency: 'USD', invoices: all }).outstanding.toJSON()).toEqual(
      usd('160.00'),
    );
  });

  it('is zero for a customer without invoices', () => {
    expect(customerOutstanding({ customerId: 'CUST-9', currency: 'USD', invoices: all }).outstanding.isZero()).toBe(
      true,
    );
  });
});
