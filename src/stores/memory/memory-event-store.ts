import { type Clock, systemClock } from '../../kernel/clock.js';
import { StoreClosedError, ValidationError } from '../../kernel/errors.js';
import type { EventMetadata, JsonValue, NewEvent, StoredEvent } from '../../kernel/event.js';
import type { EventRegistry } from '../../kernel/event-registry.js';
import type {
  AppendManyOptions,
  AppendManyResult,
  AppendOptions,
  AppendResult,
  BeforeCommitHook,
  ReadAllOptions,
  ReadStreamOptions,
  Snapshot,
  SnapshotInput,
  StreamAppend,
} from '../../kernel/event-store.js';
import { assertExpectedVersion, type ExpectedVersion } from '../../kernel/expected-version.js';
import { type IdGenerator, uuidV7Ids } from '../../kernel/ids.js';
import { findJsonIssue, freezeJsonCopy } from '../../kernel/json.js';
import {
  assertAppendList,
  assertName,
  assertNonNegativeInteger,
  assertSnapshotInput,
  assertStreamId,
  normalizeReadAllOptions,
  normalizeReadStreamOptions,
  type PreparedEvent,
  prepareAppend,
  resolveReplay,
  type StoredIdLocation,
} from '../../kernel/store-support.js';
import type {
  CheckpointTransaction,
  CommitNotifier,
  TransactionalEventStore,
} from '../../kernel/transactional-store.js';

/**
 * The transaction handle the in-memory store gives `beforeCommit` hooks. A hook that changes in-memory
 * state registers how to undo it; if the hook (or a later one) throws, the undos run in reverse order
 * and the events are not committed.
 */
export interface MemoryTransaction extends CheckpointTransaction {
  readonly kind: 'memory';
  /** Registers an undo action, run if the transaction rolls back. */
  onRollback(undo: () => void): void;
}

/**
 * The data behind one or more in-memory stores. Share it between stores to reopen the "same database" with
 * other options (another registry, say), as the conformance suite does.
 */
export interface MemoryEventStorage {
  /** Number of events held. */
  readonly size: number;
}

class Storage implements MemoryEventStorage {
  readonly all: StoredEvent[] = [];
  readonly streams = new Map<string, StoredEvent[]>();
  readonly ids = new Map<string, StoredIdLocation>();
  readonly snapshots = new Map<string, Map<number, Snapshot>>();
  readonly checkpoints = new Map<string, number>();
  readonly listeners = new Set<() => void>();
  /** Set while an append with an async hook is between its check and its commit. */
  busy: Promise<void> | undefined;

  get size(): number {
    return this.all.length;
  }
}

/** Makes an empty {@link MemoryEventStorage}. */
export function createMemoryEventStorage(): MemoryEventStorage {
  return new Storage();
}

/** Options of {@link createMemoryEventStore}. */
export interface MemoryEventStoreOptions {
  /** Event definitions to validate and upcast with. @defaultValue none: events are stored as given */
  readonly registry?: EventRegistry;
  /** Source of `recordedAt` and default `occurredAt`. @defaultValue the system clock */
  readonly clock?: Clock;
  /** Source of event ids. @defaultValue UUID v7 */
  readonly ids?: IdGenerator;
  /** Storage to use, shared with other stores. @defaultValue a new, empty storage */
  readonly storage?: MemoryEventStorage;
}

/** The in-memory store: an {@link EventStore} plus a way to be told of commits. */
export interface MemoryEventStore extends TransactionalEventStore<MemoryTransaction>, CommitNotifier {
  readonly kind: 'memory';
  /** The storage behind this store (pass it to another store to share the data). */
  readonly storage: MemoryEventStorage;
}

interface PlannedAppend {
  readonly streamId: string;
  readonly prepared: readonly PreparedEvent[];
  readonly replay: AppendResult | undefined;
}

/**
 * An {@link EventStore} in process memory: complete (snapshots, checkpoints, global positions), safe under
 * concurrent async callers (one winner per expected version, as in a database), and atomic (readers never
 * see half a batch). The embedded default for tests and single-process hosts.
 *
 * Global positions start at 1 and have no holes.
 */
export function createMemoryEventStore(options: MemoryEventStoreOptions = {}): MemoryEventStore {
  const storage = (options.storage as Storage | undefined) ?? new Storage();
  if (!(storage instanceof Storage)) throw new TypeError('storage must come from createMemoryEventStorage()');
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidV7Ids;
  const registry = options.registry;
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw new StoreClosedError();
  };

  const versionOf = (streamId: string): number => storage.streams.get(streamId)?.length ?? 0;

  const decode = (event: StoredEvent): StoredEvent => {
    if (!registry) return event;
    const decoded = registry.decode(event);
    if (decoded.data === event.data && decoded.schemaVersion === event.schemaVersion) return event;
    return { ...event, data: decoded.data, schemaVersion: decoded.schemaVersion };
  };

  /**
   * Checks expected versions and idempotent replays for every entry, in order, as one unit. Pure with respect
   * to the storage: nothing is written here.
   */
  const plan = (
    entries: readonly { streamId: string; expectedVersion: ExpectedVersion; prepared: readonly PreparedEvent[] }[],
  ): PlannedAppend[] => {
    const pendingVersions = new Map<string, number>();
    const pendingIds = new Map<string, StoredIdLocation>();
    return entries.map(({ streamId, expectedVersion, prepared }) => {
      const found = new Map<string, StoredIdLocation>();
      for (const event of prepared) {
        const location = storage.ids.get(event.eventId) ?? pendingIds.get(event.eventId);
        if (location) found.set(event.eventId, location);
      }
      const replay = resolveReplay(
        streamId,
        expectedVersion,
        prepared.map((event) => event.eventId),
        found,
      );
      if (replay) return { streamId, prepared, replay };
      const current = pendingVersions.get(streamId) ?? versionOf(streamId);
      assertExpectedVersion(streamId, expectedVersion, current);
      pendingVersions.set(streamId, current + prepared.length);
      prepared.forEach((event, index) => {
        pendingIds.set(event.eventId, { streamId, streamVersion: current + index + 1, globalPosition: 0 });
      });
      return { streamId, prepared, replay: undefined };
    });
  };

  const materialize = (planned: readonly PlannedAppend[]): { stored: StoredEvent[][]; results: AppendResult[] } => {
    const recordedAt = clock.now().toISOString();
    const pendingVersions = new Map<string, number>();
    let position = storage.all.length;
    const stored: StoredEvent[][] = [];
    const results: AppendResult[] = [];
    for (const entry of planned) {
      if (entry.replay) {
        stored.push([]);
        results.push(entry.replay);
        continue;
      }
      let version = pendingVersions.get(entry.streamId) ?? versionOf(entry.streamId);
      const events = entry.prepared.map((event) => {
        version += 1;
        position += 1;
        return Object.freeze({
          eventId: event.eventId,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: event.metadata,
          streamId: entry.streamId,
          streamVersion: version,
          globalPosition: position,
          recordedAt,
        }) as StoredEvent;
      });
      pendingVersions.set(entry.streamId, version);
      stored.push(events);
      results.push({ nextExpectedVersion: version, lastPosition: position });
    }
    return { stored, results };
  };

  const commit = (stored: readonly StoredEvent[][]): void => {
    for (const events of stored) {
      for (const event of events) {
        let stream = storage.streams.get(event.streamId);
        if (!stream) {
          stream = [];
          storage.streams.set(event.streamId, stream);
        }
        stream.push(event);
        storage.all.push(event);
        storage.ids.set(event.eventId, {
          streamId: event.streamId,
          streamVersion: event.streamVersion,
          globalPosition: event.globalPosition,
        });
      }
    }
    for (const listener of storage.listeners) {
      try {
        listener();
      } catch {
        // A listener's failure is its own business; the commit has happened.
      }
    }
  };

  /** A transaction over the in-memory data: checkpoint writes are staged, undos run on rollback. */
  const openTransaction = () => {
    const undos: (() => void)[] = [];
    const staged = new Map<string, number>();
    const tx: MemoryTransaction = {
      kind: 'memory',
      onRollback: (undo) => undos.push(undo),
      async getCheckpoint(subscriberId) {
        assertName(subscriberId, 'subscriberId', 'subscriber id');
        return staged.has(subscriberId) ? staged.get(subscriberId) : storage.checkpoints.get(subscriberId);
      },
      async saveCheckpoint(subscriberId, position) {
        assertName(subscriberId, 'subscriberId', 'subscriber id');
        assertNonNegativeInteger(position, 'position');
        staged.set(subscriberId, position);
      },
    };
    return {
      tx,
      commit: () => {
        for (const [subscriberId, position] of staged) storage.checkpoints.set(subscriberId, position);
      },
      rollback: () => {
        for (const undo of undos.reverse()) undo();
      },
    };
  };

  /** Runs `work` while holding the store's write turn, so no append interleaves with it. */
  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    // The loop re-checks after every wake-up and takes the turn in the same tick as its last check: with any
    // await between the two (even of a settled promise), every waiter would pass and each would take the turn.
    while (storage.busy) await storage.busy;
    ensureOpen();
    let release!: () => void;
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    storage.busy = turn;
    try {
      return await work();
    } finally {
      if (storage.busy === turn) storage.busy = undefined;
      release();
    }
  };

  const appendEntries = async (
    entries: readonly { streamId: string; expectedVersion: ExpectedVersion; events: readonly NewEvent[] }[],
    metadata: EventMetadata | undefined,
    hook: BeforeCommitHook<MemoryTransaction> | undefined,
    pathOf: (index: number) => (string | number)[],
  ): Promise<AppendResult[]> => {
    ensureOpen();
    const prepared = entries.map((entry, index) => ({
      streamId: entry.streamId,
      expectedVersion: entry.expectedVersion,
      prepared: prepareAppend(
        entry.streamId,
        entry.events,
        entry.expectedVersion,
        metadata,
        { registry, ids, clock },
        pathOf(index),
      ),
    }));
    if (!hook) {
      // Awaited only when a hooked append holds the turn: an await costs every append a trip through the
      // microtask queue.
      if (storage.busy) {
        // Inline for the same reason as in `exclusive`: the check-and-write must follow the last check.
        while (storage.busy) await storage.busy;
        ensureOpen();
      }
      // No await between the check and the write: this is what makes one winner per expected version.
      const { stored, results } = materialize(plan(prepared));
      commit(stored);
      return results;
    }
    return exclusive(async () => {
      const { stored, results } = materialize(plan(prepared));
      const fresh = stored.flat();
      if (fresh.length > 0) {
        const transaction = openTransaction();
        try {
          await hook(fresh.map(decode), transaction.tx);
        } catch (error) {
          transaction.rollback();
          throw error;
        }
        transaction.commit();
      }
      commit(stored);
      return results;
    });
  };

  async function* readStreamEvents(streamId: string, readOptions?: ReadStreamOptions): AsyncGenerator<StoredEvent> {
    ensureOpen();
    assertStreamId(streamId);
    const { fromVersion, direction, maxCount } = normalizeReadStreamOptions(readOptions);
    const stream = storage.streams.get(streamId);
    if (!stream || maxCount === 0) return;
    let emitted = 0;
    if (direction === 'forwards') {
      const end = stream.length;
      for (let version = fromVersion ?? 1; version <= end && emitted < maxCount; version++, emitted++) {
        yield decode(stream[version - 1] as StoredEvent);
      }
    } else {
      const start = Math.min(fromVersion ?? stream.length, stream.length);
      for (let version = start; version >= 1 && emitted < maxCount; version--, emitted++) {
        yield decode(stream[version - 1] as StoredEvent);
      }
    }
  }

  async function* readAllEvents(readOptions?: ReadAllOptions): AsyncGenerator<StoredEvent> {
    ensureOpen();
    const { fromPosition, toPosition, types } = normalizeReadAllOptions(readOptions);
    const wanted = types ? new Set(types) : undefined;
    const end = Math.min(storage.all.length, toPosition);
    for (let index = Math.max(fromPosition, 1) - 1; index < end; index++) {
      const event = storage.all[index] as StoredEvent;
      if (wanted && !wanted.has(event.type)) continue;
      yield decode(event);
    }
  }

  return {
    kind: 'memory',
    storage,

    async appendToStream(
      streamId: string,
      events: readonly NewEvent[],
      appendOptions: AppendOptions<MemoryTransaction>,
    ) {
      const [result] = await appendEntries(
        [{ streamId, expectedVersion: appendOptions?.expectedVersion, events }],
        appendOptions?.metadata,
        appendOptions?.beforeCommit,
        () => [],
      );
      return result as AppendResult;
    },

    async appendMany(
      appends: readonly StreamAppend[],
      manyOptions?: AppendManyOptions<MemoryTransaction>,
    ): Promise<AppendManyResult> {
      ensureOpen();
      assertAppendList(appends);
      const results = await appendEntries(appends, manyOptions?.metadata, manyOptions?.beforeCommit, (index) => [
        'appends',
        index,
      ]);
      return { results, lastPosition: Math.max(0, ...results.map((result) => result.lastPosition)) };
    },

    readStream: readStreamEvents,
    readAll: readAllEvents,

    async streamVersion(streamId) {
      ensureOpen();
      assertStreamId(streamId);
      return versionOf(streamId);
    },

    async headPosition() {
      ensureOpen();
      return storage.all.length;
    },

    async saveSnapshot(streamId: string, snapshot: SnapshotInput) {
      ensureOpen();
      assertStreamId(streamId);
      assertSnapshotInput(snapshot);
      assertNonNegativeInteger(snapshot.streamVersion, 'streamVersion');
      assertNonNegativeInteger(snapshot.schemaVersion, 'schemaVersion');
      // Refuse what the SQL stores could not keep exactly (functions, Dates, NaN), rather than keep it here.
      const stateIssue = findJsonIssue(snapshot.state, ['state']);
      if (stateIssue) throw new ValidationError([stateIssue]);
      let byVersion = storage.snapshots.get(streamId);
      if (!byVersion) {
        byVersion = new Map();
        storage.snapshots.set(streamId, byVersion);
      }
      byVersion.set(snapshot.schemaVersion, {
        streamId,
        streamVersion: snapshot.streamVersion,
        schemaVersion: snapshot.schemaVersion,
        state: freezeJsonCopy(snapshot.state as JsonValue),
        savedAt: clock.now().toISOString(),
      });
    },

    async loadSnapshot(streamId, schemaVersion) {
      ensureOpen();
      assertStreamId(streamId);
      return storage.snapshots.get(streamId)?.get(schemaVersion);
    },

    async getCheckpoint(subscriberId) {
      ensureOpen();
      assertName(subscriberId, 'subscriberId', 'subscriber id');
      return storage.checkpoints.get(subscriberId);
    },

    async saveCheckpoint(subscriberId, position) {
      ensureOpen();
      assertName(subscriberId, 'subscriberId', 'subscriber id');
      assertNonNegativeInteger(position, 'position');
      storage.checkpoints.set(subscriberId, position);
    },

    withTransaction<T>(work: (tx: MemoryTransaction) => Promise<T>): Promise<T> {
      return exclusive(async () => {
        const transaction = openTransaction();
        let result: T;
        try {
          result = await work(transaction.tx);
        } catch (error) {
          transaction.rollback();
          throw error;
        }
        transaction.commit();
        return result;
      });
    },

    onCommit(listener) {
      storage.listeners.add(listener);
      return () => storage.listeners.delete(listener);
    },

    async close() {
      closed = true;
    },
  };
}
