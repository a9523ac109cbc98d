/**
 * W8 big stream: one stream of 1,000,000 events (written by `appendToStream` in batches of 1,000, untimed),
 * read end to end by `readStream`, then the whole store by `readAll`. What matters is memory: a read must
 * stream, so peak RSS stays under 200 MB however long the stream. The runner runs each store's W8 in its own
 * process, so the RSS is this workload's own.
 *
 * Baseline: paged SELECTs by version and by position, page size 500 (the adapters' default), plus
 * `JSON.parse`.
 */
import { benchEvents } from '../lib/events.js';
import { assertSameRead, type ReadCheck, timeEvents, timeRawReadAll, timeRawReadStream } from '../lib/loops.js';
import { runWorkloadScript } from '../lib/main-module.js';
import { collectGarbage, now, RssSampler, round, significant, Tally } from '../lib/measure.js';
import type { Workload } from '../lib/types.js';

const EVENTS = 1_000_000;
const APPEND_BATCH = 1_000;
const PAGE_SIZE = 500;
/** Latencies and RSS samples are taken every this many events. */
const EVERY = 1_000;
const STREAM_ID = 'big-stream';

/** Events per second of one read. */
const rate = (read: ReadCheck): number => read.count / (read.elapsedMs / 1000);

/** W8: reading a very long stream and a large store with bounded memory. */
export const w8BigStream: Workload = {
  id: 'w8',
  name: 'w8-big-stream',
  unit: `${EVERY} events read`,
  targets: [{ field: 'peak_rss_mb', op: '<', value: { memory: 200, sqlite: 200, postgres: 200 } }],
  timeoutMs: 40 * 60_000,

  async run(target, context) {
    const events = context.scale(EVENTS, 10_000);
    context.log(`populating one stream of ${events} events in appends of ${APPEND_BATCH} (untimed)`);
    const populateStarted = now();
    for (let version = 0; version < events; version += APPEND_BATCH) {
      const count = Math.min(APPEND_BATCH, events - version);
      await target.eventStore.appendToStream(STREAM_ID, benchEvents(0, version + 1, count), {
        expectedVersion: version,
      });
    }
    const populateSeconds = (now() - populateStarted) / 1000;
    collectGarbage();
    const rssBefore = round(process.memoryUsage.rss() / (1024 * 1024), 1);

    context.log('store: readStream, then readAll');
    const rss = new RssSampler().start();
    // One tally over both reads: n = 2 × events, latencies per 1,000 events of either.
    const store = new Tally(2 * (events / EVERY) + 2);
    const storeStream = await timeEvents(target.eventStore.readStream(STREAM_ID), EVERY, store, rss);
    const storeAll = await timeEvents(target.eventStore.readAll({ batchSize: PAGE_SIZE }), EVERY, store, rss);
    const peakRssMb = rss.stop();
    collectGarbage();

    context.log(`baseline: ${target.driverLabel}`);
    const reader = await target.openRawReader();
    collectGarbage();
    const baselineRss = new RssSampler().start();
    const baseline = new Tally(2 * (events / EVERY) + 2);
    const rawStream = await timeRawReadStream(reader, STREAM_ID, PAGE_SIZE, EVERY, baseline, baselineRss);
    const rawAll = await timeRawReadAll(reader, PAGE_SIZE, EVERY, baseline, baselineRss);
    const baselinePeakRssMb = baselineRss.stop();
    await reader.close();
    assertSameRead('w8 readStream', storeStream, rawStream, events);
    assertSameRead('w8 readAll', storeAll, rawAll, events);

    return {
      store: store.toMeasurement(),
      baseline: baseline.toMeasurement(),
      baselineLabel:
        target.store === 'memory'
          ? `array slices of ${PAGE_SIZE}`
          : `${target.driverLabel}: paged SELECT by version / position (${PAGE_SIZE}), JSON.parse`,
      peakRssMb,
      extra: {
        n_unit: 'events (readStream + readAll)',
        stream_events: events,
        populate_seconds: round(populateSeconds, 2),
        // RSS never shrinks much after the populate phase, so the peak during reads is at least this; the
        // growth is what the reads themselves needed.
        rss_before_reads_mb: rssBefore,
        rss_growth_during_reads_mb: round(Math.max(0, peakRssMb - rssBefore), 1),
        read_stream_per_sec: significant(rate(storeStream)),
        read_stream_ratio: round(rate(storeStream) / rate(rawStream), 2),
        read_all_per_sec: significant(rate(storeAll)),
        read_all_ratio: round(rate(storeAll) / rate(rawAll), 2),
        baseline_peak_rss_mb: baselinePeakRssMb,
      },
    };
  },
};

void runWorkloadScript(import.meta.url, w8BigStream.id);
