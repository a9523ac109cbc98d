import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CorruptEventError, UnknownEventTypeError, ValidationError } from '../../src/kernel/errors.js';
import { createEventRegistry, defineEvent } from '../../src/kernel/event-registry.js';

const PriceChangedV3 = defineEvent({
  type: 'PriceChanged',
  schemaVersion: 3,
  schema: z.object({ sku: z.string(), price: z.object({ amount: z.string(), currency: z.string() }) }),
  upcasters: {
    // v1 stored the price as cents in a number; v2 as a decimal string.
    1: (data) => {
      const v1 = data as { sku: string; cents: number };
      return { sku: v1.sku, price: (v1.cents / 100).toFixed(2) };
    },
    2: (data) => {
      const v2 = data as { sku: string; price: string };
      return { sku: v2.sku, price: { amount: v2.price, currency: 'USD' } };
    },
  },
});

const raw = (schemaVersion: number, data: unknown) => ({
  streamId: 'item-1',
  streamVersion: 4,
  type: 'PriceChanged',
  schemaVersion,
  data,
});

describe('event registry', () => {
  const registry = createEventRegistry([PriceChangedV3]);

  it('upcasts a v1 payload through every upcaster in order (v1 → v2 → v3)', () => {
    expect(registry.decode(raw(1, { sku: 'A', cents: 1234 }))).toEqual({
      schemaVersion: 3,
      data: { sku: 'A', price: { amount: '12.34', currency: 'USD' } },
    });
  });

  it('upcasts a v2 payload with the last upcaster only', () => {
    expect(registry.decode(raw(2, { sku: 'A', price: '1.00' })).data).toEqual({
      sku: 'A',
      price: { amount: '1.00', currency: 'USD' },
    });
  });

  it('writes new events at the current schema version', () => {
    const encoded = registry.encode('item-1', 'PriceChanged', { sku: 'A', price: { amount: '1', currency: 'EUR' } });
    expect(encoded.schemaVersion).toBe(3);
  });

  it('writes data given at an older version by upcasting it, and stores it at the current version', () => {
    expect(registry.encode('item-1', 'PriceChanged', { sku: 'A', cents: 250 }, ['events', 0], 1)).toEqual({
      schemaVersion: 3,
      data: { sku: 'A', price: { amount: '2.50', currency: 'USD' } },
    });
    const current = { sku: 'A', price: { amount: '1', currency: 'EUR' } };
    expect(registry.encode('item-1', 'PriceChanged', current, [], 3)).toEqual({ schemaVersion: 3, data: current });
  });

  it('refuses on write a version the definition does not have, or data its claimed version cannot upcast', () => {
    const issuesOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues.map((issue) => [issue.path, issue.code]);
      }
      return expect.unreachable();
    };
    for (const version of [0, 4, 2.5]) {
      expect(issuesOf(() => registry.encode('item-1', 'PriceChanged', {}, ['events', 1], version))).toEqual([
        [['events', 1, 'schemaVersion'], 'invalid_value'],
      ]);
    }
    expect(issuesOf(() => registry.encode('item-1', 'PriceChanged', null, ['events', 0], 1))).toEqual([
      [['events', 0, 'data'], 'upcast_failed'],
    ]);
    const lenient = createEventRegistry([], { allowUnknownTypes: true });
    expect(lenient.encode('s', 'Other', { x: 1 }, [], 7)).toEqual({ schemaVersion: 7, data: { x: 1 } });
  });

  it('refuses an invalid payload on write with the path of the bad field', () => {
    try {
      registry.encode('item-1', 'PriceChanged', { sku: 'A', price: { amount: 5 } }, ['events', 0]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const paths = (error as ValidationError).issues.map((issue) => issue.path);
      expect(paths).toContainEqual(['events', 0, 'data', 'price', 'amount']);
      expect(paths).toContainEqual(['events', 0, 'data', 'price', 'currency']);
    }
  });

  it('refuses an unknown type on read, naming stream, version and type', () => {
    const error = (() => {
      try {
        registry.decode({ ...raw(1, {}), type: 'Mystery' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnknownEventTypeError);
    expect(error).toMatchObject({ code: 'UNKNOWN_EVENT_TYPE', streamId: 'item-1', streamVersion: 4, type: 'Mystery' });
  });

  it('refuses a stored payload that fails its schema after upcasting as a corrupt event', () => {
    expect(() => registry.decode(raw(3, { sku: 1 }))).toThrow(CorruptEventError);
    expect(() => registry.decode(raw(3, { sku: 1 }))).toThrow(/item-1.*version 4/);
  });

  it('refuses a stored schema version newer than the registry knows', () => {
    expect(() => registry.decode(raw(4, {}))).toThrow(CorruptEventError);
  });

  it('reports an upcaster that throws as a corrupt event', () => {
    expect(() => registry.decode(raw(1, null))).toThrow(/upcaster from version 1 failed/);
  });

  it('lets unknown types through only when asked to', () => {
    const lenient = createEventRegistry([PriceChangedV3], { allowUnknownTypes: true });
    expect(lenient.decode({ ...raw(1, { x: 1 }), type: 'Other' }).data).toEqual({ x: 1 });
  });

  it('refuses a definition whose older versions lack an upcaster', () => {
    expect(() => defineEvent({ type: 'X', schemaVersion: 2, schema: z.object({}) })).toThrow(ValidationError);
  });

  it('refuses the same type defined twice', () => {
    expect(() => createEventRegistry([PriceChangedV3, PriceChangedV3])).toThrow(ValidationError);
  });
});
