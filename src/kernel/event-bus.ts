import { type Clock, systemClock } from './clock.js';
import { ValidationError } from './errors.js';
import type { StoredEvent } from './event.js';
import {
  type DeadLetter,
  DeadLetterRecorded,
  DeadLetterResolved,
  deadLetterStreamId,
  readDeadLetters,
} from './event-bus-dead-letters.js';
import type { EventStore } from './event-store.js';
import { idempotentEventId } from './ids.js';
import type { LeaseOptions } from './lease.js';
import { assertName } from './store-support.js';
import {
  DEFAULT_POLL_INTERVAL_MS,
  type Subscription,
  type SubscriptionStart,
  type SubscriptionStatus,
  subscribe,
} from './subscription.js';
import {
  assertIntegerOption,
  assertTypesOption,
  type ErrorSummary,
  isTransientStoreError,
  summarizeError,
} from './subscription-support.js';

/** What an event bus handler gets besides the event. */
export interface EventBusContext {
  /** 1 on first delivery, then 2, 3, ... on retries (and one more on a dead-letter replay). */
  readonly attempt: number;
  /** The handler's name. */
  readonly handler: string;
  /** Aborted when the bus stops: give up and throw; the event is delivered again on the next start. */
  readonly signal: AbortSignal;
}

/** Reacts to one event. Throwing means "try again later"; see {@link RetryPolicy}. */
export type EventBusHandler = (event: StoredEvent, context: EventBusContext) => void | Promise<void>;

/** How a failing handler is retried before its event becomes a dead letter. */
export interface RetryPolicy {
  /** Attempts per event, the first included; after the last failure the event is dead-lettered. @defaultValue `5` */
  readonly maxAttempts?: number;
  /** Pause before the first retry. @defaultValue `100` (ms) */
  readonly initialDelayMs?: number;
  /** Each pause is the previous one times this. @defaultValue `2` */
  readonly factor?: number;
  /** Longest pause. @defaultValue `30000` (ms) */
  readonly maxDelayMs?: number;
}

/** Per-handler options of {@link EventBus.on}. */
export interface EventBusHandlerOptions {
  /**
   * Where a handler seen for the first time starts (after that, its checkpoint rules): `'end'` reacts only to
   * events appended from `start()` on, `'start'` to the whole history, a number to events from that global
   * position.
   * @defaultValue `'end'`, so that adding a reaction does not replay years of history through it
   */
  readonly from?: SubscriptionStart;
  /** Overrides the bus's retry policy for this handler. @defaultValue the bus's */
  readonly retry?: RetryPolicy;
}

/** Wiring and behaviour of {@link createEventBus}. */
export interface EventBusConfig {
  readonly store: EventStore;
  /**
   * The bus's durable name: handler checkpoints are `bus:<name>:<handler>`, dead letters live in the stream
   * `$dead-letters-<name>`.
   */
  readonly name: string;
  /** @defaultValue `{ maxAttempts: 5, initialDelayMs: 100, factor: 2, maxDelayMs: 30000 }` */
  readonly retry?: RetryPolicy;
  /** Events each handler reads at a time; its checkpoint moves once per batch. @defaultValue `20` */
  readonly batchSize?: number;
  /** How often idle handlers look for new events when the store cannot push commits. @defaultValue `1000` (ms) */
  readonly pollIntervalMs?: number;
  /** Compete with other processes running the same bus: one active instance per handler. @defaultValue no lease */
  readonly lease?: LeaseOptions;
  /**
   * Waits between retries; resolves early when `signal` aborts. Inject a fake to test backoff without
   * waiting. @defaultValue a `setTimeout` sleep
   */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Source of dead letters' timestamps. @defaultValue the system clock */
  readonly clock?: Clock;
  /** Told of every handler failure (retried or not) and store error. @defaultValue ignore */
  readonly onError?: (error: unknown, handler: string) => void;
}

/**
 * A handler's progress, as {@link SubscriptionStatus} plus its name and dead-letter count. `handled` counts
 * the events it is done with, dead-lettered ones included.
 */
export interface EventBusHandlerStatus extends SubscriptionStatus {
  /** The handler's name. */
  readonly handler: string;
  /** The event types it handles. */
  readonly types: readonly string[];
  /** Events this handler dead-lettered since the bus started. */
  readonly deadLettered: number;
}

/** The outcome of replaying one dead letter. */
export interface DeadLetterReplay {
  /** The dead letter's id. */
  readonly id: string;
  /** The handler that ran. */
  readonly handler: string;
  /** `resolved`: the handler succeeded and the dead letter is closed. `failed`: it threw again; it stays open. */
  readonly outcome: 'resolved' | 'failed';
  /** Why the replay failed, when it did. */
  readonly error?: ErrorSummary;
}

/** Which dead letters to list or replay. */
export interface DeadLetterFilter {
  /** Only this handler's. @defaultValue every handler's */
  readonly handler?: string;
}

/** In-process publish/subscribe over stored events; see {@link createEventBus}. */
export interface EventBus {
  /** The bus's durable name (see {@link EventBusConfig.name}). */
  readonly name: string;
  /**
   * Registers a handler for some event types, under a name that must stay stable across deploys (it keys
   * the checkpoint and the dead letters). Call before {@link EventBus.start}.
   */
  on(
    name: string,
    types: string | readonly string[],
    handler: EventBusHandler,
    options?: EventBusHandlerOptions,
  ): EventBus;
  /** Starts every handler: each follows the store on its own, from its own checkpoint. */
  start(): Promise<void>;
  /** Stops every handler after the event in hand; an event in retry is delivered again on the next start. */
  stop(): Promise<void>;
  /** Resolves once every handler has dealt with (handled or dead-lettered) every event committed before the call. */
  whenCaughtUp(): Promise<void>;
  /** Progress of every handler. */
  status(): readonly EventBusHandlerStatus[];
  /** The open dead letters, oldest first. */
  deadLetters(filter?: DeadLetterFilter): Promise<readonly DeadLetter[]>;
  /** Runs the handler once more on a dead letter's event; closes the dead letter if it succeeds. */
  replayDeadLetter(id: string): Promise<DeadLetterReplay>;
  /** Replays every open dead letter (of one handler), oldest first. */
  replayDeadLetters(filter?: DeadLetterFilter): Promise<readonly DeadLetterReplay[]>;
  /** Closes a dead letter without running it again. */
  discardDeadLetter(id: string, reason?: string): Promise<void>;
}

interface Registered {
  readonly name: string;
  readonly types: readonly string[];
  readonly handler: EventBusHandler;
  readonly from: SubscriptionStart;
  readonly retry: Required<RetryPolicy>;
  subscription: Subscription | undefined;
  deadLettered: number;
}

const DEFAULT_RETRY: Required<RetryPolicy> = { maxAttempts: 5, initialDelayMs: 100, factor: 2, maxDelayMs: 30_000 };

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

function resolveRetry(
  policy: RetryPolicy | undefined,
  base: Required<RetryPolicy>,
  path: string,
): Required<RetryPolicy> {
  const retry = { ...base, ...policy };
  assertIntegerOption(retry.maxAttempts, `${path}.maxAttempts`, 1);
  assertIntegerOption(retry.initialDelayMs, `${path}.initialDelayMs`, 0);
  assertIntegerOption(retry.maxDelayMs, `${path}.maxDelayMs`, 0);
  if (!(typeof retry.factor === 'number' && Number.isFinite(retry.factor) && retry.factor >= 1)) {
    throw new ValidationError([
      { path: [path, 'factor'], message: 'must be a number of at least 1', code: 'invalid_value' },
    ]);
  }
  return retry;
}

/** The pause before retry number `retry` (1 for the first retry): exponential, capped. */
export function backoffDelay(retry: number, policy: RetryPolicy = {}): number {
  const { initialDelayMs, factor, maxDelayMs } = { ...DEFAULT_RETRY, ...policy };
  return Math.min(maxDelayMs, Math.round(initialDelayMs * factor ** (retry - 1)));
}

class Stopped extends Error {
  constructor() {
    super('The event bus stopped');
  }
}

/**
 * Creates an event bus: handlers per event type, fed by the events stored in `store` (publishing is
 * appending). Each handler follows the log on its own from its own checkpoint, so delivery is at-least-once
 * and one slow or failing handler never holds up another. A failing handler is retried with exponential
 * backoff; after `maxAttempts` failures the event is written to the dead-letter stream and the handler moves
 * on. Nothing is lost: the handler's checkpoint only passes an event once it was handled or dead-lettered.
 *
 * @example
 * ```ts
 * const bus = createEventBus({ store, name: 'reactions' })
 *   .on('welcome-mail', 'MemberJoined', async (event) => mailer.send(...));
 * await bus.start();
 * ```
 */
export function createEventBus(config: EventBusConfig): EventBus {
  const { store } = config;
  assertName(config.name, 'name', 'bus name');
  const busName = config.name;
  const baseRetry = resolveRetry(config.retry, DEFAULT_RETRY, 'retry');
  const batchSize = config.batchSize ?? 20;
  assertIntegerOption(batchSize, 'batchSize', 1, 100_000);
  const pollIntervalMs = config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  assertIntegerOption(pollIntervalMs, 'pollIntervalMs', 1);
  const sleep = config.sleep ?? defaultSleep;
  const clock = config.clock ?? systemClock;
  const handlers = new Map<string, Registered>();
  let started = false;

  const report = (error: unknown, handler: string): void => {
    try {
      config.onError?.(error, handler);
    } catch {
      // A reporter that throws must not stop delivery.
    }
  };

  const recordDeadLetter = async (
    entry: Registered,
    event: StoredEvent,
    attempts: number,
    error: unknown,
    signal: AbortSignal,
  ): Promise<void> => {
    const data = {
      bus: busName,
      handler: entry.name,
      event: {
        eventId: event.eventId,
        type: event.type,
        streamId: event.streamId,
        streamVersion: event.streamVersion,
        globalPosition: event.globalPosition,
      },
      attempts,
      error: summarizeError(error),
      failedAt: clock.now().toISOString(),
    };
    // A fixed id per (bus, handler, event): recording again after a crash is the store's idempotent no-op.
    const eventId = idempotentEventId(`dead-letter:${busName}:${entry.name}:${event.eventId}`, 0);
    for (let failures = 1; ; failures++) {
      try {
        await store.appendToStream(deadLetterStreamId(busName), [{ type: DeadLetterRecorded.type, data, eventId }], {
          expectedVersion: 'any',
        });
        entry.deadLettered += 1;
        return;
      } catch (appendError) {
        // Until it is recorded the event must not be passed: keep trying (the handler waits, others do not).
        report(appendError, entry.name);
        if (!isTransientStoreError(appendError)) throw appendError;
        await sleep(backoffDelay(failures, entry.retry), signal);
        if (signal.aborted) throw new Stopped();
      }
    }
  };

  const deliver =
    (entry: Registered) =>
    async (event: StoredEvent, { signal }: { signal: AbortSignal }): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        try {
          await entry.handler(event, { attempt, handler: entry.name, signal });
          return;
        } catch (error) {
          // Stopping: leave the event unhandled, so it is delivered again on the next start.
          if (signal.aborted) throw new Stopped();
          report(error, entry.name);
          if (attempt >= entry.retry.maxAttempts) {
            await recordDeadLetter(entry, event, attempt, error, signal);
            return;
          }
          await sleep(backoffDelay(attempt, entry.retry), signal);
          if (signal.aborted) throw new Stopped();
        }
      }
    };

  const findDeadLetter = async (id: string): Promise<DeadLetter> => {
    const found = (await readDeadLetters(store, busName)).find((letter) => letter.id === id);
    if (!found) {
      throw new ValidationError([
        { path: ['id'], message: `no open dead letter ${id} on bus "${busName}"`, code: 'not_found' },
      ]);
    }
    return found;
  };

  const resolve = async (id: string, resolution: 'replayed' | 'discarded', reason?: string): Promise<void> => {
    await store.appendToStream(
      deadLetterStreamId(busName),
      [
        {
          type: DeadLetterResolved.type,
          data: { deadLetterId: id, resolution, resolvedAt: clock.now().toISOString(), ...(reason ? { reason } : {}) },
          // One resolution per dead letter, even if two operators click at once.
          eventId: idempotentEventId(`dead-letter-resolved:${id}`, 0),
        },
      ],
      { expectedVersion: 'any' },
    );
  };

  const replay = async (letter: DeadLetter): Promise<DeadLetterReplay> => {
    const entry = handlers.get(letter.handler);
    if (!entry) {
      throw new ValidationError([
        { path: ['handler'], message: `handler "${letter.handler}" is not registered on this bus`, code: 'not_found' },
      ]);
    }
    let event: StoredEvent | undefined;
    const at = letter.event.globalPosition;
    for await (const candidate of store.readAll({ fromPosition: at, toPosition: at })) {
      if (candidate.eventId === letter.event.eventId) event = candidate;
    }
    if (!event) {
      throw new ValidationError([
        { path: ['id'], message: `the event of dead letter ${letter.id} is no longer in the store`, code: 'not_found' },
      ]);
    }
    try {
      await entry.handler(event, {
        attempt: letter.attempts + 1,
        handler: entry.name,
        signal: new AbortController().signal,
      });
    } catch (error) {
      report(error, entry.name);
      return { id: letter.id, handler: letter.handler, outcome: 'failed', error: summarizeError(error) };
    }
    await resolve(letter.id, 'replayed');
    return { id: letter.id, handler: letter.handler, outcome: 'resolved' };
  };

  const bus: EventBus = {
    name: busName,

    on(name, types, handler, options = {}) {
      if (started) {
        throw new ValidationError([
          { path: ['name'], message: 'register handlers before start()', code: 'invalid_state' },
        ]);
      }
      assertName(name, 'name', 'handler name');
      if (handlers.has(name)) {
        throw new ValidationError([
          { path: ['name'], message: `handler "${name}" is already registered`, code: 'duplicate' },
        ]);
      }
      const list = typeof types === 'string' ? [types] : [...(types ?? [])];
      assertTypesOption(list);
      if (typeof handler !== 'function') {
        throw new ValidationError([{ path: ['handler'], message: 'must be a function', code: 'invalid_type' }]);
      }
      const from = options.from ?? 'end';
      if (from !== 'start' && from !== 'end') assertIntegerOption(from, 'from', 0);
      handlers.set(name, {
        name,
        types: list,
        handler,
        from,
        retry: resolveRetry(options.retry, baseRetry, 'retry'),
        subscription: undefined,
        deadLettered: 0,
      });
      return bus;
    },

    async start() {
      if (started) return;
      started = true;
      // 'end' is pinned now, so an event appended right after start() resolves is never missed.
      const head = await store.headPosition();
      for (const entry of handlers.values()) {
        entry.subscription = subscribe(store, {
          id: `bus:${busName}:${entry.name}`,
          from: entry.from === 'end' ? head + 1 : entry.from,
          types: entry.types,
          batchSize,
          pollIntervalMs,
          handler: deliver(entry),
          onError: (error) => {
            if (!(error instanceof Stopped)) report(error, entry.name);
          },
          clock,
          ...(config.lease ? { lease: config.lease } : {}),
        });
      }
    },

    async stop() {
      // The stopped subscriptions stay, so status() still shows where each handler got to.
      await Promise.all([...handlers.values()].map((entry) => entry.subscription?.stop()));
      started = false;
    },

    async whenCaughtUp() {
      await Promise.all([...handlers.values()].map((entry) => entry.subscription?.whenCaughtUp()));
    },

    status() {
      return [...handlers.values()].map((entry) => ({
        handler: entry.name,
        types: entry.types,
        deadLettered: entry.deadLettered,
        ...(entry.subscription?.status() ?? { state: 'stopped', position: 0, head: 0, lag: 0, handled: 0 }),
      }));
    },

    async deadLetters(filter = {}) {
      const letters = await readDeadLetters(store, busName);
      return filter.handler === undefined ? letters : letters.filter((letter) => letter.handler === filter.handler);
    },

    async replayDeadLetter(id) {
      return replay(await findDeadLetter(id));
    },

    async replayDeadLetters(filter = {}) {
      const results: DeadLetterReplay[] = [];
      for (const letter of await bus.deadLetters(filter)) results.push(await replay(letter));
      return results;
    },

    async discardDeadLetter(id, reason) {
      await findDeadLetter(id);
      await resolve(id, 'discarded', reason);
    },
  };
  return bus;
}
