/**
 * Small assertion and fixture helpers shared by the conformance tests. Internal to `ordo/testing`: the
 * public surface is `eventStoreConformance` alone.
 */

import { OrdoError, type OrdoErrorCode, type ValidationIssue } from '../../kernel/errors.js';
import type { JsonValue, NewEvent, StoredEvent } from '../../kernel/event.js';
import type { EventStore } from '../../kernel/event-store.js';
import type { ConformanceHarness } from './conformance-harness.js';
import { vitestApi } from './vitest-api.js';

/** A UUID v7 in canonical lower-case form: version nibble `7`, RFC 9562 variant `10xx`. */
export const UUID_V7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** An ISO 8601 date-time in UTC with a `Z` suffix, as `Date.prototype.toISOString` writes it. */
export const ISO_UTC_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Reads an async iterable to the end. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Fails the current test with `message`. Typed `never` so callers narrow after it. */
export function fail(message: string): never {
  throw new Error(message);
}

function show(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Runs `action` (a promise, or a function that may throw synchronously or return a promise) and asserts it
 * fails with an {@link OrdoError} of `code` whose fields include `fields`. Returns the error.
 *
 * @remarks Uses `OrdoError.is` rather than `instanceof`, so an adapter built against another copy of Ordo
 * (ESM next to CJS) still passes.
 */
export async function expectOrdoError(
  action: Promise<unknown> | (() => unknown),
  code: OrdoErrorCode | readonly OrdoErrorCode[],
  fields?: Readonly<Record<string, unknown>>,
): Promise<OrdoError> {
  const { expect } = vitestApi();
  const codes: readonly OrdoErrorCode[] = typeof code === 'string' ? [code] : code;
  let thrown: unknown;
  let threw = false;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    threw = true;
    thrown = error;
  }
  if (!threw) fail(`expected an OrdoError with code ${codes.join(' or ')}, but the operation succeeded`);
  if (!OrdoError.is(thrown)) fail(`expected an OrdoError with code ${codes.join(' or ')}, got ${show(thrown)}`);
  expect(codes, `error code of ${show(thrown)}`).toContain(thrown.code);
  if (fields) expect(thrown).toMatchObject(fields);
  return thrown;
}

/** The paths of a `VALIDATION_FAILED` error's issues (read structurally, so any copy of Ordo works). */
export function issuePaths(error: OrdoError): (readonly (string | number)[])[] {
  const issues = (error as OrdoError & { readonly issues?: unknown }).issues;
  if (!Array.isArray(issues)) fail(`${error.code} error carries no issues: ${error.message}`);
  return (issues as ValidationIssue[]).map((issue) => issue.path);
}

/** `count` plain events of `type`, each carrying its index (plus `tag`, to tell batches apart). */
export function makeEvents(count: number, type = 'Tested', tag = 'batch'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({ type, data: { tag, index } }));
}

/** Everything a reader can observe of a store, for "nothing was written" assertions. */
export interface ObservedState {
  readonly head: number;
  readonly all: readonly StoredEvent[];
  readonly streams: Readonly<Record<string, { readonly version: number; readonly events: readonly StoredEvent[] }>>;
}

/** Captures head position, the whole log and the given streams (versions and events). */
export async function observe(store: EventStore, streamIds: readonly string[]): Promise<ObservedState> {
  const streams: Record<string, { version: number; events: StoredEvent[] }> = {};
  for (const streamId of streamIds) {
    streams[streamId] = {
      version: await store.streamVersion(streamId),
      events: await collect(store.readStream(streamId)),
    };
  }
  return { head: await store.headPosition(), all: await collect(store.readAll()), streams };
}

/** Asserts the store looks exactly as it did when `before` was captured. */
export async function expectUnchanged(store: EventStore, before: ObservedState, what: string): Promise<void> {
  const { expect } = vitestApi();
  const after = await observe(store, Object.keys(before.streams));
  expect(after, `${what} must write nothing`).toEqual(before);
}

/** The fields of a stored event that identify it and its payload, for order and equality checks. */
export function essentials(
  event: StoredEvent,
): Pick<StoredEvent, 'eventId' | 'type' | 'data' | 'streamId' | 'streamVersion' | 'globalPosition'> {
  return {
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
  };
}

/** What a JSON store keeps of a value: its JSON round trip (so `-0` becomes `0`, `undefined` keys vanish). */
export function jsonRoundTrip(value: JsonValue): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/** Yields to the event loop (timers included), so concurrent tasks interleave. Not a timing assertion. */
export function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}

/** Appends `events` to `streamId` at whatever version it is, for test setup. */
export async function seed(store: EventStore, streamId: string, events: readonly NewEvent[]): Promise<void> {
  await store.appendToStream(streamId, events, { expectedVersion: 'any' });
}

/** Opens one store per concurrent writer the capabilities ask for, as separate processes over one database. */
export async function openWriters(h: ConformanceHarness): Promise<EventStore[]> {
  const stores: EventStore[] = [];
  for (let index = 0; index < h.capabilities.concurrentWriters; index++) stores.push(await h.open());
  return stores;
}
