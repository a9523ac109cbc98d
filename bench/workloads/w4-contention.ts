/**
 * W4 contention: 8 concurrent writers on one stream, each reading the stream's version and appending one
 * event with it, retrying on conflict, until 200 appends have landed. Baseline: the raw driver running the
 * same optimistic loop (SELECT max version, INSERT, unique violation → retry).
 *
 * Writers: memory, 8 stores sharing one storage; SQLite, 8 stores each on its own better-sqlite3
 * connection to the same file (the adapter queues them on its per-file write gate, as it would 8 request
 * handlers of one process); PostgreSQL, one store over a pool of at least 8 connections (PGlite: one
 * connection, interleaved).
 */
import type { EventStore } from 'ordo';
import { benchEvent } from '../lib/events.js';
import { alternate, isConcurrencyConflict, rounds } from '../lib/loops.js';
import { runWorkloadScript } from '../lib/main-module.js';
import { now, RssSampler, startStopwatch, Tally } from '../lib/measure.js';
import type { RawWriter, Workload } from '../lib/types.js';

const WRITERS = 8;
const APPENDS = 200;
const STREAM_ID = 'contended-order';
/** An untimed first race on another stream warms JIT, plan caches and pooled connections for both sides. */
const WARMUP_STREAM_ID = 'contended-warmup';
/** Store and baseline alternate (ABBA) in rounds of 25 appends. */
const ROUNDS = 8;

/** One writer's two moves: read the version, append at it. */
interface OptimisticWriter {
  version(): Promise<number>;
  /** Resolves true when the append landed, false when it lost the race. */
  append(version: number, writerIndex: number): Promise<boolean>;
}

/**
 * Runs `writers` concurrently until `target` more appends have landed, adding to `tally`. Latency is per
 * landed append, from its first attempt to its success, so it includes the retries contention costs.
 * Returns the attempts made.
 */
async function race(writers: readonly OptimisticWriter[], target: number, tally: Tally): Promise<number> {
  let landed = 0;
  let attempts = 0;
  const stopwatch = startStopwatch();
  await Promise.all(
    writers.map(async (writer, index) => {
      while (landed < target) {
        const first = now();
        let done = false;
        while (!done && landed < target) {
          attempts += 1;
          done = await writer.append(await writer.version(), index);
        }
        if (done) {
          landed += 1;
          tally.latencies.record(now() - first);
        }
      }
    }),
  );
  tally.add(landed, stopwatch);
  return attempts;
}

function storeWriter(store: EventStore, streamId: string): OptimisticWriter {
  return {
    version: () => store.streamVersion(streamId),
    async append(version, writerIndex) {
      try {
        await store.appendToStream(streamId, [benchEvent(writerIndex, version + 1)], { expectedVersion: version });
        return true;
      } catch (error) {
        if (isConcurrencyConflict(error)) return false;
        throw error;
      }
    },
  };
}

function rawOptimisticWriter(raw: RawWriter, streamId: string): OptimisticWriter {
  return {
    version: () => raw.streamVersion(streamId),
    async append(version, writerIndex) {
      try {
        await raw.appendOne(streamId, version, benchEvent(writerIndex, version + 1));
        return true;
      } catch (error) {
        if (raw.isConflict(error)) return false;
        throw error;
      }
    },
  };
}

/** W4: optimistic concurrency under contention must finish, and not collapse. */
export const w4Contention: Workload = {
  id: 'w4',
  name: 'w4-contention',
  unit: 'landed append, incl. retries',
  targets: [{ field: 'ratio', op: '>=', value: { memory: 0.5, sqlite: 0.5, postgres: 0.5 } }],
  timeoutMs: 10 * 60_000,

  async run(target, context) {
    const appends = context.scale(APPENDS, 16);
    const stores = await target.openWriters(WRITERS);
    const raw = await target.openRawWriters(WRITERS);
    const storeWriters = stores.stores.map((store) => storeWriter(store, STREAM_ID));
    const rawWriters = raw.writers.map((writer) => rawOptimisticWriter(writer, STREAM_ID));
    // Only 200 appends are timed, so first-use costs would weigh: JIT of the store's code, and on PostgreSQL a
    // new connection per writer and the append function's compilation in each session.
    context.log(`warm-up: ${appends} appends per side on another stream (untimed)`);
    await race(
      stores.stores.map((store) => storeWriter(store, WARMUP_STREAM_ID)),
      appends,
      new Tally(),
    );
    await race(
      raw.writers.map((writer) => rawOptimisticWriter(writer, WARMUP_STREAM_ID)),
      appends,
      new Tally(),
    );
    const store = new Tally(appends + WRITERS);
    const baseline = new Tally(appends + WRITERS);
    let storeAttempts = 0;
    let baselineAttempts = 0;
    const rss = new RssSampler().start();
    context.log(`${WRITERS} writers on one stream until ${appends} appends land, store and baseline alternating`);
    for (const [round, [from, to]] of rounds(appends, ROUNDS).entries()) {
      await alternate(
        round,
        async () => {
          storeAttempts += await race(storeWriters, to - from, store);
          rss.sample();
        },
        async () => {
          baselineAttempts += await race(rawWriters, to - from, baseline);
        },
      );
    }
    const peakRssMb = rss.stop();
    const version = await target.eventStore.streamVersion(STREAM_ID);
    const rawVersion = await raw.writers[0]?.streamVersion(STREAM_ID);
    await stores.close();
    await raw.close();
    if (version !== store.n) throw new Error(`store: ${store.n} appends landed but the stream is at ${version}`);
    if (rawVersion !== baseline.n) throw new Error(`baseline: ${baseline.n} landed, stream at ${rawVersion}`);
    return {
      store: store.toMeasurement(),
      baseline: baseline.toMeasurement(),
      baselineLabel:
        target.store === 'memory'
          ? 'Map of arrays: read length, push with version check, retry'
          : `${target.driverLabel}: SELECT max(version), INSERT, retry on unique violation`,
      peakRssMb,
      extra: {
        n_unit: 'appends',
        writers: WRITERS,
        rounds: ROUNDS,
        attempts: storeAttempts,
        conflicts: storeAttempts - store.n,
        baseline_attempts: baselineAttempts,
      },
    };
  },
};

void runWorkloadScript(import.meta.url, w4Contention.id);
