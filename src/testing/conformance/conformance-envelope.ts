/**
 * Conformance tests of the stored event envelope: ids, versions, positions, metadata and exact data.
 */

import type { JsonValue, StoredEvent } from '../../kernel/event.js';
import { MAX_SCHEMA_VERSION } from '../../kernel/store-support.js';
import type { ConformanceHarness } from './conformance-harness.js';
import {
  collect,
  essentials,
  expectOrdoError,
  expectUnchanged,
  ISO_UTC_PATTERN,
  issuePaths,
  jsonRoundTrip,
  makeEvents,
  observe,
  UUID_V7_PATTERN,
} from './conformance-helpers.js';
import { vitestApi } from './vitest-api.js';

/** Payloads every store must give back exactly as their JSON round trip. */
const ROUND_TRIP: readonly (readonly [string, JsonValue])[] = [
  [
    'nested objects and arrays',
    {
      order: {
        lines: [
          { sku: 'A-1', qty: '2', tags: ['x', 'y'] },
          { sku: 'B', qty: '0.5', tags: [] },
        ],
        deep: { a: { b: { c: { d: [[1, [2, [3]]]] } } } },
      },
    },
  ],
  ['unicode', { text: 'Grüße · 日本語 · 🧾💶 · עברית · e\u0301 · \u2028\u2029', 'clé-ü': '✓' }],
  ['quotes and escapes', { text: `it's "quoted" \\ back\\slash\nnew line\ttab \u001f`, name: "O'Brien" }],
  ['keys that look special', { '': 'empty key', 'a.b': 1, $ref: 'x', "it's": 'q', constructor: 'c', toString: 't' }],
  ['a __proto__ key (as JSON.parse makes it)', JSON.parse('{"__proto__":{"polluted":true},"kept":1}') as JsonValue],
  ['a long string', { text: 'ab€🧾'.repeat(20_000) }],
  [
    'extreme finite numbers',
    {
      maxSafe: Number.MAX_SAFE_INTEGER,
      minSafe: Number.MIN_SAFE_INTEGER,
      unsafe: 2 ** 53 + 2,
      big: 1e308,
      maxValue: Number.MAX_VALUE,
      tiny: 5e-324,
      negativeTiny: -1.5e-300,
      float: 0.1 + 0.2,
      third: 1 / 3,
      negativeFloat: -273.15,
      zero: 0,
    },
  ],
  ['negative zero (JSON has none: it reads back as 0)', { z: -0, list: [-0] }],
  ['decimal strings', { amount: '12.345678901234567890123', currency: 'EUR' }],
  ['booleans', { yes: true, no: false }],
  ['an empty object', {}],
  ['an empty array', []],
  ['null', null],
  ['a bare string', 'just a string'],
  ['a bare number', -42.5],
  ['a bare boolean', false],
];

/** Registers the envelope tests. */
export function envelopeTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  describe('envelope', () => {
    it('generates a distinct UUID v7 event id when none is given', async () => {
      const store = await h.open();
      await store.appendToStream('orders', makeEvents(3), { expectedVersion: 'any' });
      const events = await collect(store.readStream('orders'));
      for (const event of events) expect(event.eventId).toMatch(UUID_V7_PATTERN);
      expect(new Set(events.map((event) => event.eventId)).size).toBe(3);
    });

    it('keeps a given event id, lowercased, and treats its upper- and lower-case forms as one id', async () => {
      const store = await h.open();
      const upper = '0190A6E0-0000-7000-8000-0000000000AB';
      const v4 = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
      const original = await store.appendToStream(
        'orders',
        [
          { type: 'Tested', data: {}, eventId: upper },
          { type: 'Tested', data: {}, eventId: v4 },
        ],
        { expectedVersion: 0 },
      );
      const events = await collect(store.readStream('orders'));
      expect(events.map((event) => event.eventId)).toEqual([upper.toLowerCase(), v4]);
      const replay = await store.appendToStream(
        'orders',
        [
          { type: 'Tested', data: {}, eventId: upper.toLowerCase() },
          { type: 'Tested', data: {}, eventId: v4.toUpperCase() },
        ],
        { expectedVersion: 0 },
      );
      expect(replay).toEqual(original);
      expect(await store.streamVersion('orders')).toBe(2);
    });

    it('stores schemaVersion 1 when the store has no registry', async () => {
      const store = await h.open();
      await store.appendToStream('orders', makeEvents(2), { expectedVersion: 'any' });
      const events = await collect(store.readAll());
      expect(events.map((event) => event.schemaVersion)).toEqual([1, 1]);
    });

    it('stores the schemaVersion an event gives when the store has no registry, via appendToStream and appendMany', async () => {
      const store = await h.open();
      await store.appendToStream(
        'orders',
        [
          { type: 'Tested', data: { shape: 'v3' }, schemaVersion: 3 },
          { type: 'Tested', data: { shape: 'default' } },
        ],
        { expectedVersion: 'no_stream' },
      );
      await store.appendMany([
        { streamId: 'orders', events: [{ type: 'Tested', data: {}, schemaVersion: 2 }], expectedVersion: 2 },
        {
          streamId: 'other',
          events: [{ type: 'Tested', data: {}, schemaVersion: MAX_SCHEMA_VERSION }],
          expectedVersion: 'any',
        },
      ]);
      const versions = (events: readonly StoredEvent[]) => events.map((event) => event.schemaVersion);
      expect(versions(await collect(store.readStream('orders')))).toEqual([3, 1, 2]);
      expect(versions(await collect(store.readAll()))).toEqual([3, 1, 2, MAX_SCHEMA_VERSION]);
      const reopened = await h.open();
      expect(versions(await collect(reopened.readStream('orders', { direction: 'backwards' })))).toEqual([2, 1, 3]);
    });

    it('refuses a schemaVersion that is not an integer from 1 to 2^31 - 1 with VALIDATION_FAILED at events[i].schemaVersion, writing nothing', async () => {
      const store = await h.open();
      await store.appendToStream('orders', makeEvents(1), { expectedVersion: 'no_stream' });
      const before = await observe(store, ['orders']);
      for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_SCHEMA_VERSION + 1, '2', null]) {
        const error = await expectOrdoError(
          () =>
            store.appendToStream(
              'orders',
              [
                { type: 'Tested', data: {} },
                { type: 'Tested', data: {}, schemaVersion: bad as number },
              ],
              { expectedVersion: 1 },
            ),
          'VALIDATION_FAILED',
        );
        expect(issuePaths(error), `schemaVersion ${String(bad)}`).toEqual([['events', 1, 'schemaVersion']]);
      }
      await expectUnchanged(store, before, 'an append with a bad schemaVersion');
    });

    it('keeps correlationId, causationId, actor and free metadata keys, and adds occurredAt when absent', async () => {
      const store = await h.open();
      const metadata = {
        correlationId: 'corr-1',
        causationId: 'cmd-9',
        actor: 'user:ada',
        tenant: 'acme',
        nested: { reason: ['late', 'Grüße'], count: 2, flag: null },
      };
      const occurredAt = '2025-12-31T23:59:59.123Z';
      await store.appendToStream(
        'orders',
        [
          { type: 'Tested', data: {}, metadata },
          { type: 'Tested', data: {}, metadata: { occurredAt, actor: 'system' } },
          { type: 'Tested', data: {} },
        ],
        { expectedVersion: 'any' },
      );
      const [first, second, third] = await collect(store.readStream('orders'));
      expect(first?.metadata).toEqual({ ...metadata, occurredAt: expect.any(String) });
      expect(Number.isNaN(Date.parse(first?.metadata.occurredAt ?? ''))).toBe(false);
      expect(second?.metadata).toEqual({ occurredAt, actor: 'system' });
      expect(third?.metadata).toEqual({ occurredAt: expect.any(String) });
      expect(Number.isNaN(Date.parse(third?.metadata.occurredAt ?? ''))).toBe(false);
    });

    it("merges batch metadata under each event's own metadata (the event's keys win), for appendToStream and appendMany", async () => {
      const store = await h.open();
      const batch = { correlationId: 'batch-corr', actor: 'service', tenant: 'acme' };
      const events = [
        { type: 'Tested', data: {}, metadata: { correlationId: 'own-corr' } },
        { type: 'Tested', data: {} },
      ];
      await store.appendToStream('a', events, { expectedVersion: 'any', metadata: batch });
      await store.appendMany([{ streamId: 'b', events, expectedVersion: 'any' }], { metadata: batch });
      for (const streamId of ['a', 'b']) {
        const [own, plain] = await collect(store.readStream(streamId));
        expect(own?.metadata, streamId).toEqual({
          correlationId: 'own-corr',
          actor: 'service',
          tenant: 'acme',
          occurredAt: expect.any(String),
        });
        expect(plain?.metadata, streamId).toEqual({ ...batch, occurredAt: expect.any(String) });
      }
    });

    it('records recordedAt as an ISO 8601 UTC timestamp', async () => {
      const store = await h.open();
      await store.appendToStream('orders', makeEvents(2), { expectedVersion: 'any' });
      for (const event of await collect(store.readAll())) {
        expect(event.recordedAt).toMatch(ISO_UTC_PATTERN);
        expect(Number.isNaN(Date.parse(event.recordedAt))).toBe(false);
      }
    });

    it('numbers stream versions from 1 in each stream and global positions strictly increasing across streams', async () => {
      const store = await h.open();
      const steps: readonly (readonly [string, number])[] = [
        ['a', 2],
        ['b', 1],
        ['a', 1],
        ['c', 3],
        ['b', 2],
      ];
      const lastPositions: number[] = [];
      for (const [streamId, count] of steps) {
        const result = await store.appendToStream(streamId, makeEvents(count, 'Tested', streamId), {
          expectedVersion: 'any',
        });
        lastPositions.push(result.lastPosition);
      }
      const all = await collect(store.readAll());
      expect(all.map((event) => [event.streamId, event.streamVersion])).toEqual([
        ['a', 1],
        ['a', 2],
        ['b', 1],
        ['a', 3],
        ['c', 1],
        ['c', 2],
        ['c', 3],
        ['b', 2],
        ['b', 3],
      ]);
      all.forEach((event, index) => {
        expect(Number.isSafeInteger(event.globalPosition), 'a safe integer position').toBe(true);
        expect(event.globalPosition).toBeGreaterThan(index === 0 ? 0 : (all[index - 1] as StoredEvent).globalPosition);
      });
      expect(lastPositions).toEqual([1, 2, 3, 6, 8].map((index) => all[index]?.globalPosition));
      // The same envelope whichever way it is read.
      for (const streamId of ['a', 'b', 'c']) {
        expect(await collect(store.readStream(streamId))).toEqual(all.filter((event) => event.streamId === streamId));
      }
    });

    it('round-trips data exactly: nested objects, arrays, unicode, quotes, long strings, extreme finite numbers, empty and null', async () => {
      const store = await h.open();
      await store.appendToStream(
        'payloads',
        ROUND_TRIP.map(([what, data]) => ({ type: 'Payload', data, metadata: { what } })),
        { expectedVersion: 'no_stream' },
      );
      const viaStream = await collect(store.readStream('payloads'));
      const viaAll = await collect(store.readAll());
      expect(viaStream).toHaveLength(ROUND_TRIP.length);
      ROUND_TRIP.forEach(([what, data], index) => {
        expect(viaStream[index]?.data, what).toEqual(jsonRoundTrip(data));
        expect(viaAll[index]?.data, what).toEqual(jsonRoundTrip(data));
        expect(viaStream[index]?.metadata.what).toBe(what);
      });
    });

    it('stores a copy of the data: changing the appended objects afterwards changes nothing stored', async () => {
      const store = await h.open();
      const data = { lines: [{ qty: '1' }], note: 'before' };
      const metadata = { actor: 'ada', extra: { n: 1 } };
      await store.appendToStream('orders', [{ type: 'Tested', data, metadata }], { expectedVersion: 'any' });
      data.note = 'after';
      data.lines.push({ qty: '2' });
      metadata.extra.n = 2;
      const [event] = await collect(store.readStream('orders'));
      expect(essentials(event as StoredEvent).data).toEqual({ lines: [{ qty: '1' }], note: 'before' });
      expect(event?.metadata.extra).toEqual({ n: 1 });
    });
  });
}
