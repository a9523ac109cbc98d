/**
 * Conformance tests of a store opened with an event registry: validation on write, upcasting on read, and
 * the typed errors for stored events the registry cannot decode.
 */

import { z } from 'zod';
import { createEventRegistry, defineEvent } from '../../kernel/event-registry.js';
import type { ConformanceHarness } from './conformance-harness.js';
import { collect, expectOrdoError, expectUnchanged, issuePaths, observe } from './conformance-helpers.js';
import { vitestApi } from './vitest-api.js';

const OrderPlaced = defineEvent({
  type: 'OrderPlaced',
  schema: z.object({ orderId: z.string(), total: z.string().regex(/^\d+(\.\d+)?$/) }),
});

const PriceSetV1 = defineEvent({
  type: 'PriceSet',
  schema: z.object({ sku: z.string(), amount: z.number() }),
});

/** Version 2 made the amount a decimal string; version 3 added the currency. */
const PriceSetV3 = defineEvent({
  type: 'PriceSet',
  schemaVersion: 3,
  schema: z.object({ sku: z.string(), amount: z.string(), currency: z.string() }),
  upcasters: {
    1: (data) => {
      const v1 = data as { sku: string; amount: number };
      return { sku: v1.sku, amount: v1.amount.toFixed(2) };
    },
    2: (data) => ({ ...(data as { sku: string; amount: string }), currency: 'EUR' }),
  },
});

/** A schema that changes what it parses: a default and stripped unknown keys. */
const NoteAdded = defineEvent({
  type: 'NoteAdded',
  schemaVersion: 2,
  schema: z.object({ text: z.string(), lang: z.string().default('en') }),
  upcasters: { 1: (data) => data },
});

/** Registers the registry tests. */
export function registryTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  describe('registry', () => {
    it('validates data on write: a bad payload is refused with VALIDATION_FAILED at events[i].data and nothing is written', async () => {
      const store = await h.open({ registry: createEventRegistry([OrderPlaced]) });
      await store.appendToStream('order-1', [{ type: 'OrderPlaced', data: { orderId: 'o-1', total: '10.50' } }], {
        expectedVersion: 'no_stream',
      });
      const before = await observe(store, ['order-1', 'order-2']);
      const error = await expectOrdoError(
        () =>
          store.appendToStream(
            'order-1',
            [
              { type: 'OrderPlaced', data: { orderId: 'o-2', total: '1' } },
              { type: 'OrderPlaced', data: { orderId: 2, total: 'ten' } },
            ],
            { expectedVersion: 1 },
          ),
        'VALIDATION_FAILED',
      );
      expect(issuePaths(error)).toEqual(
        expect.arrayContaining([
          ['events', 1, 'data', 'orderId'],
          ['events', 1, 'data', 'total'],
        ]),
      );
      const many = await expectOrdoError(
        () =>
          store.appendMany([
            {
              streamId: 'order-2',
              events: [{ type: 'OrderPlaced', data: { orderId: 'o', total: 'x' } }],
              expectedVersion: 'any',
            },
          ]),
        'VALIDATION_FAILED',
      );
      expect(issuePaths(many)).toContainEqual(['appends', 0, 'events', 0, 'data', 'total']);
      await expectUnchanged(store, before, 'an append failing its schema');
    });

    it('refuses an event type the registry does not define with UNKNOWN_EVENT_TYPE and writes nothing', async () => {
      const store = await h.open({ registry: createEventRegistry([OrderPlaced]) });
      await expectOrdoError(
        () => store.appendToStream('order-1', [{ type: 'Mystery', data: {} }], { expectedVersion: 'any' }),
        'UNKNOWN_EVENT_TYPE',
        { type: 'Mystery' },
      );
      expect(await store.headPosition()).toBe(0);
    });

    it("stores the data the schema produced, with the registry's schema version", async () => {
      const store = await h.open({ registry: createEventRegistry([NoteAdded]) });
      await store.appendToStream('notes', [{ type: 'NoteAdded', data: { text: 'hi', extra: 'dropped' } }], {
        expectedVersion: 'any',
      });
      const plain = await h.open();
      const [raw] = await collect(plain.readStream('notes'));
      expect(raw?.schemaVersion).toBe(2);
      expect(raw?.data).toEqual({ text: 'hi', lang: 'en' });
      const [decoded] = await collect(store.readStream('notes'));
      expect(decoded?.data).toEqual({ text: 'hi', lang: 'en' });
    });

    it('upcasts older stored versions to the current one on read, via readStream and readAll, leaving the stored version as it was', async () => {
      const v1 = await h.open({ registry: createEventRegistry([PriceSetV1]) });
      await v1.appendToStream(
        'price-A1',
        [
          { type: 'PriceSet', data: { sku: 'A1', amount: 12.5 } },
          { type: 'PriceSet', data: { sku: 'A1', amount: 13 } },
        ],
        { expectedVersion: 'no_stream' },
      );
      const v3 = await h.open({ registry: createEventRegistry([PriceSetV3]) });
      await v3.appendToStream(
        'price-A1',
        [{ type: 'PriceSet', data: { sku: 'A1', amount: '14.00', currency: 'USD' } }],
        {
          expectedVersion: 2,
        },
      );
      const expected = [
        { sku: 'A1', amount: '12.50', currency: 'EUR' },
        { sku: 'A1', amount: '13.00', currency: 'EUR' },
        { sku: 'A1', amount: '14.00', currency: 'USD' },
      ];
      for (const events of [await collect(v3.readStream('price-A1')), await collect(v3.readAll())]) {
        expect(events.map((event) => event.data)).toEqual(expected);
        expect(events.map((event) => event.schemaVersion)).toEqual([3, 3, 3]);
      }
      const backwards = await collect(v3.readStream('price-A1', { direction: 'backwards' }));
      expect(backwards.map((event) => event.data)).toEqual([...expected].reverse());
      const plain = await h.open();
      const stored = await collect(plain.readStream('price-A1'));
      expect(stored.map((event) => event.schemaVersion)).toEqual([1, 1, 3]);
      expect(stored[0]?.data).toEqual({ sku: 'A1', amount: 12.5 });
    });

    it('validates an event that gives its schemaVersion against that version: an older one is upcast and stored at the current version, an unknown one is VALIDATION_FAILED', async () => {
      const store = await h.open({ registry: createEventRegistry([PriceSetV3]) });
      await store.appendToStream(
        'price-C3',
        [
          { type: 'PriceSet', data: { sku: 'C3', amount: 7 }, schemaVersion: 1 },
          { type: 'PriceSet', data: { sku: 'C3', amount: '8.00' }, schemaVersion: 2 },
          { type: 'PriceSet', data: { sku: 'C3', amount: '9.00', currency: 'USD' }, schemaVersion: 3 },
        ],
        { expectedVersion: 'no_stream' },
      );
      const plain = await h.open();
      const stored = await collect(plain.readStream('price-C3'));
      expect(stored.map((event) => event.schemaVersion)).toEqual([3, 3, 3]);
      expect(stored.map((event) => event.data)).toEqual([
        { sku: 'C3', amount: '7.00', currency: 'EUR' },
        { sku: 'C3', amount: '8.00', currency: 'EUR' },
        { sku: 'C3', amount: '9.00', currency: 'USD' },
      ]);
      const before = await observe(store, ['price-C3']);
      const unknown = await expectOrdoError(
        () =>
          store.appendToStream(
            'price-C3',
            [{ type: 'PriceSet', data: { sku: 'C3', amount: '1.00', currency: 'EUR' }, schemaVersion: 4 }],
            { expectedVersion: 3 },
          ),
        'VALIDATION_FAILED',
      );
      expect(issuePaths(unknown)).toEqual([['events', 0, 'schemaVersion']]);
      // Current-version data claiming version 2 fails that version's upcast; version 2 data claiming 3 fails the schema.
      const mislabelled = await expectOrdoError(
        () =>
          store.appendToStream(
            'price-C3',
            [
              { type: 'PriceSet', data: { sku: 'C3', amount: 5 }, schemaVersion: 2 },
              { type: 'PriceSet', data: { sku: 'C3', amount: '5.00' }, schemaVersion: 3 },
            ],
            { expectedVersion: 3 },
          ),
        'VALIDATION_FAILED',
      );
      expect(issuePaths(mislabelled)).toEqual(
        expect.arrayContaining([
          ['events', 0, 'data', 'amount'],
          ['events', 1, 'data', 'currency'],
        ]),
      );
      await expectUnchanged(store, before, 'appends whose data does not match the version they give');
    });

    it('reports a stored event of a type the registry lacks as UNKNOWN_EVENT_TYPE naming stream, version and type, via readStream and readAll', async () => {
      const plain = await h.open();
      await plain.appendToStream(
        'order-1',
        [
          { type: 'OrderPlaced', data: { orderId: 'o-1', total: '1' } },
          { type: 'Mystery', data: { what: '?' } },
        ],
        { expectedVersion: 'no_stream' },
      );
      const store = await h.open({ registry: createEventRegistry([OrderPlaced]) });
      const fields = { type: 'Mystery', streamId: 'order-1', streamVersion: 2 };
      await expectOrdoError(() => collect(store.readStream('order-1')), 'UNKNOWN_EVENT_TYPE', fields);
      await expectOrdoError(() => collect(store.readAll()), 'UNKNOWN_EVENT_TYPE', fields);
    });

    it('reports a stored payload that fails the schema as CORRUPT_EVENT naming stream, version and type, via readStream and readAll', async () => {
      const plain = await h.open();
      await plain.appendToStream('order-2', [{ type: 'OrderPlaced', data: { orderId: 42, total: 'lots' } }], {
        expectedVersion: 'no_stream',
      });
      const store = await h.open({ registry: createEventRegistry([OrderPlaced]) });
      const fields = { streamId: 'order-2', streamVersion: 1, type: 'OrderPlaced' };
      const error = await expectOrdoError(() => collect(store.readStream('order-2')), 'CORRUPT_EVENT', fields);
      expect(error.name).toBe('CorruptEventError');
      await expectOrdoError(() => collect(store.readAll()), 'CORRUPT_EVENT', fields);
    });

    it('reports a stored schema version newer than the registry knows as CORRUPT_EVENT', async () => {
      const v3 = await h.open({ registry: createEventRegistry([PriceSetV3]) });
      await v3.appendToStream(
        'price-B2',
        [{ type: 'PriceSet', data: { sku: 'B2', amount: '1.00', currency: 'EUR' } }],
        {
          expectedVersion: 'no_stream',
        },
      );
      const v1 = await h.open({ registry: createEventRegistry([PriceSetV1]) });
      await expectOrdoError(() => collect(v1.readStream('price-B2')), 'CORRUPT_EVENT', {
        streamId: 'price-B2',
        streamVersion: 1,
        type: 'PriceSet',
      });
    });
  });
}
