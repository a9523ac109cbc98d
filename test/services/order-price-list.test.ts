import { describe, expect, it } from 'vitest';
import { SalesOrder, type SalesOrderCommand, type SalesOrderState } from '../../src/domain/sales-order/index.js';
import { salesOrderStreamId } from '../../src/domain/sales-order/sales-order-ids.js';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createTestErp, type TestErp } from '../../src/testing/test-erp.js';

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

/** The rate of each line of an order, by line id. */
async function rates(erp: TestErp, orderId: string): Promise<Record<string, string>> {
  const order = await erp.getOrder(orderId);
  return Object.fromEntries((order?.lines ?? []).map((line) => [line.lineId, line.rate]));
}

/**
 * Writes a submitted order the way versions before orders recorded their price list did: its `SalesOrderCreated`
 * carries no `priceListId`.
 */
async function legacyOrder(erp: TestErp, orderId: string, customerId: string): Promise<void> {
  const commands: SalesOrderCommand[] = [
    {
      type: 'CreateSalesOrder',
      data: { orderId, customerId, company: 'Ordo Trading', currency: 'USD', transactionDate: '2026-03-02' },
    },
    {
      type: 'AddSalesOrderLine',
      data: {
        orderId,
        line: { lineId: 'L1', itemCode: 'WIDGET', qty: '1', uom: 'Nos', rate: '21.00', warehouse: 'Main' },
      },
    },
    { type: 'SetSalesOrderDeliveryDate', data: { orderId, deliveryDate: '2026-03-09' } },
    { type: 'SubmitSalesOrder', data: { orderId } },
  ];
  let state: SalesOrderState = SalesOrder.initialState;
  let n = 0;
  const context = { now: new Date('2026-03-02T09:00:00.000Z'), newId: () => `legacy-${++n}` };
  const events = commands.flatMap((command) => {
    const decided = SalesOrder.decider.decide(command, state, context);
    for (const event of decided) state = SalesOrder.decider.evolve(state, event);
    return decided;
  });
  expect(events[0]).toMatchObject({ type: 'SalesOrderCreated' });
  expect(events[0]?.data).not.toHaveProperty('priceListId');
  await erp.store.appendToStream(salesOrderStreamId(orderId), events, { expectedVersion: 'no_stream' });
}

describe('an order remembers the price list it was placed with', () => {
  it('prices a line added after submit from the list the order named (Wholesale), not from the standard list', async () => {
    const erp = await createTestErp();
    const placed = await erp.placeOrder({
      orderId: 'SO-1',
      customerId: 'CUST-ACME',
      priceListId: 'Wholesale',
      lines: [{ itemCode: 'WIDGET', qty: '1' }],
    });
    assertOk(placed);
    expect(placed.lines[0]?.rate.amount).toBe('21.00');

    const updated = await erp.updateOrderItems({ orderId: 'SO-1', add: [{ itemCode: 'WIDGET', qty: '1' }] });
    assertOk(updated);
    expect(await rates(erp, 'SO-1')).toEqual({ L1: '21.00', L2: '21.00' });
    expect(updated.grandTotal.amount).toBe('42.00');
    expect((await erp.getOrder('SO-1'))?.priceListId).toBe('Wholesale');
    const [created] = await erp.events(salesOrderStreamId('SO-1'));
    expect(created).toMatchObject({ type: 'SalesOrderCreated', data: { priceListId: 'Wholesale' } });
  });

  it('records the list placeOrder resolved when none was named (customer default, else the ERP default)', async () => {
    const erp = await createTestErp();
    assertOk(
      await erp.placeOrder({
        orderId: 'SO-W',
        customerId: 'CUST-WHOLESALE',
        lines: [{ itemCode: 'GADGET', qty: '1' }],
      }),
    );
    assertOk(
      await erp.placeOrder({ orderId: 'SO-A', customerId: 'CUST-ACME', lines: [{ itemCode: 'GADGET', qty: '1' }] }),
    );
    expect((await erp.getOrder('SO-W'))?.priceListId).toBe('Wholesale');
    expect((await erp.getOrder('SO-A'))?.priceListId).toBe('Standard Selling');
    assertOk(await erp.updateOrderItems({ orderId: 'SO-A', add: [{ itemCode: 'WIDGET', qty: '1' }] }));
    expect(await rates(erp, 'SO-A')).toEqual({ L1: '120.00', L2: '25.00' });
  });

  it("keeps pricing added lines from the order's list after the customer's default list changes", async () => {
    const erp = await createTestErp();
    assertOk(
      await erp.placeOrder({
        orderId: 'SO-1',
        customerId: 'CUST-WHOLESALE',
        lines: [{ itemCode: 'WIDGET', qty: '1' }],
      }),
    );
    assertOk(
      await erp.manageCustomer({
        type: 'ChangeCustomerDetails',
        customerId: 'CUST-WHOLESALE',
        defaultPriceList: 'Standard Selling',
      }),
    );
    const updated = await erp.updateOrderItems({ orderId: 'SO-1', add: [{ itemCode: 'GADGET', qty: '1' }] });
    assertOk(updated);
    expect(await rates(erp, 'SO-1')).toEqual({ L1: '21.00', L2: '99.00' });
    // A new order follows the customer's new default.
    const next = await erp.placeOrder({ customerId: 'CUST-WHOLESALE', lines: [{ itemCode: 'GADGET', qty: '1' }] });
    assertOk(next);
    expect(next.lines[0]?.rate.amount).toBe('120.00');
  });

  it('records the list on a draft too, and submitOrder keeps it for lines added later', async () => {
    const erp = await createTestErp();
    assertOk(
      await erp.placeOrder({
        orderId: 'SO-1',
        customerId: 'CUST-ACME',
        priceListId: 'Wholesale',
        draft: true,
        lines: [{ itemCode: 'WIDGET', qty: '1' }],
      }),
    );
    assertOk(await erp.submitOrder({ orderId: 'SO-1' }));
    expect((await erp.getOrder('SO-1'))?.priceListId).toBe('Wholesale');
    assertOk(await erp.updateOrderItems({ orderId: 'SO-1', add: [{ itemCode: 'GADGET', qty: '1' }] }));
    expect(await rates(erp, 'SO-1')).toEqual({ L1: '21.00', L2: '99.00' });
  });

  it('prices lines added to an order stored before orders recorded their list with the standard resolution', async () => {
    const erp = await createTestErp();
    await legacyOrder(erp, 'SO-OLD', 'CUST-WHOLESALE');
    expect((await erp.getOrder('SO-OLD'))?.priceListId).toBeNull();
    const updated = await erp.updateOrderItems({ orderId: 'SO-OLD', add: [{ itemCode: 'GADGET', qty: '1' }] });
    assertOk(updated);
    // No list recorded: the customer's default (Wholesale), as placeOrder resolves it.
    expect(await rates(erp, 'SO-OLD')).toEqual({ L1: '21.00', L2: '99.00' });
  });
});
