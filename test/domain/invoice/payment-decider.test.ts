import { describe, expect, it } from 'vitest';
import { CompanyId, CustomerId } from '../../../src/domain/customer/index.js';
import { Payment, type PaymentEvent, PaymentId, SalesInvoiceId } from '../../../src/domain/invoice/index.js';
import { deciderSpec } from '../../../src/testing/decider-spec.js';

const spec = deciderSpec(Payment.decider);
const usd = (amount: string) => ({ amount, currency: 'USD' });
const receive = {
  type: 'ReceivePayment' as const,
  paymentId: 'PAY-1',
  customerId: 'CUST-1',
  company: 'ACME',
  amount: usd('100'),
  receivedOn: '2026-01-15',
};
const received: PaymentEvent = {
  type: 'PaymentReceived',
  data: {
    paymentId: PaymentId('PAY-1'),
    customerId: CustomerId('CUST-1'),
    company: CompanyId('ACME'),
    amount: usd('100.00'),
    receivedOn: '2026-01-15',
    reference: null,
  },
};
const allocated = (invoiceId: string, amount: string, unallocated: string): PaymentEvent => ({
  type: 'PaymentAllocated',
  data: {
    paymentId: PaymentId('PAY-1'),
    customerId: CustomerId('CUST-1'),
    company: CompanyId('ACME'),
    invoiceId: SalesInvoiceId(invoiceId),
    amount: usd(amount),
    unallocated: usd(unallocated),
  },
});

describe('Payment decider', () => {
  it('receives a payment, unallocated until allocated (an advance)', () => {
    spec.given().when(receive).thenEmits([received]);
    spec.given([received]).when(receive).thenRejects('PAYMENT_ALREADY_EXISTS');
  });

  it('allocates to invoices on receipt and later, tracking what is left', () => {
    spec
      .given()
      .when({ ...receive, allocations: [{ invoiceId: 'SINV-1', amount: usd('60'), invoiceOutstanding: usd('60') }] })
      .thenEmits([received, allocated('SINV-1', '60.00', '40.00')]);
    spec
      .given([received, allocated('SINV-1', '60.00', '40.00')])
      .when({
        type: 'AllocatePayment',
        paymentId: 'PAY-1',
        invoiceId: 'SINV-2',
        amount: usd('40'),
        invoiceOutstanding: usd('75'),
      })
      .thenState((state) => expect(state.exists && state.payment.unallocated).toEqual(usd('0.00')));
  });

  it('cannot over-allocate a payment', () => {
    spec
      .given()
      .when({
        ...receive,
        allocations: [
          { invoiceId: 'SINV-1', amount: usd('60'), invoiceOutstanding: usd('60') },
          { invoiceId: 'SINV-2', amount: usd('40.01'), invoiceOutstanding: usd('100') },
        ],
      })
      .thenRejects('PAYMENT_OVER_ALLOCATED');
    spec
      .given([received, allocated('SINV-1', '60.00', '40.00')])
      .when({
        type: 'AllocatePayment',
        paymentId: 'PAY-1',
        invoiceId: 'SINV-2',
        amount: usd('41'),
        invoiceOutstanding: usd('75'),
      })
      .thenRejects('PAYMENT_OVER_ALLOCATED');
  });

  it('cannot allocate more than the invoice owes', () => {
    spec
      .given([received])
      .when({
        type: 'AllocatePayment',
        paymentId: 'PAY-1',
        invoiceId: 'SINV-1',
        amount: usd('30'),
        invoiceOutstanding: usd('29.99'),
      })
      .thenRejects('ALLOCATION_EXCEEDS_OUTSTANDING');
  });

  it('allocates to an invoice once: the same allocation again does nothing, another is refused', () => {
    const given = [received, allocated('SINV-1', '60.00', '40.00')];
    spec
      .given(given)
      .when({
        type: 'AllocatePayment',
        paymentId: 'PAY-1',
        invoiceId: 'SINV-1',
        amount: usd('60'),
        invoiceOutstanding: usd('0'),
      })
      .thenNothingHappens();
    spec
      .given(given)
      .when({
        type: 'AllocatePayment',
        paymentId: 'PAY-1',
        invoiceId: 'SINV-1',
        amount: usd('10'),
        invoiceOutstanding: usd('10'),
      })
      .thenRejects('INVOICE_ALREADY_ALLOCATED');
    spec
      .given()
      .when({
        ...receive,
        allocations: [
          { invoiceId: 'SINV-1', amount: usd('10'), invoiceOutstanding: usd('60') },
          { invoiceId: 'SINV-1', amount: usd('10'), invoiceOutstanding: usd('50') },
        ],
      })
      .thenRejects('INVOICE_ALREADY_ALLOCATED');
  });

  it('refuses allocating a payment that was never received, and a zero amount', () => {
    spec
      .given()
      .when({
        type: 'AllocatePayment',
        paymentId: 'PAY-1',
        invoiceId: 'SINV-1',
        amount: usd('1'),
        invoiceOutstanding: usd('1'),
      })
      .thenRejects('PAYMENT_NOT_FOUND');
    spec
      .given()
      .when({ ...receive, amount: usd('0') })
      .thenRejects('VALIDATION_FAILED');
  });
});
