import { type Clock, systemClock } from './clock.js';
import { ValidationError } from './errors.js';
import { createLeaseKeeper, type LeaseKeeper, type LeaseOptions } from './lease.js';
import {
  applyToProjection,
  assertDistinctNames,
  type Projection,
  projectionCheckpointId,
  projectionDeferredId,
  projectionRebuildId,
  projectionVersionId,
} from './projection.js';
import { DEFAULT_POLL_INTERVAL_MS } from './subscription.js';
import { assertIntegerOption, type Deferred, deferred, readBatch } from './subscription-support.js';
import { createWakeup } from './subscription-wakeup.js';
import {
  type CheckpointTransaction,
  isCommitNotifier,
  isTransactionalStore,
  type TransactionalEventStore,
} from './transactional-store.js';

/** How far a (re)build from position 0 has got; given to `onProgress` after every batch. */
export interface RebuildProgress {
  /** The projection's name. */
  readonly projection: string;
  /** The version being built. */
  readonly version: number;
  /**
   * Global positions covered so far, from 0. Positions are what the store can count for free; they equal
   * events when the store has no holes and the projection handles every type.
   */
  readonly processed: number;
  /** Positions to cover: the store's head when last looked (it grows while events are appended). */
  readonly total: number;
  /** Events applied so far by this build (in this process). */
  readonly events: number;
  /** Positions per second since this process started (or resumed) the build; `0` until time has passed. */
  readonly rate: number;
  /** Estimated milliseconds left at `rate`; absent until a rate is known. */
  readonly etaMs?: number;
  /** True on the last report: the read model is caught up and live. */
  readonly done: boolean;
}

/** Wiring and behaviour of {@link createProjectionRunner}. */
export interface ProjectionRunnerConfig<Tx extends CheckpointTransaction> {
  /** A store that can run a batch and its checkpoint in one transaction (every built-in store can). */
  readonly store: TransactionalEventStore<Tx>;
  /** The projections to run; names must be distinct. */
  readonly projections: readonly Projection<NoInfer<Tx>>[];
  /** Events applied per transaction. @defaultValue `100` */
  readonly batchSize?: number;
  /**
   * How often a started runner looks for new events when idle. Stores with `onCommit` wake it at once; the
   * poll then only guards against lost notifications and retries failed projections.
   * @defaultValue `1000` (ms)
   */
  readonly pollIntervalMs?: number;
  /**
   * Compete with other runners for each projection (lease name `projection:<name>`): only the holder
   * applies events, and another runner takes over when it stops renewing. @defaultValue no lease: this runner
   * assumes it is the only one
   */
  readonly lease?: LeaseOptions;
  /** Source of time for progress rates and lease bookkeeping. @defaultValue the system clock */
  readonly clock?: Clock;
  /** Progress of builds the runner starts by itself (new projection, version bump). @defaultValue none */
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** Told of each failing batch (a started runner retries the projection on its next wake-up). @defaultValue ignore */
  readonly onError?: (error: unknown, projection: string) => void;
}

/** Where one projection of a runner stands. */
export interface ProjectionStatus {
  /** The projection's name. */
  readonly name: string;
  /** The version this runner's code has. */
  readonly version: number;
  /** The version whose read model is stored and live; `0` while a build is under way; absent before the first run. */
  readonly liveVersion?: number;
  /** The last global position applied. */
  readonly position: number;
  /** The store's head position now. */
  readonly head: number;
  /** `head - position`. */
  readonly lag: number;
  /**
   * `building` (being built from 0, or due to be: a new projection, a version bump), `running` (a started runner keeps
   * it up to date), `idle` (not started; up to date as of the last `catchUp`), `standby` (another runner
   * holds its lease), `failed` (the last attempt threw; see `error`).
   */
  readonly state: 'building' | 'running' | 'idle' | 'standby' | 'failed';
  /** The last failure, when `state` is `failed`. */
  readonly error?: unknown;
}

/** What {@link ProjectionRunner.catchUp} and {@link ProjectionRunner.rebuild} did. */
export interface ProjectionRunResult {
  /** Events applied by the call. */
  readonly applied: number;
  /** Projections left alone because another runner holds their lease. */
  readonly standby: readonly string[];
}

/** Options of {@link ProjectionRunner.rebuild}. */
export interface RebuildOptions {
  /** Called after every batch of the rebuild. @defaultValue the runner's `onProgress` */
  readonly onProgress?: (progress: RebuildProgress) => void;
}

/** Runs projections asynchronously from `readAll`; see {@link createProjectionRunner}. */
export interface ProjectionRunner {
  /** Follows the store in the background: catches up, then applies new events as they commit. */
  start(): void;
  /** Stops after the batch in hand, and releases the runner's leases. */
  stop(): Promise<void>;
  /**
   * Applies everything committed so far, once, then returns (a cron job, a test). Builds new projections and
   * rebuilds those whose version changed. A failing projection does not stop the others; the first error is
   * thrown at the end, after its batch rolled back.
   */
  catchUp(): Promise<ProjectionRunResult>;
  /**
   * Resolves once a started runner has applied every event committed before the call, in every projection.
   * Rejects if a projection fails or the runner stops first.
   */
  whenCaughtUp(): Promise<void>;
  /** Resets a projection's read model and rebuilds it from position 0, reporting progress. */
  rebuild(name: string, options?: RebuildOptions): Promise<ProjectionRunResult>;
  /** Position, lag and version of every projection, read from the store. */
  status(): Promise<readonly ProjectionStatus[]>;
}

interface BuildTracker {
  readonly startedAt: number;
  readonly startPosition: number;
  events: number;
  onProgress: ((progress: RebuildProgress) => void) | undefined;
}

interface Track<Tx> {
  readonly projection: Projection<Tx>;
  readonly checkpointId: string;
  readonly versionId: string;
  readonly rebuildId: string;
  readonly deferredId: string;
  position: number;
  building: BuildTracker | undefined;
  standby: boolean;
  error: unknown;
  failed: boolean;
}

/** What a projection's three checkpoints said when read. */
interface Marks {
  readonly checkpoint: number | undefined;
  readonly live: number | undefined;
  readonly rebuild: number | undefined;
}

type StepOutcome = 'more' | 'idle' | 'standby';

/** The default number of events a projection runner applies per transaction. */
export const DEFAULT_PROJECTION_BATCH_SIZE = 100;

/**
 * Creates an async projection runner. Each batch is one transaction that applies the events to the read model
 * and moves the projection's checkpoint, so a crash neither skips an event nor applies one twice: the batch
 * either committed with its checkpoint or did not happen. A new projection is built from position 0; a
 * projection whose `version` changed is reset and rebuilt, resumably, before it goes live again.
 *
 * @example
 * ```ts
 * const runner = createProjectionRunner({ store, projections: [bookTotals] });
 * runner.start();
 * await runner.whenCaughtUp();
 * console.log(await runner.status());
 * await runner.stop();
 * ```
 */
export function createProjectionRunner<Tx extends CheckpointTransaction>(
  config: ProjectionRunnerConfig<Tx>,
): ProjectionRunner {
  const { store } = config;
  if (!store || !isTransactionalStore(store)) {
    throw new ValidationError([
      { path: ['store'], message: 'must be a store with withTransaction()', code: 'invalid_type' },
    ]);
  }
  if (!Array.isArray(config.projections) || config.projections.length === 0) {
    throw new ValidationError([
      { path: ['projections'], message: 'must be a non-empty array of projections', code: 'invalid_value' },
    ]);
  }
  assertDistinctNames(config.projections);
  const batchSize = config.batchSize ?? DEFAULT_PROJECTION_BATCH_SIZE;
  assertIntegerOption(batchSize, 'batchSize', 1, 100_000);
  const pollIntervalMs = config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  assertIntegerOption(pollIntervalMs, 'pollIntervalMs', 1);
  const clock = config.clock ?? systemClock;

  const report = (error: unknown, name: string): void => {
    try {
      config.onError?.(error, name);
    } catch {
      // A reporter that throws must not stop the runner.
    }
  };
  const keeper: LeaseKeeper | undefined = config.lease
    ? createLeaseKeeper(config.lease, clock, (error) => report(error, '(lease)'))
    : undefined;

  const tracks: Track<Tx>[] = config.projections.map((projection) => ({
    projection,
    checkpointId: projectionCheckpointId(projection.name),
    versionId: projectionVersionId(projection.name),
    rebuildId: projectionRebuildId(projection.name),
    deferredId: projectionDeferredId(projection.name),
    position: 0,
    building: undefined,
    standby: false,
    error: undefined,
    failed: false,
  }));

  const readMarks = async (track: Track<Tx>, reader: Pick<CheckpointTransaction, 'getCheckpoint'>): Promise<Marks> => {
    // One after the other: a transaction handle over a single connection may not take concurrent queries.
    // The version mark first: inline appends read it first too, so where a transactional read locks the row
    // (PostgreSQL), a batch and an append wait for each other in the same order and cannot deadlock.
    const live = await reader.getCheckpoint(track.versionId);
    const checkpoint = await reader.getCheckpoint(track.checkpointId);
    const rebuild = await reader.getCheckpoint(track.rebuildId);
    return { checkpoint, live, rebuild };
  };

  const sameMarks = (a: Marks, b: Marks): boolean =>
    a.checkpoint === b.checkpoint && a.live === b.live && a.rebuild === b.rebuild;

  const progress = (track: Track<Tx>, head: number, done: boolean): void => {
    const building = track.building;
    if (!building?.onProgress) return;
    const elapsedMs = clock.now().getTime() - building.startedAt;
    const covered = track.position - building.startPosition;
    const rate = elapsedMs > 0 ? (covered * 1000) / elapsedMs : 0;
    const total = Math.max(head, track.position);
    const left = total - track.position;
    try {
      building.onProgress({
        projection: track.projection.name,
        version: track.projection.version,
        processed: track.position,
        total,
        events: building.events,
        rate,
        ...(done ? { etaMs: 0 } : rate > 0 ? { etaMs: Math.round((left * 1000) / rate) } : {}),
        done,
      });
    } catch (error) {
      report(error, track.projection.name);
    }
  };

  /**
   * Resets (or, for a new projection, initialises) the read model and moves the checkpoint back to 0, in one
   * transaction, marking the build under way so that a restart resumes it instead of starting over.
   * Returns false when the marks changed under us (another runner got there first).
   */
  const beginBuild = async (
    track: Track<Tx>,
    marks: Marks,
    onProgress: ((progress: RebuildProgress) => void) | undefined,
  ): Promise<boolean> => {
    const { projection } = track;
    const fresh = marks.checkpoint === undefined && marks.live === undefined && marks.rebuild === undefined;
    const begun = await store.withTransaction(async (tx) => {
      if (!sameMarks(await readMarks(track, tx), marks)) return false;
      if (!fresh) await projection.reset?.(tx);
      await projection.init?.(tx);
      await tx.saveCheckpoint(track.checkpointId, 0);
      // 0 = not live: inline appends leave the read model alone until the build has caught up.
      await tx.saveCheckpoint(track.versionId, 0);
      await tx.saveCheckpoint(track.rebuildId, projection.version);
      return true;
    });
    if (begun) {
      track.position = 0;
      track.building = { startedAt: clock.now().getTime(), startPosition: 0, events: 0, onProgress };
    }
    return begun;
  };

  /** One batch of one projection. */
  const step = async (
    track: Track<Tx>,
    forceRebuild: { onProgress: ((progress: RebuildProgress) => void) | undefined } | undefined,
  ): Promise<{ outcome: StepOutcome; applied: number; begun?: boolean }> => {
    const { projection } = track;
    if (keeper && !(await keeper.ensure(track.checkpointId))) {
      track.standby = true;
      track.building = undefined;
      return { outcome: 'standby', applied: 0 };
    }
    track.standby = false;
    const marks = await readMarks(track, store);
    const live = marks.live === projection.version;
    if (forceRebuild || (!live && marks.rebuild !== projection.version)) {
      const begun = await beginBuild(track, marks, forceRebuild ? forceRebuild.onProgress : config.onProgress);
      return { outcome: 'more', applied: 0, begun };
    }
    const position = marks.checkpoint ?? 0;
    track.position = position;
    if (!live && !track.building) {
      // Resuming a build a crash or a stop interrupted.
      track.building = {
        startedAt: clock.now().getTime(),
        startPosition: position,
        events: 0,
        onProgress: config.onProgress,
      };
    }
    const head = await store.headPosition();
    if (live && position >= head) return { outcome: 'idle', applied: 0 };

    const batch = await readBatch(store, position, head, projection.types, batchSize);
    const committed = await store.withTransaction(async (tx) => {
      // Another runner (or an inline append) may have moved on since the read: then this batch is stale.
      if (!sameMarks(await readMarks(track, tx), marks)) return undefined;
      const applied = await applyToProjection(projection, tx, batch.events);
      let goesLive = false;
      if (!live && batch.through >= head) {
        // Going live must not let an inline append slip between "caught up" and "live": such an append
        // stood aside and recorded its position, read here in the transaction that flips the mark.
        const deferred = await tx.getCheckpoint(track.deferredId);
        goesLive = deferred === undefined || deferred <= batch.through;
        if (goesLive) await tx.saveCheckpoint(track.versionId, projection.version);
      }
      await tx.saveCheckpoint(track.checkpointId, batch.through);
      return { applied, goesLive };
    });
    if (!committed) return { outcome: 'more', applied: 0 };
    track.position = batch.through;
    if (track.building) {
      track.building.events += committed.applied;
      const done = live || committed.goesLive;
      progress(track, head, done);
      if (done) track.building = undefined;
    }
    const more = !(live || committed.goesLive) || batch.through < head;
    return { outcome: more ? 'more' : 'idle', applied: committed.applied };
  };

  /** Runs one projection until it is caught up (or standing by). Throws its failure. */
  const drain = async (
    track: Track<Tx>,
    shouldStop: () => boolean,
    forceRebuild?: { onProgress: ((progress: RebuildProgress) => void) | undefined },
  ): Promise<{ applied: number; standby: boolean }> => {
    let applied = 0;
    let force = forceRebuild;
    try {
      for (;;) {
        const result = await step(track, force);
        // A forced rebuild stays requested until its reset has committed (a stale read retries it).
        if (result.begun) force = undefined;
        applied += result.applied;
        if (result.outcome !== 'more' || shouldStop()) {
          track.failed = false;
          track.error = undefined;
          return { applied, standby: result.outcome === 'standby' };
        }
      }
    } catch (error) {
      track.failed = true;
      track.error = error;
      throw error;
    }
  };

  let chain: Promise<unknown> = Promise.resolve();
  /** Runs one piece of work at a time: the background loop, catchUp and rebuild never overlap. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = chain.then(work);
    chain = result.catch(() => {});
    return result;
  };

  const passAll = async (
    shouldStop: () => boolean,
  ): Promise<{ applied: number; standby: string[]; errors: unknown[] }> => {
    let applied = 0;
    const standby: string[] = [];
    const errors: unknown[] = [];
    for (const track of tracks) {
      if (shouldStop()) break;
      try {
        const result = await drain(track, shouldStop);
        applied += result.applied;
        if (result.standby) standby.push(track.projection.name);
      } catch (error) {
        errors.push(error);
        report(error, track.projection.name);
      }
    }
    return { applied, standby, errors };
  };

  let started = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  const wakeup = createWakeup();
  const waiters: { target: number; deferred: Deferred<void> }[] = [];

  const settleWaiters = (stopped: boolean): void => {
    const failed = tracks.find((track) => track.failed);
    const reached = Math.min(...tracks.map((track) => (track.building || track.standby ? -1 : track.position)));
    for (let index = waiters.length - 1; index >= 0; index--) {
      const waiter = waiters[index] as { target: number; deferred: Deferred<void> };
      if (failed) waiter.deferred.reject(failed.error);
      else if (reached >= waiter.target) waiter.deferred.resolve();
      else if (stopped) waiter.deferred.reject(new Error('The projection runner stopped before catching up'));
      else continue;
      waiters.splice(index, 1);
    }
  };

  const run = async (): Promise<void> => {
    while (!stopping) {
      wakeup.clear();
      await exclusive(() => passAll(() => stopping));
      settleWaiters(false);
      if (!stopping) await wakeup.wait(pollIntervalMs);
    }
  };

  const findTrack = (name: string): Track<Tx> => {
    const track = tracks.find((candidate) => candidate.projection.name === name);
    if (!track) {
      throw new ValidationError([{ path: ['name'], message: `no projection named "${name}"`, code: 'invalid_value' }]);
    }
    return track;
  };

  return {
    start() {
      if (started) return;
      started = true;
      stopping = false;
      if (isCommitNotifier(store)) unsubscribe = store.onCommit(() => wakeup.wake());
      keeper?.startRenewing();
      loop = run();
    },

    async stop() {
      stopping = true;
      wakeup.wake();
      await loop;
      unsubscribe?.();
      unsubscribe = undefined;
      // Also after catchUp() alone: hand the leases over now rather than when they expire.
      await exclusive(async () => keeper?.releaseAll());
      started = false;
      stopping = false;
      settleWaiters(true);
    },

    catchUp() {
      return exclusive(async () => {
        const result = await passAll(() => false);
        settleWaiters(false);
        if (result.errors.length > 0) throw result.errors[0];
        return { applied: result.applied, standby: result.standby };
      });
    },

    async whenCaughtUp() {
      const failed = tracks.find((track) => track.failed);
      if (failed) throw failed.error;
      const target = await store.headPosition();
      const waiter = { target, deferred: deferred<void>() };
      waiters.push(waiter);
      settleWaiters(!started);
      return waiter.deferred.promise;
    },

    rebuild(name, options = {}) {
      const track = findTrack(name);
      return exclusive(async () => {
        const result = await drain(track, () => false, { onProgress: options.onProgress ?? config.onProgress });
        settleWaiters(false);
        return { applied: result.applied, standby: result.standby ? [name] : [] };
      });
    },

    async status() {
      const head = await store.headPosition();
      const statuses: ProjectionStatus[] = [];
      for (const track of tracks) {
        const marks = await readMarks(track, store);
        const position = marks.checkpoint ?? 0;
        const state: ProjectionStatus['state'] = track.failed
          ? 'failed'
          : track.standby
            ? 'standby'
            : marks.live !== track.projection.version
              ? 'building'
              : started
                ? 'running'
                : 'idle';
        statuses.push({
          name: track.projection.name,
          version: track.projection.version,
          ...(marks.live === undefined ? {} : { liveVersion: marks.live }),
          position,
          head,
          lag: Math.max(0, head - position),
          state,
          ...(track.failed ? { error: track.error } : {}),
        });
      }
      return statuses;
    },
  };
}
