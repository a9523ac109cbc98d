// The errors are imported for the `{@link}`s only, so they resolve wherever a store re-documents `appendToStream`.
import type { ConcurrencyError, DuplicateEventIdError, ValidationError } from './errors.js';
import type { EventMetadata, JsonValue, NewEvent, StoredEvent } from './event.js';
import type { ExpectedVersion } from './expected-version.js';

/** Options of {@link EventStore.appendToStream}. */
export interface AppendOptions<Tx = unknown> {
  /** What the stream's version must be for the append to go through. */
  readonly expectedVersion: ExpectedVersion;
  /**
   * Metadata merged under each event's own metadata (the event's keys win). The command handler uses it to
   * stamp correlation and causation ids on a whole batch.
   */
  readonly metadata?: EventMetadata;
  /**
   * Runs inside the append's transaction after the events are written and before they commit, with the
   * stored events (positions assigned) and the adapter's transaction handle. Throwing rolls the whole append
   * back. This is how inline projections write their tables atomically with the events.
   */
  readonly beforeCommit?: BeforeCommitHook<Tx>;
}

/** A hook run in the append's transaction; see {@link AppendOptions.beforeCommit}. */
export type BeforeCommitHook<Tx = unknown> = (events: readonly StoredEvent[], tx: Tx) => void | Promise<void>;

/** What an append returns. */
export interface AppendResult {
  /** The stream's version after the append: pass it as `expectedVersion` next time. */
  readonly nextExpectedVersion: number;
  /** The global position of the last event of this append. */
  readonly lastPosition: number;
}

/** One stream's part of an {@link EventStore.appendMany} call. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedVersion: ExpectedVersion;
}

/** Options of {@link EventStore.appendMany}. */
export interface AppendManyOptions<Tx = unknown> {
  /** Metadata merged under every event's own metadata. */
  readonly metadata?: EventMetadata;
  /** As {@link AppendOptions.beforeCommit}, with the events of every stream in append order. */
  readonly beforeCommit?: BeforeCommitHook<Tx>;
}

/** What {@link EventStore.appendMany} returns. */
export interface AppendManyResult {
  /** One result per entry, in the order given. */
  readonly results: readonly AppendResult[];
  /** The highest global position written (or replayed) by the call. */
  readonly lastPosition: number;
}

/** Options of {@link EventStore.readStream}. */
export interface ReadStreamOptions {
  /**
   * First version to return, inclusive (1-based).
   * @defaultValue `1` forwards; the last version backwards
   */
  readonly fromVersion?: number;
  /** @defaultValue `'forwards'` */
  readonly direction?: 'forwards' | 'backwards';
  /** Return at most this many events. @defaultValue no limit */
  readonly maxCount?: number;
}

/** Options of {@link EventStore.readAll}. */
export interface ReadAllOptions {
  /**
   * First global position to return, inclusive. To resume after a checkpoint `p`, pass `p + 1`.
   * @defaultValue `0` (the beginning)
   */
  readonly fromPosition?: number;
  /** Last global position to return, inclusive ("as of position p"). @defaultValue no bound */
  readonly toPosition?: number;
  /** Only events of these types. @defaultValue every type */
  readonly types?: readonly string[];
  /** How many events the store fetches per page; memory stays bounded by it. @defaultValue `500` */
  readonly batchSize?: number;
}

/** A saved snapshot of a stream's folded state. */
export interface Snapshot<State extends JsonValue = JsonValue> {
  readonly streamId: string;
  /** The stream version the state includes (events after it must be folded on top). */
  readonly streamVersion: number;
  /** The version of the state's shape; a snapshot with another version is ignored on load. */
  readonly schemaVersion: number;
  readonly state: State;
  /** When it was saved (ISO 8601). */
  readonly savedAt: string;
}

/** What {@link EventStore.saveSnapshot} takes. */
export interface SnapshotInput<State extends JsonValue = JsonValue> {
  readonly streamVersion: number;
  readonly schemaVersion: number;
  readonly state: State;
}

/**
 * The event store port: every adapter (memory, SQLite, PostgreSQL, a third party's) implements exactly this,
 * and passes `eventStoreConformance` from `ordo/testing`.
 *
 * @typeParam Tx - the transaction handle given to `beforeCommit` hooks (the adapter documents it).
 */
export interface EventStore<Tx = unknown> {
  /** A short name of the adapter, e.g. `'memory'`, `'sqlite'`, `'postgres'`. */
  readonly kind: string;

  /**
   * Appends events to one stream atomically: all or none.
   *
   * @throws A {@link ConcurrencyError} when `expectedVersion` does not match; nothing is written.
   * @throws A {@link DuplicateEventIdError} when an event id is stored anywhere but the place this append would
   * put it. The same ids at the same place are an idempotent no-op returning the original result.
   * @throws A {@link ValidationError} when an event is malformed or fails its registered schema.
   */
  appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions<Tx>): Promise<AppendResult>;

  /** Appends to several streams atomically: every stream's expected version must match, or nothing is written. */
  appendMany(appends: readonly StreamAppend[], options?: AppendManyOptions<Tx>): Promise<AppendManyResult>;

  /**
   * Reads one stream. A missing stream yields nothing. Streams in pages, so memory stays bounded on long
   * streams. Events are decoded (upcast and validated) by the registry, when there is one.
   */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent>;

  /**
   * Reads every committed event in global order. Never yields position `p` while a lower position may still
   * commit, so a subscriber that checkpoints at `p` misses nothing below it.
   */
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;

  /** The stream's current version; `0` when it does not exist. */
  streamVersion(streamId: string): Promise<number>;

  /** The highest global position a reader may safely see now; `0` when the store is empty. */
  headPosition(): Promise<number>;

  /** Saves (replaces) the snapshot of a stream for a state schema version. */
  saveSnapshot(streamId: string, snapshot: SnapshotInput): Promise<void>;

  /** Loads the snapshot saved for this state schema version, if any. */
  loadSnapshot(streamId: string, schemaVersion: number): Promise<Snapshot | undefined>;

  /** The last position a subscriber recorded as processed, if it ever did. */
  getCheckpoint(subscriberId: string): Promise<number | undefined>;

  /** Records that a subscriber has processed everything up to `position`. */
  saveCheckpoint(subscriberId: string, position: number): Promise<void>;

  /** Releases connections and handles the store owns. Further calls throw `STORE_CLOSED`. */
  close(): Promise<void>;
}
