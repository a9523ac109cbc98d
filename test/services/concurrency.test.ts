import { describe, expect, it } from 'vitest';
import { ConcurrencyError, StoreUnavailableError } from '../../src/kernel/errors.js';
import type { EventStore } from '../../src/kernel/event-store.js';
import { createErp } from '../../src/services/erp.js';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createTestErp } from '../../src/testing/test-erp.js';

function codes(result: ErpResult<unknown>): string[] {
  return result.ok ? [] : result.errors.map((error) => error.code);
}

describe('concurrent use cases', () => {
  it('lets only one of two concurrent orders pass a credit limit that fits only one of them', async () => {
    const erp = await createTestErp();
    // Beta's limit is 2,000.00; each order is 1,176.00 (10 gadgets less 2 %).
    const order = { customerId: 'CUST-BETA', lines: [{ itemCode: 'GADGET', qty: '10' }] };
    const results = await Promise.all([erp.placeOrder(order), erp.placeOrder(order)]);
    expect(results.map((result) => result.ok).sort()).toEqual([false, true]);
    expect(results.flatMap(codes)).toEqual(['CREDIT_LIMIT_EXCEEDED']);
    expect((await erp.customerBalance('CUST-BETA')).unbilled.amount).toBe('1176.00');
    // The loser conflicted, was retried against the winner's figures and refused on them, not for the conflict.
    expect(erp.audit.entries.map((entry) => [entry.outcome, entry.details.attempts])).toEqual([
      ['succeeded', 1],
      ['rejected', 2],
    ]);
  });

  it('lets only one of two concurrent orders reserve the last units under the block policy', async () => {
    const erp = await createTestErp();
    const results = await Promise.all([
      erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'GIZMO-PRO', qty: '3' }] }),
      erp.placeOrder({ customerId: 'CUST-GAMMA', lines: [{ itemCode: 'GIZMO-PRO', qty: '8' }] }),
    ]);
    expect(results.map((result) => result.ok).sort()).toEqual([false, true]);
    expect(results.flatMap(codes)).toEqual(['INSUFFICIENT_STOCK']);
    expect(erp.audit.entries.find((entry) => entry.outcome === 'rejected')?.details.attempts).toBe(2);
    expect(Number((await erp.getStock('GIZMO-PRO')).projectedQty)).toBeGreaterThanOrEqual(0);
  });

  it('answers CONCURRENCY_CONFLICT after the bounded retries when every append conflicts, and writes nothing', async () => {
    const seeded = await createTestErp();
    const before = await seeded.store.headPosition();
    let attempts = 0;
    const conflicting: EventStore = {
      ...seeded.store,
      readStream: (...args) => seeded.store.readStream(...args),
      async appendMany(appends) {
        attempts += 1;
        throw new ConcurrencyError(appends[0]?.streamId ?? '?', 0, 1);
      },
    };
    const erp = createErp({ store: conflicting, settings: { retry: { maxAttempts: 3, baseDelayMs: 0 } } });
    const result = await erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'WIDGET', qty: '1' }] });
    expect(result.ok ? [] : result.errors.map((error) => [error.code, error.data?.attempts])).toEqual([
      ['CONCURRENCY_CONFLICT', 3],
    ]);
    expect(attempts).toBe(3);
    expect(await seeded.store.headPosition()).toBe(before);
  });

  it('throws STORE_UNAVAILABLE when the store is down: a failure, not a refused rule', async () => {
    const seeded = await createTestErp();
    const down: EventStore = {
      ...seeded.store,
      readStream() {
        throw new StoreUnavailableError('connection refused');
      },
    };
    const erp = createErp({ store: down });
    await expect(
      erp.placeOrder({ customerId: 'CUST-ACME', lines: [{ itemCode: 'WIDGET', qty: '1' }] }),
    ).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
