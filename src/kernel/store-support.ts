/**
 * What every EventStore adapter does the same way: checking and preparing appended events, the idempotent
 * re-append rule, decoding stored rows, and normalising read options. Adapters call these so that they
 * agree byte for byte; a third-party adapter may use them too.
 */
import type { Clock } from './clock.js';
import { CorruptEventError, DuplicateEventIdError, ValidationError, type ValidationIssue } from './errors.js';
import type { EventMetadata, JsonValue, NewEvent, StoredEvent, StoredEventMetadata } from './event.js';
import type { EventRegistry } from './event-registry.js';
import type { AppendResult, ReadAllOptions, ReadStreamOptions } from './event-store.js';
import { type ExpectedVersion, isExpectedVersion } from './expected-version.js';
import { type IdGenerator, isUuid } from './ids.js';
import { findJsonIssue, freezeJsonCopy, setJsonKey, stringIssue } from './json.js';

/** Longest stream id or event type accepted, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 500;

/** Largest schema version an appended event may give (what a 32-bit SQL integer column holds). */
export const MAX_SCHEMA_VERSION = 2_147_483_647;

/** An event checked and ready to be written: id assigned, metadata merged, data validated, schema version decided. */
export interface PreparedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** Deep-frozen JSON. */
  readonly data: JsonValue;
  readonly metadata: StoredEventMetadata;
}

/** What {@link prepareAppend} needs besides the events. */
export interface PrepareContext {
  readonly registry?: EventRegistry | undefined;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

function nameIssue(value: unknown, path: readonly (string | number)[], what: string): ValidationIssue | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return { path, message: `${what} must be a non-empty string`, code: 'invalid_type' };
  }
  if (value.length > MAX_NAME_LENGTH) {
    return { path, message: `${what} must be at most ${MAX_NAME_LENGTH} characters`, code: 'too_big' };
  }
  return stringIssue(value, path, what);
}

/** Throws `VALIDATION_FAILED` unless `streamId` is a usable stream id. */
export function assertStreamId(
  streamId: unknown,
  path: readonly (string | number)[] = ['streamId'],
): asserts streamId is string {
  const issue = nameIssue(streamId, path, 'stream id');
  if (issue) throw new ValidationError([issue]);
}

/**
 * Checks one stream's append and prepares its events: ids (given or generated), merged metadata with
 * `occurredAt`, JSON-only data, the schema version (given, else `1`; with a registry, its current version
 * after validating the data against the given one), registry validation. Collects every issue before throwing one
 * {@link ValidationError}; nothing is written by the caller when it throws.
 *
 * @param path - where this append is in the caller's input (`['appends', 2]` for `appendMany`).
 */
export function prepareAppend(
  streamId: string,
  events: readonly NewEvent[],
  expectedVersion: ExpectedVersion,
  batchMetadata: EventMetadata | undefined,
  context: PrepareContext,
  path: readonly (string | number)[] = [],
): PreparedEvent[] {
  const issues: ValidationIssue[] = [];
  const streamIssue = nameIssue(streamId, [...path, 'streamId'], 'stream id');
  if (streamIssue) issues.push(streamIssue);
  if (!isExpectedVersion(expectedVersion)) {
    issues.push({
      path: [...path, 'expectedVersion'],
      message: "must be a non-negative integer, 'no_stream', 'stream_exists' or 'any'",
      code: 'invalid_value',
    });
  }
  if (!Array.isArray(events) || events.length === 0) {
    issues.push({ path: [...path, 'events'], message: 'must be a non-empty array of events', code: 'too_small' });
    throw new ValidationError(issues);
  }
  if (batchMetadata !== undefined) {
    const issue = metadataIssue(batchMetadata, ['metadata']);
    if (issue) issues.push(issue);
  }

  const now = context.clock.now().toISOString();
  const seen = new Set<string>();
  const prepared: PreparedEvent[] = [];
  events.forEach((event, index) => {
    const at = [...path, 'events', index];
    if (typeof event !== 'object' || event === null) {
      issues.push({
        path: at,
        message: 'must be an object { type, data, metadata?, eventId?, schemaVersion? }',
        code: 'invalid_type',
      });
      return;
    }
    const typeIssue = nameIssue(event.type, [...at, 'type'], 'event type');
    if (typeIssue) issues.push(typeIssue);
    let eventId = event.eventId;
    if (eventId === undefined) {
      eventId = context.ids.next();
    } else if (!isUuid(eventId)) {
      issues.push({ path: [...at, 'eventId'], message: 'must be a UUID', code: 'invalid_format' });
    } else {
      eventId = eventId.toLowerCase();
    }
    if (seen.has(eventId)) {
      issues.push({
        path: [...at, 'eventId'],
        message: 'the same event id appears twice in the batch',
        code: 'duplicate',
      });
    }
    seen.add(eventId);
    if (event.metadata !== undefined) {
      const issue = metadataIssue(event.metadata, [...at, 'metadata']);
      if (issue) issues.push(issue);
    }
    const givenVersion: unknown = event.schemaVersion;
    const versionIssue =
      givenVersion !== undefined &&
      !(
        typeof givenVersion === 'number' &&
        Number.isSafeInteger(givenVersion) &&
        givenVersion >= 1 &&
        givenVersion <= MAX_SCHEMA_VERSION
      );
    if (versionIssue) {
      issues.push({
        path: [...at, 'schemaVersion'],
        message: `must be an integer from 1 to ${MAX_SCHEMA_VERSION}`,
        code: 'invalid_value',
      });
    }
    if (event.data === undefined) {
      issues.push({
        path: [...at, 'data'],
        message: 'data is required (use {} or null for none)',
        code: 'invalid_type',
      });
      return;
    }
    const dataIssue = findJsonIssue(event.data, [...at, 'data']);
    if (dataIssue) {
      issues.push(dataIssue);
      return;
    }
    if (typeIssue || versionIssue) return;
    // Without a registry a given version is stored as is (a caller such as the command handler validated the
    // data against its own registry); with one, the registry checks the data against that version.
    let schemaVersion = event.schemaVersion ?? 1;
    let data: unknown = event.data;
    if (context.registry) {
      try {
        // An invalid stream id may not even be printable; the registry only needs it for its error message.
        const encoded = context.registry.encode(
          streamIssue ? '' : streamId,
          event.type,
          event.data,
          at,
          event.schemaVersion,
        );
        schemaVersion = encoded.schemaVersion;
        data = encoded.data;
      } catch (error) {
        if (error instanceof ValidationError) {
          issues.push(...error.issues);
          return;
        }
        // Input already found invalid is reported as such, ahead of an unknown event type.
        if (issues.length > 0) throw new ValidationError(issues);
        throw error;
      }
    }
    const metadata = mergeMetadata(batchMetadata, event.metadata, now);
    prepared.push({
      eventId,
      type: event.type,
      schemaVersion,
      data: freezeJsonCopy(data as JsonValue),
      metadata,
    });
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return prepared;
}

function metadataIssue(metadata: unknown, path: (string | number)[]): ValidationIssue | undefined {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return { path, message: 'metadata must be an object', code: 'invalid_type' };
  }
  const issue = findJsonIssue(metadata, path);
  if (issue) return issue;
  for (const key of ['correlationId', 'causationId', 'actor', 'occurredAt'] as const) {
    const value = (metadata as Record<string, unknown>)[key];
    if (value !== undefined && typeof value !== 'string') {
      return { path: [...path, key], message: `${key} must be a string`, code: 'invalid_type' };
    }
  }
  const occurredAt = (metadata as Record<string, unknown>).occurredAt;
  if (typeof occurredAt === 'string' && Number.isNaN(Date.parse(occurredAt))) {
    return {
      path: [...path, 'occurredAt'],
      message: 'occurredAt must be an ISO 8601 date-time',
      code: 'invalid_format',
    };
  }
  return undefined;
}

function mergeMetadata(
  batch: EventMetadata | undefined,
  own: EventMetadata | undefined,
  now: string,
): StoredEventMetadata {
  const merged: Record<string, JsonValue> = {};
  for (const source of [batch, own]) {
    if (!source) continue;
    for (const key of Object.keys(source)) {
      const value = source[key];
      if (value !== undefined) setJsonKey(merged, key, value);
    }
  }
  if (typeof merged.occurredAt !== 'string') merged.occurredAt = now;
  return freezeJsonCopy(merged) as StoredEventMetadata;
}

/** Where an already-stored event id lives. */
export interface StoredIdLocation {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: number;
}

/**
 * The idempotent re-append rule. Given the ids of a batch and where those already stored live:
 * - none stored: returns `undefined`, append normally;
 * - all stored, in this stream, consecutively, in batch order, at the place `expectedVersion` points to
 *   (any place for `'any'`/`'stream_exists'`): returns the original append's result, write nothing;
 * - anything else: throws {@link DuplicateEventIdError}.
 */
export function resolveReplay(
  streamId: string,
  expectedVersion: ExpectedVersion,
  eventIds: readonly string[],
  found: ReadonlyMap<string, StoredIdLocation>,
): AppendResult | undefined {
  if (found.size === 0) return undefined;
  const firstId = eventIds[0] as string;
  const first = found.get(firstId);
  const clash = eventIds.find((id) => found.has(id)) ?? firstId;
  if (!first || found.size !== eventIds.length || first.streamId !== streamId) {
    throw new DuplicateEventIdError(clash, streamId);
  }
  let last = first;
  for (let i = 1; i < eventIds.length; i++) {
    const location = found.get(eventIds[i] as string);
    if (!location || location.streamId !== streamId || location.streamVersion !== first.streamVersion + i) {
      throw new DuplicateEventIdError(eventIds[i] as string, streamId);
    }
    last = location;
  }
  const placeMatches =
    expectedVersion === 'any' || expectedVersion === 'stream_exists'
      ? true
      : expectedVersion === 'no_stream'
        ? first.streamVersion === 1
        : first.streamVersion === expectedVersion + 1;
  if (!placeMatches) throw new DuplicateEventIdError(firstId, streamId);
  return { nextExpectedVersion: last.streamVersion, lastPosition: last.globalPosition };
}

/** A stored row's parts as an adapter reads them; `data` and `metadata` may still be JSON text. */
export interface StoredRow {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: number;
  readonly recordedAt: string;
}

function parseJsonColumn(row: StoredRow, column: 'data' | 'metadata'): unknown {
  const raw = row[column];
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new CorruptEventError(row.streamId, row.streamVersion, row.type, `${column} is not valid JSON`, [], {
      cause: error,
    });
  }
}

/**
 * Turns a stored row into a {@link StoredEvent}: parses JSON columns, upcasts and validates through the
 * registry when there is one. Bad JSON or a failing schema is `CORRUPT_EVENT`; an unknown type is
 * `UNKNOWN_EVENT_TYPE`; both name stream, version and type.
 */
export function decodeStoredRow(row: StoredRow, registry: EventRegistry | undefined): StoredEvent {
  let data = parseJsonColumn(row, 'data');
  const metadata = parseJsonColumn(row, 'metadata');
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new CorruptEventError(row.streamId, row.streamVersion, row.type, 'metadata is not an object');
  }
  let schemaVersion = row.schemaVersion;
  if (registry) {
    const decoded = registry.decode({
      streamId: row.streamId,
      streamVersion: row.streamVersion,
      type: row.type,
      schemaVersion,
      data,
    });
    data = decoded.data;
    schemaVersion = decoded.schemaVersion;
  }
  return {
    eventId: row.eventId,
    type: row.type,
    schemaVersion,
    data,
    metadata: metadata as StoredEventMetadata,
    streamId: row.streamId,
    streamVersion: row.streamVersion,
    globalPosition: row.globalPosition,
    recordedAt: row.recordedAt,
  };
}

/** {@link ReadStreamOptions} with defaults applied and checked. `fromVersion` is `undefined` for "the end" backwards. */
export interface NormalizedReadStreamOptions {
  readonly fromVersion: number | undefined;
  readonly direction: 'forwards' | 'backwards';
  readonly maxCount: number;
}

/** Checks read-stream options; throws `VALIDATION_FAILED` with paths. */
export function normalizeReadStreamOptions(given?: ReadStreamOptions | null): NormalizedReadStreamOptions {
  const options = optionsObject(given, 'options');
  const issues: ValidationIssue[] = [];
  const direction = options.direction ?? 'forwards';
  if (direction !== 'forwards' && direction !== 'backwards') {
    issues.push({ path: ['direction'], message: "must be 'forwards' or 'backwards'", code: 'invalid_value' });
  }
  const fromVersion = options.fromVersion;
  if (fromVersion !== undefined && !(Number.isSafeInteger(fromVersion) && fromVersion >= 0)) {
    issues.push({ path: ['fromVersion'], message: 'must be a non-negative integer', code: 'invalid_value' });
  }
  const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
  if (options.maxCount !== undefined && !(Number.isSafeInteger(maxCount) && maxCount >= 0)) {
    issues.push({ path: ['maxCount'], message: 'must be a non-negative integer', code: 'invalid_value' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return {
    fromVersion: direction === 'forwards' ? Math.max(fromVersion ?? 1, 1) : fromVersion,
    direction,
    maxCount,
  };
}

/** {@link ReadAllOptions} with defaults applied and checked. */
export interface NormalizedReadAllOptions {
  readonly fromPosition: number;
  readonly toPosition: number;
  readonly types: readonly string[] | undefined;
  readonly batchSize: number;
}

/** Default page size of `readAll` and `readStream` in the SQL adapters. */
export const DEFAULT_BATCH_SIZE = 500;

/** Checks read-all options; throws `VALIDATION_FAILED` with paths. */
export function normalizeReadAllOptions(given?: ReadAllOptions | null): NormalizedReadAllOptions {
  const options = optionsObject(given, 'options');
  const issues: ValidationIssue[] = [];
  const fromPosition = options.fromPosition ?? 0;
  if (!(Number.isSafeInteger(fromPosition) && fromPosition >= 0)) {
    issues.push({ path: ['fromPosition'], message: 'must be a non-negative integer', code: 'invalid_value' });
  }
  const toPosition = options.toPosition ?? Number.MAX_SAFE_INTEGER;
  if (!(Number.isSafeInteger(toPosition) && toPosition >= 0)) {
    issues.push({ path: ['toPosition'], message: 'must be a non-negative integer', code: 'invalid_value' });
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!(Number.isSafeInteger(batchSize) && batchSize >= 1 && batchSize <= 100_000)) {
    issues.push({ path: ['batchSize'], message: 'must be an integer from 1 to 100000', code: 'invalid_value' });
  }
  if (options.types !== undefined) {
    if (!Array.isArray(options.types)) {
      issues.push({ path: ['types'], message: 'must be an array of event types', code: 'invalid_type' });
    } else {
      options.types.forEach((type, index) => {
        const issue = nameIssue(type, ['types', index], 'event type');
        if (issue) issues.push(issue);
      });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return { fromPosition, toPosition, types: options.types, batchSize };
}

/** Options as an object: `undefined` and `null` mean "no options"; anything else that is not an object is refused. */
function optionsObject<T extends object>(given: T | null | undefined, path: string): T | Record<string, never> {
  if (given === undefined || given === null) return {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new ValidationError([{ path: [path], message: 'options must be an object', code: 'invalid_type' }]);
  }
  return given;
}

/** Throws `VALIDATION_FAILED` unless `appends` is an array of `{ streamId, events, expectedVersion }` objects. */
export function assertAppendList(appends: unknown): asserts appends is readonly object[] {
  if (!Array.isArray(appends)) {
    throw new ValidationError([
      { path: ['appends'], message: 'must be an array of { streamId, events, expectedVersion }', code: 'invalid_type' },
    ]);
  }
  const bad = appends.findIndex((entry) => typeof entry !== 'object' || entry === null);
  if (bad >= 0) {
    throw new ValidationError([
      {
        path: ['appends', bad],
        message: 'must be an object { streamId, events, expectedVersion }',
        code: 'invalid_type',
      },
    ]);
  }
}

/** Throws `VALIDATION_FAILED` unless `snapshot` is a `{ streamVersion, schemaVersion, state }` object. */
export function assertSnapshotInput(
  snapshot: unknown,
): asserts snapshot is { streamVersion: unknown; schemaVersion: unknown; state: unknown } {
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) {
    throw new ValidationError([
      {
        path: ['snapshot'],
        message: 'must be an object { streamVersion, schemaVersion, state }',
        code: 'invalid_type',
      },
    ]);
  }
}

/** Checks a snapshot or checkpoint number argument. */
export function assertNonNegativeInteger(value: unknown, path: string): asserts value is number {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
    throw new ValidationError([{ path: [path], message: 'must be a non-negative integer', code: 'invalid_value' }]);
  }
}

/** Checks a subscriber / checkpoint id. */
export function assertName(value: unknown, path: string, what: string): asserts value is string {
  const issue = nameIssue(value, [path], what);
  if (issue) throw new ValidationError([issue]);
}
