import { z } from 'zod';
import type { StoredEvent } from './event.js';
import { defineEvent } from './event-registry.js';
import type { EventStore } from './event-store.js';
import type { ErrorSummary } from './subscription-support.js';

const errorSchema = z.object({ name: z.string(), message: z.string(), code: z.string().optional() });

/**
 * Recorded when an event bus handler failed on an event as many times as it may: the event is skipped for
 * that handler (the others are not affected) and waits here to be replayed or discarded.
 */
export const DeadLetterRecorded = defineEvent({
  type: '$DeadLetterRecorded',
  schema: z.object({
    bus: z.string(),
    handler: z.string(),
    event: z.object({
      eventId: z.string(),
      type: z.string(),
      streamId: z.string(),
      streamVersion: z.number().int(),
      globalPosition: z.number().int(),
    }),
    attempts: z.number().int(),
    error: errorSchema,
    failedAt: z.string(),
  }),
});

/** Recorded when a dead letter is settled: its replay succeeded, or someone discarded it. */
export const DeadLetterResolved = defineEvent({
  type: '$DeadLetterResolved',
  schema: z.object({
    deadLetterId: z.string(),
    resolution: z.enum(['replayed', 'discarded']),
    reason: z.string().optional(),
    resolvedAt: z.string(),
  }),
});

/**
 * The definitions of the event bus's own events. A store with a strict registry must include them, since
 * dead letters are stored as events (that is what makes them durable on every adapter).
 */
export const deadLetterEvents = [DeadLetterRecorded, DeadLetterResolved] as const;

/** The stream holding the dead letters of the bus `busName`. */
export function deadLetterStreamId(busName: string): string {
  return `$dead-letters-${busName}`;
}

/** Where the event behind a dead letter is. */
export interface DeadLetterEventRef {
  /** The event's id. */
  readonly eventId: string;
  /** The event's type. */
  readonly type: string;
  /** Its stream. */
  readonly streamId: string;
  /** Its version in the stream. */
  readonly streamVersion: number;
  /** Its global position: where a replay reads it from. */
  readonly globalPosition: number;
}

/** An event a handler gave up on, waiting to be replayed or discarded. */
export interface DeadLetter {
  /** The dead letter's id (the id of its `$DeadLetterRecorded` event). */
  readonly id: string;
  /** The bus's name. */
  readonly bus: string;
  /** The handler that failed. */
  readonly handler: string;
  /** The event it failed on. */
  readonly event: DeadLetterEventRef;
  /** How many times it was tried. */
  readonly attempts: number;
  /** The last error. */
  readonly error: ErrorSummary;
  /** When it was given up on (ISO 8601). */
  readonly failedAt: string;
}

type RecordedData = z.output<typeof DeadLetterRecorded.schema>;
type ResolvedData = z.output<typeof DeadLetterResolved.schema>;

/** Reads the open dead letters of a bus, oldest first. @internal */
export async function readDeadLetters(store: EventStore, busName: string): Promise<DeadLetter[]> {
  const open = new Map<string, DeadLetter>();
  for await (const event of store.readStream(deadLetterStreamId(busName))) {
    if (event.type === DeadLetterRecorded.type) {
      open.set(event.eventId, toDeadLetter(event as StoredEvent<string, RecordedData>));
    } else if (event.type === DeadLetterResolved.type) {
      open.delete((event.data as ResolvedData).deadLetterId);
    }
  }
  return [...open.values()];
}

function toDeadLetter(event: StoredEvent<string, RecordedData>): DeadLetter {
  const { data } = event;
  return {
    id: event.eventId,
    bus: data.bus,
    handler: data.handler,
    event: data.event,
    attempts: data.attempts,
    error: {
      name: data.error.name,
      message: data.error.message,
      ...(data.error.code === undefined ? {} : { code: data.error.code }),
    },
    failedAt: data.failedAt,
  };
}
