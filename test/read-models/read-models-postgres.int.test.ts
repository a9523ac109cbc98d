import { afterAll, describe, expect, it } from 'vitest';
import type { EventLike, StoredEvent } from '../../src/kernel/event.js';
import { createErpReadModels } from '../../src/read-models/index.js';
import { createPostgresEventStore } from '../../src/stores/postgres/index.js';
import {
  createServerPool,
  dropSchema,
  HAS_POSTGRES_SERVER,
  markServerSuiteRan,
  uniqueSchema,
} from '../support/postgres-support.js';
import { ErpWorld } from './read-model-world.js';

const pool = HAS_POSTGRES_SERVER ? createServerPool(12) : undefined;
afterAll(async () => {
  await pool?.end();
});

/** Stored events for `events`, at consecutive positions from 1, as a store would give them to handlers. */
function stored(events: readonly { readonly streamId: string; readonly event: EventLike }[]): StoredEvent[] {
  return events.map(({ streamId, event }, index) => ({
    eventId: `00000000-0000-7000-8000-${String(index + 1).padStart(12, '0')}`,
    type: event.type,
    schemaVersion: 1,
    data: event.data,
    metadata: { occurredAt: '2026-02-01T09:00:00.000Z' },
    streamId,
    streamVersion: 1,
    globalPosition: index + 1,
    recordedAt: '2026-02-01T09:00:00.000Z',
  }));
}

describe.runIf(HAS_POSTGRES_SERVER)('ERP read models on a PostgreSQL server with concurrent writers', () => {
  it('serialises transactions that write one customer’s rows at the same time, so no update is lost', async () => {
    if (!pool) throw new Error('unreachable: the suite only runs with a server');
    const schema = uniqueSchema('rmc');
    try {
      // Three app instances (stores) over one schema, each with its own read model objects.
      const instances = [0, 1, 2].map(() => {
        const store = createPostgresEventStore({ client: pool, schema, notifications: false });
        return { store, models: createErpReadModels({ mode: 'postgres', store, client: pool }) };
      });
      const first = instances[0];
      if (!first) throw new Error('no instance');
      await first.store.withTransaction(async (tx) => {
        for (const projection of first.models.projections) await projection.init?.(tx);
      });

      // 24 orders of one customer, each applied in its own transaction, all at once: every transaction reads and
      // rewrites the same summary row, so without the read models' lock most of them would overwrite each other.
      const log: { streamId: string; event: EventLike }[] = [];
      const world = new ErpWorld(async () => undefined);
      for (const index of [...Array(24).keys()]) {
        await world.placeOrder(`SO-${index}`, { date: `2026-01-${String(10 + (index % 3)).padStart(2, '0')}` });
      }
      log.push(...world.log);
      const events = stored(log);
      const byOrder = new Map<string, StoredEvent[]>();
      for (const event of events) {
        const orderId = (event.data as { orderId: string }).orderId;
        byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), event]);
      }
      await Promise.all(
        [...byOrder.values()].map(async (orderEvents, index) => {
          const instance = instances[index % instances.length];
          if (!instance) return;
          await instance.store.withTransaction(async (tx) => {
            for (const projection of instance.models.projections) {
              for (const event of orderEvents) await projection.handlers[event.type]?.(tx, event);
            }
          });
        }),
      );

      const { queries } = first.models;
      expect(await queries.customerOrderSummary.get('CUST-1')).toEqual({
        customerId: 'CUST-1',
        currency: 'USD',
        totalOrders: 24,
        totalAmount: '1200.00',
        lastOrderDate: '2026-01-12',
        openOrders: 24,
      });
      expect(await queries.salesDashboard.dailyTotals({ from: '2026-01-01', to: '2026-01-31' })).toEqual([
        expect.objectContaining({ date: '2026-01-10', orderCount: 8, totalSales: '400.00' }),
        expect.objectContaining({ date: '2026-01-11', orderCount: 8, totalSales: '400.00' }),
        expect.objectContaining({ date: '2026-01-12', orderCount: 8, totalSales: '400.00' }),
      ]);
      expect(await queries.creditBalances.get('CUST-1', 'Acme')).toMatchObject({ unbilledOrders: '1200.00' });
      expect(await queries.orders.count()).toBe(24);
      for (const instance of instances) await instance.store.close();
    } finally {
      await dropSchema(pool, schema);
    }
    markServerSuiteRan('read models: concurrent writers');
  });
});
