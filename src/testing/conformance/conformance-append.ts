/**
 * Conformance tests of writing: expected versions, batch atomicity and the idempotent re-append rule.
 */

import type { NewEvent } from '../../kernel/event.js';
import type { ExpectedVersion } from '../../kernel/expected-version.js';
import type { ConformanceHarness } from './conformance-harness.js';
import {
  collect,
  expectOrdoError,
  expectUnchanged,
  issuePaths,
  makeEvents,
  observe,
  seed,
} from './conformance-helpers.js';
import { vitestApi } from './vitest-api.js';

const ID_1 = '0190a6e0-0000-7000-8000-000000000001';
const ID_2 = '0190a6e0-0000-7000-8000-000000000002';
const ID_3 = '0190a6e0-0000-7000-8000-000000000003';
const ID_4 = '0190a6e0-0000-7000-8000-000000000004';

function withIds(ids: readonly string[], tag = 'fixed'): NewEvent[] {
  return ids.map((eventId, index) => ({ type: 'Tested', data: { tag, index }, eventId }));
}

/** Registers the expected-version tests. */
export function expectedVersionTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  describe('expected version', () => {
    it("appends to a new stream with expectedVersion 0, 'no_stream' or 'any'", async () => {
      const store = await h.open();
      const modes: ExpectedVersion[] = [0, 'no_stream', 'any'];
      for (const [index, expectedVersion] of modes.entries()) {
        const streamId = `new-${index}`;
        const result = await store.appendToStream(streamId, makeEvents(2), { expectedVersion });
        expect(result.nextExpectedVersion, `mode ${String(expectedVersion)}`).toBe(2);
        const events = await collect(store.readStream(streamId));
        expect(events.map((event) => event.streamVersion)).toEqual([1, 2]);
        expect(result.lastPosition).toBe(events[1]?.globalPosition);
      }
    });

    it("refuses 'stream_exists' or a positive number on a new stream with CONCURRENCY_CONFLICT (actual 0) and writes nothing", async () => {
      const store = await h.open();
      await seed(store, 'other', makeEvents(1));
      for (const expectedVersion of ['stream_exists', 1, 3] as const) {
        const before = await observe(store, ['fresh', 'other']);
        await expectOrdoError(
          store.appendToStream('fresh', makeEvents(2), { expectedVersion }),
          'CONCURRENCY_CONFLICT',
          { streamId: 'fresh', expected: expectedVersion, actual: 0 },
        );
        await expectUnchanged(store, before, `a conflicting append with ${String(expectedVersion)}`);
      }
      expect(await store.streamVersion('fresh')).toBe(0);
    });

    it("appends to an existing stream with its exact version, 'stream_exists' or 'any'", async () => {
      const store = await h.open();
      await seed(store, 'orders', makeEvents(2));
      const exact = await store.appendToStream('orders', makeEvents(1), { expectedVersion: 2 });
      expect(exact.nextExpectedVersion).toBe(3);
      const exists = await store.appendToStream('orders', makeEvents(2), { expectedVersion: 'stream_exists' });
      expect(exists.nextExpectedVersion).toBe(5);
      const any = await store.appendToStream('orders', makeEvents(1), { expectedVersion: 'any' });
      expect(any.nextExpectedVersion).toBe(6);
      const events = await collect(store.readStream('orders'));
      expect(events.map((event) => event.streamVersion)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(any.lastPosition).toBe(events[5]?.globalPosition);
    });

    it("refuses a stale or future number, 0 and 'no_stream' on an existing stream with CONCURRENCY_CONFLICT and writes nothing", async () => {
      const store = await h.open();
      await seed(store, 'orders', makeEvents(2));
      await seed(store, 'other', makeEvents(1));
      for (const expectedVersion of [0, 1, 3, 7, 'no_stream'] as const) {
        const before = await observe(store, ['orders', 'other']);
        const error = await expectOrdoError(
          store.appendToStream('orders', makeEvents(3), { expectedVersion }),
          'CONCURRENCY_CONFLICT',
          { streamId: 'orders', expected: expectedVersion, actual: 2 },
        );
        expect(error.name).toBe('ConcurrencyError');
        await expectUnchanged(store, before, `a conflicting append with ${String(expectedVersion)}`);
      }
    });

    it('refuses a malformed expected version (negative, fractional, unknown word) with VALIDATION_FAILED', async () => {
      const store = await h.open();
      for (const bad of [-1, 1.5, Number.NaN, 'latest', null]) {
        await expectOrdoError(
          () => store.appendToStream('orders', makeEvents(1), { expectedVersion: bad as unknown as ExpectedVersion }),
          'VALIDATION_FAILED',
        );
      }
      expect(await store.headPosition()).toBe(0);
    });

    it('refuses an empty batch with VALIDATION_FAILED', async () => {
      const store = await h.open();
      await expectOrdoError(() => store.appendToStream('orders', [], { expectedVersion: 'any' }), 'VALIDATION_FAILED');
      expect(await store.streamVersion('orders')).toBe(0);
    });
  });
}

/** A value that is not JSON a store can keep exactly, and why. */
const NOT_JSON: readonly (readonly [string, unknown])[] = [
  ['a function', { ok: 1, fn: () => 1 }],
  ['a Date', { at: new Date('2026-01-01T00:00:00Z') }],
  ['NaN', { amount: Number.NaN }],
  ['Infinity', { amount: Number.POSITIVE_INFINITY }],
  ['a bigint', { amount: 10n }],
  ['a symbol', { tag: Symbol('x') }],
  ['a Map', { lines: new Map([['a', 1]]) }],
  ['a class instance', { value: new (class Point {})() }],
  ['undefined data', undefined],
  ['a string with NUL', { note: 'a\u0000b' }],
  ['undefined in an array', { list: [1, undefined] }],
];

/** Registers the batch-atomicity tests. */
export function atomicityTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  describe('atomic batches', () => {
    it('a batch with one non-JSON event is refused with VALIDATION_FAILED at that event and writes nothing', async () => {
      const store = await h.open();
      await seed(store, 'orders', makeEvents(1));
      for (const [what, data] of NOT_JSON) {
        const before = await observe(store, ['orders']);
        const events: NewEvent[] = [...makeEvents(1), { type: 'Bad', data }, ...makeEvents(1)];
        const error = await expectOrdoError(
          () => store.appendToStream('orders', events, { expectedVersion: 1 }),
          'VALIDATION_FAILED',
        );
        const paths = issuePaths(error);
        expect(
          paths.some((path) => path[0] === 'events' && path[1] === 1 && path[2] === 'data'),
          `issue path for ${what}: ${JSON.stringify(paths)}`,
        ).toBe(true);
        await expectUnchanged(store, before, `a batch with ${what}`);
      }
    });

    it('a batch with an event lacking a type, or with an event id that is not a UUID, is refused with VALIDATION_FAILED', async () => {
      const store = await h.open();
      const bad: NewEvent[] = [
        { type: '', data: {} },
        { type: 'Tested', data: {}, eventId: 'not-a-uuid' },
        { data: {} } as unknown as NewEvent,
      ];
      for (const event of bad) {
        await expectOrdoError(
          () => store.appendToStream('orders', [...makeEvents(1), event], { expectedVersion: 'any' }),
          'VALIDATION_FAILED',
        );
      }
      expect(await store.headPosition()).toBe(0);
    });

    it('appendMany with one mismatching stream throws CONCURRENCY_CONFLICT for it and writes nothing to any stream', async () => {
      const store = await h.open();
      await seed(store, 'a', makeEvents(1));
      await seed(store, 'b', makeEvents(1));
      const before = await observe(store, ['a', 'b', 'c']);
      await expectOrdoError(
        store.appendMany([
          { streamId: 'a', events: makeEvents(2), expectedVersion: 1 },
          { streamId: 'b', events: makeEvents(1), expectedVersion: 0 },
          { streamId: 'c', events: makeEvents(1), expectedVersion: 'no_stream' },
        ]),
        'CONCURRENCY_CONFLICT',
        { streamId: 'b', expected: 0, actual: 1 },
      );
      await expectUnchanged(store, before, 'appendMany with one stale stream');
    });

    it('appendMany with one invalid event is refused with VALIDATION_FAILED naming the entry and writes nothing', async () => {
      const store = await h.open();
      await seed(store, 'a', makeEvents(1));
      const before = await observe(store, ['a', 'b']);
      const error = await expectOrdoError(
        () =>
          store.appendMany([
            { streamId: 'a', events: makeEvents(1), expectedVersion: 1 },
            { streamId: 'b', events: [{ type: 'Bad', data: { fn: () => 1 } }], expectedVersion: 'no_stream' },
          ]),
        'VALIDATION_FAILED',
      );
      const paths = issuePaths(error);
      expect(paths).toContainEqual(['appends', 1, 'events', 0, 'data', 'fn']);
      await expectUnchanged(store, before, 'appendMany with one invalid event');
    });

    it('appendMany writes every entry and returns one result per entry, in the order given', async () => {
      const store = await h.open();
      await seed(store, 'a', makeEvents(1));
      const result = await store.appendMany([
        { streamId: 'b', events: makeEvents(2, 'Tested', 'b'), expectedVersion: 'no_stream' },
        { streamId: 'a', events: makeEvents(1, 'Tested', 'a'), expectedVersion: 1 },
        { streamId: 'c', events: makeEvents(3, 'Tested', 'c'), expectedVersion: 'any' },
      ]);
      expect(result.results.map((entry) => entry.nextExpectedVersion)).toEqual([2, 2, 3]);
      const all = await collect(store.readAll());
      const written = all.slice(1);
      // Entries are written in the order given, so their positions follow that order.
      expect(written.map((event) => [event.streamId, event.streamVersion])).toEqual([
        ['b', 1],
        ['b', 2],
        ['a', 2],
        ['c', 1],
        ['c', 2],
        ['c', 3],
      ]);
      expect(result.results.map((entry) => entry.lastPosition)).toEqual([
        written[1]?.globalPosition,
        written[2]?.globalPosition,
        written[5]?.globalPosition,
      ]);
      expect(result.lastPosition).toBe(written[5]?.globalPosition);
      expect(await store.headPosition()).toBe(result.lastPosition);
    });

    it('appendMany applies its entries in order, so one stream may take two entries', async () => {
      const store = await h.open();
      const result = await store.appendMany([
        { streamId: 'a', events: makeEvents(1, 'Tested', 'first'), expectedVersion: 'no_stream' },
        { streamId: 'a', events: makeEvents(2, 'Tested', 'second'), expectedVersion: 1 },
      ]);
      expect(result.results.map((entry) => entry.nextExpectedVersion)).toEqual([1, 3]);
      const events = await collect(store.readStream('a'));
      expect(events.map((event) => [event.streamVersion, (event.data as { tag: string }).tag])).toEqual([
        [1, 'first'],
        [2, 'second'],
        [3, 'second'],
      ]);
    });
  });
}

/** Registers the idempotent re-append tests. */
export function idempotencyTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  describe('idempotent re-append', () => {
    it('re-appending the same event ids at the same place returns the original result and writes nothing', async () => {
      const store = await h.open();
      const original = await store.appendToStream('orders', withIds([ID_1, ID_2]), { expectedVersion: 0 });
      await store.appendToStream('orders', makeEvents(1), { expectedVersion: 2 });
      const before = await observe(store, ['orders']);
      for (const expectedVersion of [0, 'no_stream'] as const) {
        const replay = await store.appendToStream('orders', withIds([ID_1, ID_2]), { expectedVersion });
        expect(replay, `replay with ${String(expectedVersion)}`).toEqual(original);
        await expectUnchanged(store, before, `a replay with ${String(expectedVersion)}`);
      }
    });

    it("re-appending the same event ids with 'any' or 'stream_exists' returns the original result and writes nothing", async () => {
      const store = await h.open();
      await seed(store, 'orders', makeEvents(2));
      const original = await store.appendToStream('orders', withIds([ID_1, ID_2]), { expectedVersion: 'any' });
      expect(original.nextExpectedVersion).toBe(4);
      await seed(store, 'orders', makeEvents(1));
      const before = await observe(store, ['orders']);
      for (const expectedVersion of ['any', 'stream_exists'] as const) {
        const replay = await store.appendToStream('orders', withIds([ID_1, ID_2]), { expectedVersion });
        expect(replay, `replay with ${expectedVersion}`).toEqual(original);
        await expectUnchanged(store, before, `a replay with ${expectedVersion}`);
      }
    });

    it('re-appending the same event ids at another version is refused with DUPLICATE_EVENT_ID and writes nothing', async () => {
      const store = await h.open();
      await store.appendToStream('orders', withIds([ID_1, ID_2]), { expectedVersion: 0 });
      const before = await observe(store, ['orders']);
      const error = await expectOrdoError(
        store.appendToStream('orders', withIds([ID_1, ID_2]), { expectedVersion: 2 }),
        'DUPLICATE_EVENT_ID',
        { streamId: 'orders' },
      );
      expect(error.name).toBe('DuplicateEventIdError');
      await expectUnchanged(store, before, 'a re-append at another version');
    });

    it('an event id already stored in another stream is refused with DUPLICATE_EVENT_ID, by appendToStream and appendMany, and writes nothing', async () => {
      const store = await h.open();
      await store.appendToStream('a', withIds([ID_1]), { expectedVersion: 'no_stream' });
      const before = await observe(store, ['a', 'b', 'c']);
      await expectOrdoError(
        store.appendToStream('b', [...makeEvents(1), ...withIds([ID_1])], { expectedVersion: 'any' }),
        'DUPLICATE_EVENT_ID',
        { eventId: ID_1 },
      );
      await expectOrdoError(
        store.appendToStream('b', withIds([ID_1]), { expectedVersion: 'any' }),
        'DUPLICATE_EVENT_ID',
        { eventId: ID_1 },
      );
      await expectOrdoError(
        store.appendMany([
          { streamId: 'c', events: makeEvents(1), expectedVersion: 'no_stream' },
          { streamId: 'b', events: withIds([ID_1]), expectedVersion: 'no_stream' },
        ]),
        'DUPLICATE_EVENT_ID',
        { eventId: ID_1 },
      );
      await expectUnchanged(store, before, 'an append reusing an id from another stream');
    });

    it('a batch that mixes stored and new ids, or reorders a stored batch, is refused with DUPLICATE_EVENT_ID and writes nothing', async () => {
      const store = await h.open();
      await store.appendToStream('orders', withIds([ID_1, ID_2]), { expectedVersion: 0 });
      const before = await observe(store, ['orders']);
      await expectOrdoError(
        store.appendToStream('orders', withIds([ID_1, ID_3]), { expectedVersion: 0 }),
        'DUPLICATE_EVENT_ID',
      );
      await expectOrdoError(
        store.appendToStream('orders', withIds([ID_3, ID_1]), { expectedVersion: 'any' }),
        'DUPLICATE_EVENT_ID',
      );
      await expectOrdoError(
        store.appendToStream('orders', withIds([ID_2, ID_1]), { expectedVersion: 0 }),
        'DUPLICATE_EVENT_ID',
      );
      await expectUnchanged(store, before, 'a partial or reordered replay');
    });

    it('the same event id twice in one batch is refused with VALIDATION_FAILED', async () => {
      const store = await h.open();
      const error = await expectOrdoError(
        () => store.appendToStream('orders', withIds([ID_1, ID_1]), { expectedVersion: 'any' }),
        'VALIDATION_FAILED',
      );
      const paths = issuePaths(error);
      expect(paths).toContainEqual(['events', 1, 'eventId']);
      expect(await store.headPosition()).toBe(0);
    });

    it('the same event id in two entries of one appendMany is refused and writes nothing', async () => {
      const store = await h.open();
      await seed(store, 'a', makeEvents(1));
      const before = await observe(store, ['a', 'b', 'c']);
      await expectOrdoError(
        () =>
          store.appendMany([
            { streamId: 'b', events: withIds([ID_4]), expectedVersion: 'any' },
            { streamId: 'c', events: withIds([ID_4]), expectedVersion: 'any' },
          ]),
        // Either is a faithful report: the id is new to the store but duplicated within the call.
        ['DUPLICATE_EVENT_ID', 'VALIDATION_FAILED'],
      );
      await expectUnchanged(store, before, 'appendMany repeating an id across entries');
    });
  });
}
