import { describe, expect, it } from 'vitest';
import { CompanyId, CustomerId } from '../../../src/domain/customer/index.js';
import { PaymentId, SalesInvoice, type SalesInvoiceEvent, SalesInvoiceId } from '../../../src/domain/invoice/index.js';
import { ItemCode } from '../../../src/domain/item/index.js';
import { deciderSpec } from '../../../src/testing/decider-spec.js';

const spec = deciderSpec(SalesInvoice.decider);
const usd = (amount: string) => ({ amount, currency: 'USD' });

const create = {
  type: 'CreateSalesInvoice' as const,
  invoiceId: 'SINV-1',
  customerId: 'CUST-1',
  company: 'ACME',
  salesOrderId: 'SO-1',
  currency: 'USD',
  postingDate: '2026-01-10',
  dueDate: '2026-02-09',
  lines: [
    { orderLineId: 'L1', itemCode: 'WIDGET', qty: '3', rate: usd('10'), unbilledAmount: usd('50') },
    { orderLineId: 'L2', itemCode: 'GADGET', qty: '1', rate: usd('2.5'), unbilledAmount: usd('2.50') },
  ],
};

const created: SalesInvoiceEvent = {
  type: 'SalesInvoiceCreated',
  data: {
    invoiceId: SalesInvoiceId('SINV-1'),
    customerId: CustomerId('CUST-1'),
    company: CompanyId('ACME'),
    salesOrderId: 'SO-1',
    currency: 'USD',
    postingDate: '2026-01-10',
    dueDate: '2026-02-09',
    lines: [
      { orderLineId: 'L1', itemCode: ItemCode('WIDGET'), qty: '3', rate: usd('10.00'), amount: usd('30.00') },
      { orderLineId: 'L2', itemCode: ItemCode('GADGET'), qty: '1', rate: usd('2.50'), amount: usd('2.50') },
    ],
    total: usd('32.50'),
    billedOrderLines: [
      { orderLineId: 'L1', amount: usd('30.00') },
      { orderLineId: 'L2', amount: usd('2.50') },
    ],
  },
};

const paid = (paymentId: string, amount: string, outstanding: string): SalesInvoiceEvent => ({
  type: 'SalesInvoicePaymentApplied',
  data: {
    invoiceId: SalesInvoiceId('SINV-1'),
    customerId: CustomerId('CUST-1'),
    company: CompanyId('ACME'),
    paymentId: PaymentId(paymentId),
    amount: usd(amount),
    outstanding: usd(outstanding),
  },
});

describe('SalesInvoice decider', () => {
  it('bills part of an order, recording the order id and the billed amount per order line', () => {
    spec.given().when(create).thenEmits([created]);
  });

  it('starts unpaid with the total outstanding', () => {
    spec
      .given()
      .when(create)
      .thenState((state) => {
        expect(state.exists && state.invoice.status).toBe('unpaid');
        expect(state.exists && state.invoice.outstanding).toEqual(usd('32.50'));
      });
  });

  it('refuses billing more than an order line has unbilled', () => {
    spec
      .given()
      .when({
        ...create,
        lines: [{ orderLineId: 'L1', itemCode: 'WIDGET', qty: '6', rate: usd('10'), unbilledAmount: usd('50') }],
      })
      .thenRejects('OVER_BILLING');
  });

  it('adds up lines billing the same order line before comparing with its unbilled amount', () => {
    const line = { orderLineId: 'L1', itemCode: 'WIDGET', qty: '3', rate: usd('10'), unbilledAmount: usd('50') };
    spec
      .given()
      .when({ ...create, lines: [line, line] })
      .thenRejects('OVER_BILLING');
  });

  it('refuses creating the same invoice twice', () => {
    spec.given([created]).when(create).thenRejects('INVOICE_ALREADY_EXISTS');
  });

  it('refuses amounts in another currency than the invoice', () => {
    spec
      .given()
      .when({ ...create, lines: [{ ...create.lines[0]!, rate: { amount: '10', currency: 'EUR' } }] })
      .thenRejects('CURRENCY_MISMATCH');
  });

  it('rejects an invoice without lines and a due date before the posting date, with paths', () => {
    spec
      .given()
      .when({ ...create, lines: [] })
      .thenRejects('VALIDATION_FAILED');
    spec
      .given()
      .when({ ...create, dueDate: '2026-01-01' })
      .thenRejects((error) => (error as { issues: { path: unknown[] }[] }).issues[0]?.path.join('.') === 'dueDate');
  });

  it('applies payments up to the outstanding amount and becomes paid', () => {
    spec
      .given([created])
      .when({ type: 'ApplyPaymentToInvoice', invoiceId: 'SINV-1', paymentId: 'PAY-1', amount: usd('12.50') })
      .thenEmits([paid('PAY-1', '12.50', '20.00')]);
    spec
      .given([created, paid('PAY-1', '12.50', '20.00')])
      .when({ type: 'ApplyPaymentToInvoice', invoiceId: 'SINV-1', paymentId: 'PAY-2', amount: usd('20') })
      .thenState((state) => {
        expect(state.exists && state.invoice.status).toBe('paid');
        expect(state.exists && state.invoice.paidAmount).toEqual(usd('32.50'));
      });
  });

  it('refuses a payment above the outstanding amount', () => {
    spec
      .given([created, paid('PAY-1', '12.50', '20.00')])
      .when({ type: 'ApplyPaymentToInvoice', invoiceId: 'SINV-1', paymentId: 'PAY-2', amount: usd('20.01') })
      .thenRejects('ALLOCATION_EXCEEDS_OUTSTANDING');
  });

  it('applies a payment once: the same application again does nothing, a different one is refused', () => {
    const given = [created, paid('PAY-1', '12.50', '20.00')];
    spec
      .given(given)
      .when({ type: 'ApplyPaymentToInvoice', invoiceId: 'SINV-1', paymentId: 'PAY-1', amount: usd('12.5') })
      .thenNothingHappens();
    spec
      .given(given)
      .when({ type: 'ApplyPaymentToInvoice', invoiceId: 'SINV-1', paymentId: 'PAY-1', amount: usd('1') })
      .thenRejects('PAYMENT_ALREADY_APPLIED');
  });

  it('cancels an unpaid invoice, handing back the billed amounts to reverse', () => {
    spec
      .given([created])
      .when({ type: 'CancelSalesInvoice', invoiceId: 'SINV-1' })
      .thenState((state, events) => {
        expect(events[0]?.type === 'SalesInvoiceCancelled' && events[0].data.billedOrderLines).toEqual(
          created.type === 'SalesInvoiceCreated' ? created.data.billedOrderLines : [],
        );
        expect(state.exists && state.invoice.status).toBe('cancelled');
        expect(state.exists && state.invoice.outstanding).toEqual(usd('0.00'));
      });
  });

  it('refuses cancelling an invoice with payments, and paying a cancelled one', () => {
    spec
      .given([created, paid('PAY-1', '1.00', '31.50')])
      .when({ type: 'CancelSalesInvoice', invoiceId: 'SINV-1' })
      .thenRejects('INVOICE_HAS_PAYMENTS');
    const cancelled = spec.given([created]).when({ type: 'CancelSalesInvoice', invoiceId: 'SINV-1' }).events();
    spec
      .given([created, ...cancelled])
      .when({ type: 'ApplyPaymentToInvoice', invoiceId: 'SINV-1', paymentId: 'PAY-1', amount: usd('1') })
      .thenRejects('INVOICE_CANCELLED');
    spec
      .given([created, ...cancelled])
      .when({ type: 'CancelSalesInvoice', invoiceId: 'SINV-1' })
      .thenNothingHappens();
  });

  it('needs an existing invoice for payments and cancellation', () => {
    spec.given().when({ type: 'CancelSalesInvoice', invoiceId: 'SINV-1' }).thenRejects('INVOICE_NOT_FOUND');
  });
});
