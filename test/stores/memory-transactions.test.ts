import { describe, expect, it } from 'vitest';
import { createMemoryEventStorage, createMemoryEventStore } from '../../src/stores/memory/index.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('memory store transactions', () => {
  it('runs concurrent withTransaction bodies one at a time, also across stores over one storage', async () => {
    const storage = createMemoryEventStorage();
    const stores = [createMemoryEventStore({ storage }), createMemoryEventStore({ storage })];
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        stores[index % 2]!.withTransaction(async (tx) => {
          inside += 1;
          most = Math.max(most, inside);
          const checkpoint = (await tx.getCheckpoint('runner')) ?? 0;
          await tick();
          await tx.saveCheckpoint('runner', checkpoint + 1);
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    // Six read-modify-write bodies: none read a checkpoint another had not yet saved.
    expect(await stores[0]!.getCheckpoint('runner')).toBe(6);
  });

  it('makes a plain append wait for a transaction in progress, then check its expected version against it', async () => {
    const store = createMemoryEventStore();
    let releaseHook!: () => void;
    const hookStarted = new Promise<void>((started) => {
      void store.appendToStream('order-1', [{ type: 'Created', data: {} }], {
        expectedVersion: 'no_stream',
        beforeCommit: async () => {
          started();
          await new Promise<void>((resolve) => {
            releaseHook = resolve;
          });
        },
      });
    });
    await hookStarted;
    const plain = store.appendToStream('order-1', [{ type: 'Created', data: {} }], { expectedVersion: 'no_stream' });
    await tick();
    releaseHook();
    await expect(plain).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    expect(await store.streamVersion('order-1')).toBe(1);
  });
});
