import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFixedClock } from '../../src/kernel/clock.js';
import { isOrdoError } from '../../src/kernel/errors.js';
import type { StoredEvent } from '../../src/kernel/event.js';
import { backoffDelay, createEventBus, type EventBusConfig } from '../../src/kernel/event-bus.js';
import { deadLetterEvents, deadLetterStreamId } from '../../src/kernel/event-bus-dead-letters.js';
import { createProcessedEvents } from '../../src/kernel/event-bus-processed.js';
import { createEventRegistry, defineEvent } from '../../src/kernel/event-registry.js';
import { deferred } from '../../src/kernel/subscription-support.js';
import { createMemoryEventStore, type MemoryEventStore } from '../../src/stores/memory/memory-event-store.js';

/** A sleep that records the pauses asked for and returns at once (or when the bus stops). */
function recordingSleep(): { sleep: NonNullable<EventBusConfig['sleep']>; pauses: number[] } {
  const pauses: number[] = [];
  return {
    pauses,
    sleep: async (ms) => {
      pauses.push(ms);
    },
  };
}

async function place(store: MemoryEventStore, orderId: string, type = 'OrderPlaced'): Promise<void> {
  await store.appendToStream(`order-${orderId}`, [{ type, data: { orderId } }], { expectedVersion: 'any' });
}

const orderIds = (events: readonly StoredEvent[]): string[] =>
  events.map((event) => (event.data as { orderId: string }).orderId);

describe('event bus', () => {
  it('delivers each event to the handlers of its type', async () => {
    const store = createMemoryEventStore();
    const placed: StoredEvent[] = [];
    const everything: StoredEvent[] = [];
    const bus = createEventBus({ store, name: 'reactions' })
      .on('on-placed', 'OrderPlaced', (event) => void placed.push(event))
      .on('on-any', ['OrderPlaced', 'OrderCancelled'], (event) => void everything.push(event));
    await bus.start();
    await place(store, '1');
    await place(store, '1', 'OrderCancelled');
    await place(store, '2', 'OrderShipped');
    await bus.whenCaughtUp();
    await bus.stop();
    expect(orderIds(placed)).toEqual(['1']);
    expect(everything.map((event) => event.type)).toEqual(['OrderPlaced', 'OrderCancelled']);
  });

  it('delivers at least once from its checkpoint: events appended while stopped arrive on the next start', async () => {
    const store = createMemoryEventStore();
    const seen: StoredEvent[] = [];
    const make = () => createEventBus({ store, name: 'reactions' }).on('h', 'OrderPlaced', (e) => void seen.push(e));
    const first = make();
    await first.start();
    await place(store, '1');
    await first.whenCaughtUp();
    await first.stop();
    await place(store, '2');
    const second = make();
    await second.start();
    await second.whenCaughtUp();
    await second.stop();
    expect(orderIds(seen)).toEqual(['1', '2']);
  });

  it("reacts by default only to events appended after start, and to history with from: 'start'", async () => {
    const store = createMemoryEventStore();
    await place(store, 'old');
    const fresh: StoredEvent[] = [];
    const all: StoredEvent[] = [];
    const bus = createEventBus({ store, name: 'reactions' })
      .on('fresh', 'OrderPlaced', (event) => void fresh.push(event))
      .on('all', 'OrderPlaced', (event) => void all.push(event), { from: 'start' });
    await bus.start();
    await place(store, 'new');
    await bus.whenCaughtUp();
    await bus.stop();
    expect(orderIds(fresh)).toEqual(['new']);
    expect(orderIds(all)).toEqual(['old', 'new']);
  });

  it('retries a failing handler with exponential backoff until it succeeds', async () => {
    const store = createMemoryEventStore();
    const { sleep, pauses } = recordingSleep();
    const attempts: number[] = [];
    const bus = createEventBus({
      store,
      name: 'reactions',
      sleep,
      retry: { maxAttempts: 5, initialDelayMs: 100, factor: 2, maxDelayMs: 300 },
    }).on('flaky', 'OrderPlaced', (_event, { attempt }) => {
      attempts.push(attempt);
      if (attempt < 4) throw new Error(`attempt ${attempt} failed`);
    });
    await bus.start();
    await place(store, '1');
    await bus.whenCaughtUp();
    await bus.stop();
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(pauses).toEqual([100, 200, 300]);
    expect(await bus.deadLetters()).toEqual([]);
  });

  it('computes backoff as initial × factor^(n-1), capped', () => {
    const policy = { initialDelayMs: 50, factor: 3, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, policy))).toEqual([50, 150, 450, 1000, 1000]);
  });

  it('dead-letters an event after maxAttempts failures, durably, and moves on to the next one', async () => {
    const store = createMemoryEventStore();
    const { sleep } = recordingSleep();
    const handled: string[] = [];
    const errors: string[] = [];
    const clock = createFixedClock('2026-05-01T12:00:00.000Z');
    const bus = createEventBus({
      store,
      name: 'reactions',
      sleep,
      clock,
      retry: { maxAttempts: 3 },
      onError: (error, handler) => errors.push(`${handler}: ${(error as Error).message}`),
    }).on('picky', 'OrderPlaced', (event) => {
      const { orderId } = event.data as { orderId: string };
      if (orderId === 'bad') throw new TypeError(`cannot handle ${orderId}`);
      handled.push(orderId);
    });
    await bus.start();
    await place(store, 'bad');
    await place(store, 'good');
    await bus.whenCaughtUp();
    await bus.stop();

    expect(handled).toEqual(['good']);
    expect(errors).toEqual(Array(3).fill('picky: cannot handle bad'));
    const letters = await bus.deadLetters();
    expect(letters).toEqual([
      {
        id: expect.any(String),
        bus: 'reactions',
        handler: 'picky',
        event: {
          eventId: expect.any(String),
          type: 'OrderPlaced',
          streamId: 'order-bad',
          streamVersion: 1,
          globalPosition: 1,
        },
        attempts: 3,
        error: { name: 'TypeError', message: 'cannot handle bad' },
        failedAt: '2026-05-01T12:00:00.000Z',
      },
    ]);
    expect(bus.status()[0]).toMatchObject({ handler: 'picky', deadLettered: 1 });
    // Stored as events, so another bus instance (another process) sees them too.
    const elsewhere = createEventBus({ store, name: 'reactions' });
    expect(await elsewhere.deadLetters()).toEqual(letters);
    expect(await store.streamVersion(deadLetterStreamId('reactions'))).toBe(1);
  });

  it('replays dead letters once the handler is fixed, and closes them', async () => {
    const store = createMemoryEventStore();
    let broken = true;
    const handled: string[] = [];
    const bus = createEventBus({ store, name: 'reactions', sleep: recordingSleep().sleep, retry: { maxAttempts: 2 } })
      .on('picky', 'OrderPlaced', (event, { attempt }) => {
        if (broken) throw new Error('still broken');
        handled.push(`${(event.data as { orderId: string }).orderId}@${attempt}`);
      })
      .on('calm', 'OrderPlaced', () => {});
    await bus.start();
    await place(store, '1');
    await place(store, '2');
    await bus.whenCaughtUp();
    await bus.stop();
    expect(await bus.deadLetters({ handler: 'picky' })).toHaveLength(2);
    expect(await bus.deadLetters({ handler: 'calm' })).toHaveLength(0);

    const [first] = await bus.deadLetters();
    const failedReplay = await bus.replayDeadLetter(first?.id ?? '');
    expect(failedReplay).toMatchObject({ outcome: 'failed', error: { message: 'still broken' } });
    expect(await bus.deadLetters()).toHaveLength(2);

    broken = false;
    const replays = await bus.replayDeadLetters({ handler: 'picky' });
    expect(replays.map((replay) => replay.outcome)).toEqual(['resolved', 'resolved']);
    expect(handled).toEqual(['1@3', '2@3']);
    expect(await bus.deadLetters()).toEqual([]);
  });

  it('discards a dead letter without running it, and refuses to replay it afterwards', async () => {
    const store = createMemoryEventStore();
    const bus = createEventBus({
      store,
      name: 'reactions',
      sleep: recordingSleep().sleep,
      retry: { maxAttempts: 1 },
    }).on('doomed', 'OrderPlaced', () => {
      throw new Error('no');
    });
    await bus.start();
    await place(store, '1');
    await bus.whenCaughtUp();
    await bus.stop();
    const [letter] = await bus.deadLetters();
    await bus.discardDeadLetter(letter?.id ?? '', 'customer deleted');
    expect(await bus.deadLetters()).toEqual([]);
    await expect(bus.replayDeadLetter(letter?.id ?? '')).rejects.toSatisfy((error) =>
      isOrdoError(error, 'VALIDATION_FAILED'),
    );
  });

  it('a handler stuck in retries neither blocks the other handlers nor loses its event', async () => {
    const store = createMemoryEventStore();
    const retrying = deferred<void>();
    const stuckSleep: EventBusConfig['sleep'] = (_ms, signal) =>
      new Promise<void>((resolve) => {
        retrying.resolve();
        signal.addEventListener('abort', () => resolve());
      });
    const others: string[] = [];
    const first = createEventBus({ store, name: 'reactions', sleep: stuckSleep })
      .on('stuck', 'OrderPlaced', () => {
        throw new Error('downstream is down');
      })
      .on('others', 'OrderPlaced', (event) => void others.push((event.data as { orderId: string }).orderId));
    await first.start();
    await place(store, '1');
    await place(store, '2');
    await retrying.promise;
    await waitForHandled(first, 'others', 2);
    expect(others).toEqual(['1', '2']);
    await first.stop();
    expect(await first.deadLetters()).toEqual([]);

    const recovered: string[] = [];
    const second = createEventBus({ store, name: 'reactions' })
      .on('stuck', 'OrderPlaced', (event) => void recovered.push((event.data as { orderId: string }).orderId))
      .on('others', 'OrderPlaced', () => {});
    await second.start();
    await second.whenCaughtUp();
    await second.stop();
    expect(recovered).toEqual(['1', '2']);
  });

  it('refuses handlers registered twice, after start, or without types', async () => {
    const store = createMemoryEventStore();
    const bus = createEventBus({ store, name: 'reactions' }).on('h', 'A', () => {});
    expect(() => bus.on('h', 'A', () => {})).toThrow(/already registered/);
    expect(() => bus.on('g', [], () => {})).toThrow(/event types/);
    await bus.start();
    expect(() => bus.on('late', 'A', () => {})).toThrow(/before start/);
    await bus.stop();
  });

  it('works over a store with a strict registry once the dead-letter events are registered', async () => {
    const OrderPlaced = defineEvent({ type: 'OrderPlaced', schema: z.object({ orderId: z.string() }) });
    const store = createMemoryEventStore({ registry: createEventRegistry([OrderPlaced, ...deadLetterEvents]) });
    const bus = createEventBus({ store, name: 'strict', sleep: recordingSleep().sleep, retry: { maxAttempts: 1 } }).on(
      'doomed',
      'OrderPlaced',
      () => {
        throw new Error('no');
      },
    );
    await bus.start();
    await place(store, '1');
    await bus.whenCaughtUp();
    await bus.stop();
    expect(await bus.deadLetters()).toHaveLength(1);
  });
});

describe('processed events', () => {
  it('makes a handler idempotent: a redelivered event is skipped', async () => {
    const store = createMemoryEventStore();
    await place(store, '1');
    const [event] = await collect(store.readAll());
    const sent: string[] = [];
    const processed = createProcessedEvents(store, 'mailer');
    const handler = processed.once(async (delivered: StoredEvent) => {
      sent.push(delivered.eventId);
    });
    await handler(event as StoredEvent);
    await handler(event as StoredEvent);
    expect(sent).toHaveLength(1);
    // Durable: a new helper over the same store (a restarted process) remembers.
    expect(await createProcessedEvents(store, 'mailer').has(event as StoredEvent)).toBe(true);
    expect(await createProcessedEvents(store, 'other').has(event as StoredEvent)).toBe(false);
  });

  it('does not mark an event whose handler failed, so it is retried', async () => {
    const store = createMemoryEventStore();
    await place(store, '1');
    const [event] = await collect(store.readAll());
    let calls = 0;
    const handler = createProcessedEvents(store, 'mailer').once(async () => {
      calls += 1;
      if (calls === 1) throw new Error('smtp down');
    });
    await expect(handler(event as StoredEvent)).rejects.toThrow('smtp down');
    await handler(event as StoredEvent);
    await handler(event as StoredEvent);
    expect(calls).toBe(2);
  });

  it('marks inside a transaction, so the mark rolls back with the work', async () => {
    const store = createMemoryEventStore();
    await place(store, '1');
    const [event] = await collect(store.readAll());
    const processed = createProcessedEvents(store, 'ledger');
    await expect(
      store.withTransaction(async (tx) => {
        await processed.mark(event as StoredEvent, tx);
        expect(await processed.has(event as StoredEvent, tx)).toBe(true);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await processed.has(event as StoredEvent)).toBe(false);
  });

  it('dedupes by a business key when given one', async () => {
    const store = createMemoryEventStore();
    await place(store, '1');
    await place(store, '1', 'OrderPlacedAgain');
    const events = await collect(store.readAll());
    const processed = createProcessedEvents(store, 'once-per-order', {
      key: (event) => (event.data as { orderId: string }).orderId,
    });
    let calls = 0;
    const handler = processed.once(async () => {
      calls += 1;
    });
    for (const event of events) await handler(event);
    expect(calls).toBe(1);
  });
});

async function collect(iterable: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

/** Waits (without a timeout of its own) until a bus handler has handled `count` events. */
async function waitForHandled(bus: ReturnType<typeof createEventBus>, handler: string, count: number): Promise<void> {
  for (;;) {
    const status = bus.status().find((entry) => entry.handler === handler);
    if ((status?.handled ?? 0) >= count) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
