import { describe, expect, it } from 'vitest';
import { SalesOrder, type SalesOrderContext } from '../../../src/domain/sales-order/index.js';
import { createFixedClock } from '../../../src/kernel/clock.js';
import { createCommandHandler } from '../../../src/kernel/command-handler.js';
import { createDeterministicIds } from '../../../src/kernel/ids.js';
import { createMemoryEventStore } from '../../../src/stores/memory/memory-event-store.js';
import { addLine, addTax, bill, create, deliver, ORDER, setDiscount, submit } from './sales-order-fixtures.js';

describe('SalesOrder with the command handler and the memory store', () => {
  it('appends validated events, snapshots the plain-JSON state and loads the same state back', async () => {
    const registry = SalesOrder.createEventRegistry();
    const store = createMemoryEventStore({ registry });
    const settings = { overDeliveryAllowance: '10' } as const;
    const handler = createCommandHandler({
      store,
      decider: SalesOrder.decider,
      clock: createFixedClock('2026-01-10T08:00:00.000Z'),
      ids: createDeterministicIds(7),
      context: (base): SalesOrderContext => ({ ...base, settings }),
      snapshots: {
        every: 3,
        schemaVersion: SalesOrder.snapshotVersion,
        toSnapshot: SalesOrder.toSnapshot,
        fromSnapshot: SalesOrder.fromSnapshot,
      },
    });
    const stream = SalesOrder.streamId(ORDER);
    const commands = [
      create(),
      addLine('L1'),
      addLine('L2', { qty: '3', rate: undefined, priceListRate: '20.00', discountPercentage: '5' }),
      setDiscount({ kind: 'percentage', percentage: '2' }),
      addTax({ taxId: 'VAT', kind: 'on_net_total', rate: '19' }),
      submit(),
      deliver({ L1: '11' }),
      bill({ L1: '50.00' }),
    ];
    let last: Awaited<ReturnType<typeof handler.handle>> | undefined;
    for (const command of commands) last = await handler.handle(stream, command);

    const loaded = await handler.load(stream);
    expect(loaded.state).toEqual(last?.state);
    expect(loaded.version).toBe(commands.length);
    // 10 × 5.00 + 3 × 19.00 = 107.00; VAT 20.33; 2 % of 127.33 = 2.55 off the grand total → 124.78.
    // Delivered 11 of 10 counts as 10 of 13 units; billed 50.00 of 107.00.
    expect(loaded.state.exists && loaded.state).toMatchObject({
      status: 'to_deliver_and_bill',
      perDelivered: '76.923076',
      perBilled: '46.728971',
      totals: { total: '107.00', discountAmount: '2.55', netTotal: '104.86', grandTotal: '124.78' },
    });
    await expect(handler.handle(stream, { type: 'CancelSalesOrder', data: { orderId: ORDER } })).rejects.toMatchObject({
      code: 'DOMAIN_RULE_VIOLATED',
      rule: 'ORDER_HAS_DELIVERIES',
    });
    expect(await store.streamVersion(stream)).toBe(commands.length);
  });
});
