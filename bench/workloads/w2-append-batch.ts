/**
 * W2 append-batch: 1,000 streams, one `appendToStream` of 100 events each. Baseline: the 100 INSERTs in one
 * transaction per batch. Store and baseline alternate (ABBA) in 10 rounds of 100 streams each.
 */
import { benchEvents, streamIdOf } from '../lib/events.js';
import { alternate, rounds, timeSequential } from '../lib/loops.js';
import { runWorkloadScript } from '../lib/main-module.js';
import { RssSampler, Tally } from '../lib/measure.js';
import type { Workload } from '../lib/types.js';

const STREAMS = 1_000;
const BATCH = 100;
const ROUNDS = 10;

/** W2: the cost per event of a large atomic append (imports, an order with many lines). */
export const w2AppendBatch: Workload = {
  id: 'w2',
  name: 'w2-append-batch',
  unit: `append of ${BATCH} events`,
  targets: [{ field: 'ratio', op: '>=', value: { memory: 0.5, sqlite: 0.8, postgres: 0.8 } }],
  timeoutMs: 30 * 60_000,

  async run(target, context) {
    const streams = context.scale(STREAMS, 10);
    const raw = await target.openRawWriters(1);
    const writer = raw.writers[0];
    if (!writer) throw new Error('no raw writer');
    const store = new Tally(streams);
    const baseline = new Tally(streams);
    const rss = new RssSampler().start();
    context.log(`${streams} streams × 1 append of ${BATCH} events, store and baseline alternating`);
    for (const [round, range] of rounds(streams, ROUNDS).entries()) {
      await alternate(
        round,
        () =>
          timeSequential(
            range,
            1,
            BATCH,
            (stream) =>
              target.eventStore.appendToStream(streamIdOf('order', stream), benchEvents(stream, 1, BATCH), {
                expectedVersion: 'no_stream',
              }),
            store,
            rss,
          ),
        () =>
          timeSequential(
            range,
            1,
            BATCH,
            (stream) => writer.appendBatch(streamIdOf('order', stream), 0, benchEvents(stream, 1, BATCH)),
            baseline,
          ),
      );
    }
    const peakRssMb = rss.stop();
    await raw.close();
    return {
      store: store.toMeasurement(),
      baseline: baseline.toMeasurement(),
      baselineLabel:
        target.store === 'memory'
          ? 'Map of arrays, version check, deep copy'
          : target.store === 'postgres'
            ? `${target.driverLabel}: ${BATCH} rows in one INSERT ... SELECT FROM unnest (one transaction)`
            : `${target.driverLabel}: ${BATCH} INSERTs in one transaction`,
      peakRssMb,
      extra: { n_unit: 'events', appends: streams, events_per_append: BATCH, rounds: ROUNDS },
    };
  },
};

void runWorkloadScript(import.meta.url, w2AppendBatch.id);
