import { describe, expect, it } from 'vitest';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createTestErp, type TestErp } from '../../src/testing/test-erp.js';

function codes(result: ErpResult<unknown>): string[] {
  return result.ok ? [] : result.errors.map((error) => error.code);
}

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

const usd = (amount: string) => ({ amount, currency: 'USD' });

async function orderOf(erp: TestErp, orderId: string, customerId = 'CUST-ACME'): Promise<void> {
  assertOk(
    await erp.placeOrder({
      orderId,
      customerId,
      lines: [
        { itemCode: 'GADGET', qty: '4' },
        { itemCode: 'INSTALL', qty: '1' },
      ],
    }),
  );
}

describe('deliverOrder', () => {
  it('delivers what is left on every line by default: stock issued against the reservations, order to bill', async () => {
    const erp = await createTestErp();
    await orderOf(erp, 'SO-1');
    const delivered = await erp.deliverOrder({ orderId: 'SO-1', reference: 'DN-1' });
    assertOk(delivered);
    expect(delivered).toMatchObject({ status: 'to_bill', perDelivered: '100', reference: 'DN-1' });
    expect(delivered.lines.map((line) => [line.itemCode, line.stockQty])).toEqual([
      ['GADGET', '4'],
      ['INSTALL', '0'],
    ]);
    expect(await erp.getStock('GADGET')).toMatchObject({ actualQty: '36', reservedQty: '0' });
  });

  it('delivers part of a line and reduces its reservation by as much', async () => {
    const erp = await createTestErp();
    await orderOf(erp, 'SO-1');
    assertOk(await erp.deliverOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '1' }] }));
    expect(await erp.getStock('GADGET')).toMatchObject({ actualQty: '39', reservedQty: '3' });
    expect((await erp.getOrder('SO-1'))?.deliveryStatus).toBe('partly_delivered');
  });

  it('refuses to deliver more than ordered (OVER_DELIVERY) and an order with nothing left (NOTHING_TO_DELIVER)', async () => {
    const erp = await createTestErp();
    await orderOf(erp, 'SO-1');
    expect(codes(await erp.deliverOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '5' }] }))).toEqual([
      'OVER_DELIVERY',
    ]);
    assertOk(await erp.deliverOrder({ orderId: 'SO-1' }));
    expect(codes(await erp.deliverOrder({ orderId: 'SO-1' }))).toEqual(['NOTHING_TO_DELIVER']);
  });

  it('refuses a delivery the warehouse cannot make (INSUFFICIENT_STOCK) and writes nothing', async () => {
    const erp = await createTestErp({ settings: { stockPolicy: 'backorder' } });
    assertOk(
      await erp.placeOrder({ orderId: 'SO-1', customerId: 'CUST-ACME', lines: [{ itemCode: 'GADGET', qty: '45' }] }),
    );
    const before = await erp.store.headPosition();
    const refused = await erp.deliverOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '45' }] });
    expect(refused.ok ? [] : refused.errors.map((error) => [error.code, error.path])).toEqual([
      ['INSUFFICIENT_STOCK', ['lines', 0, 'qty']],
    ]);
    expect(await erp.store.headPosition()).toBe(before);
  });

  it('refuses to deliver an order on hold (ORDER_ON_HOLD)', async () => {
    const erp = await createTestErp();
    await orderOf(erp, 'SO-1');
    assertOk(await erp.holdOrder({ orderId: 'SO-1' }));
    expect(codes(await erp.deliverOrder({ orderId: 'SO-1' }))).toEqual(['ORDER_ON_HOLD']);
  });
});

describe('invoiceOrder', () => {
  it("bills what is unbilled by default, moving the amount from the customer's unbilled orders to its outstanding", async () => {
    const erp = await createTestErp();
    await orderOf(erp, 'SO-1');
    expect((await erp.customerBalance('CUST-ACME')).unbilled).toEqual(usd('560.00'));
    const invoiced = await erp.invoiceOrder({ orderId: 'SO-1', invoiceId: 'SINV-1' });
    assertOk(invoiced);
    expect(invoiced).toMatchObject({
      total: usd('560.00'),
      outstanding: usd('560.00'),
      dueDate: '2026-04-01',
      orderStatus: 'to_deliver',
      perBilled: '100',
    });
    const balance = await erp.customerBalance('CUST-ACME');
    expect([balance.unbilled, balance.outstanding, balance.exposure]).toEqual([
      usd('0.00'),
      usd('560.00'),
      usd('560.00'),
    ]);
  });

  it('bills part of an order by quantity, then the rest', async () => {
    const erp = await createTestErp();
    await orderOf(erp, 'SO-1');
    const first = await erp.invoiceOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '1' }] });
    assertOk(first);
    expect(first).toMatchObject({ total: usd('120.00'), perBilled: '21.428571' });
    const rest = await erp.invoiceOrder({ orderId: 'SO-1' });
    assertOk(rest);
    expect(rest).toMatchObject({ total: usd('440.00'), perBilled: '100' });
    expect(codes(await erp.invoiceOrder({ orderId: 'SO-1' }))).toEqual(['NOTHING_TO_INVOICE']);
  });

  it('refuses to bill more than a line has unbilled (OVER_BILLING) and a line the order does not have', async () => {
    const erp = await createTestErp();
    await orderOf(erp, 'SO-1');
    expect(codes(await erp.invoiceOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: '5' }] }))).toEqual([
      'OVER_BILLING',
    ]);
    const missing = await erp.invoiceOrder({ orderId: 'SO-1', lines: [{ lineId: 'L9', qty: '1' }] });
    expect(missing.ok ? [] : missing.errors.map((error) => [error.code, error.path])).toEqual([
      ['LINE_NOT_FOUND', ['lines', 0, 'lineId']],
    ]);
  });

  it('completes an order once it is delivered and billed', async () => {
    const erp = await createTestErp();
    await orderOf(erp, 'SO-1');
    assertOk(await erp.deliverOrder({ orderId: 'SO-1' }));
    const invoiced = await erp.invoiceOrder({ orderId: 'SO-1' });
    assertOk(invoiced);
    expect(invoiced.orderStatus).toBe('completed');
  });
});

describe('receivePayment', () => {
  it('allocates a payment to the open invoices, oldest due date first, and keeps the rest as an advance', async () => {
    const erp = await createTestErp();
    await orderOf(erp, 'SO-1');
    assertOk(await erp.invoiceOrder({ orderId: 'SO-1', invoiceId: 'SINV-1', dueDate: '2026-03-20' }));
    await orderOf(erp, 'SO-2');
    assertOk(await erp.invoiceOrder({ orderId: 'SO-2', invoiceId: 'SINV-2', dueDate: '2026-03-10' }));
    const paid = await erp.receivePayment({ customerId: 'CUST-ACME', paymentId: 'PAY-1', amount: usd('1200.00') });
    assertOk(paid);
    expect(paid.allocations).toEqual([
      { invoiceId: 'SINV-2', amount: usd('560.00'), outstanding: usd('0.00') },
      { invoiceId: 'SINV-1', amount: usd('560.00'), outstanding: usd('0.00') },
    ]);
    expect(paid.unallocated).toEqual(usd('80.00'));
    expect(await erp.customerBalance('CUST-ACME')).toMatchObject({ outstanding: usd('0.00'), advances: usd('80.00') });
    expect((await erp.getInvoice('SINV-1'))?.status).toBe('paid');
  });

  it('applies explicit allocations, and refuses one above what the invoice owes (ALLOCATION_EXCEEDS_OUTSTANDING)', async () => {
    const erp = await createTestErp();
    await orderOf(erp, 'SO-1');
    assertOk(await erp.invoiceOrder({ orderId: 'SO-1', invoiceId: 'SINV-1' }));
    const refused = await erp.receivePayment({
      customerId: 'CUST-ACME',
      amount: usd('600.00'),
      allocations: [{ invoiceId: 'SINV-1', amount: usd('600.00') }],
    });
    expect(refused.ok ? [] : refused.errors.map((error) => [error.code, error.path])).toEqual([
      ['ALLOCATION_EXCEEDS_OUTSTANDING', ['allocations', 0, 'amount']],
    ]);
    const partial = await erp.receivePayment({
      customerId: 'CUST-ACME',
      amount: usd('100.00'),
      allocations: [{ invoiceId: 'SINV-1', amount: usd('100.00') }],
    });
    assertOk(partial);
    expect((await erp.getInvoice('SINV-1'))?.status).toBe('partly_paid');
  });

  it("refuses to allocate to another customer's invoice (INVOICE_CUSTOMER_MISMATCH) or a missing one", async () => {
    const erp = await createTestErp();
    await orderOf(erp, 'SO-1', 'CUST-GAMMA');
    assertOk(await erp.invoiceOrder({ orderId: 'SO-1', invoiceId: 'SINV-G' }));
    const refused = await erp.receivePayment({
      customerId: 'CUST-ACME',
      amount: usd('100.00'),
      allocations: [
        { invoiceId: 'SINV-G', amount: usd('50.00') },
        { invoiceId: 'SINV-404', amount: usd('50.00') },
      ],
    });
    expect(codes(refused)).toEqual(['INVOICE_CUSTOMER_MISMATCH', 'INVOICE_NOT_FOUND']);
  });

  it('refuses a payment from a customer that does not exist and a non-positive amount', async () => {
    const erp = await createTestErp();
    expect(codes(await erp.receivePayment({ customerId: 'CUST-404', amount: usd('1.00') }))).toEqual([
      'CUSTOMER_NOT_FOUND',
    ]);
    const zero = await erp.receivePayment({ customerId: 'CUST-ACME', amount: usd('0.00') });
    expect(zero.ok ? [] : zero.errors.map((error) => [error.code, error.path])).toEqual([
      ['VALIDATION_FAILED', ['amount']],
    ]);
  });

  it('frees credit: a payment lowers the exposure the next order is checked against', async () => {
    const erp = await createTestErp();
    assertOk(
      await erp.placeOrder({ orderId: 'SO-1', customerId: 'CUST-BETA', lines: [{ itemCode: 'GADGET', qty: '15' }] }),
    );
    assertOk(await erp.invoiceOrder({ orderId: 'SO-1' }));
    const next = { customerId: 'CUST-BETA', lines: [{ itemCode: 'GADGET', qty: '5' }] };
    expect(codes(await erp.placeOrder(next))).toEqual(['CREDIT_LIMIT_EXCEEDED']);
    assertOk(await erp.receivePayment({ customerId: 'CUST-BETA', amount: usd('1000.00') }));
    assertOk(await erp.placeOrder(next));
  });
});
