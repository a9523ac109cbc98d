import { beforeEach, describe, expect, it } from 'vitest';
import { SalesInvoice, type SalesInvoiceEvent, type SalesInvoiceState } from '../../../src/domain/invoice/index.js';
import { invoiceFactRows } from '../../../src/export/index.js';
import type { MemoryEventStore } from '../../../src/index.js';
import {
  createErpWriter,
  createValidatingStore,
  type ErpWriter,
  rowShapeProblems,
  streamChanges,
} from '../export-test-support.js';

let store: MemoryEventStore;
let erp: ErpWriter;

beforeEach(async () => {
  store = createValidatingStore();
  erp = createErpWriter(store);
  await erp.invoice({
    type: 'CreateSalesInvoice',
    invoiceId: 'SINV-1',
    customerId: 'C-1',
    company: 'Acme',
    salesOrderId: 'SO-1',
    currency: 'EUR',
    postingDate: '2026-03-10',
    dueDate: '2026-04-09',
    lines: [
      {
        orderLineId: 'L1',
        itemCode: 'WIDGET',
        qty: '3',
        rate: { amount: '10.00', currency: 'EUR' },
        unbilledAmount: { amount: '30.00', currency: 'EUR' },
      },
      {
        orderLineId: 'L2',
        itemCode: 'GADGET',
        qty: '1',
        rate: { amount: '0.10', currency: 'EUR' },
        unbilledAmount: { amount: '0.10', currency: 'EUR' },
      },
    ],
  });
});

async function rows() {
  const changes = await streamChanges<SalesInvoiceState, SalesInvoiceEvent>(
    store,
    SalesInvoice.streamId('SINV-1'),
    SalesInvoice.initialState,
    SalesInvoice.evolve,
  );
  return changes.flatMap((change) => invoiceFactRows(change));
}

const pay = (paymentId: string, amount: string) =>
  erp.invoice({ type: 'ApplyPaymentToInvoice', invoiceId: 'SINV-1', paymentId, amount: { amount, currency: 'EUR' } });

describe('invoice_fact', () => {
  it('writes a created invoice as unpaid with its whole total outstanding', async () => {
    const [created] = await rows();
    expect(created?.values).toMatchObject({
      invoice_id: 'SINV-1',
      version: 1,
      event_type: 'SalesInvoiceCreated',
      customer_id: 'C-1',
      sales_order_id: 'SO-1',
      currency: 'EUR',
      posting_date: '2026-03-10',
      due_date: '2026-04-09',
      line_count: 2,
      total: '30.10',
      paid_amount: '0.00',
      outstanding: '30.10',
      status: 'unpaid',
      is_paid: false,
      payment_id: null,
      payment_amount: null,
    });
  });

  it('writes each payment with the outstanding after it, and is_paid once nothing is left', async () => {
    await pay('PAY-1', '0.10');
    await pay('PAY-2', '30.00');
    const written = await rows();
    expect(
      written.map((row) => [
        row.values.version,
        row.values.payment_id,
        row.values.payment_amount,
        row.values.outstanding,
      ]),
    ).toEqual([
      [1, null, null, '30.10'],
      [2, 'PAY-1', '0.10', '30.00'],
      [3, 'PAY-2', '30.00', '0.00'],
    ]);
    expect(written.map((row) => [row.values.status, row.values.is_paid])).toEqual([
      ['unpaid', false],
      ['partly_paid', false],
      ['paid', true],
    ]);
    expect(written.at(-1)?.values.paid_amount).toBe('30.10');
    expect(rowShapeProblems(written)).toEqual([]);
  });

  it('writes a cancelled invoice with nothing outstanding and not paid', async () => {
    await erp.invoice({ type: 'CancelSalesInvoice', invoiceId: 'SINV-1' });
    const last = (await rows()).at(-1);
    expect(last?.values).toMatchObject({
      version: 2,
      status: 'cancelled',
      outstanding: '0.00',
      is_paid: false,
      total: '30.10',
      due_date: '2026-04-09',
    });
  });
});
