import { type Clock, systemClock } from '../kernel/clock.js';
import { ValidationError } from '../kernel/errors.js';
import type { EventStore } from '../kernel/event-store.js';
import { assertName } from '../kernel/store-support.js';
import { assertIntegerOption } from '../kernel/subscription-support.js';
import type { ExportSink } from './export-sink.js';
import { decodeForExport, EXPORTED_EVENT_TYPES, SOURCE_BY_TYPE } from './export-sources.js';
import { createStreamStateCache } from './stream-state-cache.js';
import { emptyRowCounts, WAREHOUSE_SCHEMA, type WarehouseRow, type WarehouseTableName } from './warehouse-schema.js';

/** How far a run has got; given to `onProgress` after every committed batch. */
export interface WarehouseExportProgress {
  /** The position committed so far. */
  readonly position: number;
  /** The sink's position when the run started. */
  readonly fromPosition: number;
  /** Where the run stops: the `toPosition` bound, or the store's head when the run started. */
  readonly toPosition: number;
  /**
   * Global positions covered by this run: `position - fromPosition`. Positions are what the store can count for
   * free; they include events of types the export does not read.
   */
  readonly processed: number;
  /** Positions this run covers: `toPosition - fromPosition`. */
  readonly total: number;
  /** Events read and transformed by this run. */
  readonly events: number;
  /** Rows committed by this run, per table. */
  readonly rows: Readonly<Record<WarehouseTableName, number>>;
  /** Positions per second since the run started; `0` until time has passed. */
  readonly rate: number;
  /** Estimated milliseconds left at `rate`; absent until a rate is known. */
  readonly etaMs?: number;
  /** True on the report of the batch that reached `toPosition`. */
  readonly done: boolean;
}

/** Optional behaviour of {@link createWarehouseExport}. */
export interface WarehouseExportOptions {
  /**
   * Events per batch: the rows of this many events are committed to the sink together, with the position of
   * the last one. A crash loses at most one batch of work, which the next run redoes.
   * @defaultValue `500`
   */
  readonly batchSize?: number;
  /**
   * Export as of this global position (inclusive): the run stops there, and its rows are exactly those of the
   * events up to it. A sink already past it is left as it is (rows are never taken back).
   * @defaultValue the store's head position when the run starts
   */
  readonly toPosition?: number;
  /**
   * Also record the sink's committed position in the store's checkpoints under this id after each batch, so
   * that monitoring can compute the export's lag like a subscription's. Only a mirror: runs always resume from
   * the sink's own position.
   * @defaultValue none: nothing is written to the store
   */
  readonly checkpointId?: string;
  /** Called after every committed batch (and once at the start when there is nothing to do). @defaultValue none */
  readonly onProgress?: (progress: WarehouseExportProgress) => void;
  /** Source of time for the progress rate. @defaultValue the system clock */
  readonly clock?: Clock;
  /**
   * How many aggregates' states the export keeps in memory between their events. A stream evicted from it is
   * folded again from the store at its next event: slower, same rows.
   * @defaultValue `10000`
   */
  readonly stateCacheSize?: number;
}

/** Wiring and behaviour of {@link createWarehouseExport}. */
export interface WarehouseExportConfig extends WarehouseExportOptions {
  /** The store to read. The export only reads it (and writes `checkpointId`, when given). */
  readonly store: EventStore;
  /** Where rows go; its committed position is where each run resumes. */
  readonly sink: ExportSink;
}

/** Options of one {@link WarehouseExport.run}. */
export interface WarehouseExportRunOptions {
  /**
   * Stops the run at the next event: the batch in hand is dropped (the next run redoes it), everything
   * committed stays, and `run` resolves with `status: 'aborted'`. @defaultValue none
   */
  readonly signal?: AbortSignal;
}

/** What a run did. */
export interface WarehouseExportSummary {
  /** `completed`: the sink is at `targetPosition`. `aborted`: the signal stopped the run first. */
  readonly status: 'completed' | 'aborted';
  /** The sink's committed position when the run started: the run exported the events after it. */
  readonly fromPosition: number;
  /** The sink's committed position when the run ended. */
  readonly toPosition: number;
  /** Where the run was to stop: the `toPosition` option, or the store's head, whichever is lower. */
  readonly targetPosition: number;
  /** Events read and transformed by the run. */
  readonly eventsRead: number;
  /** Batches committed by the run. */
  readonly batches: number;
  /** Rows committed by the run, per table. */
  readonly rows: Readonly<Record<WarehouseTableName, number>>;
  /** Rows committed by the run, all tables. */
  readonly totalRows: number;
}

/** An incremental, resumable export of star-schema rows; see {@link createWarehouseExport}. */
export interface WarehouseExport {
  /**
   * Exports every event after the sink's committed position up to the target position, in batches, and
   * returns what it did. Calls are queued: a second call starts when the first has finished.
   *
   * @throws the sink's and the store's errors; `VALIDATION_FAILED` when the sink is ahead of the store (it
   * belongs to another store); `CORRUPT_EVENT` when a stored event fails its schema. Whatever was committed
   * stays committed; run again to resume.
   */
  run(options?: WarehouseExportRunOptions): Promise<WarehouseExportSummary>;
}

/**
 * Creates the warehouse export: it reads the event log from where the sink left off, turns sales order,
 * invoice, customer, item and stock events into star-schema rows (see `WAREHOUSE_TABLES`), and commits them
 * to the sink in batches, each with the position it reached.
 *
 * @remarks
 * Exactly once: each event's rows are a pure function of the event log up to that event, and the sink
 * commits a batch's rows together with its end position. Killed at any moment and run again, the export
 * resumes at the sink's committed position and writes every row exactly once.
 *
 * @example
 * ```ts
 * const exporter = createWarehouseExport({
 *   store,
 *   sink: createCsvSink({ directory: 'warehouse' }),
 *   onProgress: (p) => console.log(`${p.processed}/${p.total}`),
 * });
 * const summary = await exporter.run();
 * ```
 */
export function createWarehouseExport(config: WarehouseExportConfig): WarehouseExport {
  const { store, sink } = config;
  if (typeof store !== 'object' || store === null) {
    throw new ValidationError([{ path: ['store'], message: 'must be an event store', code: 'invalid_type' }]);
  }
  if (typeof sink !== 'object' || sink === null) {
    throw new ValidationError([{ path: ['sink'], message: 'must be an export sink', code: 'invalid_type' }]);
  }
  const batchSize = config.batchSize ?? 500;
  assertIntegerOption(batchSize, 'batchSize', 1);
  const stateCacheSize = config.stateCacheSize ?? 10_000;
  assertIntegerOption(stateCacheSize, 'stateCacheSize', 1);
  if (config.toPosition !== undefined) assertIntegerOption(config.toPosition, 'toPosition', 0);
  if (config.checkpointId !== undefined) assertName(config.checkpointId, 'checkpointId', 'checkpoint id');
  const clock = config.clock ?? systemClock;

  async function runOnce(signal: AbortSignal | undefined): Promise<WarehouseExportSummary> {
    const opened = await sink.open({ schema: WAREHOUSE_SCHEMA });
    let closed = false;
    try {
      assertIntegerOption(opened.position, 'sink.position', 0);
      const fromPosition = opened.position;
      const head = await store.headPosition();
      if (fromPosition > head) {
        throw new ValidationError([
          {
            path: ['sink'],
            message: `the sink has committed position ${fromPosition} but the store's head is ${head}: it holds another store's export`,
            code: 'sink_ahead_of_store',
          },
        ]);
      }
      const targetPosition = Math.max(fromPosition, Math.min(config.toPosition ?? head, head));
      const startedAt = clock.now().getTime();
      const rows = emptyRowCounts();
      let committed = fromPosition;
      let eventsRead = 0;
      let batches = 0;
      let pending: WarehouseRow[] = [];
      let pendingEvents = 0;
      let aborted = false;

      const report = (): void => {
        if (!config.onProgress) return;
        const processed = committed - fromPosition;
        const total = targetPosition - fromPosition;
        const elapsed = clock.now().getTime() - startedAt;
        const rate = elapsed > 0 ? (processed * 1000) / elapsed : 0;
        config.onProgress({
          position: committed,
          fromPosition,
          toPosition: targetPosition,
          processed,
          total,
          events: eventsRead,
          rows: { ...rows },
          rate,
          ...(rate > 0 ? { etaMs: Math.round(((total - processed) / rate) * 1000) } : {}),
          done: committed >= targetPosition,
        });
      };

      const commit = async (toPosition: number): Promise<void> => {
        await sink.write({ fromPosition: committed, toPosition, rows: pending });
        for (const row of pending) rows[row.table] += 1;
        committed = toPosition;
        batches += 1;
        pending = [];
        pendingEvents = 0;
        if (config.checkpointId !== undefined) await store.saveCheckpoint(config.checkpointId, committed);
        report();
      };

      if (committed >= targetPosition) report();
      else if (signal?.aborted) aborted = true;
      else {
        const cache = createStreamStateCache(store, stateCacheSize);
        for await (const stored of store.readAll({
          fromPosition: fromPosition + 1,
          toPosition: targetPosition,
          types: EXPORTED_EVENT_TYPES,
          batchSize,
        })) {
          if (signal?.aborted) {
            aborted = true;
            break;
          }
          const source = SOURCE_BY_TYPE.get(stored.type);
          if (!source || stored.globalPosition > targetPosition) continue;
          const event = decodeForExport(stored);
          const before = await cache.stateBefore(source, event);
          const after = source.evolve(before, event);
          cache.remember(source, event, after);
          for (const row of source.rows(event, before, after)) pending.push(row);
          eventsRead += 1;
          pendingEvents += 1;
          if (pendingEvents >= batchSize) await commit(event.globalPosition);
        }
        // The target is at most the head seen at the start, and readAll never skips a position below the head
        // that may still commit: every event up to the target has been read, so the target itself is safe to
        // commit even when the last events read were below it (holes, types the export does not read).
        if (!aborted && committed < targetPosition) await commit(targetPosition);
      }

      closed = true;
      await sink.close();
      return {
        status: aborted ? 'aborted' : 'completed',
        fromPosition,
        toPosition: committed,
        targetPosition,
        eventsRead,
        batches,
        rows,
        totalRows: Object.values(rows).reduce((sum, count) => sum + count, 0),
      };
    } catch (error) {
      // The run's own error is the one to report, not a failure to close after it.
      if (!closed) await sink.close().catch(() => undefined);
      throw error;
    }
  }

  let queue: Promise<unknown> = Promise.resolve();
  return {
    run(options = {}) {
      const result = queue.then(() => runOnce(options.signal));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
