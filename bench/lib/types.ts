/**
 * The shapes the benchmark harness is built from: a store under test with its raw-driver baseline
 * (a {@link BenchTarget}), a workload that measures both, and the JSON line it produces.
 */
import type { EventStore, NewEvent } from 'ordo';

/** The stores `npm run bench` knows; `postgres` means the server at `ORDO_PG_URL`, or PGlite without one. */
export type StoreName = 'memory' | 'sqlite' | 'postgres';

/** Every store, in the order the runner runs them. */
export const STORE_NAMES: readonly StoreName[] = ['memory', 'sqlite', 'postgres'];

/** A field of a result line: JSON scalars only, so a line stays one flat object that `jq` can filter. */
export type ResultValue = string | number | boolean | null;

/** An event as a baseline reads it back: columns with `data` and `metadata` parsed, as a store returns them. */
export interface RawEvent {
  readonly globalPosition: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: string;
}

/**
 * The raw driver writing what an append writes (id, version, JSON text, timestamps), with nothing of the
 * adapter in between. Every write is one transaction; the version check is the table's
 * `UNIQUE (stream_id, stream_version)` (or, for memory, a length comparison), as cheap as a check can be.
 */
export interface RawWriter {
  /** Writes one event at `expectedVersion + 1` in its own transaction; a taken version is a conflict. */
  appendOne(streamId: string, expectedVersion: number, event: NewEvent): Promise<void>;
  /** Writes `events` at `expectedVersion + 1 ...` in one transaction. */
  appendBatch(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<void>;
  /** The stream's highest version (`SELECT max(stream_version)`), `0` when it does not exist. */
  streamVersion(streamId: string): Promise<number>;
  /** True when `error` is the write losing an optimistic race (a unique violation on the version). */
  isConflict(error: unknown): boolean;
}

/** The raw driver reading the store's own events in pages, decoding JSON as the store must. */
export interface RawReader {
  /** Events with `global_position >= fromPosition`, in position order, at most `limit`. */
  readAllPage(fromPosition: number, limit: number): Promise<readonly RawEvent[]>;
  /** Events of one stream with `stream_version >= fromVersion`, in version order, at most `limit`. */
  readStreamPage(streamId: string, fromVersion: number, limit: number): Promise<readonly RawEvent[]>;
}

/** Something that holds connections or files and must be let go. */
export interface Closeable {
  close(): Promise<void>;
}

/**
 * One store under test on fresh storage, plus what its baseline needs. Made by a target factory in
 * `bench/targets/`, used by exactly one workload run, then closed (which deletes the storage).
 */
export interface BenchTarget extends Closeable {
  readonly store: StoreName;
  /** The adapter instance under test, on fresh storage. */
  readonly eventStore: EventStore;
  /** Extra fields for the result line (`driver`, `synchronous`, `journal_mode`, ...). */
  readonly info: Readonly<Record<string, ResultValue>>;
  /** What the baselines use, e.g. `better-sqlite3`, `pg`, `pglite`, `Map of arrays`. */
  readonly driverLabel: string;
  /**
   * `count` stores on the same data as {@link eventStore}, each on its own connection where the backend has
   * connections (W4's concurrent writers).
   */
  openWriters(count: number): Promise<{ readonly stores: readonly EventStore[] } & Closeable>;
  /**
   * `count` raw writers, each on its own connection where the backend has them, all writing one fresh table
   * shaped exactly like the adapter's events table (created by the adapter's own migration).
   */
  openRawWriters(count: number): Promise<{ readonly writers: readonly RawWriter[] } & Closeable>;
  /** A raw reader over the events {@link eventStore} holds (for memory: a plain copy of them). */
  openRawReader(): Promise<RawReader & Closeable>;
}

/** How a workload run is scaled and where it reports progress. */
export interface RunContext {
  /** `--quick`: every size at 1%, no speed assertions. */
  readonly quick: boolean;
  /** Scales a full-run size (1 or 0.01), never below `min`. */
  scale(size: number, min?: number): number;
  /** Progress to stderr, so stdout stays JSON lines. */
  log(message: string): void;
}

/** One measured side (the store or its baseline) of a workload. */
export interface Measurement {
  /** Operations or events counted for `per_sec` (the workload says which). */
  readonly n: number;
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** This process's CPU time over the measurement, in microseconds, when measured. */
  readonly cpuMicros?: number;
}

/** What a workload returns for one store; the child process turns it into the JSON line. */
export interface WorkloadResult {
  readonly store: Measurement;
  readonly baseline: Measurement;
  /** Describes the baseline in a few words, e.g. `better-sqlite3: one INSERT per transaction`. */
  readonly baselineLabel: string;
  /** Peak RSS sampled while the store side ran, in MB. */
  readonly peakRssMb: number;
  /** Workload-specific fields (`attempts`, `unit`, ...). */
  readonly extra?: Readonly<Record<string, ResultValue>>;
}

/** A target a workload's result is held to in the summary. */
export interface WorkloadTarget {
  /** The result field compared. */
  readonly field: 'ratio' | 'peak_rss_mb';
  /** `ratio >= value` or `peak_rss_mb < value`. */
  readonly op: '>=' | '<';
  /** The threshold per store; a store without one has no target. */
  readonly value: Partial<Record<StoreName, number>>;
}

/** A benchmark workload: one script in `bench/workloads/`, registered in `bench/workloads/index.ts`. */
export interface Workload {
  /** Short id used by `--only`, e.g. `w1`. */
  readonly id: string;
  /** The name printed in result lines, e.g. `w1-append-single`. */
  readonly name: string;
  /** What one timed operation is, for p50/p99 (e.g. `append`, `page of 500 events`). */
  readonly unit: string;
  readonly targets: readonly WorkloadTarget[];
  /** Child-process time limit in a full run; a quick run gets a tenth of it, at least a minute. */
  readonly timeoutMs: number;
  /** Runs the store side, then the baseline, on `target`'s fresh storage. */
  run(target: BenchTarget, context: RunContext): Promise<WorkloadResult>;
}
