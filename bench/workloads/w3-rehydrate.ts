/**
 * W3 rehydrate: one sales order stream of 10,000 events folded into `SalesOrder` state, 10 times; then the same
 * with a snapshot every 1,000 events.
 *
 * The stream is genuine (see `lib/sales-order-events.ts`): every event comes from `SalesOrder.decide`, the order
 * keeps 6 to 20 lines and up to 3 tax rows; the first 30% of the events edit the draft (lines added, updated and
 * removed, order discount and taxes set and removed), then the order is submitted and lives on with partial
 * deliveries and billings, "Update Items" and holds. It is appended untimed, in appends of 1,000.
 *
 * A rehydration is what a command handler does before deciding: `createCommandHandler(...).load(streamId)`,
 * i.e. `readStream` from version 1 and `SalesOrder.evolve` from `initialState` over every event. It is timed
 * as a whole; `n`, `per_sec` and p50/p99 are per rehydration (10 of them, alternating ABBA with the baseline,
 * after one untimed warm-up of each side). Each one is checked: version 10,000, the same events as the
 * baseline read, and a state deep-equal to the one folded while the history was written.
 *
 * Baseline: the rows of the stream read with the raw driver in version order, in pages of 500 (the adapters'
 * `readStream` page size), `JSON.parse`d; no fold (memory: slices of a plain array of the same events). The
 * ratio therefore prices the fold together with the adapter's read.
 *
 * Snapshot variant (`snapshot_*` fields): while the stream is written, a snapshot is saved (untimed) every
 * 1,000 events with `SalesOrder.toSnapshot`, as a command handler configured with `snapshots: { every: 1000 }`
 * would, at versions 1,000 ... 9,000. None is saved at 10,000: a snapshot at the head would leave nothing to
 * read but the snapshot, so the stream stands where a snapshotting order is at its most expensive to load, one
 * event short of its next snapshot (1,000 events past the last one here, 999 in an application). A
 * rehydration is the snapshotting handler's `load`: `loadSnapshot` (the stored state through
 * `SalesOrder.fromSnapshot`, which validates it and recomputes the derived fields), then `readStream` from
 * 9,001 and `evolve` over the 1,000-event tail. Its baseline SELECTs the snapshot row and the tail rows with the
 * raw driver and `JSON.parse`s them.
 *
 * Two side readings, taken last, show where the time goes: `read_only_*` is the store's `readStream` of the
 * whole stream without folding (3 times, alternating with 3 more baseline reads, against which
 * `read_only_ratio` is taken), `fold_*` is `SalesOrder.evolve` over the same 10,000 events already in memory
 * (3 times).
 */
import { isDeepStrictEqual } from 'node:util';
import {
  createCommandHandler,
  type NewEvent,
  SalesOrder,
  type SalesOrderEvent,
  type SalesOrderState,
  type StoredEvent,
} from 'ordo';
import { alternate, type ReadCheck, timeRawPages } from '../lib/loops.js';
import { runWorkloadScript } from '../lib/main-module.js';
import { collectGarbage, now, RssSampler, round, significant, startStopwatch, Tally } from '../lib/measure.js';
import { openRawSnapshotReader } from '../lib/raw-snapshots.js';
import { salesOrderHistory } from '../lib/sales-order-events.js';
import type { RawReader, Workload } from '../lib/types.js';

const EVENTS = 10_000;
const SNAPSHOT_EVERY = 1_000;
const REHYDRATIONS = 10;
/** How many times each side reading (read only, fold only) is taken. */
const SIDE_READINGS = 3;
/** The adapters' `readStream` page size, used by the baseline too. */
const PAGE_SIZE = 500;
const ORDER_ID = 'SO-BENCH-000001';

/** Events that change what the totals are computed from, so that `evolve` reprices the order. */
const REPRICING = new Set([
  'SalesOrderLineAdded',
  'SalesOrderLineUpdated',
  'SalesOrderLineRemoved',
  'SalesOrderDiscountSet',
  'SalesOrderDiscountRemoved',
  'SalesOrderTaxAdded',
  'SalesOrderTaxRemoved',
]);

/** The events as a store hands them back: data through JSON, so a fold of them sees what a rehydration sees. */
const asRead = (event: NewEvent): SalesOrderEvent =>
  ({ type: event.type, data: JSON.parse(JSON.stringify(event.data)) }) as SalesOrderEvent;

/** Count and version sum of the events a rehydration folded, to compare with the baseline's read. */
function checkOf(events: readonly StoredEvent[], elapsedMs: number): ReadCheck {
  let versionSum = 0;
  for (const event of events) versionSum += event.streamVersion;
  return { count: events.length, versionSum, elapsedMs };
}

/** W3: loading an aggregate with a long history, without and with snapshots. */
export const w3Rehydrate: Workload = {
  id: 'w3',
  name: 'w3-rehydrate',
  unit: `rehydration of one ${EVENTS.toLocaleString('en-US')}-event stream`,
  targets: [{ field: 'ratio', op: '>=', value: { memory: 0.7, sqlite: 0.7, postgres: 0.7 } }],
  timeoutMs: 30 * 60_000,

  async run(target, context) {
    const events = context.scale(EVENTS, 100);
    const every = context.scale(SNAPSHOT_EVERY, 10);
    const snapshotVersion = Math.floor((events - 1) / every) * every;
    const tail = events - snapshotVersion;
    const streamId = SalesOrder.streamId(ORDER_ID);
    const store = target.eventStore;

    context.log(`deciding a sales order history of ${events} events (untimed)`);
    let started = now();
    const history = salesOrderHistory(ORDER_ID, events);
    const historySeconds = (now() - started) / 1000;

    context.log(`appending it in appends of ${every}, a snapshot every ${every} events up to ${snapshotVersion}`);
    started = now();
    const folded: SalesOrderEvent[] = history.events.map(asRead);
    let state: SalesOrderState = SalesOrder.initialState;
    for (let version = 0; version < events; version += every) {
      const count = Math.min(every, events - version);
      await store.appendToStream(streamId, history.events.slice(version, version + count), {
        expectedVersion: version === 0 ? 'no_stream' : version,
      });
      for (let i = version; i < version + count; i++) state = SalesOrder.evolve(state, folded[i] as SalesOrderEvent);
      if (version + count <= snapshotVersion) {
        await store.saveSnapshot(streamId, {
          streamVersion: version + count,
          schemaVersion: SalesOrder.snapshotVersion,
          state: SalesOrder.toSnapshot(state),
        });
      }
    }
    const populateSeconds = (now() - started) / 1000;
    const expected = state;
    if (!expected.exists) throw new Error('w3: the history folds to no order');

    const full = createCommandHandler({ store, decider: SalesOrder.decider });
    const snapshotting = createCommandHandler({
      store,
      decider: SalesOrder.decider,
      snapshots: {
        every,
        schemaVersion: SalesOrder.snapshotVersion,
        toSnapshot: SalesOrder.toSnapshot,
        fromSnapshot: SalesOrder.fromSnapshot,
      },
    });
    const reader = await target.openRawReader();
    const snapshots = await openRawSnapshotReader(target, [streamId], SalesOrder.snapshotVersion);
    const expectedSum = (from: number): number => ((from + events) * (events - from + 1)) / 2;

    /** One store rehydration, timed into `tally` and checked. */
    const rehydrate = async (
      handler: typeof full,
      tally: Tally | undefined,
      expectedCount: number,
      rss?: RssSampler,
    ): Promise<ReadCheck> => {
      rss?.sample();
      const stopwatch = startStopwatch();
      const loaded = await handler.load(streamId);
      const elapsedMs = stopwatch.elapsedMs();
      if (tally) {
        tally.latencies.record(elapsedMs);
        tally.add(1, stopwatch);
      }
      rss?.sample();
      const check = checkOf(loaded.events, elapsedMs);
      if (loaded.version !== events || check.count !== expectedCount || !isDeepStrictEqual(loaded.state, expected)) {
        throw new Error(
          `w3: a rehydration read ${check.count} events to version ${loaded.version} (expected ${expectedCount} to ${events}), or folded another state`,
        );
      }
      return check;
    };

    /** One baseline read: the snapshot row when `fromSnapshot`, then the rows after it, page by page. */
    const rawRead = async (
      rawReader: RawReader,
      fromSnapshot: boolean,
      tally: Tally | undefined,
    ): Promise<ReadCheck> => {
      const scratch = tally ?? new Tally(16);
      const stopwatch = startStopwatch();
      let from = 1;
      if (fromSnapshot) {
        const snapshot = await snapshots.readSnapshot(streamId, SalesOrder.snapshotVersion);
        if (snapshot === undefined || typeof snapshot.state !== 'object') throw new Error('w3: no snapshot row');
        from = snapshot.streamVersion + 1;
      }
      const rows = await timeRawPages(
        (cursor) => rawReader.readStreamPage(streamId, cursor, PAGE_SIZE),
        (last) => last.streamVersion + 1,
        from,
        PAGE_SIZE,
        Number.MAX_SAFE_INTEGER,
        new Tally(16),
      );
      const elapsedMs = stopwatch.elapsedMs();
      scratch.latencies.record(elapsedMs);
      scratch.add(1, stopwatch);
      if (rows.versionSum !== expectedSum(from)) throw new Error(`w3: the baseline read the wrong rows from ${from}`);
      return { ...rows, elapsedMs };
    };

    const same = (what: string, storeRead: ReadCheck, baselineRead: ReadCheck): void => {
      if (storeRead.count !== baselineRead.count || storeRead.versionSum !== baselineRead.versionSum) {
        throw new Error(`w3 ${what}: store folded ${storeRead.count} events, baseline read ${baselineRead.count}`);
      }
    };

    context.log('warming up both sides of both variants (untimed)');
    same('warm-up', await rehydrate(full, undefined, events), await rawRead(reader, false, undefined));
    same('warm-up (snapshot)', await rehydrate(snapshotting, undefined, tail), await rawRead(reader, true, undefined));
    collectGarbage();

    context.log(`${REHYDRATIONS} rehydrations of ${events} events, alternating with the baseline`);
    const rss = new RssSampler().start();
    /** Store side and baseline side alternating (ABBA), each pass checked to have read the same events. */
    const passes = async (
      label: string,
      storeSide: () => Promise<ReadCheck>,
      baselineSide: () => Promise<ReadCheck>,
    ) => {
      for (let pass = 0; pass < REHYDRATIONS; pass++) {
        let storeRead: ReadCheck | undefined;
        let rawReadCheck: ReadCheck | undefined;
        await alternate(
          pass,
          async () => {
            storeRead = await storeSide();
          },
          async () => {
            rawReadCheck = await baselineSide();
          },
        );
        same(label, storeRead as ReadCheck, rawReadCheck as ReadCheck);
      }
    };
    const storeTally = new Tally(REHYDRATIONS);
    const baselineTally = new Tally(REHYDRATIONS);
    await passes(
      'rehydration',
      () => rehydrate(full, storeTally, events, rss),
      () => rawRead(reader, false, baselineTally),
    );
    collectGarbage();

    context.log(`${REHYDRATIONS} rehydrations from the snapshot at ${snapshotVersion} + ${tail} events`);
    const snapshotTally = new Tally(REHYDRATIONS);
    const snapshotBaseline = new Tally(REHYDRATIONS);
    await passes(
      'snapshot rehydration',
      () => rehydrate(snapshotting, snapshotTally, tail, rss),
      () => rawRead(reader, true, snapshotBaseline),
    );
    const peakRssMb = rss.stop();
    collectGarbage();

    // The side readings: the same read without the fold (alternating with the baseline read again), and the
    // same fold without the read.
    context.log(`side readings: ${SIDE_READINGS} × readStream alone, ${SIDE_READINGS} × the fold alone`);
    const readOnly = new Tally(SIDE_READINGS);
    const readOnlyBaseline = new Tally(SIDE_READINGS);
    for (let pass = 0; pass < SIDE_READINGS; pass++) {
      let count = 0;
      let rawReadCheck: ReadCheck | undefined;
      await alternate(
        pass,
        async () => {
          const stopwatch = startStopwatch();
          for await (const _ of store.readStream(streamId)) count++;
          readOnly.latencies.record(stopwatch.elapsedMs());
          readOnly.add(1, stopwatch);
        },
        async () => {
          rawReadCheck = await rawRead(reader, false, readOnlyBaseline);
        },
      );
      if (count !== events || rawReadCheck?.count !== events) throw new Error(`w3: readStream gave ${count} events`);
    }
    const foldOnly = new Tally(SIDE_READINGS);
    for (let pass = 0; pass < SIDE_READINGS; pass++) {
      const stopwatch = startStopwatch();
      let foldedState: SalesOrderState = SalesOrder.initialState;
      for (const event of folded) foldedState = SalesOrder.evolve(foldedState, event);
      foldOnly.latencies.record(stopwatch.elapsedMs());
      foldOnly.add(1, stopwatch);
      if (!isDeepStrictEqual(foldedState, expected)) throw new Error('w3: the fold alone gave another state');
    }
    await snapshots.close();
    await reader.close();

    const rate = (tally: Tally): number => (tally.n * 1000) / tally.elapsedMs;
    const perSec = rate(storeTally);
    const snapshotPerSec = rate(snapshotTally);
    const snapshotMeasurement = snapshotTally.toMeasurement();
    let repricing = 0;
    for (const [type, count] of Object.entries(history.typeCounts)) if (REPRICING.has(type)) repricing += count;
    return {
      store: storeTally.toMeasurement(),
      baseline: baselineTally.toMeasurement(),
      baselineLabel:
        target.store === 'memory'
          ? `array slices of ${PAGE_SIZE}, no fold`
          : `${target.driverLabel}: SELECT by version, LIMIT ${PAGE_SIZE}, JSON.parse, no fold`,
      peakRssMb,
      extra: {
        n_unit: 'rehydrations',
        events_per_rehydration: events,
        events_per_sec: significant(perSec * events),
        page_size: PAGE_SIZE,
        repricing_events: repricing,
        order_lines: expected.lines.length,
        order_status: expected.status,
        // The same readStream without the fold, and the same fold without the read, per rehydration.
        read_only_per_sec: significant(rate(readOnly)),
        read_only_ratio: round(rate(readOnly) / rate(readOnlyBaseline), 2),
        fold_only_per_sec: significant(rate(foldOnly)),
        fold_us_per_event: significant((foldOnly.elapsedMs * 1000) / (foldOnly.n * events)),
        snapshot_every: every,
        snapshot_version: snapshotVersion,
        snapshot_tail_events: tail,
        snapshot_per_sec: significant(snapshotPerSec),
        snapshot_p50_ms: significant(snapshotMeasurement.p50Ms),
        snapshot_p99_ms: significant(snapshotMeasurement.p99Ms),
        snapshot_baseline: snapshots.label,
        snapshot_baseline_per_sec: significant(rate(snapshotBaseline)),
        snapshot_ratio: round(snapshotPerSec / rate(snapshotBaseline), 2),
        snapshot_speedup: round(snapshotPerSec / perSec, 1),
        history_seconds: round(historySeconds, 2),
        populate_seconds: round(populateSeconds, 2),
      },
    };
  },
};

void runWorkloadScript(import.meta.url, w3Rehydrate.id);
