import { z } from 'zod';
import { type Clock, systemClock } from './clock.js';
import type { DecideContext, Decider } from './decider.js';
import { ConcurrencyError, DuplicateEventIdError, ValidationError } from './errors.js';
import type { EventLike, EventMetadata, JsonValue, NewEvent, StoredEvent } from './event.js';
import type { EventRegistry } from './event-registry.js';
import type { EventStore } from './event-store.js';
import type { ExpectedVersion } from './expected-version.js';
import { type IdGenerator, idempotentEventId, uuidV7Ids } from './ids.js';
import { parseOrThrow } from './validation.js';

/**
 * How the command handler retries after a {@link ConcurrencyError}. Before retry `n` (n = 1, 2, ...) it waits
 * `floor(random() × min(maxDelayMs, baseDelayMs × 2^(n − 1)))` ms ("full jitter"). Checked when the handler is
 * created: a bad value is `VALIDATION_FAILED` with its path, e.g. `['retry', 'maxAttempts']`.
 */
export interface RetryOptions {
  /** Total attempts, the first included: a positive integer (`1` never retries). @defaultValue `5` */
  readonly maxAttempts?: number;
  /** Upper bound of the first backoff, in ms, finite and ≥ 0; it doubles on every retry. @defaultValue `5` */
  readonly baseDelayMs?: number;
  /** Largest backoff, in ms, finite and ≥ 0 (at most 2^31 − 1). @defaultValue `200` */
  readonly maxDelayMs?: number;
}

/** When and how the command handler snapshots state. */
export interface SnapshotOptions<State> {
  /** Save a snapshot each time the stream crosses a multiple of this many events: a positive integer. */
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
   * when the store itself has no registry. Appended events carry the registry's current `schemaVersion` for
   * their type, which a store without a registry records as given, so reading them back upcasts nothing that
   * is already current. @defaultValue none
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
   * The command's id. Handling the same id twice on a stream returns the first outcome — its events, and the
   * state and version right after them — and appends nothing: event ids are derived from it (name-based UUID
   * v5, so every process derives the same ones), and it is recorded in each event's metadata as `commandId`.
   *
   * A handling that decided no events leaves no trace in the stream, so a later call with the same key is
   * decided afresh and may append.
   */
  readonly idempotencyKey?: string;
}

/** What {@link CommandHandler.handle} returns. */
export interface CommandResult<State> {
  /** The events the command appended (or, for a replayed idempotency key, the ones it appended the first time). */
  readonly events: readonly StoredEvent[];
  /**
   * The stream's version after the command: the next expected version. For a replayed idempotency key, the
   * version of the last event the first handling appended (the stream may have moved on since).
   */
  readonly nextExpectedVersion: number;
  /** The state after the command (for a replayed key: folded up to the first handling's last event). */
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

/** Largest delay `setTimeout` honours (about 24.8 days); anything longer would fire at once. */
const MAX_DELAY_MS = 2_147_483_647;

const isFunction = (value: unknown): boolean => typeof value === 'function';
const fn = z.custom<(...args: never[]) => unknown>(isFunction, { message: 'must be a function' });
const delay = z.number().min(0).max(MAX_DELAY_MS);

/** The shape {@link createCommandHandler} checks its config against (functions by type only). */
const ConfigSchema = z.object({
  store: z
    .object(
      { appendToStream: fn, readStream: fn, loadSnapshot: fn, saveSnapshot: fn },
      { error: 'must be an EventStore' },
    )
    .loose(),
  decider: z
    .object({ decide: fn, evolve: fn }, { error: 'must be a decider { initialState, decide, evolve }' })
    .loose(),
  registry: z.object({ encode: fn, decode: fn }, { error: 'must be an EventRegistry' }).loose().optional(),
  clock: z.object({ now: fn }, { error: 'must be a Clock { now() }' }).loose().optional(),
  ids: z.object({ next: fn }, { error: 'must be an IdGenerator { next() }' }).loose().optional(),
  context: fn.optional(),
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(1).optional(),
      baseDelayMs: delay.optional(),
      maxDelayMs: delay.optional(),
    })
    .optional(),
  snapshots: z
    .strictObject({
      every: z.number().int().min(1),
      schemaVersion: z.number().int().min(0),
      toSnapshot: fn.optional(),
      fromSnapshot: fn.optional(),
    })
    .optional(),
  random: fn.optional(),
});

/** What a replayed idempotency key gives back: its events and the stream as of the last of them. */
interface Replay<State> {
  readonly events: StoredEvent[];
  readonly state: State;
  readonly version: number;
}

/** Loaded state plus what it was folded onto: the snapshot (or the initial state at version 0). */
interface Loaded<State, Event> extends LoadedState<State, Event> {
  readonly baseState: State;
  readonly baseVersion: number;
}

/**
 * Creates a command handler for a decider.
 *
 * @throws {@link ValidationError} (`VALIDATION_FAILED`, with the path of each bad option, e.g.
 * `['retry', 'maxAttempts']`) when the config is malformed: a missing store or decider, retry counts that are
 * not positive integers, negative or non-finite delays, a snapshot interval that is not a positive integer.
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
  parseOrThrow(ConfigSchema, config);
  const { store, decider, registry } = config;
  const clock = config.clock ?? systemClock;
  const ids = config.ids ?? uuidV7Ids;
  const random = config.random ?? Math.random;
  const maxAttempts = config.retry?.maxAttempts ?? 5;
  const baseDelayMs = config.retry?.baseDelayMs ?? 5;
  const maxDelayMs = config.retry?.maxDelayMs ?? 200;
  const snapshots = config.snapshots;
  const buildContext = config.context ?? ((base: DecideContext) => base as unknown as Context);
  const evolve = (state: State, event: Event): State => decider.evolve(state, event);

  /** Full jitter: a delay drawn uniformly below `baseDelayMs × 2^(attempt − 1)`, capped at `maxDelayMs`. */
  const backoff = (attempt: number): number => {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 30));
    const draw = random();
    const jitter = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
    return Math.floor(jitter * ceiling);
  };

  const decode = (event: StoredEvent): StoredEvent => {
    if (!registry) return event;
    const decoded = registry.decode(event);
    return { ...event, data: decoded.data, schemaVersion: decoded.schemaVersion };
  };

  const loadFull = async (streamId: string): Promise<Loaded<State, Event>> => {
    let baseState = decider.initialState;
    let baseVersion = 0;
    if (snapshots) {
      const snapshot = await store.loadSnapshot(streamId, snapshots.schemaVersion);
      if (snapshot) {
        baseState = snapshots.fromSnapshot ? snapshots.fromSnapshot(snapshot.state) : (snapshot.state as State);
        baseVersion = snapshot.streamVersion;
      }
    }
    let state = baseState;
    let version = baseVersion;
    const events: (StoredEvent & Event)[] = [];
    for await (const stored of store.readStream(streamId, { fromVersion: baseVersion + 1 })) {
      const event = decode(stored) as StoredEvent & Event;
      state = evolve(state, event);
      version = event.streamVersion;
      events.push(event);
    }
    return { state, version, events, baseState, baseVersion };
  };

  const load = async (streamId: string): Promise<LoadedState<State, Event>> => {
    const { state, version, events } = await loadFull(streamId);
    return { state, version, events };
  };

  /**
   * Finds the events an earlier handling of `key` appended, and the state and version right after the last of
   * them. The loaded events are searched first (without a snapshot they are the whole stream, so nothing is
   * read again); only the versions a snapshot hid are read from the store.
   */
  const findHandled = async (
    streamId: string,
    key: string,
    loaded: Loaded<State, Event>,
  ): Promise<Replay<State> | undefined> => {
    const matches = (event: StoredEvent): boolean => event.metadata.commandId === key;
    const tail = loaded.events;
    const first = tail.findIndex(matches);
    if (first >= 0) {
      let last = first;
      for (let index = first + 1; index < tail.length; index++) if (matches(tail[index] as StoredEvent)) last = index;
      const handled: StoredEvent[] = tail.slice(first, last + 1).filter(matches);
      // One command's events are one batch: when the batch starts right after the snapshot, its head may be hidden.
      const hidden =
        first === 0 && loaded.baseVersion > 0 ? await handledBefore(streamId, loaded.baseVersion, key) : [];
      return {
        events: [...hidden, ...handled],
        state: tail.slice(0, last + 1).reduce(evolve, loaded.baseState),
        version: (tail[last] as StoredEvent).streamVersion,
      };
    }
    if (loaded.baseVersion === 0) return undefined;
    // A snapshot hid versions 1..baseVersion: scan them (metadata only), then fold up to the last match.
    const found: StoredEvent[] = [];
    for await (const stored of store.readStream(streamId, { maxCount: loaded.baseVersion })) {
      if (matches(stored)) found.push(decode(stored));
    }
    const lastFound = found.at(-1);
    if (!lastFound) return undefined;
    const version = lastFound.streamVersion;
    if (version === loaded.baseVersion) return { events: found, state: loaded.baseState, version };
    let state = decider.initialState;
    for await (const stored of store.readStream(streamId, { maxCount: version })) {
      state = evolve(state, decode(stored) as StoredEvent & Event);
    }
    return { events: found, state, version };
  };

  /** The events of `key` at `version` and just below it, in stream order. */
  const handledBefore = async (streamId: string, version: number, key: string): Promise<StoredEvent[]> => {
    const found: StoredEvent[] = [];
    for await (const stored of store.readStream(streamId, { fromVersion: version, direction: 'backwards' })) {
      if (stored.metadata.commandId !== key) break;
      found.unshift(decode(stored));
    }
    return found;
  };

  const maybeSnapshot = async (streamId: string, before: number, after: number, state: State): Promise<void> => {
    if (!snapshots) return;
    if (Math.floor(after / snapshots.every) === Math.floor(before / snapshots.every)) return;
    try {
      const json = snapshots.toSnapshot ? snapshots.toSnapshot(state) : (state as JsonValue);
      await store.saveSnapshot(streamId, { streamVersion: after, schemaVersion: snapshots.schemaVersion, state: json });
    } catch {
      // A snapshot is an optimisation: failing to save one must not fail a command that has committed.
    }
  };

  const replayed = (replay: Replay<State>, attempts: number): CommandResult<State> => ({
    events: replay.events,
    nextExpectedVersion: replay.version,
    state: replay.state,
    attempts,
    replayed: true,
  });

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
        const loaded = await loadFull(streamId);
        if (key !== undefined) {
          const handled = await findHandled(streamId, key, loaded);
          if (handled) return replayed(handled, attempt);
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
          // With a registry the data is validated here and written with the version it was validated at, so a
          // store without a registry records that version (not 1) and reads decode it correctly.
          const encoded = registry
            ? registry.encode(streamId, event.type, event.data, ['events', index])
            : { schemaVersion: undefined, data: event.data };
          return {
            type: event.type,
            data: encoded.data,
            ...(encoded.schemaVersion === undefined ? {} : { schemaVersion: encoded.schemaVersion }),
            ...(key === undefined ? {} : { eventId: idempotentEventId(`${streamId}\u241f${key}`, index) }),
          };
        });
        const expectedVersion: ExpectedVersion =
          options.expectedVersion ?? (loaded.version === 0 ? 'no_stream' : loaded.version);
        try {
          const result = await store.appendToStream(streamId, events, { expectedVersion, metadata });
          // Read back what was stored, so the caller sees ids, positions, metadata and data exactly as persisted,
          // and the state is the one a later load folds.
          const stored = await readBack(streamId, result.nextExpectedVersion - decided.length + 1, decided.length);
          const state = (stored as (StoredEvent & Event)[]).reduce(evolve, loaded.state);
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
            const handled = await findHandled(streamId, key, await loadFull(streamId));
            if (handled) return replayed(handled, attempt);
            throw error;
          }
          const retryable = error instanceof ConcurrencyError && options.expectedVersion === undefined;
          if (!retryable || attempt >= maxAttempts) throw error;
          await sleep(backoff(attempt));
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
