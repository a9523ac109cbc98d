/**
 * W6 place-order: the whole `erp.placeOrder` use case, sequentially, for 10,000 orders from 100 customers over
 * 500 items: input validation, loading the customer, the items, the stock of each line, the price list and the
 * customer's ledger; pricing each line (price list and the seed's pricing rules), the credit check, the stock
 * check, and one atomic multi-stream `appendMany` (the order created, its lines, its submission, one reservation per
 * stock stream, one customer-ledger entry). One timed operation is one `placeOrder` call, accepted or refused.
 *
 * Data (seeded untimed through the ERP's own use cases, see `lib/erp-seed.ts`): customers with credit limits, one
 * in 20 of them tight enough to run out about three quarters of the way through its orders (those orders are
 * refused with `CREDIT_LIMIT_EXCEEDED` and write nothing); items in five item groups, each with a price in the one
 * price list `Standard Selling` (so that list's stream holds `items + 1` events, and every order reads it whole);
 * 100,000 of every item in stock, so the stock check always passes. Orders: 1 to 5 lines over distinct items,
 * 1 to 12 units each, customers and items drawn uniformly by a seeded PRNG; the ERP makes the order ids.
 *
 * Baseline: the raw driver writing exactly the events the use case wrote (same streams, versions, types, data and
 * metadata JSON; fresh event ids and timestamps as a store makes them), one transaction per order (see
 * `lib/raw-commit.ts`; PGlite: one per stream), into a table the adapter's migration created and that holds the
 * seed's events too. The events are read back with `readAll` after each round of the store side, untimed, and
 * replayed. The baseline does none of the reads, decoding, folding and checking a use case does: the ratio is how
 * much of the write path's speed the whole use case keeps, not an adapter's overhead. Both sides count every
 * order (`n`), a refused order taking the baseline no work; baseline latencies are per written order.
 *
 * Sides run in 10 rounds of 1,000 orders, store then baseline (not ABBA: the baseline replays what the store side
 * of the same round wrote).
 */
import { createErp, type ErpResult, type EventStore, type NewEvent } from 'ordo';
import { ERP_SETTINGS, type ErpDataSize, makeOrders, seedErp } from '../lib/erp-seed.js';
import { rounds } from '../lib/loops.js';
import { runWorkloadScript } from '../lib/main-module.js';
import { collectGarbage, now, RssSampler, round, significant, startStopwatch, Tally } from '../lib/measure.js';
import { openRawCommitWriter, type RawCommitWriter, type RawStreamAppend } from '../lib/raw-commit.js';
import type { Workload } from '../lib/types.js';

const ORDERS = 10_000;
const CUSTOMERS = 100;
const ITEMS = 500;
const ROUNDS = 10;
/** Who places the orders, stamped on their events. */
const CONTEXT = { actor: 'web-shop' } as const;
/** The only refusal the data set is built to produce; any other one means the data set is wrong. */
const EXPECTED_REFUSAL = 'CREDIT_LIMIT_EXCEEDED';

/** The events one use-case call committed, by stream, in the order the store wrote them. */
type Commit = RawStreamAppend[];

/**
 * Reads every event after `position` and groups them into commits: consecutive events of one `commandId` (the
 * ERP stamps one per call, the same on every event of its `appendMany`). Returns the commits and the last position.
 */
async function readCommits(
  eventStore: EventStore,
  position: number,
): Promise<{ commits: Commit[]; position: number; events: number }> {
  const commits: Commit[] = [];
  let commandId: unknown;
  let streams = new Map<string, { streamId: string; expectedVersion: number; events: NewEvent[] }>();
  let last = position;
  let events = 0;
  for await (const event of eventStore.readAll({ fromPosition: position + 1, batchSize: 1000 })) {
    const id = (event.metadata as { commandId?: unknown }).commandId;
    if (id === undefined || id !== commandId || commits.length === 0) {
      streams = new Map();
      commits.push([]);
      commandId = id;
    }
    let stream = streams.get(event.streamId);
    if (!stream) {
      stream = { streamId: event.streamId, expectedVersion: event.streamVersion - 1, events: [] };
      streams.set(event.streamId, stream);
      (commits[commits.length - 1] as Commit).push(stream);
    }
    // No event id: the raw writer makes a fresh UUID v7, as the store did.
    stream.events.push({ type: event.type, data: event.data, metadata: event.metadata });
    last = event.globalPosition;
    events += 1;
  }
  return { commits, position: last, events };
}

/** Writes commits through the raw writer, untimed (the seed) or timed into `tally`. */
async function replay(writer: RawCommitWriter, commits: readonly Commit[], tally?: Tally): Promise<void> {
  for (const commit of commits) {
    const before = now();
    await writer.commit(commit);
    tally?.latencies.record(now() - before);
  }
}

/** W6: what one order costs end to end, the ERP's main write path. */
export const w6PlaceOrder: Workload = {
  id: 'w6',
  name: 'w6-place-order',
  unit: 'place-order',
  targets: [],
  timeoutMs: 30 * 60_000,

  async run(target, context) {
    const size: ErpDataSize = {
      orders: context.scale(ORDERS, 20),
      customers: context.scale(CUSTOMERS, 10),
      items: context.scale(ITEMS, 50),
    };
    const erp = createErp({ store: target.eventStore, settings: ERP_SETTINGS });
    context.log(`seeding ${size.customers} customers, ${size.items} items with prices and stock (untimed)`);
    await seedErp(erp, size);
    const writer = await openRawCommitWriter(target);
    // The baseline's table gets the seed's events too, so both tables hold the same rows before the timed writes.
    const seed = await readCommits(target.eventStore, 0);
    await replay(writer, seed.commits);
    let position = seed.position;
    const orders = makeOrders(size);
    collectGarbage();

    const store = new Tally(size.orders);
    const baseline = new Tally(size.orders);
    const refusals = new Map<string, number>();
    let accepted = 0;
    let lines = 0;
    let orderEvents = 0;
    let orderStreams = 0;
    const rss = new RssSampler().start();
    context.log(`${size.orders} place-order calls in ${ROUNDS} rounds, each round store then baseline`);
    for (const [from, to] of rounds(size.orders, ROUNDS)) {
      let acceptedInRound = 0;
      const stopwatch = startStopwatch();
      for (let index = from; index < to; index++) {
        const order = orders[index];
        if (!order) throw new Error(`no order ${index}`);
        const before = now();
        const result: ErpResult<unknown> = await erp.placeOrder(order, CONTEXT);
        store.latencies.record(now() - before);
        if (result.ok) {
          acceptedInRound += 1;
          lines += order.lines.length;
        } else {
          for (const code of new Set(result.errors.map((error) => error.code))) {
            refusals.set(code, (refusals.get(code) ?? 0) + 1);
          }
        }
        if ((index & 63) === 0) rss.sample();
      }
      store.add(to - from, stopwatch);
      accepted += acceptedInRound;

      const written = await readCommits(target.eventStore, position);
      position = written.position;
      if (written.commits.length !== acceptedInRound) {
        throw new Error(
          `orders ${from}..${to}: ${acceptedInRound} accepted but ${written.commits.length} commits read`,
        );
      }
      orderEvents += written.events;
      orderStreams += written.commits.reduce((sum, commit) => sum + commit.length, 0);

      const baselineStopwatch = startStopwatch();
      await replay(writer, written.commits, baseline);
      baseline.add(to - from, baselineStopwatch);
    }
    const peakRssMb = rss.stop();
    await writer.close();
    const unexpected = [...refusals.keys()].filter((code) => code !== EXPECTED_REFUSAL);
    if (unexpected.length > 0) throw new Error(`orders refused for ${unexpected.join(', ')}: the data set is wrong`);
    const perOrder = (total: number): number => (accepted === 0 ? 0 : round(total / accepted, 2));
    return {
      store: store.toMeasurement(),
      baseline: baseline.toMeasurement(),
      baselineLabel: `${writer.label}, replaying the use case's events`,
      peakRssMb,
      extra: {
        n_unit: 'orders',
        customers: size.customers,
        items: size.items,
        accepted,
        refused: size.orders - accepted,
        refused_credit: refusals.get(EXPECTED_REFUSAL) ?? 0,
        lines_per_order: perOrder(lines),
        events_per_order: perOrder(orderEvents),
        streams_per_order: perOrder(orderStreams),
        price_list_events: size.items + 1,
        seed_events: seed.events,
        rounds: ROUNDS,
        // `ratio` has two decimals, and the use case is far slower than its bare write: this keeps 3 digits.
        ratio_precise: significant(store.n / store.elapsedMs / (baseline.n / baseline.elapsedMs)),
      },
    };
  },
};

void runWorkloadScript(import.meta.url, w6PlaceOrder.id);
