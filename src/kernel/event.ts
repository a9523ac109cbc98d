/** A JSON value: what event data, metadata and snapshots are made of. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Metadata given with an event on append. The well-known keys are typed; free keys are allowed and must be
 * JSON values.
 */
export interface EventMetadata {
  /** Ties together every event caused, directly or not, by one outside request. */
  readonly correlationId?: string;
  /** The id of the command or event that caused this one. */
  readonly causationId?: string;
  /** Who did it: a user id, a service name. */
  readonly actor?: string;
  /** When it happened in the business sense (ISO 8601). Defaults to the time of recording. */
  readonly occurredAt?: string;
  readonly [key: string]: JsonValue | undefined;
}

/** Metadata as stored: `occurredAt` is always present. */
export interface StoredEventMetadata extends EventMetadata {
  readonly occurredAt: string;
}

/**
 * An event as a caller appends it. A store accepts these as they are; an optional registry adds schema
 * validation and versioning.
 */
export interface NewEvent<Type extends string = string, Data = unknown> {
  /** Past-tense name, e.g. `SalesOrderSubmitted`. */
  readonly type: Type;
  /** The payload: JSON only. Money and quantities as decimal strings, never JS floats. */
  readonly data: Data;
  readonly metadata?: EventMetadata;
  /** A UUID. Generated (UUID v7) when absent. Re-appending the same ids at the same place is a no-op. */
  readonly eventId?: string;
  /**
   * The schema version `data` is written in (a positive integer), for callers that validated it against an
   * event registry themselves — the command handler given a registry the store does not have sets it. A store
   * without a registry stores it as given; a store with one validates `data` against it (an older version is
   * upcast and stored at the registry's current version; a version the registry does not have is
   * `VALIDATION_FAILED`). @defaultValue the registry's current version, or `1` without a registry
   */
  readonly schemaVersion?: number;
}

/** The minimal event shape a decider folds over: a type and its data. Stored events satisfy it. */
export interface EventLike<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * An event as every store returns it.
 *
 * @remarks `globalPosition` is a JavaScript number: a safe integer, strictly increasing across the store
 * (there may be holes). Stores refuse to go past `Number.MAX_SAFE_INTEGER`.
 */
export interface StoredEvent<Type extends string = string, Data = unknown> extends EventLike<Type, Data> {
  /** UUID, unique across the store. */
  readonly eventId: string;
  readonly type: Type;
  /**
   * The schema version of `data`: after upcasting, the registry's current version. Without a registry, the
   * version it was appended with (`1` unless the append gave one).
   */
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: StoredEventMetadata;
  readonly streamId: string;
  /** 1-based position in its stream. */
  readonly streamVersion: number;
  /** Position in the whole store: strictly increasing, safe integer, may have holes. */
  readonly globalPosition: number;
  /** When the store recorded it (ISO 8601, UTC). */
  readonly recordedAt: string;
}
