import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createFixedClock } from '../../src/kernel/clock.js';
import { type CommandHandlerConfig, createCommandHandler } from '../../src/kernel/command-handler.js';
import type { Decider } from '../../src/kernel/decider.js';
import { ConcurrencyError, DomainRuleError, isOrdoError } from '../../src/kernel/errors.js';
import type { StoredEvent } from '../../src/kernel/event.js';
import { createEventRegistry, defineEvent } from '../../src/kernel/event-registry.js';
import type { EventStore, ReadStreamOptions } from '../../src/kernel/event-store.js';
import { createDeterministicIds } from '../../src/kernel/ids.js';
import { createMemoryEventStore } from '../../src/stores/memory/memory-event-store.js';
import { createSqliteEventStore } from '../../src/stores/sqlite/index.js';
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

  it('replays a handled idempotency key with the first outcome: its events, and the state and version right after them', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store);
    await handler.handle('c-1', { type: 'Open', limit: 99 });
    const first = await handler.handle('c-1', { type: 'Increment', by: 1 }, { idempotencyKey: 'k-1' });
    await handler.handle('c-1', { type: 'Increment', by: 10 });
    const again = await handler.handle('c-1', { type: 'Increment', by: 1 }, { idempotencyKey: 'k-1' });
    expect(first).toMatchObject({ nextExpectedVersion: 2, state: { value: 1 }, replayed: false });
    expect(again).toMatchObject({ nextExpectedVersion: 2, state: first.state, replayed: true, attempts: 1 });
    expect(again.events).toEqual(first.events);
    expect((await handler.load('c-1')).version).toBe(3);
  });

  it('reads the stream once for a keyed command it has not handled before (no second scan for the key)', async () => {
    const store = createMemoryEventStore();
    const reads: (ReadStreamOptions | undefined)[] = [];
    const counting: EventStore = {
      ...store,
      readStream: (streamId, options) => {
        reads.push(options);
        return store.readStream(streamId, options);
      },
    };
    const handler = handlerFor(counting);
    await handler.handle('c-1', { type: 'Open', limit: 99 });
    for (let i = 0; i < 3; i++) await handler.handle('c-1', { type: 'Increment', by: 1 });
    reads.length = 0;
    await handler.handle('c-1', { type: 'Increment', by: 1 }, { idempotencyKey: 'new-key' });
    // The load, then the read-back of the appended event.
    expect(reads).toEqual([{ fromVersion: 1 }, { fromVersion: 5, maxCount: 1 }]);
  });

  it('finds a key whose events a snapshot hides, and one whose batch a snapshot splits, with the state as of its last event', async () => {
    const store = createMemoryEventStore();
    const handler = createCommandHandler({
      store,
      decider: Tally,
      snapshots: { every: 2, schemaVersion: 1 },
      retry: { baseDelayMs: 0, maxDelayMs: 0 },
    });
    await handler.handle('t-1', { add: 1 });
    const hidden = await handler.handle('t-1', { add: 2 }, { idempotencyKey: 'hidden' }); // v2-3, snapshot at 3
    await handler.handle('t-1', { add: 1 }); // v4, snapshot at 4
    expect((await store.loadSnapshot('t-1', 1))?.streamVersion).toBe(4);
    const replay = await handler.handle('t-1', { add: 2 }, { idempotencyKey: 'hidden' });
    expect(replay).toMatchObject({ replayed: true, nextExpectedVersion: 3, state: { total: 3, events: 3 } });
    expect(replay.events).toEqual(hidden.events);

    const split = await handler.handle('t-1', { add: 3 }, { idempotencyKey: 'split' }); // v5-7
    // A snapshot inside the batch (saved by another handler with another interval): v5 before it, v6-7 after.
    await store.saveSnapshot('t-1', { streamVersion: 5, schemaVersion: 1, state: { total: 5, events: 5 } });
    await handler.handle('t-1', { add: 1 }); // v8
    const splitReplay = await handler.handle('t-1', { add: 3 }, { idempotencyKey: 'split' });
    expect(splitReplay).toMatchObject({ replayed: true, nextExpectedVersion: 7, state: { total: 7, events: 7 } });
    expect(splitReplay.events.map((event) => event.streamVersion)).toEqual([5, 6, 7]);
    expect(splitReplay.events).toEqual(split.events);
  });

  it('leaves no record of a keyed command that decided no events, so the same key may append later (a known limitation)', async () => {
    const store = createMemoryEventStore();
    const handler = handlerFor(store);
    await handler.handle('c-1', { type: 'Open', limit: 9 });
    const nothing = await handler.handle('c-1', { type: 'Touch' }, { idempotencyKey: 'k-touch' });
    expect(nothing).toMatchObject({ events: [], replayed: false, nextExpectedVersion: 1 });
    const later = await handler.handle('c-1', { type: 'Increment', by: 1 }, { idempotencyKey: 'k-touch' });
    expect(later).toMatchObject({ replayed: false, nextExpectedVersion: 2 });
  });

  it('derives the same name-based (UUID v5) event ids for a key in every handler, so a retry from another process is a no-op', async () => {
    const store = createMemoryEventStore();
    const one = handlerFor(store, { ids: createDeterministicIds(1) });
    const other = handlerFor(store, { ids: createDeterministicIds(2) });
    await one.handle('c-1', { type: 'Open', limit: 9 });
    const first = await one.handle('c-1', { type: 'Increment', by: 1 }, { idempotencyKey: 'k-1' });
    const retried = await other.handle('c-1', { type: 'Increment', by: 1 }, { idempotencyKey: 'k-1' });
    expect(first.events[0]?.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(retried.events.map((event) => event.eventId)).toEqual(first.events.map((event) => event.eventId));
    expect(retried.replayed).toBe(true);
    expect(await store.streamVersion('c-1')).toBe(2);
  });
});

/** A decider whose command appends `add` events at once, for batches that snapshots can split. */
type TallyEvent = { readonly type: 'Counted'; readonly data: { readonly n: number } };
interface TallyState {
  readonly total: number;
  readonly events: number;
}
const Tally: Decider<{ readonly add: number }, TallyEvent, TallyState> = {
  initialState: { total: 0, events: 0 },
  decide: (command) => Array.from({ length: command.add }, (_, n) => ({ type: 'Counted', data: { n } })),
  evolve: (state) => ({ total: state.total + 1, events: state.events + 1 }),
};

describe('command handler options', () => {
  const base = (): CommandHandlerConfig<unknown, TallyEvent, TallyState> => ({
    store: createMemoryEventStore(),
    decider: Tally as unknown as Decider<unknown, TallyEvent, TallyState>,
  });

  it.each([
    ['maxAttempts NaN (which used to retry forever)', { retry: { maxAttempts: Number.NaN } }, ['retry', 'maxAttempts']],
    ['maxAttempts 0', { retry: { maxAttempts: 0 } }, ['retry', 'maxAttempts']],
    ['maxAttempts 2.5', { retry: { maxAttempts: 2.5 } }, ['retry', 'maxAttempts']],
    ['maxAttempts Infinity', { retry: { maxAttempts: Number.POSITIVE_INFINITY } }, ['retry', 'maxAttempts']],
    ['a negative baseDelayMs', { retry: { baseDelayMs: -1 } }, ['retry', 'baseDelayMs']],
    ['maxDelayMs NaN', { retry: { maxDelayMs: Number.NaN } }, ['retry', 'maxDelayMs']],
    ['maxDelayMs Infinity', { retry: { maxDelayMs: Number.POSITIVE_INFINITY } }, ['retry', 'maxDelayMs']],
    ['a misspelt retry key', { retry: { maxAttempt: 3 } }, ['retry', 'maxAttempt']],
    ['snapshots every 0', { snapshots: { every: 0, schemaVersion: 1 } }, ['snapshots', 'every']],
    [
      'a negative snapshot schemaVersion',
      { snapshots: { every: 5, schemaVersion: -1 } },
      ['snapshots', 'schemaVersion'],
    ],
    ['random that is not a function', { random: 0.5 }, ['random']],
    ['no store', { store: undefined }, ['store']],
    ['a decider without evolve', { decider: { initialState: 0, decide: () => [] } }, ['decider', 'evolve']],
  ])('refuses %s with VALIDATION_FAILED at its path', (_, bad, path) => {
    const config = { ...base(), ...bad } as CommandHandlerConfig<unknown, TallyEvent, TallyState>;
    let thrown: unknown;
    try {
      createCommandHandler(config);
    } catch (error) {
      thrown = error;
    }
    expect(isOrdoError(thrown, 'VALIDATION_FAILED')).toBe(true);
    expect((thrown as { issues: { path: unknown[] }[] }).issues.map((issue) => issue.path)).toContainEqual(path);
  });

  it('accepts a full, valid config (maxAttempts 1 never retries; zero delays)', () => {
    expect(() =>
      createCommandHandler({
        ...base(),
        retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
        snapshots: { every: 1, schemaVersion: 0 },
        random: () => 0,
      }),
    ).not.toThrow();
  });

  describe('backoff', () => {
    afterEach(() => {
      vi.useRealTimers();
      vi.restoreAllMocks();
    });

    it('waits a jittered delay below base × 2^(retry − 1), capped at maxDelayMs, between attempts', async () => {
      vi.useFakeTimers();
      const store = createMemoryEventStore();
      let appends = 0;
      const losing: EventStore = {
        ...store,
        appendToStream: async (streamId) => {
          appends += 1;
          throw new ConcurrencyError(streamId, 0, 1);
        },
      };
      const draws = [0.5, 0.5, 0.99, 0.25];
      const handler = createCommandHandler({
        store: losing,
        decider: Tally,
        retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 50 },
        random: () => draws.shift() ?? 0,
      });
      const timers = vi.spyOn(globalThis, 'setTimeout');
      const outcome = handler.handle('t-1', { add: 1 }).catch((error: unknown) => error);
      await vi.runAllTimersAsync();
      expect(await outcome).toBeInstanceOf(ConcurrencyError);
      expect(appends).toBe(5);
      // Ceilings 10, 20, 40 and min(80, 50) = 50 ms, times the draws; no wait after the last attempt.
      expect(timers.mock.calls.map((call) => call[1])).toEqual([5, 10, 39, 12]);
    });
  });
});

describe('command handler with a registry the store does not have', () => {
  /** Version 1 had only the text; version 2 says where the note came from. */
  const NoteAdded = defineEvent({
    type: 'NoteAdded',
    schemaVersion: 2,
    schema: z.object({ text: z.string(), source: z.string() }),
    upcasters: { 1: (data) => ({ text: (data as { text: string }).text, source: 'upcast-from-v1' }) },
  });
  type NoteEvent = { readonly type: 'NoteAdded'; readonly data: { readonly text: string; readonly source: string } };
  const Notes: Decider<{ readonly text: string }, NoteEvent, readonly string[]> = {
    initialState: [],
    decide: (command) => [{ type: 'NoteAdded', data: { text: command.text, source: 'fresh' } }],
    evolve: (state, event) => [...state, `${event.data.text} (${event.data.source})`],
  };
  const stores: [string, () => EventStore][] = [
    ['memory', () => createMemoryEventStore()],
    ['sqlite', () => createSqliteEventStore({ database: new Database(':memory:'), closeDatabaseOnClose: true })],
  ];

  it.each(stores)(
    "records the registry's schema version on %s, so new events read back as written and only real v1 events are upcast",
    async (_, open) => {
      const store = open();
      // Written before version 2 existed, by a writer without a registry.
      await store.appendToStream('notes-1', [{ type: 'NoteAdded', data: { text: 'old' } }], {
        expectedVersion: 'no_stream',
      });
      const handler = createCommandHandler({ store, decider: Notes, registry: createEventRegistry([NoteAdded]) });
      const result = await handler.handle('notes-1', { text: 'new' });
      const expected = ['old (upcast-from-v1)', 'new (fresh)'];
      expect(result.events.map((event) => [event.schemaVersion, event.data])).toEqual([
        [2, { text: 'new', source: 'fresh' }],
      ]);
      expect(result.state).toEqual(expected);
      const raw = await collect(store.readStream('notes-1'));
      expect(raw.map((event) => [event.schemaVersion, event.data])).toEqual([
        [1, { text: 'old' }],
        [2, { text: 'new', source: 'fresh' }],
      ]);
      expect((await handler.load('notes-1')).state).toEqual(expected);
      await store.close();
    },
  );

  it('is refused by a store whose own registry does not have the version the handler writes', async () => {
    const OldNoteAdded = defineEvent({ type: 'NoteAdded', schema: z.object({ text: z.string() }) });
    const store = createMemoryEventStore({ registry: createEventRegistry([OldNoteAdded]) });
    const handler = createCommandHandler({ store, decider: Notes, registry: createEventRegistry([NoteAdded]) });
    await expect(handler.handle('notes-1', { text: 'new' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [expect.objectContaining({ path: ['events', 0, 'schemaVersion'] })],
    });
    expect(await store.headPosition()).toBe(0);
  });
});
