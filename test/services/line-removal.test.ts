import { describe, expect, it } from 'vitest';
import { Quantity } from '../../src/domain/money/index.js';
import { salesOrderStreamId } from '../../src/domain/sales-order/sales-order-ids.js';
import { stockStreamId } from '../../src/domain/stock/stock-ids.js';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createTestErp, type TestErp } from '../../src/testing/test-erp.js';

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

/** SO-1 with L1 = 10 and L2 = 20 widgets, submitted, then L2 removed through update items. */
async function orderWithRemovedLine(): Promise<TestErp> {
  const erp = await createTestErp();
  assertOk(
    await erp.placeOrder({
      orderId: 'SO-1',
      customerId: 'CUST-GAMMA',
      lines: [
        { itemCode: 'WIDGET', qty: '10' },
        { itemCode: 'WIDGET', qty: '20' },
      ],
    }),
  );
  expect((await erp.getStock('WIDGET')).reservedQty).toBe('30');
  assertOk(await erp.updateOrderItems({ orderId: 'SO-1', remove: ['L2'] }));
  return erp;
}

/** The order lines' positive reservations, as `lineId=qty`. */
async function reservedLines(erp: TestErp): Promise<string[]> {
  const stock = await erp.getStock('WIDGET');
  return stock.reservations
    .filter((reservation) => !Quantity.of(reservation.qty).isZero())
    .map((reservation) => `${reservation.lineId}=${reservation.qty}`);
}

/** Σ reserved + restored + adjustments − released − reduced by deliveries, from the WIDGET stock events. */
async function reservationBalance(erp: TestErp): Promise<Quantity> {
  let balance = Quantity.zero();
  for (const event of await erp.events(stockStreamId('WIDGET', 'Main'))) {
    const data = event.data as { qty?: string; previousQty?: string; reservationReduced?: string };
    if (event.type === 'StockReserved' || event.type === 'StockReservationRestored')
      balance = balance.add(data.qty ?? 0);
    if (event.type === 'StockReservationReleased') balance = balance.subtract(data.qty ?? 0);
    if (event.type === 'StockReservationAdjusted') balance = balance.add(data.qty ?? 0).subtract(data.previousQty ?? 0);
    if (event.type === 'StockDelivered') balance = balance.subtract(data.reservationReduced ?? 0);
  }
  return balance;
}

describe('a line removed after submit', () => {
  it('gives its reservation up for good: zeroed, not released, so nothing is left to restore', async () => {
    const erp = await orderWithRemovedLine();
    expect((await erp.getStock('WIDGET')).reservedQty).toBe('10');
    expect(await reservedLines(erp)).toEqual(['L1=10']);
    const adjusted = (await erp.events(stockStreamId('WIDGET', 'Main'))).filter(
      (event) => event.type === 'StockReservationAdjusted' || event.type === 'StockReservationReleased',
    );
    expect(adjusted.map((event) => [event.type, event.data])).toEqual([
      [
        'StockReservationAdjusted',
        expect.objectContaining({ orderId: 'SO-1', lineId: 'L2', previousQty: '20', qty: '0' }),
      ],
    ]);
  });

  it.each([
    ['put on hold and resumed', 'holdOrder', 'resumeOrder'],
    ['closed and re-opened', 'closeOrder', 'reopenOrder'],
  ] as const)('does not come back when the order is %s', async (_, release, restore) => {
    const erp = await orderWithRemovedLine();
    assertOk(await erp[release]({ orderId: 'SO-1' }));
    expect((await erp.getStock('WIDGET')).reservedQty).toBe('0');
    assertOk(await erp[restore]({ orderId: 'SO-1' }));
    expect((await erp.getStock('WIDGET')).reservedQty).toBe('10');
    expect(await reservedLines(erp)).toEqual(['L1=10']);
  });

  it('leaves nothing reserved once the order is delivered and invoiced to completion, after hold, resume, close and re-open', async () => {
    const erp = await orderWithRemovedLine();
    assertOk(await erp.holdOrder({ orderId: 'SO-1' }));
    assertOk(await erp.resumeOrder({ orderId: 'SO-1' }));
    assertOk(await erp.closeOrder({ orderId: 'SO-1' }));
    assertOk(await erp.reopenOrder({ orderId: 'SO-1' }));
    assertOk(await erp.deliverOrder({ orderId: 'SO-1' }));
    const invoiced = await erp.invoiceOrder({ orderId: 'SO-1' });
    assertOk(invoiced);
    expect(invoiced.orderStatus).toBe('completed');
    const stock = await erp.getStock('WIDGET');
    // 500 on hand, 10 delivered: reserved back to 0, so projected equals actual.
    expect([stock.actualQty, stock.reservedQty, stock.projectedQty]).toEqual(['490', '0', '490']);
    expect(await reservedLines(erp)).toEqual([]);
    expect((await reservationBalance(erp)).value).toBe('0');
  });

  it('restores only the lines still on the order, one by one', async () => {
    const erp = await orderWithRemovedLine();
    assertOk(await erp.holdOrder({ orderId: 'SO-1' }));
    assertOk(await erp.resumeOrder({ orderId: 'SO-1' }));
    const restored = (await erp.events(stockStreamId('WIDGET', 'Main'))).filter(
      (event) => event.type === 'StockReservationRestored',
    );
    expect(restored.map((event) => (event.data as { lineId: string }).lineId)).toEqual(['L1']);
  });

  it('never brings back a removed line released by an earlier version (reason cancelled): restores heal the leak', async () => {
    const erp = await createTestErp();
    assertOk(
      await erp.placeOrder({
        orderId: 'SO-1',
        customerId: 'CUST-GAMMA',
        lines: [
          { itemCode: 'WIDGET', qty: '10' },
          { itemCode: 'WIDGET', qty: '20' },
        ],
      }),
    );
    // What an earlier version wrote on removing L2: the line removed, its reservation released as "cancelled".
    await erp.store.appendToStream(
      salesOrderStreamId('SO-1'),
      [{ type: 'SalesOrderLineRemoved', data: { orderId: 'SO-1', lineId: 'L2' } }],
      {
        expectedVersion: 'any',
      },
    );
    await erp.store.appendToStream(
      stockStreamId('WIDGET', 'Main'),
      [
        {
          type: 'StockReservationReleased',
          data: {
            itemCode: 'WIDGET',
            warehouse: 'Main',
            orderId: 'SO-1',
            lineId: 'L2',
            qty: '20',
            reason: 'cancelled',
          },
        },
      ],
      { expectedVersion: 'any' },
    );
    expect((await erp.getOrder('SO-1'))?.lines.map((line) => line.lineId)).toEqual(['L1']);
    assertOk(await erp.holdOrder({ orderId: 'SO-1' }));
    assertOk(await erp.resumeOrder({ orderId: 'SO-1' }));
    expect(await reservedLines(erp)).toEqual(['L1=10']);
    assertOk(await erp.closeOrder({ orderId: 'SO-1' }));
    assertOk(await erp.reopenOrder({ orderId: 'SO-1' }));
    expect((await erp.getStock('WIDGET')).reservedQty).toBe('10');
  });
});
