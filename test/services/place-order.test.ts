import { describe, expect, it, vi } from 'vitest';
import { salesOrderStreamId } from '../../src/domain/sales-order/sales-order-ids.js';
import { stockStreamId } from '../../src/domain/stock/stock-ids.js';
import { customerLedgerStreamId } from '../../src/services/customer-ledger.js';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createTestErp } from '../../src/testing/test-erp.js';

function codes(result: ErpResult<unknown>): string[] {
  return result.ok ? [] : result.errors.map((error) => error.code);
}

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

describe('placeOrder', () => {
  it('places the order: submitted, priced, its stock lines reserved, and recorded in the customer ledger', async () => {
    const erp = await createTestErp();
    const placed = await erp.placeOrder({
      orderId: 'SO-1',
      customerId: 'CUST-ACME',
      lines: [
        { itemCode: 'WIDGET', qty: '10' },
        { itemCode: 'INSTALL', qty: '2' },
      ],
    });
    assertOk(placed);
    expect(placed).toMatchObject({
      orderId: 'SO-1',
      status: 'to_deliver_and_bill',
      grandTotal: { amount: '405.00', currency: 'USD' },
      highValue: false,
    });
    expect(placed.lines.map((line) => [line.lineId, line.rate.amount, line.stock])).toEqual([
      ['L1', '24.50', 'available'],
      ['L2', '80.00', 'not_stock_item'],
    ]);
    expect((await erp.getStock('WIDGET')).reservations).toEqual([{ orderId: 'SO-1', lineId: 'L1', qty: '10' }]);
    expect(await erp.events(stockStreamId('INSTALL', 'Main'))).toEqual([]);
    const ledger = await erp.events(customerLedgerStreamId('CUST-ACME'));
    expect(ledger.map((event) => event.data)).toEqual([
      expect.objectContaining({ orderId: 'SO-1', unbilledAmount: { amount: '405.00', currency: 'USD' } }),
    ]);
  });

  it('commits the order, its reservations and its ledger entry in one atomic append (consecutive positions, one command)', async () => {
    const erp = await createTestErp();
    const before = await erp.store.headPosition();
    assertOk(
      await erp.placeOrder({ orderId: 'SO-1', customerId: 'CUST-ACME', lines: [{ itemCode: 'GADGET', qty: '2' }] }),
    );
    const written = (await erp.events()).filter((event) => event.globalPosition > before);
    expect(new Set(written.map((event) => event.streamId))).toEqual(
      new Set([salesOrderStreamId('SO-1'), stockStreamId('GADGET', 'Main'), customerLedgerStreamId('CUST-ACME')]),
    );
    expect(written.map((event) => event.globalPosition)).toEqual(written.map((_, index) => before + index + 1));
    expect(new Set(written.map((event) => event.metadata.commandId)).size).toBe(1);
  });

  it("prices from the customer's own price list and applies the seed's quantity breaks, explaining each step", async () => {
    const erp = await createTestErp();
    const placed = await erp.placeOrder({
      customerId: 'CUST-WHOLESALE',
      lines: [
        { itemCode: 'WIDGET', qty: '120' },
        { itemCode: 'WIDGET', qty: '2', unit: 'Box' },
      ],
    });
    assertOk(placed);
    const [bulk, boxes] = placed.lines;
    // 21.00 wholesale − 5 % bulk − 3 % promotion (stacking) = 19.32.
    expect(bulk?.rate.amount).toBe('19.32');
    expect(bulk?.appliedRules).toHaveLength(2);
    expect(bulk?.pricing.join(' | ')).toContain('Wholesale');
    // A box is 12 widgets: 24 stock units, 2 % promotion on 12 × 21.00.
    expect(boxes).toMatchObject({ unit: 'Box', stockQty: '24', rate: { amount: '246.96' } });
  });

  it('lists every failed rule at once (customer, each item, unit, stock) and writes nothing', async () => {
    const erp = await createTestErp();
    const before = await erp.store.headPosition();
    const refused = await erp.placeOrder({
      customerId: 'CUST-CLOSED',
      lines: [
        { itemCode: 'LEGACY-PART', qty: '1' },
        { itemCode: 'GADGET', qty: '100' },
        { itemCode: 'NO-SUCH-ITEM', qty: '1' },
        { itemCode: 'WIDGET', qty: '1', unit: 'Pallet' },
      ],
    });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.errors.map((error) => [error.code, error.path])).toEqual([
      ['CUSTOMER_DISABLED', ['customerId']],
      ['ITEM_DISABLED', ['lines', 0, 'itemCode']],
      ['ITEM_NOT_FOUND', ['lines', 2, 'itemCode']],
      ['UNIT_NOT_CONVERTIBLE', ['lines', 3, 'unit']],
      ['INSUFFICIENT_STOCK', ['lines', 1, 'qty']],
    ]);
    expect(refused.errors[4]?.data).toMatchObject({ requested: '100', available: '40', shortfall: '60' });
    expect(await erp.store.headPosition()).toBe(before);
  });

  it('refuses an order over the credit limit with CREDIT_LIMIT_EXCEEDED and its figures, and appends nothing', async () => {
    const erp = await createTestErp();
    const before = await erp.store.headPosition();
    const refused = await erp.placeOrder({ customerId: 'CUST-BETA', lines: [{ itemCode: 'GADGET', qty: '20' }] });
    expect(codes(refused)).toEqual(['CREDIT_LIMIT_EXCEEDED']);
    if (!refused.ok) {
      expect(refused.errors[0]?.data).toMatchObject({
        limit: { amount: '2000.00' },
        exposure: { amount: '2352.00' },
        limitSource: 'customer',
      });
    }
    expect(await erp.store.headPosition()).toBe(before);
  });

  it("counts the customer's other submitted orders in the exposure, and allows reaching the limit exactly", async () => {
    const erp = await createTestErp();
    // 8 gadgets at 120.00 = 960.00; twice is 1,920.00 of the 2,000.00 limit.
    assertOk(await erp.placeOrder({ customerId: 'CUST-BETA', lines: [{ itemCode: 'GADGET', qty: '8' }] }));
    assertOk(await erp.placeOrder({ customerId: 'CUST-BETA', lines: [{ itemCode: 'GADGET', qty: '8' }] }));
    expect(codes(await erp.placeOrder({ customerId: 'CUST-BETA', lines: [{ itemCode: 'WIDGET', qty: '4' }] }))).toEqual(
      ['CREDIT_LIMIT_EXCEEDED'],
    );
    // 80.00 more reaches 2,000.00 exactly: allowed.
    const exact = await erp.placeOrder({ customerId: 'CUST-BETA', lines: [{ itemCode: 'INSTALL', qty: '1' }] });
    assertOk(exact);
    expect(exact.credit).toMatchObject({ outcome: 'within_limit', headroom: { amount: '0.00' } });
  });

  it('refuses malformed input with VALIDATION_FAILED and the path of each problem, writing nothing', async () => {
    const erp = await createTestErp();
    const before = await erp.store.headPosition();
    const refused = await erp.placeOrder({
      customerId: '',
      currency: 'XYZ',
      lines: [
        { itemCode: 'WIDGET', qty: '-1' },
        { itemCode: 'WIDGET', qty: '1.5e3' },
      ],
    });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.errors.every((error) => error.code === 'VALIDATION_FAILED')).toBe(true);
    expect(refused.errors.map((error) => error.path)).toEqual([
      ['customerId'],
      ['currency'],
      ['lines', 0, 'qty'],
      ['lines', 1, 'qty'],
    ]);
    expect(await erp.store.headPosition()).toBe(before);
  });

  it.each([
    ['null', null],
    ['a number', 42],
    ['an array', []],
    ['no lines', { customerId: 'CUST-ACME', lines: [] }],
    ['an unknown key', { customerId: 'CUST-ACME', lines: [{ itemCode: 'WIDGET', qty: '1' }], discount: '50' }],
  ])('answers VALIDATION_FAILED, never a throw, for %s', async (_name, input) => {
    const erp = await createTestErp();
    const result = await erp.placeOrder(input as never);
    expect(codes(result).length).toBeGreaterThan(0);
    expect(new Set(codes(result))).toEqual(new Set(['VALIDATION_FAILED']));
  });

  it('refuses a malformed context with VALIDATION_FAILED under context', async () => {
    const erp = await createTestErp();
    const result = await erp.placeOrder(
      { customerId: 'CUST-ACME', lines: [{ itemCode: 'WIDGET', qty: '1' }] },
      {
        actor: '',
      },
    );
    expect(result.ok ? [] : result.errors.map((error) => error.path)).toEqual([['context', 'actor']]);
  });

  it('refuses a second order with the same id (ORDER_ALREADY_EXISTS)', async () => {
    const erp = await createTestErp();
    const order = { orderId: 'SO-1', customerId: 'CUST-ACME', lines: [{ itemCode: 'WIDGET', qty: '1' }] };
    assertOk(await erp.placeOrder(order));
    expect(codes(await erp.placeOrder(order))).toEqual(['ORDER_ALREADY_EXISTS']);
  });

  it('refuses a line pricing cannot price (ITEM_PRICE_NOT_FOUND) and a price list that does not exist', async () => {
    const erp = await createTestErp();
    assertOk(
      await erp.manageItem({
        type: 'RegisterItem',
        itemCode: 'SAMPLE',
        name: 'Free sample',
        itemGroup: 'Widgets',
        stockUnit: 'Nos',
      }),
    );
    assertOk(await erp.adjustStock({ type: 'ReceiveStock', itemCode: 'SAMPLE', warehouse: 'Main', qty: '5' }));
    const refused = await erp.placeOrder({
      customerId: 'CUST-ACME',
      priceListId: 'Nope',
      lines: [{ itemCode: 'SAMPLE', qty: '1' }],
    });
    expect(refused.ok ? [] : refused.errors.map((error) => [error.code, error.path])).toEqual([
      ['PRICE_LIST_NOT_FOUND', ['priceListId']],
      ['ITEM_PRICE_NOT_FOUND', ['lines', 0, 'itemCode']],
    ]);
  });

  it('sends the high-value alert above the threshold, and not at it', async () => {
    const erp = await createTestErp();
    // 4 gizmos at 2,500.00 = 10,000.00: at the threshold, not above.
    const atThreshold = await erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'GIZMO-PRO', qty: '4' }] });
    assertOk(atThreshold);
    expect(atThreshold.highValue).toBe(false);
    const above = await erp.placeOrder({
      orderId: 'SO-BIG',
      customerId: 'CUST-ACME',
      lines: [
        { itemCode: 'GIZMO-PRO', qty: '4' },
        { itemCode: 'INSTALL', qty: '1' },
      ],
    });
    assertOk(above);
    expect(above.highValue).toBe(true);
    const alerts = erp.notifications.sent.filter((notification) => notification.kind === 'high_value_order');
    expect(alerts.map((alert) => [alert.channel, alert.recipient])).toEqual([
      ['email', 'role:sales-manager'],
      ['sms', 'role:sales-manager'],
      ['push', 'role:sales-manager'],
    ]);
    expect(alerts[0]?.data).toMatchObject({ orderId: 'SO-BIG', grandTotal: { amount: '10080.00' } });
  });

  it('takes the high-value threshold from the settings', async () => {
    const erp = await createTestErp({ settings: { highValueThreshold: '100' } });
    const placed = await erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'GADGET', qty: '1' }] });
    assertOk(placed);
    expect(placed.highValue).toBe(true);
  });

  it('keeps the order when a notification fails: still ok, recorded in the audit log and reported to the hook', async () => {
    const erp = await createTestErp({ failNotification: () => new Error('SMTP server down') });
    const placed = await erp.placeOrder({
      orderId: 'SO-1',
      customerId: 'CUST-ACME',
      lines: [{ itemCode: 'WIDGET', qty: '1' }],
    });
    assertOk(placed);
    expect(await erp.getOrder('SO-1')).toMatchObject({ status: 'to_deliver_and_bill' });
    expect(erp.audit.find({ action: 'placeOrder' }).map((entry) => entry.outcome)).toEqual([
      'succeeded',
      'notification_failed',
    ]);
  });

  it('calls onNotificationError with the failed notification', async () => {
    const { createErp } = await import('../../src/services/erp.js');
    const seeded = await createTestErp();
    const onNotificationError = vi.fn();
    const erp = createErp({
      store: seeded.store,
      notifications: { send: () => Promise.reject(new Error('push gateway timeout')) },
      onNotificationError,
    });
    assertOk(await erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'WIDGET', qty: '1' }] }));
    expect(onNotificationError).toHaveBeenCalledWith(
      expect.any(Error),
      expect.objectContaining({ kind: 'order_placed' }),
    );
  });

  it('stamps the actor and correlation id on every event, and the audit log says who did it', async () => {
    const erp = await createTestErp();
    const before = await erp.store.headPosition();
    assertOk(
      await erp.placeOrder(
        { customerId: 'CUST-ACME', lines: [{ itemCode: 'WIDGET', qty: '1' }] },
        { actor: 'alice', correlationId: 'req-42' },
      ),
    );
    const written = (await erp.events()).filter((event) => event.globalPosition > before);
    expect(written.length).toBeGreaterThan(0);
    for (const event of written) {
      expect(event.metadata).toMatchObject({ actor: 'alice', correlationId: 'req-42', useCase: 'placeOrder' });
    }
    expect(erp.audit.find({ correlationId: 'req-42' })).toEqual([
      expect.objectContaining({
        actor: 'alice',
        action: 'placeOrder',
        outcome: 'succeeded',
        events: expect.any(Array),
      }),
    ]);
  });

  it('records refused calls in the audit log with their error codes', async () => {
    const erp = await createTestErp();
    await erp.placeOrder({ customerId: 'CUST-CLOSED', lines: [{ itemCode: 'WIDGET', qty: '1' }] }, { actor: 'bob' });
    expect(erp.audit.find({ actor: 'bob' })).toEqual([
      expect.objectContaining({ outcome: 'rejected', errors: ['CUSTOMER_DISABLED'], events: [] }),
    ]);
  });

  it('under the warn policy accepts a short order, reserves it in full and reports the shortfall as a warning', async () => {
    const erp = await createTestErp({ settings: { stockPolicy: 'warn' } });
    const placed = await erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'GADGET', qty: '50' }] });
    assertOk(placed);
    expect(placed.warnings).toEqual([expect.stringContaining('short by 10')]);
    expect(await erp.getStock('GADGET')).toMatchObject({ reservedQty: '50', projectedQty: '-10' });
  });

  it('creates a draft without reserving stock when asked, and submitOrder then reserves it', async () => {
    const erp = await createTestErp();
    const draft = await erp.placeOrder({
      orderId: 'SO-D',
      customerId: 'CUST-ACME',
      draft: true,
      lines: [{ itemCode: 'GADGET', qty: '5' }],
    });
    assertOk(draft);
    expect(draft.status).toBe('draft');
    expect((await erp.getStock('GADGET')).reservedQty).toBe('0');
    const submitted = await erp.submitOrder({ orderId: 'SO-D' });
    assertOk(submitted);
    expect(submitted.status).toBe('to_deliver_and_bill');
    expect((await erp.getStock('GADGET')).reservedQty).toBe('5');
  });
});
