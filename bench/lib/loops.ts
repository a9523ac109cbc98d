/**
 * The timed loops workloads share, so that the store side and the baseline side of a workload run the very
 * same loop around a different call, and a difference in speed can only come from that call.
 */
import { isOrdoError } from 'ordo';
import { type Latencies, now, type RssSampler, startStopwatch, type Tally } from './measure.js';
import type { RawEvent, RawReader } from './types.js';

/**
 * Runs one round of the store side and the baseline side, store first in even rounds and baseline first in
 * odd ones (ABBA order). Whatever one side leaves behind for the next (the OS writing back the pages it
 * dirtied, a garbage collection it made due) then falls on both sides alike.
 */
export async function alternate(
  round: number,
  storeSide: () => Promise<unknown>,
  baselineSide: () => Promise<unknown>,
): Promise<void> {
  if (round % 2 === 0) {
    await storeSide();
    await baselineSide();
  } else {
    await baselineSide();
    await storeSide();
  }
}

/** Splits `0 .. total` into `rounds` consecutive `[from, to)` ranges (fewer when `total` is small). */
export function rounds(total: number, count: number): [number, number][] {
  const size = Math.max(1, Math.ceil(total / count));
  const ranges: [number, number][] = [];
  for (let from = 0; from < total; from += size) ranges.push([from, Math.min(total, from + size)]);
  return ranges;
}

/**
 * Calls `operation(streamIndex, version)` for every stream of `[from, to)` in turn and every call of it,
 * awaiting each, and adds the time of each call to `tally`. `version` is the stream's version before the
 * call (the expected version).
 *
 * @param eventsPerCall - how many events one call writes, so that the tally counts events.
 */
export async function timeSequential(
  [from, to]: readonly [number, number],
  callsPerStream: number,
  eventsPerCall: number,
  operation: (streamIndex: number, version: number) => Promise<unknown>,
  tally: Tally,
  rss?: RssSampler,
): Promise<void> {
  const stopwatch = startStopwatch();
  for (let stream = from; stream < to; stream++) {
    for (let call = 0; call < callsPerStream; call++) {
      const before = now();
      await operation(stream, call * eventsPerCall);
      tally.latencies.record(now() - before);
    }
    if (rss && (stream & 63) === 0) rss.sample();
  }
  tally.add((to - from) * callsPerStream * eventsPerCall, stopwatch);
}

/** What a timed read saw, to check that the store and the baseline read the same events. */
export interface ReadCheck {
  readonly count: number;
  /** Sum of stream versions: a cheap fingerprint that also keeps the loop from being optimised away. */
  readonly versionSum: number;
  /** How long this read took, in milliseconds. */
  readonly elapsedMs: number;
}

/**
 * Consumes an async iterable of events, recording a latency every `every` events (a "page" for p50/p99)
 * and sampling RSS at the same points, and adds the whole read to `tally`.
 */
export async function timeEvents(
  events: AsyncIterable<{ readonly streamVersion: number }>,
  every: number,
  tally: Tally,
  rss?: RssSampler,
): Promise<ReadCheck> {
  const latencies: Latencies = tally.latencies;
  let count = 0;
  let versionSum = 0;
  const stopwatch = startStopwatch();
  let mark = now();
  for await (const event of events) {
    versionSum += event.streamVersion;
    if (++count % every === 0) {
      const at = now();
      latencies.record(at - mark);
      mark = at;
      rss?.sample();
    }
  }
  const elapsedMs = stopwatch.elapsedMs();
  if (count % every !== 0) latencies.record(now() - mark);
  tally.add(count, stopwatch);
  return { count, versionSum, elapsedMs };
}

/**
 * The raw reading loop: fetch a page, decode it, go through its rows synchronously, until a short page.
 * No async iterator per event: this is the least a reader must do, so the ratio shows what the
 * `AsyncIterable` API and the adapter cost on top of it. Timed and sampled like {@link timeEvents}.
 */
export async function timeRawPages(
  fetchPage: (cursor: number) => Promise<readonly RawEvent[]>,
  cursorAfter: (last: RawEvent) => number,
  firstCursor: number,
  pageSize: number,
  every: number,
  tally: Tally,
  rss?: RssSampler,
): Promise<ReadCheck> {
  const latencies = tally.latencies;
  let count = 0;
  let versionSum = 0;
  const stopwatch = startStopwatch();
  let mark = now();
  let cursor = firstCursor;
  for (;;) {
    const page = await fetchPage(cursor);
    for (const event of page) {
      versionSum += event.streamVersion;
      if (++count % every === 0) {
        const at = now();
        latencies.record(at - mark);
        mark = at;
        rss?.sample();
      }
    }
    const last = page[page.length - 1];
    if (last === undefined || page.length < pageSize) break;
    cursor = cursorAfter(last);
  }
  const elapsedMs = stopwatch.elapsedMs();
  if (count % every !== 0) latencies.record(now() - mark);
  tally.add(count, stopwatch);
  return { count, versionSum, elapsedMs };
}

/** {@link timeRawPages} over `readAll` pages by global position. */
export function timeRawReadAll(
  reader: RawReader,
  pageSize: number,
  every: number,
  tally: Tally,
  rss?: RssSampler,
): Promise<ReadCheck> {
  return timeRawPages(
    (from) => reader.readAllPage(from, pageSize),
    (last) => last.globalPosition + 1,
    0,
    pageSize,
    every,
    tally,
    rss,
  );
}

/** {@link timeRawPages} over one stream's pages by version. */
export function timeRawReadStream(
  reader: RawReader,
  streamId: string,
  pageSize: number,
  every: number,
  tally: Tally,
  rss?: RssSampler,
): Promise<ReadCheck> {
  return timeRawPages(
    (from) => reader.readStreamPage(streamId, from, pageSize),
    (last) => last.streamVersion + 1,
    1,
    pageSize,
    every,
    tally,
    rss,
  );
}

/**
 * The raw pages of `readAll` re-yielded one event at a time by a bare async generator: the floor of any
 * store that hands out events through `AsyncIterable`, as the `EventStore` port requires. Timed with
 * {@link timeEvents}, it separates what the port's shape costs from what the adapter adds.
 */
export async function* rawReadAllEvents(reader: RawReader, pageSize: number): AsyncGenerator<RawEvent> {
  let cursor = 0;
  for (;;) {
    const page = await reader.readAllPage(cursor, pageSize);
    yield* page;
    const last = page[page.length - 1];
    if (last === undefined || page.length < pageSize) return;
    cursor = last.globalPosition + 1;
  }
}

/** Throws unless the store and the baseline read the expected number of events with the same versions. */
export function assertSameRead(what: string, store: ReadCheck, baseline: ReadCheck, expected: number): void {
  if (store.count !== expected || baseline.count !== expected || store.versionSum !== baseline.versionSum) {
    throw new Error(
      `${what}: store read ${store.count} events (version sum ${store.versionSum}), baseline ${baseline.count} (${baseline.versionSum}), expected ${expected}`,
    );
  }
}

/** True for the error a store throws when an optimistic append loses (works across bundle copies). */
export const isConcurrencyConflict = (error: unknown): boolean => isOrdoError(error, 'CONCURRENCY_CONFLICT');
