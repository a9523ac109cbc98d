import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFixedClock } from '../../src/kernel/clock.js';
import { createCommandHandler } from '../../src/kernel/command-handler.js';
import { ConcurrencyError, DomainRuleError, isOrdoError } from '../../src/kernel/errors.js';
import type { StoredEvent } from '../../src/kernel/event.js';
import { createEventRegistry, defineEvent } from '../../src/kernel/event-registry.js';
import type { EventStore } from '../../src/kernel/event-store.js';
import { createDeterministicIds } from '../../src/kernel/ids.js';
import { createMemoryEventStore } from '../../src/stores/memory/memory-event-store.js';
import { Counter, type CounterState } from '../support/counter-decider.js';

async function collect(iterable: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

function handlerFor(store: EventStore, extra: Partial<Parameters<typeof createCommandHandler>[0]> = {}) {
  return createCommandHandler({
    store,
    decider: Counter,
    clock: createFixedClock('2026-03-01T10:00:00.000Z'),
    ids: createDeterministicIds(7),
    retry: { maxAttempts: 10, baseDelayMs: 0, maxDelayMs: 0 },
    ...extra,
  } as Parameters<typeof createCommandHandler>[0]) as ReturnType<
    typeof createCommandHandler<
      Parameters<typeof Counter.decide>[0],
      Parameters<typeof Counter.evolve>[1],
      CounterState
    >
  >;
}

describe('command handler', () => {
  it('loads, decides, appends with the expected version and returns the new state', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store);
    const opened = await handler.handle('c-1', { type: 'Open', limit: 10 });
    expect(opened.nextExpectedVersion).toBe(1);
    const result = await handler.handle('c-1', { type: 'Increment', by: 3 });
    expect(result.state).toEqual({ open: true, limit: 10, value: 3 });
    expect(result.nextExpectedVersion).toBe(2);
    expect(result.events.map((event) => [event.type, event.streamVersion])).toEqual([['Incremented', 2]]);
    expect(result.attempts).toBe(1);
  });

  it('injects the clock and the id generator into decide', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store);
    const result = await handler.handle('c-1', { type: 'Open', limit: 10 });
    expect(result.events[0]?.data).toEqual({ limit: 10, at: '2026-03-01T10:00:00.000Z' });
  });

  it('refuses a command that breaks a rule and appends nothing', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store);
    await handler.handle('c-1', { type: 'Open', limit: 5 });
    const refusal = handler.handle('c-1', { type: 'Increment', by: 6 });
    await expect(refusal).rejects.toBeInstanceOf(DomainRuleError);
    await expect(refusal).rejects.toMatchObject({ code: 'DOMAIN_RULE_VIOLATED', rule: 'LIMIT_EXCEEDED' });
    expect(await store.streamVersion('c-1')).toBe(1);
  });

  it('appends nothing when decide returns no events', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store);
    await handler.handle('c-1', { type: 'Open', limit: 5 });
    const result = await handler.handle('c-1', { type: 'Touch' });
    expect(result.events).toEqual([]);
    expect(await store.headPosition()).toBe(1);
  });

  it('reloads and retries on a conflict, so concurrent handlers all land without breaking the rule', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store, { random: () => 0.5 });
    await handler.handle('c-1', { type: 'Open', limit: 100 });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => handler.handle('c-1', { type: 'Increment', by: 1 })),
    );
    expect(results.some((result) => result.attempts > 1)).toBe(true);
    const events = await collect(store.readStream('c-1'));
    expect(events.map((event) => event.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await handler.load('c-1')).state.value).toBe(8);
  });

  it('re-checks the rule on the reloaded state when it retries', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store);
    await handler.handle('c-1', { type: 'Open', limit: 3 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => handler.handle('c-1', { type: 'Increment', by: 1 })),
    );
    const accepted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter(
      (outcome) => outcome.status === 'rejected' && isOrdoError(outcome.reason, 'DOMAIN_RULE_VIOLATED'),
    );
    expect(accepted).toHaveLength(3);
    expect(refused).toHaveLength(3);
  });

  it('gives up with the ConcurrencyError after the configured number of attempts', async () => {
    const store = createMemoryEventStore();
    await store.appendToStream('c-1', [{ type: 'Opened', data: { limit: 9, at: 'x' } }], {
      expectedVersion: 'no_stream',
    });
    // A store whose appends always lose the race.
    const losing: EventStore = {
      ...store,
      appendToStream: async (streamId) => {
        throw new ConcurrencyError(streamId, 1, 2);
      },
    };
    const handler = handlerFor(losing, { retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 } });
    await expect(handler.handle('c-1', { type: 'Increment', by: 1 })).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('does not retry when the caller gave an explicit expected version', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store);
    await handler.handle('c-1', { type: 'Open', limit: 9 });
    await handler.handle('c-1', { type: 'Increment', by: 1 });
    const stale = handler.handle('c-1', { type: 'Increment', by: 1 }, { expectedVersion: 1 });
    await expect(stale).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT', expected: 1, actual: 2 });
    expect(await store.streamVersion('c-1')).toBe(2);
  });

  it('handles the same idempotency key once: the second call returns the first outcome and appends nothing', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store);
    await handler.handle('c-1', { type: 'Open', limit: 9 });
    const first = await handler.handle('c-1', { type: 'Increment', by: 2 }, { idempotencyKey: 'cmd-42' });
    const second = await handler.handle('c-1', { type: 'Increment', by: 2 }, { idempotencyKey: 'cmd-42' });
    expect(second.replayed).toBe(true);
    expect(second.events.map((event) => event.eventId)).toEqual(first.events.map((event) => event.eventId));
    expect(await store.streamVersion('c-1')).toBe(2);
  });

  it('handles concurrent duplicates of one idempotency key once', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store);
    await handler.handle('c-1', { type: 'Open', limit: 9 });
    const results = await Promise.all(
      Array.from({ length: 4 }, () => handler.handle('c-1', { type: 'Increment', by: 1 }, { idempotencyKey: 'same' })),
    );
    const ids = new Set(results.flatMap((result) => result.events.map((event) => event.eventId)));
    expect(ids.size).toBe(1);
    expect(await store.streamVersion('c-1')).toBe(2);
    expect((await handler.load('c-1')).state.value).toBe(1);
  });

  it('propagates correlation and causation ids and the actor to every appended event', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store);
    const result = await handler.handle(
      'c-1',
      { type: 'Open', limit: 9 },
      { metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'alice', tenant: 'acme' } },
    );
    expect(result.events[0]?.metadata).toMatchObject({
      correlationId: 'corr-1',
      causationId: 'cause-1',
      actor: 'alice',
      tenant: 'acme',
    });
    const own = await handler.handle('c-1', { type: 'Increment', by: 1 }, { idempotencyKey: 'k-1' });
    expect(own.events[0]?.metadata).toMatchObject({ correlationId: 'k-1', causationId: 'k-1', commandId: 'k-1' });
  });

  it('saves snapshots every n events and loads state from the snapshot plus newer events', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store, { snapshots: { every: 3, schemaVersion: 1 } });
    await handler.handle('c-1', { type: 'Open', limit: 100 });
    for (let i = 0; i < 4; i++) await handler.handle('c-1', { type: 'Increment', by: 1 });
    const snapshot = await store.loadSnapshot('c-1', 1);
    expect(snapshot?.streamVersion).toBe(3);
    expect(snapshot?.state).toEqual({ open: true, limit: 100, value: 2 });
    const loaded = await handler.load('c-1');
    expect(loaded.state.value).toBe(4);
    expect(loaded.events.map((event) => event.streamVersion)).toEqual([4, 5]);
  });

  it('validates decided events with its registry before appending', async () => {
    const registry = createEventRegistry([
      defineEvent({ type: 'Opened', schema: z.object({ limit: z.number().int().positive(), at: z.string() }) }),
      defineEvent({ type: 'Incremented', schema: z.object({ by: z.number(), id: z.string() }) }),
    ]);
    const store = createMemoryEventStore();
    const handler = handlerFor(store, { registry });
    await expect(handler.handle('c-1', { type: 'Open', limit: -1 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [expect.objectContaining({ path: ['events', 0, 'data', 'limit'] })],
    });
    expect(await store.headPosition()).toBe(0);
  });
});
