/** Read models and helpers shared by the projection, subscription and event-bus tests. */
import type { StoredEvent } from '../../src/kernel/event.js';
import type { EventStore } from '../../src/kernel/event-store.js';
import { defineProjection, type Projection } from '../../src/kernel/projection.js';
import type { MemoryTransaction } from '../../src/stores/memory/memory-event-store.js';

/**
 * A read model that behaves like a database table: changes made in a transaction are undone when it rolls
 * back. It also counts how often each event was applied, to catch double applications.
 */
export interface CountTable {
  /** Stream id → sum of `by`. */
  readonly totals: Map<string, number>;
  /** Event id → how many times it was applied since the last reset. */
  readonly applied: Map<string, number>;
  /** The table as a plain object, for comparisons. */
  snapshot(): Record<string, number>;
}

export function createCountTable(): CountTable {
  const totals = new Map<string, number>();
  const applied = new Map<string, number>();
  return {
    totals,
    applied,
    snapshot: () => Object.fromEntries([...totals.entries()].sort(([a], [b]) => a.localeCompare(b))),
  };
}

function restore<K, V>(map: Map<K, V>, entries: readonly (readonly [K, V])[]): void {
  map.clear();
  for (const [key, value] of entries) map.set(key, value);
}

export interface CountingOptions {
  readonly name?: string;
  readonly version?: number;
  /** `by` is multiplied by this: a version bump with a new meaning. @defaultValue `1` */
  readonly factor?: number;
  /** Throws on the events it returns true for. */
  readonly failOn?: (event: StoredEvent) => boolean;
}

/** A projection summing `Incremented.by` per stream into `table`, transactionally. */
export function countingProjection(table: CountTable, options: CountingOptions = {}): Projection<MemoryTransaction> {
  const factor = options.factor ?? 1;
  return defineProjection<MemoryTransaction>({
    name: options.name ?? 'counts',
    version: options.version ?? 1,
    reset(tx) {
      const totals = [...table.totals.entries()];
      const applied = [...table.applied.entries()];
      table.totals.clear();
      table.applied.clear();
      tx.onRollback(() => {
        restore(table.totals, totals);
        restore(table.applied, applied);
      });
    },
    handlers: {
      Incremented(tx, event: StoredEvent<'Incremented', { by: number }>) {
        if (options.failOn?.(event)) throw new Error(`cannot project ${event.eventId}`);
        const key = event.streamId;
        const before = table.totals.get(key);
        const count = table.applied.get(event.eventId);
        table.totals.set(key, (before ?? 0) + event.data.by * factor);
        table.applied.set(event.eventId, (count ?? 0) + 1);
        tx.onRollback(() => {
          if (before === undefined) table.totals.delete(key);
          else table.totals.set(key, before);
          if (count === undefined) table.applied.delete(event.eventId);
          else table.applied.set(event.eventId, count);
        });
      },
    },
  });
}

/**
 * Appends `Incremented` events, one append per element of `amounts`; the stream is picked by the amount
 * (`streams[by % streams.length]`), so the totals do not depend on how the amounts are split across calls.
 */
export async function appendIncrements(
  store: EventStore,
  amounts: readonly number[],
  streams: readonly string[] = ['counter-a', 'counter-b'],
): Promise<void> {
  for (const by of amounts) {
    const streamId = streams[Math.abs(by) % streams.length] as string;
    await store.appendToStream(streamId, [{ type: 'Incremented', data: { by } }], { expectedVersion: 'any' });
  }
}

/** The expected totals for `appendIncrements(store, amounts, streams)`. */
export function expectedTotals(
  amounts: readonly number[],
  streams: readonly string[] = ['counter-a', 'counter-b'],
  factor = 1,
): Record<string, number> {
  const totals: Record<string, number> = {};
  amounts.forEach((by) => {
    const streamId = streams[Math.abs(by) % streams.length] as string;
    totals[streamId] = (totals[streamId] ?? 0) + by * factor;
  });
  return Object.fromEntries(Object.entries(totals).sort(([a], [b]) => a.localeCompare(b)));
}

/** Every event applied exactly once. */
export function appliedOnce(table: CountTable): boolean {
  return [...table.applied.values()].every((count) => count === 1);
}

/** A store with only the EventStore methods: no transactions, no commit notifications. */
export function plainStore(store: EventStore): EventStore {
  return {
    kind: 'plain',
    appendToStream: (...args) => store.appendToStream(...args),
    appendMany: (...args) => store.appendMany(...args),
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    streamVersion: (...args) => store.streamVersion(...args),
    headPosition: () => store.headPosition(),
    saveSnapshot: (...args) => store.saveSnapshot(...args),
    loadSnapshot: (...args) => store.loadSnapshot(...args),
    getCheckpoint: (...args) => store.getCheckpoint(...args),
    saveCheckpoint: (...args) => store.saveCheckpoint(...args),
    close: () => store.close(),
  };
}
