import type { StoredEvent } from '../kernel/event.js';
import type { EventStore } from '../kernel/event-store.js';
import { decodeForExport, type ExportSource } from './export-sources.js';

/**
 * The state of each aggregate just before the event being exported, for transforms that need more than one
 * event (an order's totals on submit, an invoice's outstanding after a payment, stock after a movement).
 *
 * @remarks
 * The state before event `v` of a stream is a function of that stream's events `1..v-1`, which are immutable
 * and all below the event in the global order. So it is never checkpointed: a cache keeps the states of the
 * streams seen recently, and on a miss (a resumed run, an evicted stream) the state is folded again from
 * `readStream`. Either way it is the same state, so rows do not depend on where a run started.
 */
export interface StreamStateCache {
  /** The source's state of `event`'s stream before `event`. */
  stateBefore(source: ExportSource, event: StoredEvent): Promise<unknown>;
  /** Records the state after `event`, for the stream's next event. */
  remember(source: ExportSource, event: StoredEvent, after: unknown): void;
}

interface Entry {
  readonly version: number;
  readonly state: unknown;
}

/** A least-recently-used {@link StreamStateCache} of at most `maxEntries` streams. */
export function createStreamStateCache(store: EventStore, maxEntries: number): StreamStateCache {
  const entries = new Map<string, Entry>();
  const keyOf = (source: ExportSource, streamId: string) => `${source.name}\u0000${streamId}`;

  return {
    async stateBefore(source, event) {
      const key = keyOf(source, event.streamId);
      const cached = entries.get(key);
      if (cached && cached.version === event.streamVersion - 1) return cached.state;
      let state = source.initialState;
      if (event.streamVersion > 1) {
        for await (const earlier of store.readStream(event.streamId, { maxCount: event.streamVersion - 1 })) {
          if (earlier.streamVersion >= event.streamVersion) break;
          // Another aggregate's event in the stream is not part of this aggregate's state.
          if (!source.types.has(earlier.type)) continue;
          state = source.evolve(state, decodeForExport(earlier));
        }
      }
      return state;
    },

    remember(source, event, after) {
      const key = keyOf(source, event.streamId);
      // Re-inserting moves the stream to the young end of the Map's insertion order.
      entries.delete(key);
      entries.set(key, { version: event.streamVersion, state: after });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
  };
}
