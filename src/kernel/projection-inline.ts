import type { Clock } from './clock.js';
import type { NewEvent, StoredEvent } from './event.js';
import type { AppendManyOptions, AppendOptions, BeforeCommitHook, StreamAppend } from './event-store.js';
import {
  applyToProjection,
  type Projection,
  projectionCheckpointId,
  projectionDeferredId,
  projectionVersionId,
} from './projection.js';
import { createProjectionRunner, type RebuildProgress } from './projection-runner.js';
import type { CheckpointTransaction, TransactionalEventStore } from './transactional-store.js';

/** The transaction handle type of a store. */
export type TransactionOf<S> = S extends TransactionalEventStore<infer Tx> ? Tx : never;

/** Options of {@link withInlineProjections}. */
export interface InlineProjectionOptions {
  /** Events per transaction when a projection is built or rebuilt from history. @defaultValue `100` */
  readonly batchSize?: number;
  /** Progress of those builds. @defaultValue none */
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** Source of time for progress rates. @defaultValue the system clock */
  readonly clock?: Clock;
}

/** What {@link withInlineProjections} adds to the store it wraps. */
export interface InlineProjectionControls {
  /**
   * Brings every inline projection up to date with what is already stored: builds a new one from position 0,
   * rebuilds one whose version changed, applies what was appended around the wrapper. The first append
   * through the store calls it; call it at start-up to pay for a long rebuild there instead.
   */
  projectionsReady(): Promise<void>;
}

/** A store whose appends also run inline projections; see {@link withInlineProjections}. */
export type InlineProjectionStore<S> = S & InlineProjectionControls;

/**
 * Wraps a store so that every append through it also applies the given projections, inside the append's
 * transaction (its `beforeCommit` hook, after the caller's own hook): a projection that throws rolls the
 * whole append back, and a read model never lags its events. The result is the same store (same methods,
 * same capabilities) plus {@link InlineProjectionControls.projectionsReady}.
 *
 * @remarks
 * - Each projection moves its checkpoint (`projection:<name>`) with every append, so it can also be run by
 *   a {@link createProjectionRunner} and switched between inline and async without a rebuild.
 * - Every append must go through a wrapped store: events appended around it are only applied by the next
 *   `projectionsReady()` (or a runner).
 * - While a projection is being (re)built, inline appends leave it alone and the build applies their events;
 *   it turns inline again once caught up. On PostgreSQL, rebuild inline projections with writers paused.
 *
 * @example
 * ```ts
 * const store = withInlineProjections(createMemoryEventStore(), [balances]);
 * await store.appendToStream('account-1', [{ type: 'Deposited', data: { amount: '10.00' } }], {
 *   expectedVersion: 'no_stream',
 * });
 * balances.state; // already includes the deposit
 * ```
 */
export function withInlineProjections<S extends TransactionalEventStore<CheckpointTransaction>>(
  store: S,
  projections: readonly Projection<TransactionOf<S>>[],
  options: InlineProjectionOptions = {},
): InlineProjectionStore<S> {
  type Tx = TransactionOf<S>;
  const list = [...projections];
  // `S` is only known to be a store of some transaction type; this is the same store seen with its own.
  const target = store as unknown as TransactionalEventStore<Tx>;
  // The runner validates the store, the projections and the options now, not at the first append.
  const runner = createProjectionRunner<Tx>({
    store: target,
    projections: list,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });

  let ready: Promise<void> | undefined;
  const projectionsReady = (): Promise<void> => {
    if (!ready) {
      ready = runner.catchUp().then(
        () => undefined,
        (error: unknown) => {
          // Let the next append try again rather than fail forever on a passing error.
          ready = undefined;
          throw error;
        },
      );
    }
    return ready;
  };

  const apply = async (events: readonly StoredEvent[], tx: Tx): Promise<void> => {
    const last = events[events.length - 1];
    if (!last) return;
    for (const projection of list) {
      if ((await tx.getCheckpoint(projectionVersionId(projection.name))) !== projection.version) {
        // Not live (never built, or being rebuilt): the build will apply these events, so stand aside, and
        // say so, so that the build does not go live before it has covered them.
        const deferredId = projectionDeferredId(projection.name);
        const deferred = (await tx.getCheckpoint(deferredId)) ?? 0;
        await tx.saveCheckpoint(deferredId, Math.max(deferred, last.globalPosition));
        continue;
      }
      // These events are being written by this very transaction, so nothing can have applied them yet. On
      // PostgreSQL positions are assigned at write time and transactions commit out of order: a later position
      // may already have moved the checkpoint past ours, so never filter by it and never move it backwards.
      const checkpointId = projectionCheckpointId(projection.name);
      const checkpoint = (await tx.getCheckpoint(checkpointId)) ?? 0;
      await applyToProjection(projection, tx, events);
      await tx.saveCheckpoint(checkpointId, Math.max(checkpoint, last.globalPosition));
    }
  };

  const compose =
    (hook: BeforeCommitHook<Tx> | undefined): BeforeCommitHook<Tx> =>
    async (events, tx) => {
      if (hook) await hook(events, tx);
      await apply(events, tx);
    };

  const overrides: Record<PropertyKey, unknown> = {
    projectionsReady,
    async appendToStream(streamId: string, events: readonly NewEvent[], appendOptions: AppendOptions<Tx>) {
      await projectionsReady();
      return target.appendToStream(streamId, events, {
        ...appendOptions,
        beforeCommit: compose(appendOptions?.beforeCommit),
      });
    },
    async appendMany(appends: readonly StreamAppend[], manyOptions?: AppendManyOptions<Tx>) {
      await projectionsReady();
      return target.appendMany(appends, { ...manyOptions, beforeCommit: compose(manyOptions?.beforeCommit) });
    },
  };
  const bound = new Map<PropertyKey, unknown>();

  // A proxy rather than a copy: the store may be a class with private state, and keeps every capability
  // (withTransaction, onCommit, adapter extras) without this module knowing them.
  return new Proxy(store, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property];
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let method = bound.get(property);
      if (!method) {
        method = (value as (...args: unknown[]) => unknown).bind(target);
        bound.set(property, method);
      }
      return method;
    },
    has(target, property) {
      return Object.hasOwn(overrides, property) || Reflect.has(target, property);
    },
  }) as InlineProjectionStore<S>;
}
