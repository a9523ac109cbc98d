/**
 * W7 projection rebuild: rebuild the customer order summary and the daily sales dashboard from 100,000 orders'
 * events. The history (written untimed with `appendMany`, 200 orders per call) is a year of orders for 100
 * customers: created, 1 to 3 lines, submitted, and 8% later cancelled and 8% closed (4% stay drafts): 412,258
 * events. Its events are the SalesOrder decider's own (checked on a sample with the real decider), and every read
 * model decodes them with the aggregates' event definitions as it folds them. (The in-memory store hands out the
 * same event objects on every read, and the read models cache their decoding per object, so on memory only the
 * first rebuild of the run decodes: `store_round1_seconds` against `store_last_round_seconds` shows it.)
 *
 * Store side: the read models `createErpReadModels` makes for the store (state projections in memory; SQL tables
 * in the SQLite file or the store's PostgreSQL schema) and `createProjectionRunner(...).rebuild(name)` for each of
 * the two, which resets it and replays the whole log in checkpointed transactions of {@link BATCH_SIZE} events.
 * A rebuild is per projection, so the log is read twice and every order folded twice (each read model keeps its
 * own copy of the orders): that is what a rebuild of these two costs.
 *
 * Baseline: the raw driver doing the same physical work once: read the log in pages of {@link BATCH_SIZE} by
 * position (plus `JSON.parse`), fold each order into a `Map` in integer cents, add the counted orders up into the
 * two tables' rows and, for SQLite and PostgreSQL, write those rows (same columns, keys and indexes as the read
 * models' result tables) in one transaction. The read models' per-order fold tables, decoding and `Money`
 * arithmetic are what the ratio shows.
 *
 * `n` counts the events in the log, once per round, so `per_sec` is "log events rebuilt into both read models per
 * second"; p50/p99 are per batch (the runner's `onProgress` interval; for the baseline, per page, its last page
 * including adding up and writing the rows). Every round checks that the read models' queries, the baseline and
 * the figures computed from the plan agree on every customer and every day. Peak RSS is sampled during the store
 * side only; on memory it includes the baseline's plain copy of the log, which stays allocated between rounds.
 */
import {
  CUSTOMER_ORDER_SUMMARY_PROJECTION,
  type CustomerOrderSummaryQueries,
  createErpReadModels,
  createProjectionRunner,
  type MemoryEventStore,
  type ProjectionRunner,
  SALES_DASHBOARD_DAILY_PROJECTION,
  type SalesDashboardQueries,
} from 'ordo';
import type { PostgresEventStore } from 'ordo/postgres';
import type { SqliteEventStore } from 'ordo/sqlite';
import { alternate } from '../lib/loops.js';
import { runWorkloadScript } from '../lib/main-module.js';
import { collectGarbage, now, RssSampler, round, significant, startStopwatch, Tally } from '../lib/measure.js';
import type { BenchTarget, RawReader, Workload } from '../lib/types.js';
import {
  assertSameFigures,
  type BaselineRowWriter,
  figuresOf,
  foldRawEvent,
  newOrderMap,
  postgresRowWriter,
  queriedFigures,
  sqliteRowWriter,
} from '../lib/w7-baseline.js';
import { checkAgainstDecider, populateOrders, type SalesFigures } from '../lib/w7-orders.js';

const ORDERS = 100_000;
const CUSTOMERS = 100;
/** Orders per `appendMany` while populating. */
const ORDERS_PER_APPEND = 200;
/** Events per runner transaction, and the baseline's page size (the stores' default read page). */
const BATCH_SIZE = 500;
/** Store and baseline alternate ABBA over this many rounds; each store round rebuilds both read models from 0. */
const ROUNDS = 2;
/** Orders replayed through the real decider to check the history's events. */
const DECIDER_SAMPLE = 200;
/** The two read models rebuilt, by their default projection names. */
const REBUILT = [CUSTOMER_ORDER_SUMMARY_PROJECTION, SALES_DASHBOARD_DAILY_PROJECTION] as const;

/** The read models under test on one store: a runner over the two projections and their queries. */
interface StoreSide {
  readonly runner: ProjectionRunner;
  readonly summary: CustomerOrderSummaryQueries;
  readonly dashboard: SalesDashboardQueries;
  /** How the baseline writes its rows with the raw driver; none for memory, whose result is the `Map`s. */
  readonly writer: BaselineRowWriter | undefined;
}

/** The read models `createErpReadModels` makes for the target's store, and the runner that rebuilds two of them. */
function storeSide(target: BenchTarget): StoreSide {
  const pick = <P extends { readonly name: string }>(projections: readonly P[]): P[] =>
    projections.filter((projection) => (REBUILT as readonly string[]).includes(projection.name));
  const options = { batchSize: BATCH_SIZE };
  switch (target.store) {
    case 'memory': {
      const store = target.eventStore as MemoryEventStore;
      const { projections, queries } = createErpReadModels({ mode: 'memory' });
      return {
        runner: createProjectionRunner({ store, projections: pick(projections), ...options }),
        summary: queries.customerOrderSummary,
        dashboard: queries.salesDashboard,
        writer: undefined,
      };
    }
    case 'sqlite': {
      const store = target.eventStore as SqliteEventStore;
      const { projections, queries } = createErpReadModels({ mode: 'sqlite', store });
      return {
        runner: createProjectionRunner({ store, projections: pick(projections), ...options }),
        summary: queries.customerOrderSummary,
        dashboard: queries.salesDashboard,
        writer: sqliteRowWriter(store.database),
      };
    }
    case 'postgres': {
      const store = target.eventStore as PostgresEventStore;
      const { projections, queries } = createErpReadModels({ mode: 'postgres', store });
      return {
        runner: createProjectionRunner({ store, projections: pick(projections), ...options }),
        summary: queries.customerOrderSummary,
        dashboard: queries.salesDashboard,
        writer: postgresRowWriter(store),
      };
    }
  }
}

/**
 * The baseline: pages of the log by position, each event folded into its order, then the rows added up and
 * written. One latency per page; the last one also covers adding up and writing.
 */
async function rawRebuild(
  reader: RawReader,
  writer: BaselineRowWriter | undefined,
  tally: Tally,
): Promise<{
  readonly events: number;
  readonly figures: SalesFigures;
  readonly rows: number;
  readonly writeMs: number;
}> {
  const stopwatch = startStopwatch();
  const orders = newOrderMap();
  let events = 0;
  let cursor = 0;
  let mark = now();
  for (;;) {
    const page = await reader.readAllPage(cursor, BATCH_SIZE);
    for (const event of page) foldRawEvent(orders, event);
    events += page.length;
    const last = page[page.length - 1];
    if (last === undefined || page.length < BATCH_SIZE) break;
    cursor = last.globalPosition + 1;
    const at = now();
    tally.latencies.record(at - mark);
    mark = at;
  }
  const figures = figuresOf(orders);
  const writeStarted = now();
  const rows = writer ? await writer.write(figures) : 0;
  const at = now();
  tally.latencies.record(at - mark);
  tally.add(events, stopwatch);
  return { events, figures, rows, writeMs: at - writeStarted };
}

/** W7: rebuilding two order-derived read models from a large log. */
export const w7ProjectionRebuild: Workload = {
  id: 'w7',
  name: 'w7-projection-rebuild',
  unit: `batch of ${BATCH_SIZE} events`,
  targets: [],
  timeoutMs: 90 * 60_000,

  async run(target, context) {
    const orders = context.scale(ORDERS, 100);
    context.log(`checking the history's first ${DECIDER_SAMPLE} orders against the SalesOrder decider`);
    checkAgainstDecider(DECIDER_SAMPLE, CUSTOMERS, orders);

    context.log(
      `populating ${orders} orders for ${CUSTOMERS} customers, ${ORDERS_PER_APPEND} per appendMany (untimed)`,
    );
    const populateStarted = now();
    const history = await populateOrders(
      (appends) => target.eventStore.appendMany(appends),
      orders,
      CUSTOMERS,
      ORDERS_PER_APPEND,
    );
    const populateSeconds = (now() - populateStarted) / 1000;
    const head = await target.eventStore.headPosition();
    if (head !== history.events) throw new Error(`w7: the store holds ${head} events, ${history.events} were written`);
    context.log(`${history.events} events in ${populateSeconds.toFixed(1)} s`);

    const side = storeSide(target);
    await side.writer?.create();
    const reader = await target.openRawReader();

    const store = new Tally();
    const baseline = new Tally();
    const rss = new RssSampler();
    const storeRoundSeconds: number[] = [];
    let writeMs = 0;
    let rowsWritten = 0;

    const rebuildBoth = async (): Promise<void> => {
      const stopwatch = startStopwatch();
      rss.sample();
      let mark = now();
      const onProgress = (): void => {
        const at = now();
        store.latencies.record(at - mark);
        mark = at;
        rss.sample();
      };
      let applied = 0;
      for (const name of REBUILT) applied += (await side.runner.rebuild(name, { onProgress })).applied;
      rss.sample();
      storeRoundSeconds.push(stopwatch.elapsedMs() / 1000);
      store.add(history.events, stopwatch);
      if (applied !== REBUILT.length * history.events) {
        throw new Error(`w7: the rebuilds applied ${applied} events, expected ${REBUILT.length} × ${history.events}`);
      }
    };

    context.log(`${ROUNDS} rounds of: rebuild both read models (batches of ${BATCH_SIZE}) / raw baseline, alternating`);
    for (let round = 0; round < ROUNDS; round++) {
      collectGarbage();
      let raw: Awaited<ReturnType<typeof rawRebuild>> | undefined;
      await alternate(round, rebuildBoth, async () => {
        raw = await rawRebuild(reader, side.writer, baseline);
      });
      const done = raw as Awaited<ReturnType<typeof rawRebuild>>;
      writeMs += done.writeMs;
      rowsWritten = done.rows;
      // Untimed: the plan, the baseline and the read models must show the same figures.
      if (done.events !== history.events) throw new Error(`w7: baseline read ${done.events} of ${history.events}`);
      assertSameFigures('w7 baseline', done.figures, history.expected);
      assertSameFigures('w7 read models', await queriedFigures(side.summary, side.dashboard), history.expected);
      if (side.writer && (await side.writer.count()) !== done.rows) throw new Error('w7: baseline rows missing');
      context.log(`round ${round + 1}: store ${storeRoundSeconds[round]?.toFixed(1)} s`);
    }
    await reader.close();
    const peakRssMb = rss.peakMb;
    const storeMeasurement = store.toMeasurement();
    const baselineMeasurement = baseline.toMeasurement();
    return {
      store: storeMeasurement,
      baseline: baselineMeasurement,
      baselineLabel:
        target.store === 'memory'
          ? `array slices of ${BATCH_SIZE}, orders folded into Maps`
          : target.store === 'sqlite'
            ? `${target.driverLabel}: SELECT by position (${BATCH_SIZE}), JSON.parse, Maps, INSERT per row in one transaction`
            : `${target.driverLabel}: SELECT by position (${BATCH_SIZE}), JSON.parse, Maps, multi-row INSERT in one transaction`,
      peakRssMb,
      extra: {
        n_unit: 'events in the log, per round (each round rebuilds both read models: every event applied twice)',
        orders,
        customers: CUSTOMERS,
        events_in_log: history.events,
        rounds: ROUNDS,
        batch_size: BATCH_SIZE,
        // The ratio rounds to 0.00 when the store is hundreds of times slower; this keeps the factor readable.
        times_slower: significant(
          storeMeasurement.seconds / store.n / (baselineMeasurement.seconds / baselineMeasurement.n),
        ),
        orders_per_sec: significant((orders * ROUNDS) / storeMeasurement.seconds),
        applied_per_sec: significant((REBUILT.length * store.n) / storeMeasurement.seconds),
        store_round1_seconds: round(storeRoundSeconds[0] ?? 0, 2),
        store_last_round_seconds: round(storeRoundSeconds[storeRoundSeconds.length - 1] ?? 0, 2),
        summary_rows: history.expected.customers.size,
        daily_rows: history.expected.days.size,
        baseline_rows_written: rowsWritten,
        baseline_write_seconds: round(writeMs / 1000 / ROUNDS, 3),
        populate_seconds: round(populateSeconds, 2),
      },
    };
  },
};

void runWorkloadScript(import.meta.url, w7ProjectionRebuild.id);
