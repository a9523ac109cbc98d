import { type Clock, systemClock } from './clock.js';
import { ValidationError } from './errors.js';
import type { StoredEvent } from './event.js';
import type { EventStore } from './event-store.js';
import { createLeaseKeeper, type LeaseKeeper, type LeaseOptions } from './lease.js';
import { assertName } from './store-support.js';
import {
  assertIntegerOption,
  assertTypesOption,
  type Deferred,
  deferred,
  isTransientStoreError,
  readBatch,
} from './subscription-support.js';
import { createWakeup } from './subscription-wakeup.js';
import { isCommitNotifier } from './transactional-store.js';

/** What a subscription handler gets besides the event. */
export interface SubscriptionContext {
  /** Aborted when the subscription stops: a long handler should give up (and throw) when it fires. */
  readonly signal: AbortSignal;
}

/**
 * Handles one event. The subscription awaits it before the next event: that await is the back-pressure.
 * Throwing stops the subscription (state `failed`); the event is delivered again on the next start.
 */
export type SubscriptionHandler = (event: StoredEvent, context: SubscriptionContext) => void | Promise<void>;

/** Where a subscription without a saved checkpoint starts. */
export type SubscriptionStart = 'start' | 'end' | number;

/** Options of {@link subscribe}. */
export interface SubscriptionOptions {
  /** Called for each event, in global order, one at a time. */
  readonly handler: SubscriptionHandler;
  /**
   * The durable identity of the subscriber. With it, the position reached is saved as the store checkpoint
   * `id` after each batch and resumed from on the next start (at-least-once delivery: a crash between a
   * handler and the checkpoint redelivers at most one batch). Without it, the subscription lives in memory.
   * @defaultValue none: nothing is saved
   */
  readonly id?: string;
  /**
   * Where to start when there is no saved checkpoint: `'start'` (position 0), `'end'` (only events appended
   * from now on) or the first global position to deliver.
   * @defaultValue `'start'`
   */
  readonly from?: SubscriptionStart;
  /** Only events of these types. @defaultValue every type */
  readonly types?: readonly string[];
  /** Events read (and held in memory) at a time; the checkpoint moves once per batch. @defaultValue `100` */
  readonly batchSize?: number;
  /**
   * How often to look for new events when idle. Stores that push commits (`onCommit`) wake the subscription
   * at once; the poll then only guards against a lost notification.
   * @defaultValue `1000` (ms)
   */
  readonly pollIntervalMs?: number;
  /** Compete for the work with other subscribers of the same `id`: only the lease holder runs. Requires `id`. @defaultValue no lease */
  readonly lease?: LeaseOptions;
  /** Told of every error: handler failures and store errors (store outages are retried after a poll interval). @defaultValue ignore */
  readonly onError?: (error: unknown) => void;
  /** Source of time for lease bookkeeping. @defaultValue the system clock */
  readonly clock?: Clock;
}

/** Where a subscription is in its life. */
export type SubscriptionState = 'starting' | 'catching-up' | 'live' | 'standby' | 'stopped' | 'failed';

/** A snapshot of a subscription's progress. */
export interface SubscriptionStatus {
  /** Where it is in its life: `standby` while another holder has its lease, `live` once caught up. */
  readonly state: SubscriptionState;
  /** Every event at or below this global position has been handled (or was of a type not subscribed to). */
  readonly position: number;
  /** The store's head position when the subscription last looked. */
  readonly head: number;
  /** How many positions behind the head it is: `head - position` (an upper bound on events when the store has holes). */
  readonly lag: number;
  /** Events handled since the subscription started. */
  readonly handled: number;
  /** Why it failed, when `state` is `failed`. */
  readonly error?: unknown;
}

/** A running subscription; see {@link subscribe}. */
export interface Subscription {
  /** The checkpoint id, when the subscription has one. */
  readonly id: string | undefined;
  /**
   * Resolves once every event committed before the call has been handled. Rejects if the subscription fails
   * or is stopped first.
   */
  whenCaughtUp(): Promise<void>;
  /** Stops after the event in hand (its handler's signal is aborted), saves the position, releases the lease. */
  stop(): Promise<void>;
  /** Progress and state, without I/O. */
  status(): SubscriptionStatus;
  /** Settles when the subscription ends: resolves after {@link Subscription.stop}, rejects with the error that failed it. */
  readonly done: Promise<void>;
}

/** The default number of events per batch of a subscription. */
export const DEFAULT_SUBSCRIPTION_BATCH_SIZE = 100;
/** The default poll interval of followers, in ms. */
export const DEFAULT_POLL_INTERVAL_MS = 1000;

class HandlerFailure {
  constructor(readonly cause: unknown) {}
}

/**
 * Follows the store's global log: catches up from its checkpoint (or `from`), then stays live, woken by the
 * store's commit notifications where it has them ({@link CommitNotifier}) and by polling otherwise. The
 * handler is awaited event by event and at most one batch is read ahead.
 *
 * @example
 * ```ts
 * const subscription = subscribe(store, {
 *   id: 'mailer',
 *   types: ['MemberJoined'],
 *   handler: async (event) => mailer.send(event.data),
 * });
 * await subscription.whenCaughtUp();
 * await subscription.stop();
 * ```
 */
export function subscribe(store: EventStore, options: SubscriptionOptions): Subscription {
  if (typeof options?.handler !== 'function') {
    throw new ValidationError([{ path: ['handler'], message: 'must be a function', code: 'invalid_type' }]);
  }
  const id = options.id;
  if (id !== undefined) assertName(id, 'id', 'subscription id');
  const from = options.from ?? 'start';
  if (from !== 'start' && from !== 'end') assertIntegerOption(from, 'from', 0);
  assertTypesOption(options.types);
  const batchSize = options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH_SIZE;
  assertIntegerOption(batchSize, 'batchSize', 1, 100_000);
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  assertIntegerOption(pollIntervalMs, 'pollIntervalMs', 1);
  if (options.lease && id === undefined) {
    throw new ValidationError([
      { path: ['lease'], message: 'a leased subscription needs an id to share its checkpoint', code: 'invalid_value' },
    ]);
  }
  const types = options.types ? [...options.types] : undefined;
  const report = (error: unknown): void => {
    try {
      options.onError?.(error);
    } catch {
      // An error reporter that throws must not take the subscription down with it.
    }
  };
  const keeper: LeaseKeeper | undefined = options.lease
    ? createLeaseKeeper(options.lease, options.clock ?? systemClock, report)
    : undefined;

  let state: SubscriptionState = 'starting';
  let position = 0;
  let savedPosition: number | undefined;
  let head = 0;
  let handled = 0;
  let failure: unknown;
  let needsPosition = true;
  let stopping = false;
  const abort = new AbortController();
  const wakeup = createWakeup();
  const finished = deferred<void>();
  // `done` may go unobserved; a rejection nobody asked about must not crash the host.
  finished.promise.catch(() => {});
  const waiters: { target: number; deferred: Deferred<void> }[] = [];

  const settleWaiters = (): void => {
    for (let index = waiters.length - 1; index >= 0; index--) {
      const waiter = waiters[index] as { target: number; deferred: Deferred<void> };
      if (state === 'failed') waiter.deferred.reject(failure);
      else if (!needsPosition && position >= waiter.target) waiter.deferred.resolve();
      else if (state === 'stopped') waiter.deferred.reject(new Error('The subscription stopped before catching up'));
      else continue;
      waiters.splice(index, 1);
    }
  };

  /** Sets `position` from the checkpoint, or from `from` when there is none. */
  const loadPosition = async (): Promise<void> => {
    const checkpoint = id === undefined ? undefined : await store.getCheckpoint(id);
    if (checkpoint !== undefined) {
      position = checkpoint;
      savedPosition = checkpoint;
      return;
    }
    position = from === 'start' ? 0 : from === 'end' ? await store.headPosition() : Math.max(0, from - 1);
    // Saved at the first step even if nothing arrives, so that a restart keeps this start (it matters for 'end').
    savedPosition = undefined;
  };

  const save = async (): Promise<void> => {
    if (id === undefined || savedPosition === position) return;
    await store.saveCheckpoint(id, position);
    savedPosition = position;
  };

  /** Handles one batch; true when more events are already waiting. */
  const step = async (): Promise<boolean> => {
    head = await store.headPosition();
    if (head <= position) {
      await save();
      return false;
    }
    const batch = await readBatch(store, position, head, types, batchSize);
    for (const event of batch.events) {
      if (stopping) break;
      try {
        await options.handler(event, { signal: abort.signal });
      } catch (error) {
        throw new HandlerFailure(error);
      }
      position = event.globalPosition;
      handled += 1;
    }
    // Positions between the last handled event and `through` held nothing wanted: they are done too.
    if (!stopping) position = Math.max(position, batch.through);
    await save();
    settleWaiters();
    return position < head;
  };

  const run = async (): Promise<void> => {
    const unsubscribe = isCommitNotifier(store) ? store.onCommit(() => wakeup.wake()) : undefined;
    keeper?.startRenewing();
    try {
      while (!stopping) {
        wakeup.clear();
        try {
          if (keeper && id !== undefined && !(await keeper.ensure(id))) {
            // Another holder may move the checkpoint meanwhile: re-read it once the lease is ours.
            state = 'standby';
            needsPosition = true;
          } else {
            if (needsPosition) {
              await loadPosition();
              needsPosition = false;
              settleWaiters();
            }
            state = state === 'live' ? 'live' : 'catching-up';
            if (await step()) continue;
            state = 'live';
            settleWaiters();
          }
        } catch (error) {
          const cause = error instanceof HandlerFailure ? error.cause : error;
          if (stopping) break;
          report(cause);
          if (error instanceof HandlerFailure || !isTransientStoreError(error)) {
            failure = cause;
            // Keep what was handled before the failing event, so only it is delivered again.
            await save().catch(report);
            state = 'failed';
            settleWaiters();
            finished.reject(cause);
            return;
          }
        }
        if (!stopping) await wakeup.wait(pollIntervalMs);
      }
      await save().catch(report);
      state = 'stopped';
      settleWaiters();
      finished.resolve();
    } finally {
      unsubscribe?.();
      await keeper?.releaseAll();
    }
  };

  const running = Promise.resolve().then(run);

  return {
    id,
    done: finished.promise,
    async whenCaughtUp() {
      if (state === 'failed') throw failure;
      const target = await store.headPosition();
      const waiter = { target, deferred: deferred<void>() };
      waiters.push(waiter);
      settleWaiters();
      return waiter.deferred.promise;
    },
    async stop() {
      stopping = true;
      abort.abort();
      wakeup.wake();
      await running;
    },
    status() {
      return {
        state,
        position,
        head: Math.max(head, position),
        lag: Math.max(0, head - position),
        handled,
        ...(state === 'failed' ? { error: failure } : {}),
      };
    },
  };
}
