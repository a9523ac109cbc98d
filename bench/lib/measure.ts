/**
 * Timing and memory sampling. Latencies go into a preallocated typed array, so recording one costs no
 * allocation and does not disturb what is being measured.
 */
import { performance } from 'node:perf_hooks';
import type { Measurement } from './types.js';

/** Collects per-operation durations in milliseconds and summarises them. */
export class Latencies {
  #values: Float64Array;
  #count = 0;

  constructor(expected = 1024) {
    this.#values = new Float64Array(Math.max(16, expected));
  }

  /** Number of recorded durations. */
  get count(): number {
    return this.#count;
  }

  /** Records one duration in milliseconds. */
  record(ms: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = ms;
  }

  /** The `p`-th percentile (0..100) by nearest rank; `0` when nothing was recorded. */
  percentile(p: number): number {
    if (this.#count === 0) return 0;
    const sorted = this.#values.slice(0, this.#count).sort();
    const rank = Math.min(this.#count - 1, Math.max(0, Math.ceil((p / 100) * this.#count) - 1));
    return sorted[rank] ?? 0;
  }
}

/**
 * Time, count and latencies of one side of a workload, added up over the rounds it runs in. Workloads
 * alternate store and baseline in rounds, so that load from other processes on a shared machine falls on
 * both sides alike and the ratio stays meaningful even when absolute numbers wobble.
 */
export class Tally {
  readonly latencies: Latencies;
  elapsedMs = 0;
  /** Process CPU time (user + system) spent in the rounds, in microseconds. */
  cpuMicros = 0;
  n = 0;

  constructor(expected = 1024) {
    this.latencies = new Latencies(expected);
  }

  /** Adds one round: `n` more operations or events over the time `stopwatch` measured since it started. */
  add(n: number, stopwatch: Stopwatch): void {
    this.n += n;
    this.elapsedMs += stopwatch.elapsedMs();
    this.cpuMicros += stopwatch.cpuMicros();
  }

  /** The tally as a {@link Measurement}. */
  toMeasurement(): Measurement {
    return { ...measurement(this.n, this.elapsedMs, this.latencies), cpuMicros: this.cpuMicros };
  }
}

/** A {@link Measurement} from an operation count, elapsed milliseconds and the latencies. */
export function measurement(n: number, elapsedMs: number, latencies: Latencies): Measurement {
  return { n, seconds: elapsedMs / 1000, p50Ms: latencies.percentile(50), p99Ms: latencies.percentile(99) };
}

/** Milliseconds on the monotonic clock. */
export const now = (): number => performance.now();

/**
 * Wall time and this process's CPU time since it was started. CPU time shows the client-side cost of an
 * operation even when a shared machine stretches wall time; it excludes what a database server process does.
 */
export interface Stopwatch {
  elapsedMs(): number;
  cpuMicros(): number;
}

/** Starts a {@link Stopwatch}. */
export function startStopwatch(): Stopwatch {
  const wall = now();
  const cpu = process.cpuUsage();
  return {
    elapsedMs: () => now() - wall,
    cpuMicros: () => {
      const used = process.cpuUsage(cpu);
      return used.user + used.system;
    },
  };
}

/**
 * Tracks the highest resident set size seen. A timer alone is not enough: a `for await` over a store whose
 * driver is synchronous (better-sqlite3, memory) never returns to the event loop, so timers do not fire
 * while it runs. Workloads therefore also call {@link RssSampler.sample} every so many events.
 */
export class RssSampler {
  #peak = 0;
  #timer: NodeJS.Timeout | undefined;

  /** Starts sampling every `intervalMs` as well (when the event loop gets the chance). */
  start(intervalMs = 20): this {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
    return this;
  }

  /** Takes one sample; cheap (one `getrusage`-like call, no heap walk). */
  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.#peak) this.#peak = rss;
  }

  /** Stops the timer and returns the peak in MB. */
  stop(): number {
    this.sample();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    return this.peakMb;
  }

  /** The highest RSS seen so far, in MB (one decimal). */
  get peakMb(): number {
    return round(this.#peak / (1024 * 1024), 1);
  }
}

/** Runs a full garbage collection when node was started with `--expose-gc` (the runner does that). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/** Rounds to `digits` decimals, for readable JSON. */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * Rounds a latency or rate to 3 significant digits, keeping small values readable
 * (0.0123 ms, 12.3 ms, 12300 per second) without pretending more precision than a run has.
 */
export function significant(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return round(value, digits);
}
