import type { EventLike, EventMetadata, NewEvent, StoredEvent } from '../kernel/event.js';
import type { EventRegistry } from '../kernel/event-registry.js';
import type { AppendManyResult, EventStore, StreamAppend } from '../kernel/event-store.js';
import type { StreamStateCache } from './stream-state-cache.js';

/** What the unit of work needs of an aggregate to fold its stream and decide its commands. */
export interface StreamModel<Command, Event extends EventLike, State, Context> {
  readonly initialState: State;
  decide(command: Command, state: State, context: Context): readonly Event[];
  evolve(state: State, event: Event): State;
}

interface Tracked {
  readonly model: StreamModel<never, EventLike, unknown, never>;
  /** The version read; the expected version of the append. */
  readonly version: number;
  readonly loaded: readonly StoredEvent[];
  state: unknown;
  readonly pending: EventLike[];
}

/** One event appended by {@link UnitOfWork.commit}, with where it landed. */
export interface CommittedEvent {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
}

/**
 * The streams one use-case attempt reads and the events it decides, committed with one `appendMany` whose expected
 * versions are the versions read. A stream is read once per attempt; deciding folds the new events into the state
 * at once, so later decisions in the same attempt see them (two lines on one stock stream, say).
 *
 * @internal Application services only.
 */
export class UnitOfWork {
  readonly #streams = new Map<string, Tracked>();
  readonly #order: string[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly registry: EventRegistry,
    private readonly cache?: StreamStateCache,
  ) {}

  /**
   * Reads (once) and folds a stream; returns its current state, pending events included. A stream whose state is
   * cached is read from the cached version on ({@link loadedEvents} then holds only the newer events).
   */
  async load<C, E extends EventLike, S, X>(streamId: string, model: StreamModel<C, E, S, X>): Promise<S> {
    const known = this.#streams.get(streamId);
    if (known) return known.state as S;
    const cached = this.cache?.get(streamId, model);
    let state = (cached ? cached.state : model.initialState) as S;
    let version = cached ? cached.version : 0;
    const loaded: StoredEvent[] = [];
    for await (const stored of this.store.readStream(streamId, cached ? { fromVersion: version + 1 } : undefined)) {
      const decoded = this.registry.decode(stored);
      const event: StoredEvent = { ...stored, data: decoded.data, schemaVersion: decoded.schemaVersion };
      state = model.evolve(state, event as unknown as E);
      version = event.streamVersion;
      loaded.push(event);
    }
    this.cache?.set(streamId, model, version, state);
    // A concurrent load of the same stream may have finished first; keep the first so the two cannot diverge.
    const again = this.#streams.get(streamId);
    if (again) return again.state as S;
    this.#streams.set(streamId, {
      model: model as unknown as Tracked['model'],
      version,
      loaded,
      state,
      pending: [],
    });
    return state;
  }

  /** The state of a loaded stream, pending events included. @throws Error when the stream was not loaded. */
  state<S>(streamId: string): S {
    return this.#tracked(streamId).state as S;
  }

  /** The stored events read from a loaded stream (not the pending ones). */
  loadedEvents(streamId: string): readonly StoredEvent[] {
    return this.#tracked(streamId).loaded;
  }

  /** The version a loaded stream was read at. */
  version(streamId: string): number {
    return this.#tracked(streamId).version;
  }

  /**
   * Decides a command on a loaded stream's current state; the events are folded in and queued for the commit.
   * Throws whatever `decide` throws, queuing nothing.
   */
  decide<C, E extends EventLike, S, X>(
    streamId: string,
    model: StreamModel<C, E, S, X>,
    command: C,
    context: X,
  ): readonly E[] {
    const tracked = this.#tracked(streamId);
    const events = model.decide(command, tracked.state as S, context);
    this.#queue(streamId, tracked, events, model);
    return events;
  }

  /** Queues events the caller made itself (the customer ledger's), folding them in. */
  append<E extends EventLike, S>(streamId: string, model: StreamModel<never, E, S, never>, events: readonly E[]): void {
    this.#queue(streamId, this.#tracked(streamId), events, model);
  }

  /** True when something is queued. */
  get hasChanges(): boolean {
    return [...this.#streams.values()].some((tracked) => tracked.pending.length > 0);
  }

  /**
   * Validates every queued event with the registry and appends them all in one atomic `appendMany`, each stream
   * checked against the version it was read at. Throws `ConcurrencyError` (nothing written) when any moved.
   */
  async commit(
    metadata: EventMetadata,
  ): Promise<{ readonly result: AppendManyResult; readonly events: CommittedEvent[] }> {
    const appends: StreamAppend[] = [];
    const committed: CommittedEvent[] = [];
    for (const streamId of this.#order) {
      const tracked = this.#tracked(streamId);
      if (tracked.pending.length === 0) continue;
      const events: NewEvent[] = tracked.pending.map((event, index) => {
        // The version travels with the data, so a store without this registry records what was encoded.
        const encoded = this.registry.encode(streamId, event.type, event.data, [streamId, index]);
        return { type: event.type, data: encoded.data, schemaVersion: encoded.schemaVersion };
      });
      appends.push({ streamId, events, expectedVersion: tracked.version === 0 ? 'no_stream' : tracked.version });
      tracked.pending.forEach((event, index) => {
        committed.push({ streamId, streamVersion: tracked.version + index + 1, type: event.type });
      });
    }
    const result = await this.store.appendMany(appends, { metadata });
    return { result, events: committed };
  }

  #tracked(streamId: string): Tracked {
    const tracked = this.#streams.get(streamId);
    if (!tracked) throw new Error(`Stream "${streamId}" was not loaded in this unit of work`);
    return tracked;
  }

  #queue<E extends EventLike, S>(
    streamId: string,
    tracked: Tracked,
    events: readonly E[],
    model: Pick<StreamModel<never, E, S, never>, 'evolve'>,
  ): void {
    if (events.length === 0) return;
    let state = tracked.state as S;
    for (const event of events) state = model.evolve(state, event);
    tracked.state = state;
    tracked.pending.push(...events);
    if (!this.#order.includes(streamId)) this.#order.push(streamId);
  }
}
