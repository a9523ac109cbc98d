import { type Clock, systemClock } from './clock.js';
import type { DecideContext, Decider } from './decider.js';
import { ConcurrencyError, DuplicateEventIdError } from './errors.js';
import type { EventLike, EventMetadata, JsonValue, NewEvent, StoredEvent } from './event.js';
import type { EventRegistry } from './event-registry.js';
import type { EventStore } from './event-store.js';
import type { ExpectedVersion } from './expected-version.js';
import { type IdGenerator, idempotentEventId, uuidV7Ids } from './ids.js';

/** How the command handler retries after a {@link ConcurrencyError}. */
export interface RetryOptions {
  /** Total attempts, the first included. @defaultValue `5` */
  readonly maxAttempts?: number;
  /** Upper bound of the first backoff; it doubles on every retry. @defaultValue `5` (ms) */
  readonly baseDelayMs?: number;
  /** Largest backoff. @defaultValue `200` (ms) */
  readonly maxDelayMs?: number;
}

/** When and how the command handler snapshots state. */
export interface SnapshotOptions<State> {
  /** Save a snapshot each time the stream crosses a multiple of this many events. */
  readonly every: number;
  /** The version of the snapshot's shape; bump it when the state's shape changes and old snapshots are ignored. */
  readonly schemaVersion: number;
  /** State to JSON. @defaultValue the state itself (it must then be JSON) */
  readonly toSnapshot?: (state: State) => JsonValue;
  /** JSON back to state. @defaultValue the JSON itself */
  readonly fromSnapshot?: (snapshot: JsonValue) => State;
}

/** Wiring and behaviour of {@link createCommandHandler}. */
export interface CommandHandlerConfig<Command, Event extends EventLike, State, Context = DecideContext> {
  readonly store: EventStore;
  readonly decider: Decider<Command, Event, State, Context>;
  /**
   * Validates the events `decide` produces before they are appended, and decodes (upcasts) what is read,
   * when the store itself has no registry. @defaultValue none
   */
  readonly registry?: EventRegistry;
  /** @defaultValue the system clock */
  readonly clock?: Clock;
  /** Source of command and event ids. @defaultValue UUID v7 */
  readonly ids?: IdGenerator;
  /**
   * Builds the decider's context from the base one (time and ids). Required when the decider's context is
   * more than {@link DecideContext}. @defaultValue the base context
   */
  readonly context?: (base: DecideContext) => Context;
  /** @defaultValue `{ maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 200 }` */
  readonly retry?: RetryOptions;
  /** @defaultValue no snapshots */
  readonly snapshots?: SnapshotOptions<State>;
  /** Source of backoff jitter in [0, 1). @defaultValue `Math.random` */
  readonly random?: () => number;
}

/** Options of one {@link CommandHandler.handle} call. */
export interface HandleOptions {
  /**
   * Check the stream against this version instead of the loaded one (an optimistic check from a UI that
   * showed version n). A conflict is then the caller's to resolve: it is thrown, never retried.
   */
  readonly expectedVersion?: ExpectedVersion;
  /** Metadata stamped on every appended event: `correlationId`, `causationId`, `actor`, free keys. */
  readonly metadata?: EventMetadata;
  /**
   * The command's id. Handling the same id twice on a stream returns the first outcome and appends nothing:
   * event ids are derived from it, and it is recorded in each event's metadata as `commandId`.
   */
  readonly idempotencyKey?: string;
}

/** What {@link CommandHandler.handle} returns. */
export interface CommandResult<State> {
  /** The events the command appended (or, for a replayed idempotency key, the ones it appended the first time). */
  readonly events: readonly StoredEvent[];
  /** The stream's version afterwards: the next expected version. */
  readonly nextExpectedVersion: number;
  /** The state after the command. */
  readonly state: State;
  /** How many attempts it took (1 when there was no conflict). */
  readonly attempts: number;
  /**
   * True when the idempotency key was found already handled before appending. A duplicate racing the first
   * handling may instead reach the store, which treats the same event ids at the same place as a no-op: the
   * result then carries the same events with `replayed: false`, and still nothing new is written.
   */
  readonly replayed: boolean;
}

/** Loaded aggregate state and the stream version it reflects. */
export interface LoadedState<State, Event> {
  readonly state: State;
  readonly version: number;
  /** Events read after the snapshot (all of them without one). */
  readonly events: readonly (StoredEvent & Event)[];
}

/** A handler of one decider's commands over one store; see {@link createCommandHandler}. */
export interface CommandHandler<Command, Event extends EventLike, State> {
  /** Load → decide → append with the expected version → on conflict reload and retry (bounded, jittered). */
  handle(streamId: string, command: Command, options?: HandleOptions): Promise<CommandResult<State>>;
  /** Loads a stream's state: the latest snapshot (when configured) plus newer events. */
  load(streamId: string): Promise<LoadedState<State, Event>>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates a command handler for a decider.
 *
 * @example
 * ```ts
 * const counter = createCommandHandler({ store, decider: Counter });
 * const { state, nextExpectedVersion } = await counter.handle('counter-1', { type: 'Increment', by: 2 });
 * ```
 */
export function createCommandHandler<Command, Event extends EventLike, State, Context = DecideContext>(
  config: CommandHandlerConfig<Command, Event, State, Context>,
): CommandHandler<Command, Event, State> {
  const { store, decider, registry } = config;
  const clock = config.clock ?? systemClock;
  const ids = config.ids ?? uuidV7Ids;
  const random = config.random ?? Math.random;
  const maxAttempts = Math.max(1, config.retry?.maxAttempts ?? 5);
  const baseDelayMs = Math.max(0, config.retry?.baseDelayMs ?? 5);
  const maxDelayMs = Math.max(0, config.retry?.maxDelayMs ?? 200);
  const snapshots = config.snapshots;
  const buildContext = config.context ?? ((base: DecideContext) => base as unknown as Context);

  const decode = (event: StoredEvent): StoredEvent => {
    if (!registry) return event;
    const decoded = registry.decode(event);
    return { ...event, data: decoded.data, schemaVersion: decoded.schemaVersion };
  };

  const load = async (streamId: string): Promise<LoadedState<State, Event>> => {
    let state = decider.initialState;
    let version = 0;
    if (snapshots) {
      const snapshot = await store.loadSnapshot(streamId, snapshots.schemaVersion);
      if (snapshot) {
        state = snapshots.fromSnapshot ? snapshots.fromSnapshot(snapshot.state) : (snapshot.state as State);
        version = snapshot.streamVersion;
      }
    }
    const events: (StoredEvent & Event)[] = [];
    for await (const stored of store.readStream(streamId, { fromVersion: version + 1 })) {
      const event = decode(stored) as StoredEvent & Event;
      state = decider.evolve(state, event);
      version = event.streamVersion;
      events.push(event);
    }
    return { state, version, events };
  };

  const findHandled = async (streamId: string, key: string, tail: readonly StoredEvent[]): Promise<StoredEvent[]> => {
    const inTail = tail.filter((event) => event.metadata.commandId === key);
    if (inTail.length > 0) return inTail;
    const found: StoredEvent[] = [];
    for await (const event of store.readStream(streamId)) {
      if (event.metadata.commandId === key) found.push(decode(event));
    }
    return found;
  };

  const maybeSnapshot = async (streamId: string, before: number, after: number, state: State): Promise<void> => {
    if (!snapshots || snapshots.every <= 0) return;
    if (Math.floor(after / snapshots.every) === Math.floor(before / snapshots.every)) return;
    try {
      const json = snapshots.toSnapshot ? snapshots.toSnapshot(state) : (state as JsonValue);
      await store.saveSnapshot(streamId, { streamVersion: after, schemaVersion: snapshots.schemaVersion, state: json });
    } catch {
      // A snapshot is an optimisation: failing to save one must not fail a command that has committed.
    }
  };

  return {
    load,
    async handle(streamId, command, options = {}) {
      const key = options.idempotencyKey;
      const commandId = key ?? ids.next();
      const metadata: EventMetadata = {
        ...options.metadata,
        correlationId: options.metadata?.correlationId ?? commandId,
        causationId: options.metadata?.causationId ?? commandId,
        commandId,
      };
      for (let attempt = 1; ; attempt++) {
        const loaded = await load(streamId);
        if (key !== undefined) {
          const handled = await findHandled(streamId, key, loaded.events);
          if (handled.length > 0) {
            return {
              events: handled,
              nextExpectedVersion: loaded.version,
              state: loaded.state,
              attempts: attempt,
              replayed: true,
            };
          }
        }
        const context = buildContext({ now: clock.now(), newId: () => ids.next() });
        const decided = decider.decide(command, loaded.state, context);
        if (decided.length === 0) {
          return {
            events: [],
            nextExpectedVersion: loaded.version,
            state: loaded.state,
            attempts: attempt,
            replayed: false,
          };
        }
        const events: NewEvent[] = decided.map((event, index) => {
          const data = registry
            ? registry.encode(streamId, event.type, event.data, ['events', index]).data
            : event.data;
          return key === undefined
            ? { type: event.type, data }
            : { type: event.type, data, eventId: idempotentEventId(`${streamId}\u241f${key}`, index) };
        });
        const expectedVersion: ExpectedVersion =
          options.expectedVersion ?? (loaded.version === 0 ? 'no_stream' : loaded.version);
        try {
          const result = await store.appendToStream(streamId, events, { expectedVersion, metadata });
          const state = decided.reduce(decider.evolve, loaded.state);
          // Read back what was stored, so the caller sees ids, positions and metadata exactly as persisted.
          const stored = await readBack(streamId, result.nextExpectedVersion - decided.length + 1, decided.length);
          await maybeSnapshot(streamId, loaded.version, result.nextExpectedVersion, state);
          return {
            events: stored,
            nextExpectedVersion: result.nextExpectedVersion,
            state,
            attempts: attempt,
            replayed: false,
          };
        } catch (error) {
          if (key !== undefined && error instanceof DuplicateEventIdError) {
            // Another handler (or an earlier try whose answer was lost) appended this command already.
            const again = await load(streamId);
            const handled = await findHandled(streamId, key, again.events);
            if (handled.length > 0) {
              return {
                events: handled,
                nextExpectedVersion: again.version,
                state: again.state,
                attempts: attempt,
                replayed: true,
              };
            }
            throw error;
          }
          const retryable = error instanceof ConcurrencyError && options.expectedVersion === undefined;
          if (!retryable || attempt >= maxAttempts) throw error;
          const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
          await sleep(Math.floor(random() * ceiling));
        }
      }
    },
  };

  async function readBack(streamId: string, fromVersion: number, count: number): Promise<StoredEvent[]> {
    const stored: StoredEvent[] = [];
    for await (const event of store.readStream(streamId, { fromVersion, maxCount: count })) stored.push(decode(event));
    return stored;
  }
}
