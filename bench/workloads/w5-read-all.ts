/**
 * W5 read-all: every event of the W1 data set (10,000 streams × 10 events) through `readAll`, in global
 * order. Baseline: a paged SELECT by position with the same page size, plus `JSON.parse` of data and
 * metadata (memory: slices of a plain array of the same events). Three passes each, store and baseline
 * alternating (ABBA). A third reader, the same raw pages re-yielded by a bare async generator, shows what the
 * `AsyncIterable` port costs by itself (`async_baseline_per_sec`, `async_ratio`).
 */
import { benchEvents, streamIdOf } from '../lib/events.js';
import {
  alternate,
  assertSameRead,
  type ReadCheck,
  rawReadAllEvents,
  timeEvents,
  timeRawReadAll,
} from '../lib/loops.js';
import { runWorkloadScript } from '../lib/main-module.js';
import { collectGarbage, RssSampler, round, significant, Tally } from '../lib/measure.js';
import type { Workload } from '../lib/types.js';

const STREAMS = 10_000;
const EVENTS_PER_STREAM = 10;
/** The adapters' default page size, given explicitly so both sides page alike. */
const PAGE_SIZE = 500;
const PASSES = 3;

/** W5: catching up a projection or an export from position 0. */
export const w5ReadAll: Workload = {
  id: 'w5',
  name: 'w5-read-all',
  unit: `page of ${PAGE_SIZE} events`,
  targets: [{ field: 'ratio', op: '>=', value: { memory: 0.7, sqlite: 0.7, postgres: 0.7 } }],
  timeoutMs: 20 * 60_000,

  async run(target, context) {
    const streams = context.scale(STREAMS, 10);
    const expected = streams * EVENTS_PER_STREAM;
    context.log(`populating ${streams} streams × ${EVENTS_PER_STREAM} events (untimed)`);
    for (let stream = 0; stream < streams; stream++) {
      await target.eventStore.appendToStream(streamIdOf('order', stream), benchEvents(stream, 1, EVENTS_PER_STREAM), {
        expectedVersion: 'no_stream',
      });
    }
    const reader = await target.openRawReader();
    collectGarbage();

    context.log(`readAll of ${expected} events in pages of ${PAGE_SIZE}, ${PASSES} passes, alternating`);
    const store = new Tally();
    const baseline = new Tally();
    const asyncBaseline = new Tally();
    const rss = new RssSampler().start();
    // Passes alternate ABBA; the async-generator floor runs last in each pass (it is a side note, not a side).
    for (let pass = 0; pass < PASSES; pass++) {
      let storeRead: ReadCheck | undefined;
      let rawRead: ReadCheck | undefined;
      await alternate(
        pass,
        async () => {
          storeRead = await timeEvents(target.eventStore.readAll({ batchSize: PAGE_SIZE }), PAGE_SIZE, store, rss);
        },
        async () => {
          rawRead = await timeRawReadAll(reader, PAGE_SIZE, PAGE_SIZE, baseline);
        },
      );
      const asyncRead = await timeEvents(rawReadAllEvents(reader, PAGE_SIZE), PAGE_SIZE, asyncBaseline);
      assertSameRead('w5', storeRead as ReadCheck, rawRead as ReadCheck, expected);
      assertSameRead('w5 (async baseline)', storeRead as ReadCheck, asyncRead, expected);
    }
    const perSec = store.n / store.elapsedMs;
    const asyncPerSec = asyncBaseline.n / asyncBaseline.elapsedMs;
    const peakRssMb = rss.stop();
    await reader.close();
    return {
      store: store.toMeasurement(),
      baseline: baseline.toMeasurement(),
      baselineLabel:
        target.store === 'memory'
          ? `array slices of ${PAGE_SIZE}`
          : `${target.driverLabel}: SELECT by position, LIMIT ${PAGE_SIZE}, JSON.parse`,
      peakRssMb,
      extra: {
        n_unit: 'events',
        events_per_pass: expected,
        passes: PASSES,
        page_size: PAGE_SIZE,
        // The same raw pages re-yielded by a bare async generator: what the AsyncIterable port costs by itself.
        async_baseline_per_sec: significant(asyncPerSec * 1000),
        async_ratio: round(perSec / asyncPerSec, 2),
      },
    };
  },
};

void runWorkloadScript(import.meta.url, w5ReadAll.id);
