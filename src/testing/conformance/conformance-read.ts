/**
 * Conformance tests of reading: readStream, readAll, streamVersion and headPosition.
 */

import type { NewEvent, StoredEvent } from '../../kernel/event.js';
import type { EventStore, ReadAllOptions, ReadStreamOptions } from '../../kernel/event-store.js';
import { DEFAULT_BATCH_SIZE, MAX_NAME_LENGTH } from '../../kernel/store-support.js';
import type { ConformanceHarness } from './conformance-harness.js';
import { collect, expectOrdoError, makeEvents, seed } from './conformance-helpers.js';
import { vitestApi } from './vitest-api.js';

/** Stream ids that break naive string handling: quotes, SQL, LIKE wildcards, unicode, case and spaces. */
const AWKWARD_STREAM_IDS: readonly string[] = [
  "customer-O'Brien",
  'say "hello"',
  "x'); DROP TABLE events; --",
  "' OR '1'='1",
  'order-%',
  'order-_',
  'back\\slash',
  'Auftrag-Grüße-日本-🧾',
  'Order-1',
  'order-1',
  'order-1 ',
  ' order-1',
  'line\nbreak\ttab',
  'a'.repeat(MAX_NAME_LENGTH),
];

/** Appends events 1..`count` to `streamId`, interleaved with another stream so positions are not versions. */
async function seedStream(store: EventStore, streamId: string, count: number): Promise<void> {
  for (let version = 1; version <= count; version++) {
    await store.appendToStream(streamId, [{ type: 'Tested', data: { version } }], { expectedVersion: version - 1 });
    await seed(store, `${streamId}-noise`, makeEvents(1, 'Noise'));
  }
}

async function versionsOf(store: EventStore, streamId: string, options?: ReadStreamOptions): Promise<number[]> {
  const { expect } = vitestApi();
  const events = await collect(store.readStream(streamId, options));
  for (const event of events) expect(event.streamId).toBe(streamId);
  return events.map((event) => event.streamVersion);
}

/** Registers the readStream tests. */
export function readStreamTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  describe('readStream', () => {
    it('reads forwards from version 1 by default, in order, only the stream asked for', async () => {
      const store = await h.open();
      await seedStream(store, 's', 5);
      const events = await collect(store.readStream('s'));
      expect(events.map((event) => [event.streamVersion, event.data])).toEqual(
        [1, 2, 3, 4, 5].map((version) => [version, { version }]),
      );
    });

    it('treats fromVersion as 1-based and inclusive when reading forwards', async () => {
      const store = await h.open();
      await seedStream(store, 's', 5);
      expect(await versionsOf(store, 's', { fromVersion: 1 })).toEqual([1, 2, 3, 4, 5]);
      expect(await versionsOf(store, 's', { fromVersion: 3 })).toEqual([3, 4, 5]);
      expect(await versionsOf(store, 's', { fromVersion: 5, direction: 'forwards' })).toEqual([5]);
    });

    it('reads fromVersion 0 forwards as from the start, and backwards as nothing (there is no version 0)', async () => {
      const store = await h.open();
      await seedStream(store, 's', 3);
      expect(await versionsOf(store, 's', { fromVersion: 0 })).toEqual([1, 2, 3]);
      expect(await versionsOf(store, 's', { fromVersion: 0, direction: 'backwards' })).toEqual([]);
    });

    it('reads backwards from the last version by default, and from fromVersion inclusive otherwise', async () => {
      const store = await h.open();
      await seedStream(store, 's', 5);
      expect(await versionsOf(store, 's', { direction: 'backwards' })).toEqual([5, 4, 3, 2, 1]);
      expect(await versionsOf(store, 's', { direction: 'backwards', fromVersion: 3 })).toEqual([3, 2, 1]);
      expect(await versionsOf(store, 's', { direction: 'backwards', fromVersion: 1 })).toEqual([1]);
      expect(await versionsOf(store, 's', { direction: 'backwards', fromVersion: 99 })).toEqual([5, 4, 3, 2, 1]);
    });

    it('returns exactly maxCount events when there are more, 0 included', async () => {
      const store = await h.open();
      await seedStream(store, 's', 5);
      expect(await versionsOf(store, 's', { maxCount: 2 })).toEqual([1, 2]);
      expect(await versionsOf(store, 's', { fromVersion: 2, maxCount: 3 })).toEqual([2, 3, 4]);
      expect(await versionsOf(store, 's', { fromVersion: 4, maxCount: 10 })).toEqual([4, 5]);
      expect(await versionsOf(store, 's', { direction: 'backwards', maxCount: 2 })).toEqual([5, 4]);
      expect(await versionsOf(store, 's', { direction: 'backwards', fromVersion: 2, maxCount: 5 })).toEqual([2, 1]);
      expect(await versionsOf(store, 's', { maxCount: 0 })).toEqual([]);
      expect(await versionsOf(store, 's', { direction: 'backwards', maxCount: 0 })).toEqual([]);
    });

    it('yields nothing for a fromVersion beyond the end, read forwards', async () => {
      const store = await h.open();
      await seedStream(store, 's', 3);
      expect(await versionsOf(store, 's', { fromVersion: 4 })).toEqual([]);
      expect(await versionsOf(store, 's', { fromVersion: 1000 })).toEqual([]);
    });

    it('yields nothing for a stream that does not exist, in either direction', async () => {
      const store = await h.open();
      await seedStream(store, 's', 2);
      expect(await versionsOf(store, 'missing')).toEqual([]);
      expect(await versionsOf(store, 'missing', { direction: 'backwards' })).toEqual([]);
      expect(await versionsOf(store, 's-', { fromVersion: 1 })).toEqual([]);
    });

    it('round-trips stream ids with quotes, SQL fragments, wildcards and unicode exactly, and keeps ids differing by case or spaces apart', async () => {
      const store = await h.open();
      for (const [index, streamId] of AWKWARD_STREAM_IDS.entries()) {
        await store.appendToStream(streamId, [{ type: 'Tested', data: { index } }], { expectedVersion: 'no_stream' });
      }
      for (const [index, streamId] of AWKWARD_STREAM_IDS.entries()) {
        const events = await collect(store.readStream(streamId));
        expect(
          events.map((event) => [event.streamId, event.data]),
          JSON.stringify(streamId),
        ).toEqual([[streamId, { index }]]);
        expect(await store.streamVersion(streamId)).toBe(1);
      }
      const all = await collect(store.readAll());
      expect(all.map((event) => event.streamId)).toEqual(AWKWARD_STREAM_IDS);
    });

    it('refuses an empty stream id, one containing NUL or one that is too long with VALIDATION_FAILED', async () => {
      const store = await h.open();
      for (const bad of ['', 'order\u0000-1', 'a'.repeat(MAX_NAME_LENGTH + 1)]) {
        await expectOrdoError(
          () => store.appendToStream(bad, makeEvents(1), { expectedVersion: 'any' }),
          'VALIDATION_FAILED',
        );
        await expectOrdoError(() => collect(store.readStream(bad)), 'VALIDATION_FAILED');
        await expectOrdoError(() => store.streamVersion(bad), 'VALIDATION_FAILED');
      }
      expect(await store.headPosition()).toBe(0);
    });

    it('refuses malformed read options (negative fromVersion or maxCount, unknown direction) with VALIDATION_FAILED', async () => {
      const store = await h.open();
      await seedStream(store, 's', 1);
      const bad: readonly ReadStreamOptions[] = [
        { fromVersion: -1 },
        { fromVersion: 1.5 },
        { maxCount: -1 },
        { direction: 'sideways' as unknown as 'forwards' },
      ];
      for (const options of bad) {
        await expectOrdoError(() => collect(store.readStream('s', options)), 'VALIDATION_FAILED');
      }
    });

    it(`reads a stream longer than one page (${2 * DEFAULT_BATCH_SIZE + 100} events) whole and in order, both directions`, async () => {
      const store = await h.open();
      const total = 2 * DEFAULT_BATCH_SIZE + 100;
      const chunk = 275;
      for (let start = 0; start < total; start += chunk) {
        const count = Math.min(chunk, total - start);
        const events: NewEvent[] = Array.from({ length: count }, (_, index) => ({
          type: 'Tested',
          data: { n: start + index + 1 },
        }));
        await store.appendToStream('long', events, { expectedVersion: start });
      }
      const forwards = await collect(store.readStream('long'));
      expect(forwards.map((event) => event.streamVersion)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(forwards.every((event) => (event.data as { n: number }).n === event.streamVersion)).toBe(true);
      const backwards = await collect(store.readStream('long', { direction: 'backwards' }));
      expect(backwards.map((event) => event.streamVersion)).toEqual(Array.from({ length: total }, (_, i) => total - i));
      const all = await collect(store.readAll());
      expect(all.map((event) => event.eventId)).toEqual(forwards.map((event) => event.eventId));
    });

    it('leaves the store usable when a reader stops early', async () => {
      const store = await h.open();
      await seedStream(store, 's', 3);
      for await (const event of store.readStream('s')) {
        expect(event.streamVersion).toBe(1);
        break;
      }
      for await (const event of store.readAll({ batchSize: 1 })) {
        expect(event.globalPosition).toBeGreaterThan(0);
        break;
      }
      const result = await store.appendToStream('s', makeEvents(1), { expectedVersion: 3 });
      expect(result.nextExpectedVersion).toBe(4);
      expect(await versionsOf(store, 's')).toEqual([1, 2, 3, 4]);
    });
  });
}

async function positionsOf(store: EventStore, options?: ReadAllOptions): Promise<number[]> {
  return (await collect(store.readAll(options))).map((event) => event.globalPosition);
}

/** Seeds 8 events over 3 streams and 3 types; returns them as read, in global order. */
async function seedLog(store: EventStore): Promise<StoredEvent[]> {
  const plan: readonly (readonly [string, string])[] = [
    ['a', 'Opened'],
    ['b', 'Opened'],
    ['a', 'Changed'],
    ['c', 'Opened'],
    ['b', 'Changed'],
    ['a', 'Closed'],
    ['c', 'Changed'],
    ['b', 'Closed'],
  ];
  for (const [index, [streamId, type]] of plan.entries()) {
    await store.appendToStream(streamId, [{ type, data: { index } }], { expectedVersion: 'any' });
  }
  return collect(store.readAll());
}

/** Registers the readAll tests. */
export function readAllTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  describe('readAll', () => {
    it('yields every event once, in global order across streams', async () => {
      const store = await h.open();
      const all = await seedLog(store);
      expect(all.map((event) => (event.data as { index: number }).index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(new Set(all.map((event) => event.eventId)).size).toBe(8);
    });

    it('treats fromPosition as inclusive, so resuming after checkpoint p reads from p + 1', async () => {
      const store = await h.open();
      const all = await seedLog(store);
      const positions = all.map((event) => event.globalPosition);
      const p = positions[3] as number;
      expect(await positionsOf(store, { fromPosition: p })).toEqual(positions.slice(3));
      expect(await positionsOf(store, { fromPosition: p + 1 })).toEqual(positions.slice(4));
      expect(await positionsOf(store, { fromPosition: 0 })).toEqual(positions);
      const last = positions[7] as number;
      expect(await positionsOf(store, { fromPosition: last + 1 })).toEqual([]);
    });

    it('treats toPosition as inclusive, alone and with fromPosition', async () => {
      const store = await h.open();
      const positions = (await seedLog(store)).map((event) => event.globalPosition);
      expect(await positionsOf(store, { toPosition: positions[2] as number })).toEqual(positions.slice(0, 3));
      expect(
        await positionsOf(store, { fromPosition: positions[2] as number, toPosition: positions[5] as number }),
      ).toEqual(positions.slice(2, 6));
      expect(
        await positionsOf(store, { fromPosition: positions[4] as number, toPosition: positions[4] as number }),
      ).toEqual([positions[4]]);
      expect(await positionsOf(store, { toPosition: 0 })).toEqual([]);
    });

    it('keeps only events of the given types, in global order; an empty type list matches nothing', async () => {
      const store = await h.open();
      const all = await seedLog(store);
      const expected = all.filter((event) => event.type === 'Changed' || event.type === 'Closed');
      expect(await collect(store.readAll({ types: ['Changed', 'Closed'] }))).toEqual(expected);
      expect(await collect(store.readAll({ types: ['Nothing'] }))).toEqual([]);
      expect(await collect(store.readAll({ types: [] }))).toEqual([]);
      const from = all[4]?.globalPosition as number;
      expect(await collect(store.readAll({ types: ['Opened'], fromPosition: from }))).toEqual(
        all.filter((event) => event.type === 'Opened' && event.globalPosition >= from),
      );
    });

    it('yields everything exactly once and in order with small batch sizes (1, 2), with or without a type filter', async () => {
      const store = await h.open();
      const all = await seedLog(store);
      for (const batchSize of [1, 2, 3]) {
        expect(await collect(store.readAll({ batchSize })), `batchSize ${batchSize}`).toEqual(all);
        expect(await collect(store.readAll({ batchSize, types: ['Closed'] })), `batchSize ${batchSize}`).toEqual(
          all.filter((event) => event.type === 'Closed'),
        );
        const from = all[2]?.globalPosition as number;
        const to = all[6]?.globalPosition as number;
        expect(await collect(store.readAll({ batchSize, fromPosition: from, toPosition: to }))).toEqual(
          all.slice(2, 7),
        );
      }
    });

    it('gives each event the position its append returned', async () => {
      const store = await h.open();
      const returned: number[] = [];
      for (const streamId of ['a', 'b', 'a', 'c']) {
        returned.push((await store.appendToStream(streamId, makeEvents(1), { expectedVersion: 'any' })).lastPosition);
      }
      const many = await store.appendMany([
        { streamId: 'a', events: makeEvents(1), expectedVersion: 'any' },
        { streamId: 'd', events: makeEvents(1), expectedVersion: 'any' },
      ]);
      returned.push(...many.results.map((result) => result.lastPosition));
      expect(await positionsOf(store)).toEqual(returned);
    });

    it(`reads more than one page (${DEFAULT_BATCH_SIZE + 50} events) with the default batch size, each once`, async () => {
      const store = await h.open();
      const total = DEFAULT_BATCH_SIZE + 50;
      await store.appendToStream('a', makeEvents(total - 50), { expectedVersion: 'no_stream' });
      await store.appendToStream('b', makeEvents(50), { expectedVersion: 'no_stream' });
      const all = await collect(store.readAll());
      expect(all).toHaveLength(total);
      expect(new Set(all.map((event) => event.eventId)).size).toBe(total);
    });

    it('reads an empty store as nothing', async () => {
      const store = await h.open();
      expect(await collect(store.readAll())).toEqual([]);
      expect(await collect(store.readAll({ fromPosition: 5, batchSize: 1 }))).toEqual([]);
    });

    it('refuses malformed options (negative or fractional positions, batchSize 0, a non-string type) with VALIDATION_FAILED', async () => {
      const store = await h.open();
      await seed(store, 'a', makeEvents(1));
      const bad: readonly ReadAllOptions[] = [
        { fromPosition: -1 },
        { fromPosition: 0.5 },
        { toPosition: -1 },
        { batchSize: 0 },
        { types: [42 as unknown as string] },
      ];
      for (const options of bad) {
        await expectOrdoError(() => collect(store.readAll(options)), 'VALIDATION_FAILED');
      }
    });
  });
}

/** Registers the streamVersion / headPosition tests. */
export function versionAndHeadTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  describe('streamVersion and headPosition', () => {
    it('gives 0 as the version of a stream that does not exist, and the event count once it does', async () => {
      const store = await h.open();
      expect(await store.streamVersion('orders')).toBe(0);
      await seed(store, 'orders', makeEvents(3));
      await seed(store, 'other', makeEvents(2));
      expect(await store.streamVersion('orders')).toBe(3);
      expect(await store.streamVersion('other')).toBe(2);
      expect(await store.streamVersion('Orders')).toBe(0);
    });

    it('gives headPosition 0 on an empty store, and the last position after appends', async () => {
      const store = await h.open();
      expect(await store.headPosition()).toBe(0);
      const first = await store.appendToStream('a', makeEvents(2), { expectedVersion: 'any' });
      expect(await store.headPosition()).toBe(first.lastPosition);
      const second = await store.appendToStream('b', makeEvents(1), { expectedVersion: 'any' });
      expect(second.lastPosition).toBeGreaterThan(first.lastPosition);
      expect(await store.headPosition()).toBe(second.lastPosition);
      const all = await collect(store.readAll());
      expect(await store.headPosition()).toBe(all.at(-1)?.globalPosition);
    });
  });
}
