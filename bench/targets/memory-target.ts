/**
 * The in-memory store and its baseline: a `Map` of arrays with a version check that copies each event,
 * which is the least any in-memory event store can do (it must copy, or a caller mutating its object would
 * rewrite history).
 */
import {
  ConcurrencyError,
  createMemoryEventStorage,
  createMemoryEventStore,
  type EventStore,
  type NewEvent,
} from 'ordo';
import { newEventId } from '../lib/events.js';
import type { BenchTarget, RawEvent, RawReader, RawWriter } from '../lib/types.js';

/** A deep copy of JSON, unfrozen: the copy a store needs to own its data. */
function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyJson((value as Record<string, unknown>)[key]);
  return copy;
}

/** The baseline's data: streams as arrays, plus the global log. */
class MapOfArrays implements RawWriter, RawReader {
  readonly streams = new Map<string, RawEvent[]>();
  readonly all: RawEvent[] = [];

  #write(streamId: string, expectedVersion: number, events: readonly NewEvent[]): void {
    let stream = this.streams.get(streamId);
    const actual = stream?.length ?? 0;
    if (actual !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion, actual);
    if (!stream) {
      stream = [];
      this.streams.set(streamId, stream);
    }
    const recordedAt = new Date().toISOString();
    let version = expectedVersion;
    for (const event of events) {
      const stored: RawEvent = {
        globalPosition: this.all.length + 1,
        eventId: event.eventId ?? newEventId(),
        streamId,
        streamVersion: ++version,
        type: event.type,
        schemaVersion: 1,
        data: copyJson(event.data),
        metadata: { ...(copyJson(event.metadata ?? {}) as object), occurredAt: recordedAt },
        recordedAt,
      };
      stream.push(stored);
      this.all.push(stored);
    }
  }

  async appendOne(streamId: string, expectedVersion: number, event: NewEvent): Promise<void> {
    this.#write(streamId, expectedVersion, [event]);
  }

  async appendBatch(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<void> {
    this.#write(streamId, expectedVersion, events);
  }

  async streamVersion(streamId: string): Promise<number> {
    return this.streams.get(streamId)?.length ?? 0;
  }

  isConflict(error: unknown): boolean {
    return error instanceof ConcurrencyError;
  }

  async readAllPage(fromPosition: number, limit: number): Promise<readonly RawEvent[]> {
    const start = Math.max(fromPosition, 1) - 1;
    return this.all.slice(start, start + limit);
  }

  async readStreamPage(streamId: string, fromVersion: number, limit: number): Promise<readonly RawEvent[]> {
    const start = Math.max(fromVersion, 1) - 1;
    return this.streams.get(streamId)?.slice(start, start + limit) ?? [];
  }

  async close(): Promise<void> {
    this.streams.clear();
    this.all.length = 0;
  }
}

/** A fresh in-memory store with its `Map`-of-arrays baseline. */
export async function createMemoryTarget(): Promise<BenchTarget> {
  const storage = createMemoryEventStorage();
  const eventStore = createMemoryEventStore({ storage });
  let rawTable: MapOfArrays | undefined;
  return {
    store: 'memory',
    eventStore,
    info: {},
    driverLabel: 'Map of arrays',

    async openWriters(count) {
      // Stores sharing one storage behave as connections to one database would.
      const stores: EventStore[] = Array.from({ length: count }, () => createMemoryEventStore({ storage }));
      return { stores, close: async () => void (await Promise.all(stores.map((store) => store.close()))) };
    },

    async openRawWriters(count) {
      rawTable ??= new MapOfArrays();
      const table = rawTable;
      return { writers: Array.from({ length: count }, () => table), close: async () => {} };
    },

    async openRawReader() {
      // A plain copy of what the store holds, built untimed, so the baseline reads the same events.
      const copy = new MapOfArrays();
      for await (const event of eventStore.readAll({ batchSize: 10_000 })) {
        const stored: RawEvent = { ...event, data: copyJson(event.data), metadata: copyJson(event.metadata) };
        let stream = copy.streams.get(event.streamId);
        if (!stream) {
          stream = [];
          copy.streams.set(event.streamId, stream);
        }
        stream.push(stored);
        copy.all.push(stored);
      }
      return copy;
    },

    async close() {
      await eventStore.close();
      await rawTable?.close();
    },
  };
}
