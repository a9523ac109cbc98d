import { afterEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/kernel/event-store.js';
import { createErpEventRegistry } from '../../src/services/erp-registry.js';
import type { ErpResult } from '../../src/services/erp-result.js';
import { openSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { createTestErp } from '../../src/testing/test-erp.js';

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

function codes(result: ErpResult<unknown>): string[] {
  return result.ok ? [] : result.errors.map((error) => error.code);
}

const usd = (amount: string) => ({ amount, currency: 'USD' });

const opened: EventStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

const stores: [string, () => Promise<EventStore | undefined>][] = [
  ['the in-memory store', async () => undefined],
  [
    'SQLite',
    async () => {
      const store = await openSqliteEventStore({ path: ':memory:', registry: createErpEventRegistry() });
      opened.push(store);
      return store;
    },
  ],
];

describe.each(stores)('the seed flow end to end on %s', (_name, makeStore) => {
  it('places, refuses, submits, delivers, invoices and collects, keeping stock, credit and the audit trail in step', async () => {
    const store = await makeStore();
    const erp = await createTestErp(store ? { store } : {});
    const sales = { actor: 'sam@ordo.test', correlationId: 'web-1' };

    // 1. The seed's OrderCreationService: validate, stock, price, credit, create, reserve, notify.
    const big = await erp.placeOrder(
      {
        orderId: 'SO-1001',
        customerId: 'CUST-ACME',
        lines: [
          { itemCode: 'GIZMO-PRO', qty: '4' },
          { itemCode: 'WIDGET', qty: '1', unit: 'Box' },
          { itemCode: 'INSTALL', qty: '3' },
        ],
      },
      sales,
    );
    assertOk(big);
    // 4 × 2,500.00 + 12 widgets at 24.50 (2 % promotion) + 3 h × 80.00.
    expect(big.grandTotal).toEqual(usd('10534.00'));
    expect(big.highValue).toBe(true);
    expect(await erp.getStock('GIZMO-PRO')).toMatchObject({ actualQty: '10', reservedQty: '4', projectedQty: '6' });
    expect(await erp.getStock('WIDGET')).toMatchObject({ reservedQty: '12' });

    // 2. Refusals write nothing and say why.
    const before = await erp.store.headPosition();
    expect(
      codes(await erp.placeOrder({ customerId: 'CUST-CLOSED', lines: [{ itemCode: 'WIDGET', qty: '1' }] })),
    ).toEqual(['CUSTOMER_DISABLED']);
    expect(
      codes(await erp.placeOrder({ customerId: 'CUST-BETA', lines: [{ itemCode: 'GIZMO-PRO', qty: '1' }] })),
    ).toEqual(['CREDIT_LIMIT_EXCEEDED']);
    expect(
      codes(await erp.placeOrder({ customerId: 'CUST-GAMMA', lines: [{ itemCode: 'GIZMO-PRO', qty: '7' }] })),
    ).toEqual(['INSUFFICIENT_STOCK']);
    expect(
      codes(await erp.placeOrder({ customerId: 'CUST-GAMMA', lines: [{ itemCode: 'WIDGET', qty: 'ten' }] })),
    ).toEqual(['VALIDATION_FAILED']);
    expect(await erp.store.headPosition()).toBe(before);

    // 3. A draft, submitted later.
    assertOk(
      await erp.placeOrder({
        orderId: 'SO-1002',
        customerId: 'CUST-WHOLESALE',
        draft: true,
        lines: [{ itemCode: 'GADGET', qty: '20' }],
      }),
    );
    const submitted = await erp.submitOrder({ orderId: 'SO-1002' }, sales);
    assertOk(submitted);
    // 20 gadgets at 99.00 wholesale less 2 %.
    expect(submitted.grandTotal).toEqual(usd('1940.40'));

    // 4. Deliver in two parts.
    assertOk(await erp.deliverOrder({ orderId: 'SO-1001', reference: 'DN-1', lines: [{ lineId: 'L1', qty: '2' }] }));
    assertOk(await erp.deliverOrder({ orderId: 'SO-1001', reference: 'DN-2' }));
    expect(await erp.getStock('GIZMO-PRO')).toMatchObject({ actualQty: '6', reservedQty: '0' });
    expect(await erp.getStock('WIDGET')).toMatchObject({ actualQty: '488', reservedQty: '0' });

    // 5. Invoice and collect.
    const invoice = await erp.invoiceOrder({ orderId: 'SO-1001', invoiceId: 'SINV-1001' });
    assertOk(invoice);
    expect(invoice).toMatchObject({ total: usd('10534.00'), orderStatus: 'completed' });
    expect(await erp.customerBalance('CUST-ACME')).toMatchObject({
      outstanding: usd('10534.00'),
      unbilled: usd('0.00'),
    });
    assertOk(await erp.receivePayment({ customerId: 'CUST-ACME', paymentId: 'PAY-1', amount: usd('5000.00') }));
    const settled = await erp.receivePayment({ customerId: 'CUST-ACME', paymentId: 'PAY-2', amount: usd('5534.00') });
    assertOk(settled);
    expect(settled.allocations).toEqual([{ invoiceId: 'SINV-1001', amount: usd('5534.00'), outstanding: usd('0.00') }]);
    expect(await erp.getInvoice('SINV-1001')).toMatchObject({ status: 'paid' });
    expect(await erp.customerBalance('CUST-ACME')).toMatchObject({ outstanding: usd('0.00'), exposure: usd('0.00') });

    // 6. Cancel the other order: its reservations go.
    assertOk(await erp.cancelOrder({ orderId: 'SO-1002', reason: 'customer changed supplier' }));
    expect(await erp.getStock('GADGET')).toMatchObject({ actualQty: '40', reservedQty: '0' });

    // 7. Who was told what, and who did what.
    expect(erp.notifications.sent.map((notification) => notification.kind)).toEqual([
      'order_placed',
      'high_value_order',
      'high_value_order',
      'high_value_order',
      'order_placed',
      'order_delivered',
      'order_delivered',
      'invoice_issued',
      'payment_received',
      'payment_received',
      'order_cancelled',
    ]);
    expect(erp.audit.find({ actor: 'sam@ordo.test' }).map((entry) => [entry.action, entry.outcome])).toEqual([
      ['placeOrder', 'succeeded'],
      ['submitOrder', 'succeeded'],
    ]);
    const placedEvents = (await erp.events()).filter((event) => event.metadata.correlationId === 'web-1');
    expect(new Set(placedEvents.map((event) => event.metadata.actor))).toEqual(new Set(['sam@ordo.test']));
    expect(new Set(placedEvents.map((event) => event.type))).toEqual(
      new Set([
        'SalesOrderCreated',
        'SalesOrderLineAdded',
        'SalesOrderSubmitted',
        'StockReserved',
        'CustomerLedgerOrderRecorded',
      ]),
    );
  });
});
