import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptEventError } from '../../src/kernel/errors.js';
import type { NewEvent } from '../../src/kernel/event.js';
import { createProjectionRunner } from '../../src/kernel/projection-runner.js';
import { createErpReadModels } from '../../src/read-models/index.js';
import { createMemoryEventStore } from '../../src/stores/memory/memory-event-store.js';
import { openSqliteEventStore } from '../../src/stores/sqlite/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Malformed event data a store without a registry keeps as it was given. */
const MALFORMED: readonly { readonly streamId: string; readonly event: NewEvent }[] = [
  { streamId: 'SalesOrder-X', event: { type: 'SalesOrderCreated', data: null } },
  { streamId: 'SalesOrder-X', event: { type: 'SalesOrderCreated', data: { orderId: 42, customerId: [] } } },
  { streamId: 'Stock-NUT@Main', event: { type: 'StockReceived', data: null } },
  { streamId: 'SalesInvoice-I', event: { type: 'SalesInvoiceCreated', data: 'junk' } },
  { streamId: 'Customer-C', event: { type: 'CustomerRegistered', data: { customerId: 'C' } } },
];

async function expectCorrupt(run: () => Promise<unknown>, streamId: string, type: string): Promise<void> {
  const error = await run().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CorruptEventError);
  expect(error).toMatchObject({ code: 'CORRUPT_EVENT', streamId, streamVersion: 1, type });
}

describe('ERP read models on malformed event data', () => {
  it('the SQL read models raise CORRUPT_EVENT (naming stream, version and type) instead of a TypeError, and write nothing', async () => {
    for (const { streamId, event } of MALFORMED) {
      const dir = mkdtempSync(join(tmpdir(), 'ordo-rm-corrupt-'));
      dirs.push(dir);
      const store = await openSqliteEventStore({ path: join(dir, 'erp.db') });
      try {
        await store.appendToStream(streamId, [event], { expectedVersion: 'no_stream' });
        const { projections, queries } = createErpReadModels({ mode: 'sqlite', store });
        await expectCorrupt(() => createProjectionRunner({ store, projections }).catchUp(), streamId, event.type);
        await expect(queries.orders.count()).resolves.toBe(0);
        await expect(queries.stockLevels.list()).resolves.toEqual([]);
        await expect(queries.creditBalances.list()).resolves.toEqual([]);
      } finally {
        await store.close();
      }
    }
  });

  it('the memory read models raise CORRUPT_EVENT instead of a TypeError and keep their state', async () => {
    for (const { streamId, event } of MALFORMED) {
      const store = createMemoryEventStore();
      await store.appendToStream(streamId, [event], { expectedVersion: 'no_stream' });
      const { projections, queries } = createErpReadModels({ mode: 'memory' });
      await expectCorrupt(() => createProjectionRunner({ store, projections }).catchUp(), streamId, event.type);
      await expect(queries.orders.count()).resolves.toBe(0);
      await expect(queries.stockLevels.list()).resolves.toEqual([]);
    }
  });
});
