/**
 * W1 append-single: 10,000 streams × 10 events, one `appendToStream` per event with its expected version,
 * sequential. Baseline: one INSERT per transaction (memory: a `Map` of arrays with a version check that
 * copies each event). Store and baseline alternate (ABBA) in 10 rounds of 1,000 streams each.
 */
import { benchEvent, streamIdOf } from '../lib/events.js';
import { alternate, rounds, timeSequential } from '../lib/loops.js';
import { runWorkloadScript } from '../lib/main-module.js';
import { RssSampler, Tally } from '../lib/measure.js';
import type { Workload } from '../lib/types.js';

const STREAMS = 10_000;
const EVENTS_PER_STREAM = 10;
const ROUNDS = 10;

/** W1: the cost of one small append, the command handler's everyday write. */
export const w1AppendSingle: Workload = {
  id: 'w1',
  name: 'w1-append-single',
  unit: 'append of 1 event',
  targets: [{ field: 'ratio', op: '>=', value: { memory: 0.5, sqlite: 0.8, postgres: 0.8 } }],
  timeoutMs: 60 * 60_000,

  async run(target, context) {
    const streams = context.scale(STREAMS, 10);
    const raw = await target.openRawWriters(1);
    const writer = raw.writers[0];
    if (!writer) throw new Error('no raw writer');
    const store = new Tally(streams * EVENTS_PER_STREAM);
    const baseline = new Tally(streams * EVENTS_PER_STREAM);
    const rss = new RssSampler().start();
    context.log(`${streams} streams × ${EVENTS_PER_STREAM} appends of 1 event, store and baseline alternating`);
    for (const [round, range] of rounds(streams, ROUNDS).entries()) {
      await alternate(
        round,
        () =>
          timeSequential(
            range,
            EVENTS_PER_STREAM,
            1,
            (stream, version) =>
              target.eventStore.appendToStream(streamIdOf('order', stream), [benchEvent(stream, version + 1)], {
                expectedVersion: version,
              }),
            store,
            rss,
          ),
        () =>
          timeSequential(
            range,
            EVENTS_PER_STREAM,
            1,
            (stream, version) =>
              writer.appendOne(streamIdOf('order', stream), version, benchEvent(stream, version + 1)),
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
          : `${target.driverLabel}: one INSERT per transaction`,
      peakRssMb,
      extra: { n_unit: 'events', streams, events_per_stream: EVENTS_PER_STREAM, rounds: ROUNDS },
    };
  },
};

void runWorkloadScript(import.meta.url, w1AppendSingle.id);
