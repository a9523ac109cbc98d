import type { WarehouseRow, WarehouseSchema } from './warehouse-schema.js';

/** What {@link ExportSink.open} is told. */
export interface ExportSinkContext {
  /** The tables and columns of the rows to come, and the row format version. */
  readonly schema: WarehouseSchema;
}

/** What {@link ExportSink.open} reports: how far the destination already is. */
export interface ExportSinkState {
  /**
   * The global position of the last batch the destination committed; `0` when it holds nothing. The export
   * resumes right after it: this is the one source of truth of an export's progress.
   */
  readonly position: number;
}

/** One batch of rows, with the positions it spans. */
export interface ExportBatch {
  /** The position the sink had committed before this batch (exclusive start). Equal to its current position. */
  readonly fromPosition: number;
  /**
   * The position to commit with the rows (inclusive end): every event up to it has been turned into rows, in
   * this batch or an earlier one. Greater than `fromPosition`.
   */
  readonly toPosition: number;
  /** The rows, in event order; may be empty (the events of the span produced none). */
  readonly rows: readonly WarehouseRow[];
}

/**
 * Where the warehouse export writes rows: a file format, or a host's warehouse loader.
 *
 * @remarks
 * The contract that makes "killed at any moment, run again, every row exactly once" hold:
 *
 * 1. {@link ExportSink.open} restores the destination to its last commit (throwing away anything a crashed
 *    run wrote after it) and returns that commit's position.
 * 2. {@link ExportSink.write} commits the batch's rows and `toPosition` **atomically**: after a crash, either
 *    both are there or neither is. A database sink inserts the rows and updates its stored position in one
 *    transaction; the file sinks fsync the data, then atomically replace a small manifest.
 * 3. `write` refuses a batch whose `fromPosition` is not its committed position (another export wrote in
 *    between, or the caller skipped a batch).
 *
 * Rows are a pure function of the event log up to their event, so a batch re-derived after a crash is
 * identical to the one that was lost. A sink that cannot commit atomically can instead upsert rows by
 * `row.key` (the same key always carries the same values) and store the position after the rows: a crash
 * then repeats rows, and the upsert turns the repeat into a no-op.
 */
export interface ExportSink {
  /** Recovers from any interrupted batch and returns the committed position. Called once per run, first. */
  open(context: ExportSinkContext): Promise<ExportSinkState>;
  /** Commits one batch: rows and position together, or nothing. */
  write(batch: ExportBatch): Promise<void>;
  /** Releases files, locks and connections. Called once per run, last, even after a failure. */
  close(): Promise<void>;
}
