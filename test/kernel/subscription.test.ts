import { describe, expect, it, vi } from 'vitest';
import { createFixedClock } from '../../src/kernel/clock.js';
import { isOrdoError } from '../../src/kernel/errors.js';
import type { StoredEvent } from '../../src/kernel/event.js';
import type { EventStore } from '../../src/kernel/event-store.js';
import { createMemoryLease, type Lease } from '../../src/kernel/lease.js';
import { subscribe } from '../../src/kernel/subscription.js';
import { deferred } from '../../src/kernel/subscription-support.js';
import { createMemoryEventStore } from '../../src/stores/memory/memory-event-store.js';
import { appendIncrements, plainStore } from './projection-support.js';

const positions = (events: readonly StoredEvent[]): number[] => events.map((event) => event.globalPosition);

/** A store whose readAll counts the events it has handed out. */
function countingReads(store: EventStore): { store: EventStore; read: () => number } {
  let read = 0;
  return {
    store: {
      ...plainStore(store),
      async *readAll(options) {
        for await (const event of store.readAll(options)) {
          read += 1;
          yield event;
        }
      },
    },
    read: () => read,
  };
}

describe('subscribe', () => {
  it('catches up on stored events, then receives new ones pushed by the store', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, [1, 2, 3]);
    const seen: StoredEvent[] = [];
    // A poll interval far beyond the test: only commit notifications can deliver the live events.
    const subscription = subscribe(store, { handler: (event) => void seen.push(event), pollIntervalMs: 600_000 });
    await subscription.whenCaughtUp();
    expect(positions(seen)).toEqual([1, 2, 3]);

    await appendIncrements(store, [4, 5]);
    await subscription.whenCaughtUp();
    expect(positions(seen)).toEqual([1, 2, 3, 4, 5]);
    expect(subscription.status()).toMatchObject({ state: 'live', position: 5, head: 5, lag: 0, handled: 5 });
    await subscription.stop();
  });

  it('falls back to polling when the store cannot push commits', async () => {
    const store = plainStore(createMemoryEventStore());
    const seen: StoredEvent[] = [];
    const subscription = subscribe(store, { handler: (event) => void seen.push(event), pollIntervalMs: 5 });
    await subscription.whenCaughtUp();
    await appendIncrements(store, [1, 2]);
    await subscription.whenCaughtUp();
    expect(positions(seen)).toEqual([1, 2]);
    await subscription.stop();
  });

  it('delivers only the wanted types, yet counts the others as passed', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, [1]);
    await store.appendToStream('other', [{ type: 'Unrelated', data: {} }], { expectedVersion: 'any' });
    const seen: StoredEvent[] = [];
    const subscription = subscribe(store, { types: ['Incremented'], handler: (event) => void seen.push(event) });
    await subscription.whenCaughtUp();
    expect(seen.map((event) => event.type)).toEqual(['Incremented']);
    expect(subscription.status()).toMatchObject({ position: 2, lag: 0 });
    await subscription.stop();
  });

  it('stops: the handler is not called again and done resolves', async () => {
    const store = createMemoryEventStore();
    const seen: StoredEvent[] = [];
    const subscription = subscribe(store, { handler: (event) => void seen.push(event) });
    await appendIncrements(store, [1]);
    await subscription.whenCaughtUp();
    await subscription.stop();
    await appendIncrements(store, [2]);
    await expect(subscription.done).resolves.toBeUndefined();
    expect(positions(seen)).toEqual([1]);
    expect(subscription.status().state).toBe('stopped');
    await expect(subscription.whenCaughtUp()).rejects.toThrow(/stopped before catching up/);
  });

  it('with an id, saves its position and resumes from it, delivering nothing twice', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, [1, 2]);
    const seen: StoredEvent[] = [];
    const first = subscribe(store, { id: 'audit', handler: (event) => void seen.push(event) });
    await first.whenCaughtUp();
    await first.stop();
    await appendIncrements(store, [3]);
    const second = subscribe(store, { id: 'audit', handler: (event) => void seen.push(event) });
    await second.whenCaughtUp();
    await second.stop();
    expect(positions(seen)).toEqual([1, 2, 3]);
    expect(await store.getCheckpoint('audit')).toBe(3);
  });

  it("starts at the end or at a given position when there is no checkpoint, and keeps an 'end' start across restarts", async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, [1, 2, 3]);
    const fromEnd: StoredEvent[] = [];
    const tail = subscribe(store, { id: 'tail', from: 'end', handler: (event) => void fromEnd.push(event) });
    await tail.whenCaughtUp();
    await tail.stop();
    await appendIncrements(store, [4]);
    const resumed = subscribe(store, { id: 'tail', from: 'end', handler: (event) => void fromEnd.push(event) });
    await resumed.whenCaughtUp();
    await resumed.stop();
    expect(positions(fromEnd)).toEqual([4]);

    const fromTwo: StoredEvent[] = [];
    const middle = subscribe(store, { from: 2, handler: (event) => void fromTwo.push(event) });
    await middle.whenCaughtUp();
    await middle.stop();
    expect(positions(fromTwo)).toEqual([2, 3, 4]);
  });

  it('awaits the handler and never reads more than one batch ahead of it', async () => {
    const memory = createMemoryEventStore();
    await appendIncrements(
      memory,
      Array.from({ length: 25 }, (_, index) => index + 1),
    );
    const { store, read } = countingReads(memory);
    let running = 0;
    let handled = 0;
    let worstAhead = 0;
    let overlapping = false;
    const subscription = subscribe(store, {
      batchSize: 4,
      handler: async () => {
        running += 1;
        if (running > 1) overlapping = true;
        worstAhead = Math.max(worstAhead, read() - handled);
        await new Promise((resolve) => setImmediate(resolve));
        handled += 1;
        running -= 1;
      },
    });
    await subscription.whenCaughtUp();
    await subscription.stop();
    expect(handled).toBe(25);
    expect(overlapping).toBe(false);
    expect(worstAhead).toBeLessThanOrEqual(4);
  });

  it('reports its lag while the handler is behind', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, [1, 2, 3]);
    const entered = deferred<void>();
    const release = deferred<void>();
    const subscription = subscribe(store, {
      batchSize: 1,
      handler: async (event) => {
        if (event.globalPosition === 2) {
          entered.resolve();
          await release.promise;
        }
      },
    });
    await entered.promise;
    expect(subscription.status()).toMatchObject({ state: 'catching-up', position: 1, head: 3, lag: 2 });
    release.resolve();
    await subscription.whenCaughtUp();
    expect(subscription.status()).toMatchObject({ position: 3, lag: 0 });
    await subscription.stop();
  });

  it('fails on a handler error, keeps the position before it, and redelivers that event on restart', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, [1, 2, 3]);
    const errors: unknown[] = [];
    const failing = subscribe(store, {
      id: 'fragile',
      handler: (event) => {
        if (event.globalPosition === 2) throw new Error('handler broke');
      },
      onError: (error) => errors.push(error),
    });
    await expect(failing.done).rejects.toThrow('handler broke');
    await expect(failing.whenCaughtUp()).rejects.toThrow('handler broke');
    expect(failing.status()).toMatchObject({ state: 'failed', position: 1 });
    expect(errors).toHaveLength(1);
    expect(await store.getCheckpoint('fragile')).toBe(1);

    const seen: StoredEvent[] = [];
    const restarted = subscribe(store, { id: 'fragile', handler: (event) => void seen.push(event) });
    await restarted.whenCaughtUp();
    await restarted.stop();
    expect(positions(seen)).toEqual([2, 3]);
  });

  it('aborts the signal of the handler in hand on stop, and does not count that event as handled', async () => {
    const store = createMemoryEventStore();
    await appendIncrements(store, [1, 2]);
    const entered = deferred<void>();
    const subscription = subscribe(store, {
      id: 'slow',
      handler: (event, { signal }) =>
        new Promise<void>((resolve, reject) => {
          if (event.globalPosition === 1) return resolve();
          entered.resolve();
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    });
    await entered.promise;
    await subscription.stop();
    expect(subscription.status().state).toBe('stopped');
    expect(await store.getCheckpoint('slow')).toBe(1);
  });

  it('rejects bad options with VALIDATION_FAILED', () => {
    const store = createMemoryEventStore();
    const handler = () => {};
    for (const options of [
      { handler, batchSize: 0 },
      { handler, from: -1 },
      { handler, types: [] },
      { handler, lease: { lease: createMemoryLease() } },
    ]) {
      let caught: unknown;
      try {
        subscribe(store, options);
      } catch (error) {
        caught = error;
      }
      expect(isOrdoError(caught, 'VALIDATION_FAILED')).toBe(true);
    }
  });
});

describe('leased subscriptions', () => {
  /** A lease as seen from a process that can be cut off from it. */
  function partitionable(lease: Lease): Lease & { cut(): void } {
    let cut = false;
    return {
      acquire: async (...args) => !cut && lease.acquire(...args),
      renew: async (...args) => !cut && lease.renew(...args),
      release: async (...args) => {
        if (!cut) await lease.release(...args);
      },
      cut: () => {
        cut = true;
      },
    };
  }

  it('lets only the lease holder handle events, and another takes over when the holder stops renewing', async () => {
    const store = createMemoryEventStore();
    const clock = createFixedClock();
    const lease = createMemoryLease({ clock });
    const aLease = partitionable(lease);
    const seenA: StoredEvent[] = [];
    const seenB: StoredEvent[] = [];
    const common = { id: 'shared', pollIntervalMs: 5, clock } as const;
    const a = subscribe(store, {
      ...common,
      lease: { lease: aLease, owner: 'a', ttlMs: 1000 },
      handler: (event) => void seenA.push(event),
    });
    await a.whenCaughtUp();
    const b = subscribe(store, {
      ...common,
      lease: { lease, owner: 'b', ttlMs: 1000 },
      handler: (event) => void seenB.push(event),
    });
    await appendIncrements(store, [1, 2]);
    await a.whenCaughtUp();
    await vi.waitFor(() => expect(b.status().state).toBe('standby'));
    expect(positions(seenA)).toEqual([1, 2]);

    aLease.cut();
    clock.advance(1001);
    await appendIncrements(store, [3]);
    await b.whenCaughtUp();
    expect(positions(seenB)).toEqual([3]);
    expect(lease.holder('shared')).toBe('b');
    await Promise.all([a.stop(), b.stop()]);
  });
});
