/**
 * A deliberately naive event log, the reference the model-based conformance test compares a store with.
 * Plain arrays, no I/O, no dependency on the kernel's store helpers or on the in-memory store, so that a bug
 * shared by those cannot hide itself.
 *
 * Global positions are the store's choice (they may have holes), so the model does not invent them: it
 * records the positions the store reported and checks they only ever grow.
 */

/** What an append expects of its stream, as in the EventStore contract. */
export type ModelExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

/** One event as the model keeps it. */
export interface ModelEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: number;
}

/** One stream's part of a planned append. */
export interface ModelAppend {
  readonly streamId: string;
  readonly expectedVersion: ModelExpectedVersion;
  readonly count: number;
}

/** An expected-version mismatch the model predicts. */
export interface ModelConflict {
  readonly streamId: string;
  readonly expected: ModelExpectedVersion;
  readonly actual: number;
}

/** What the model predicts for an append: conflicts (then nothing is written) or each entry's new version. */
export interface ModelPlan {
  readonly conflicts: readonly ModelConflict[];
  /** Per entry, the stream version after it (meaningful only without conflicts). */
  readonly nextVersions: readonly number[];
  /** Per entry, the stream version before it. */
  readonly previousVersions: readonly number[];
}

/** readStream options as the model understands them. */
export interface ModelReadStreamOptions {
  readonly fromVersion?: number | undefined;
  readonly direction?: 'forwards' | 'backwards' | undefined;
  readonly maxCount?: number | undefined;
}

/** readAll options as the model understands them. */
export interface ModelReadAllOptions {
  readonly fromPosition?: number | undefined;
  readonly toPosition?: number | undefined;
  readonly types?: readonly string[] | undefined;
}

/** The reference event log. */
export class ReferenceEventLog {
  readonly #streams = new Map<string, ModelEvent[]>();
  readonly #log: ModelEvent[] = [];

  /** True when a stream at `actual` (`0` = missing) satisfies `expected`. */
  static accepts(expected: ModelExpectedVersion, actual: number): boolean {
    if (expected === 'any') return true;
    if (expected === 'no_stream') return actual === 0;
    if (expected === 'stream_exists') return actual > 0;
    return expected === actual;
  }

  /** Every event, in global order. */
  get events(): readonly ModelEvent[] {
    return this.#log;
  }

  /** The ids of every stream written. */
  get streamIds(): readonly string[] {
    return [...this.#streams.keys()];
  }

  /** A stream's version; `0` when it does not exist. */
  version(streamId: string): number {
    return this.#streams.get(streamId)?.length ?? 0;
  }

  /** The last recorded position; `0` when empty. */
  head(): number {
    return this.#log.at(-1)?.globalPosition ?? 0;
  }

  /**
   * Predicts an append of several entries applied in order as one unit (a stream may appear twice; its second
   * entry sees the first). Writes nothing.
   */
  plan(appends: readonly ModelAppend[]): ModelPlan {
    const pending = new Map<string, number>();
    const conflicts: ModelConflict[] = [];
    const nextVersions: number[] = [];
    const previousVersions: number[] = [];
    for (const { streamId, expectedVersion, count } of appends) {
      const actual = pending.get(streamId) ?? this.version(streamId);
      if (!ReferenceEventLog.accepts(expectedVersion, actual)) {
        conflicts.push({ streamId, expected: expectedVersion, actual });
      }
      previousVersions.push(actual);
      nextVersions.push(actual + count);
      pending.set(streamId, actual + count);
    }
    return { conflicts, nextVersions, previousVersions };
  }

  /**
   * Records events the store committed, in commit order. Throws when they do not continue their streams
   * (version = previous + 1) or the log (position above every recorded one).
   */
  record(events: readonly ModelEvent[]): void {
    for (const event of events) {
      const stream = this.#streams.get(event.streamId) ?? [];
      if (event.streamVersion !== stream.length + 1) {
        throw new Error(
          `stream "${event.streamId}" is at version ${stream.length}, but the store wrote version ${event.streamVersion}`,
        );
      }
      if (!(event.globalPosition > this.head())) {
        throw new Error(`position ${event.globalPosition} does not follow the head position ${this.head()}`);
      }
      stream.push(event);
      this.#streams.set(event.streamId, stream);
      this.#log.push(event);
    }
  }

  /** What readStream must return. */
  readStream(streamId: string, options: ModelReadStreamOptions = {}): ModelEvent[] {
    const stream = this.#streams.get(streamId) ?? [];
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (options.direction === 'backwards') {
      const from = options.fromVersion ?? Number.POSITIVE_INFINITY;
      return stream
        .filter((event) => event.streamVersion <= from)
        .reverse()
        .slice(0, maxCount);
    }
    const from = options.fromVersion ?? 1;
    return stream.filter((event) => event.streamVersion >= from).slice(0, maxCount);
  }

  /** What readAll must return. */
  readAll(options: ModelReadAllOptions = {}): ModelEvent[] {
    const from = options.fromPosition ?? 0;
    const to = options.toPosition ?? Number.POSITIVE_INFINITY;
    const types = options.types;
    return this.#log.filter(
      (event) =>
        event.globalPosition >= from &&
        event.globalPosition <= to &&
        (types === undefined || types.includes(event.type)),
    );
  }
}
