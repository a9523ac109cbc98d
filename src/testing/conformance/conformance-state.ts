/**
 * Conformance tests of what a store keeps besides events (snapshots, checkpoints) and of its lifecycle.
 */

import type { JsonValue } from '../../kernel/event.js';
import type { SnapshotInput } from '../../kernel/event-store.js';
import type { ConformanceHarness } from './conformance-harness.js';
import { collect, expectOrdoError, ISO_UTC_PATTERN, jsonRoundTrip, makeEvents, seed } from './conformance-helpers.js';
import { vitestApi } from './vitest-api.js';

const STATE: JsonValue = {
  status: 'Submitted',
  lines: [{ sku: 'A-1', qty: '2.5', price: { amount: '12.34', currency: 'EUR' } }],
  customer: "O'Brien — Grüße 🧾",
  flags: [true, false, null],
  total: 30.85,
};

/** Registers the snapshot tests. */
export function snapshotTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  describe('snapshots', () => {
    it('loads nothing before a snapshot is saved', async () => {
      const store = await h.open();
      await seed(store, 'order-1', makeEvents(2));
      expect(await store.loadSnapshot('order-1', 1)).toBeUndefined();
      expect(await store.loadSnapshot('never-written', 1)).toBeUndefined();
    });

    it('loads what was saved: stream, stream version, schema version, exact state and an ISO savedAt', async () => {
      const store = await h.open();
      await seed(store, 'order-1', makeEvents(3));
      await store.saveSnapshot('order-1', { streamVersion: 3, schemaVersion: 2, state: STATE });
      const snapshot = await store.loadSnapshot('order-1', 2);
      expect(snapshot).toEqual({
        streamId: 'order-1',
        streamVersion: 3,
        schemaVersion: 2,
        state: jsonRoundTrip(STATE),
        savedAt: expect.any(String),
      });
      expect(snapshot?.savedAt).toMatch(ISO_UTC_PATTERN);
    });

    it('round-trips any JSON state, null and arrays included', async () => {
      const store = await h.open();
      const states: readonly JsonValue[] = [null, [], [1, 'two', { three: 3 }], 'text', 0, {}, { z: -0 }];
      for (const [index, state] of states.entries()) {
        await store.saveSnapshot(`s-${index}`, { streamVersion: 1, schemaVersion: 1, state });
        expect((await store.loadSnapshot(`s-${index}`, 1))?.state, JSON.stringify(state)).toEqual(jsonRoundTrip(state));
      }
    });

    it('ignores a snapshot saved with another state schema version, and keeps one per schema version', async () => {
      const store = await h.open();
      await store.saveSnapshot('order-1', { streamVersion: 3, schemaVersion: 1, state: { shape: 'v1' } });
      expect(await store.loadSnapshot('order-1', 2)).toBeUndefined();
      await store.saveSnapshot('order-1', { streamVersion: 4, schemaVersion: 2, state: { shape: 'v2' } });
      expect((await store.loadSnapshot('order-1', 2))?.state).toEqual({ shape: 'v2' });
      expect((await store.loadSnapshot('order-1', 1))?.state).toEqual({ shape: 'v1' });
    });

    it('replaces the snapshot of a stream and schema version on save', async () => {
      const store = await h.open();
      await store.saveSnapshot('order-1', { streamVersion: 3, schemaVersion: 1, state: { at: 3 } });
      await store.saveSnapshot('order-1', { streamVersion: 7, schemaVersion: 1, state: { at: 7 } });
      const snapshot = await store.loadSnapshot('order-1', 1);
      expect(snapshot).toMatchObject({ streamVersion: 7, schemaVersion: 1, state: { at: 7 } });
    });

    it('keeps snapshots per stream', async () => {
      const store = await h.open();
      await store.saveSnapshot('order-1', { streamVersion: 1, schemaVersion: 1, state: { id: 1 } });
      await store.saveSnapshot('order-2', { streamVersion: 5, schemaVersion: 1, state: { id: 2 } });
      expect(await store.loadSnapshot('order-1', 1)).toMatchObject({ streamId: 'order-1', state: { id: 1 } });
      expect(await store.loadSnapshot('order-2', 1)).toMatchObject({ streamId: 'order-2', state: { id: 2 } });
      expect(await store.loadSnapshot('order-3', 1)).toBeUndefined();
    });

    it('refuses a snapshot whose state is not JSON, or whose versions are not non-negative integers, with VALIDATION_FAILED', async () => {
      const store = await h.open();
      const bad: readonly SnapshotInput[] = [
        { streamVersion: 1, schemaVersion: 1, state: { fn: () => 1 } as unknown as JsonValue },
        { streamVersion: 1, schemaVersion: 1, state: { at: new Date() } as unknown as JsonValue },
        { streamVersion: 1, schemaVersion: 1, state: { n: Number.NaN } },
        { streamVersion: -1, schemaVersion: 1, state: {} },
        { streamVersion: 1, schemaVersion: 1.5, state: {} },
      ];
      for (const snapshot of bad) {
        await expectOrdoError(() => store.saveSnapshot('order-1', snapshot), 'VALIDATION_FAILED');
      }
      expect(await store.loadSnapshot('order-1', 1)).toBeUndefined();
    });
  });
}

/** Registers the checkpoint tests. */
export function checkpointTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  describe('checkpoints', () => {
    it('has no checkpoint for a subscriber that never saved one', async () => {
      const store = await h.open();
      expect(await store.getCheckpoint('projector')).toBeUndefined();
    });

    it('saves, overwrites (backwards too, for a rebuild) and gets a checkpoint per subscriber', async () => {
      const store = await h.open();
      await store.saveCheckpoint('projector', 5);
      expect(await store.getCheckpoint('projector')).toBe(5);
      await store.saveCheckpoint('projector', 9);
      expect(await store.getCheckpoint('projector')).toBe(9);
      await store.saveCheckpoint('projector', 0);
      expect(await store.getCheckpoint('projector')).toBe(0);
      await store.saveCheckpoint("export's-€", 3);
      expect(await store.getCheckpoint("export's-€")).toBe(3);
      expect(await store.getCheckpoint('projector')).toBe(0);
    });

    it('refuses a negative or fractional position with VALIDATION_FAILED', async () => {
      const store = await h.open();
      for (const position of [-1, 1.5, Number.NaN]) {
        await expectOrdoError(() => store.saveCheckpoint('projector', position), 'VALIDATION_FAILED');
      }
      expect(await store.getCheckpoint('projector')).toBeUndefined();
    });
  });
}

/** Registers the lifecycle tests: closing, and data shared by stores over one storage. */
export function lifecycleTests(h: ConformanceHarness): void {
  const { describe, expect, it } = vitestApi();
  describe('lifecycle', () => {
    it('rejects appendToStream with STORE_CLOSED after close()', async () => {
      const store = await h.open();
      await seed(store, 'orders', makeEvents(1));
      await store.close();
      await expectOrdoError(
        () => store.appendToStream('orders', makeEvents(1), { expectedVersion: 'any' }),
        'STORE_CLOSED',
      );
    });

    it('keeps events, snapshots and checkpoints for a store opened later on the same storage', async () => {
      const first = await h.open();
      await seed(first, 'orders', makeEvents(2));
      await first.saveSnapshot('orders', { streamVersion: 2, schemaVersion: 1, state: { n: 2 } });
      await first.saveCheckpoint('projector', 2);
      const written = await collect(first.readAll());
      await first.close();
      const second = await h.open();
      expect(await collect(second.readAll())).toEqual(written);
      expect(await second.streamVersion('orders')).toBe(2);
      expect((await second.loadSnapshot('orders', 1))?.state).toEqual({ n: 2 });
      expect(await second.getCheckpoint('projector')).toBe(2);
      const result = await second.appendToStream('orders', makeEvents(1), { expectedVersion: 2 });
      expect(result.lastPosition).toBeGreaterThan(written.at(-1)?.globalPosition ?? 0);
    });

    it('shows each store the appends of every other store on the same storage', async () => {
      const a = await h.open();
      const b = await h.open();
      await a.appendToStream('orders', makeEvents(1), { expectedVersion: 'no_stream' });
      expect(await b.streamVersion('orders')).toBe(1);
      await expectOrdoError(
        b.appendToStream('orders', makeEvents(1), { expectedVersion: 'no_stream' }),
        'CONCURRENCY_CONFLICT',
        { actual: 1 },
      );
      await b.appendToStream('orders', makeEvents(1), { expectedVersion: 1 });
      expect(await collect(a.readStream('orders'))).toEqual(await collect(b.readStream('orders')));
      expect(await a.headPosition()).toBe(await b.headPosition());
    });
  });
}
